"""Every endpoint the sandbox serves, and how a request reaches its handler.

Also replays journalled writes (:mod:`teamcomms.sandbox.journal`) when a state file is loaded.
"""

from __future__ import annotations

from typing import Any

from teamcomms.errors import ConfigError
from teamcomms.sandbox import (
    confluence_attachments,
    confluence_properties,
    confluence_search,
    confluence_spaces,
    confluence_tasks,
    confluence_v1,
    confluence_v2,
    hand_edit,
    jira_access,
    jira_agile,
    jira_board_properties,
    jira_catalogue,
    jira_comments,
    jira_create_meta,
    jira_field_contexts,
    jira_field_options,
    jira_fields,
    jira_filters,
    jira_history,
    jira_issues,
    jira_permissions,
    jira_platform,
    jira_scheme_projects,
    jira_schemes,
    jira_search,
    jira_statuses,
    jira_tasks,
    jira_transitions,
    jira_workflows,
    journal,
)
from teamcomms.sandbox.api import ApiError, Context, Request, Response, Router
from teamcomms.sandbox.datacenter import NoSuchResource
from teamcomms.sandbox.faults import FaultController
from teamcomms.sandbox.state import SiteState

TABLES = [
    confluence_spaces.ROUTES,
    confluence_v2.ROUTES,
    confluence_properties.ROUTES,
    confluence_v1.ROUTES,
    confluence_tasks.ROUTES,
    confluence_attachments.ROUTES,
    confluence_search.ROUTES,
    jira_platform.ROUTES,
    jira_permissions.ROUTES,
    jira_access.ROUTES,
    jira_filters.ROUTES,
    jira_fields.ROUTES,
    jira_field_contexts.ROUTES,
    jira_field_options.ROUTES,
    jira_issues.ROUTES,
    jira_create_meta.ROUTES,
    jira_comments.ROUTES,
    jira_history.ROUTES,
    jira_transitions.ROUTES,
    jira_catalogue.ROUTES,
    jira_search.ROUTES,
    jira_statuses.ROUTES,
    jira_workflows.ROUTES,
    jira_schemes.ROUTES,
    jira_scheme_projects.ROUTES,
    jira_tasks.ROUTES,
    jira_agile.ROUTES,
    jira_board_properties.ROUTES,
    hand_edit.ROUTES,
]
"""The route tables of a Cloud site (Data Center's are built from them in
``datacenter_routes``)."""
ROUTER = Router(TABLES)


def router_of(datacenter: bool) -> Router:
    """The endpoints of a Cloud or a Data Center site."""
    from teamcomms.sandbox.datacenter_routes import DATACENTER_ROUTER

    return DATACENTER_ROUTER if datacenter else ROUTER


def dispatch(context: Context, request: Request) -> Response:
    """Run the handler of the route matching ``request``; no such API is a 404, in the shape the
    site's deployment gives it."""
    found = router_of(context.datacenter).find(request.method, request.path)
    if found is None:
        if context.datacenter:
            raise NoSuchResource(404, f"No API at {request.method} {request.path}")
        raise ApiError(404, f"No API at {request.method} {request.path}")
    route, params = found
    request.params = {k.replace("_", "-"): v for k, v in params.items()}
    request.params.update(params)
    return route.handler(context, request)


def template_of(method: str, path: str, *, datacenter: bool = False) -> str:
    """The path template a request is served by (the path itself when no route has it): what a
    burst-limit bucket is counted per."""
    try:
        found = router_of(datacenter).find(method, path)
    except ApiError:
        return path
    return found[0].template if found is not None else path


def replay_write(state: SiteState, line: dict[str, Any]) -> None:
    """Carry out a journalled write again (while loading the state; the clock is frozen)."""
    request = Request(
        method=line["method"],
        path=line["path"],
        query=line["query"],
        headers=line["headers"],
        body=journal.entry_body(line),
    )
    try:
        base_url = line.get("base_url", "http://127.0.0.1")
        response = dispatch(Context(state, FaultController(), base_url), request)
    except ApiError as error:
        response = Response(error.status)
    # Lines without a status come from the first journal format, which held successes only.
    expected = line.get("status")
    if response.status != expected and (expected is not None or response.status >= 400):
        raise ConfigError(
            f"the sandbox journal does not replay: {request.method} {request.path} answered "
            f"{response.status} this time, {expected} when it was written",
            hint="delete the state file and its .journal to start from a fresh sandbox site",
        )
