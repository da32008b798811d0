"""Jira statuses (v3 only, as on Cloud): create, update, delete, read by ids or names, search.

Status names are unique per scope and compared without regard to case, as Jira does. A status a
workflow uses cannot be deleted. Lists are limited as the operations document: 1 to 50 ids or
names per request.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.pagination import page_bean

CATEGORIES = ("TODO", "IN_PROGRESS", "DONE")
BULK_LIMIT = 50

ROUTES = RouteTable()


def jira_status(
    ctx: Context, status: dict[str, Any], reference: str | None = None
) -> dict[str, Any]:
    """A ``JiraStatus`` (with ``statusReference`` when given: a ``JiraWorkflowStatus``)."""
    answer = {
        "id": status["id"],
        "name": status["name"],
        "statusCategory": status["statusCategory"],
        "description": status.get("description", ""),
        "scope": status.get("scope", {"type": "GLOBAL"}),
    }
    if reference is not None:
        answer["statusReference"] = reference
    return answer


def status_scope(ctx: Context, raw: Any) -> dict[str, Any]:
    """A status or workflow ``scope`` from a request, checked."""
    if not isinstance(raw, dict) or raw.get("type") not in ("GLOBAL", "PROJECT"):
        raise ApiError(400, "", errors={"scope": "The scope type must be GLOBAL or PROJECT."})
    if raw["type"] == "PROJECT":
        project = find_project(ctx, str((raw.get("project") or {}).get("id")), status=400)
        return {"type": "PROJECT", "project": {"id": project["id"]}}
    return {"type": "GLOBAL"}


def _scope_of(status: dict[str, Any]) -> dict[str, Any]:
    scope: dict[str, Any] = status.get("scope") or {"type": "GLOBAL"}
    return scope


def _project_of(status: dict[str, Any]) -> str | None:
    """The project a status belongs to (None: a global status)."""
    scope = _scope_of(status)
    return str(scope["project"]["id"]) if scope["type"] == "PROJECT" else None


def _checked_name(ctx: Context, spec: dict[str, Any], scope: dict[str, Any], own: str) -> str:
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "", errors={"name": "A status name is required."})
    if len(name) > 255:
        # The operations' documented 400 example.
        raise ApiError(400, "The name is too long, maxSize=255")
    if any(
        s["name"].lower() == name.lower() and _scope_of(s) == scope and s["id"] != own
        for s in ctx.state.table("statuses").values()
    ):
        raise ApiError(400, f"A status with the name '{name}' already exists in this scope.")
    if spec.get("statusCategory") not in CATEGORIES:
        raise ApiError(
            400, "", errors={"statusCategory": "statusCategory must be TODO, IN_PROGRESS or DONE."}
        )
    return name


def new_status(ctx: Context, spec: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
    """Create a status from a request's status spec (unique name per scope)."""
    name = _checked_name(ctx, spec, scope, own="")
    status = {
        "id": ctx.state.new_id(),
        "name": name,
        "statusCategory": spec["statusCategory"],
        "description": spec.get("description", ""),
        "scope": scope,
    }
    ctx.state.table("statuses")[status["id"]] = status
    return status


def _limited(values: list[str], what: str) -> list[str]:
    if not values or len(values) > BULK_LIMIT:
        raise ApiError(400, f"Provide between 1 and {BULK_LIMIT} {what}.")
    return values


@ROUTES.post(API + "/statuses")
def create_statuses(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    scope = status_scope(ctx, data.get("scope"))
    created = [new_status(ctx, spec, scope) for spec in data.get("statuses") or []]
    return Response(200, [jira_status(ctx, s) for s in created])


@ROUTES.put(API + "/statuses")
def update_statuses(ctx: Context, req: Request) -> Response:
    specs = req.json_object().get("statuses") or []
    statuses = ctx.state.table("statuses")
    for spec in specs:  # every status is checked before any changes
        status = statuses.get(str(spec.get("id")))
        if status is None:
            raise ApiError(400, f"The status with ID {spec.get('id')} was not found.")
        _checked_name(ctx, spec, _scope_of(status), own=status["id"])
    for spec in specs:
        statuses[str(spec["id"])].update(
            name=spec["name"],
            statusCategory=spec["statusCategory"],
            description=spec.get("description", ""),
        )
    return Response(204)


def workflows_using(ctx: Context, status_id: str) -> list[dict[str, Any]]:
    """The workflows that list a status."""
    return [
        w
        for w in ctx.state.table("workflows").values()
        if any(str(s["statusReference"]) == status_id for s in w["statuses"])
    ]


@ROUTES.delete(API + "/statuses")
def delete_statuses(ctx: Context, req: Request) -> Response:
    ids = _limited(req.args("id"), "status IDs")
    statuses = ctx.state.table("statuses")
    for status_id in ids:
        status = statuses.get(status_id)
        if status is None:
            raise ApiError(400, f"The status with ID {status_id} was not found.")
        using = workflows_using(ctx, status_id)
        if using:
            # Not in the spec; Jira refuses to delete a status a workflow uses (its admin screen
            # offers Delete only for statuses no workflow has). Wording in Jira's style.
            names = ", ".join(sorted(w["name"] for w in using))
            raise ApiError(
                400,
                f"The status '{status['name']}' can't be deleted because it is used in these "
                f"workflows: {names}.",
            )
    for status_id in ids:
        del statuses[status_id]
    return Response(204)


@ROUTES.get(API + "/statuses")
def get_statuses(ctx: Context, req: Request) -> Response:
    statuses = ctx.state.table("statuses")
    ids = _limited(req.args("id"), "status IDs")
    return Response(200, [jira_status(ctx, statuses[i]) for i in ids if i in statuses])


@ROUTES.get(API + "/statuses/byNames")
def statuses_by_names(ctx: Context, req: Request) -> Response:
    # "projectId: The project the status is part of or null for global statuses."
    names = {n.lower() for n in _limited(req.query.get("name", []), "status names")}
    project = req.arg("projectId")
    if project is not None:
        project = find_project(ctx, project, status=400)["id"]
    found = [
        jira_status(ctx, s)
        for s in ctx.state.table("statuses").values()
        if s["name"].lower() in names and _project_of(s) == project
    ]
    return Response(200, found)


@ROUTES.get(API + "/statuses/search")
def search_statuses(ctx: Context, req: Request) -> Response:
    text = (req.arg("searchString") or "").lower()
    project = req.arg("projectId")
    category = req.arg("statusCategory")
    # "includeGlobalStatuses ... Defaults to false. Only relevant for project scoped queries."
    with_global = project is None or req.bool_arg("includeGlobalStatuses")
    found = [
        jira_status(ctx, s)
        for s in sorted(ctx.state.table("statuses").values(), key=lambda s: int(s["id"]))
        if text in s["name"].lower()
        and (category is None or s["statusCategory"] == category)
        and (
            (_project_of(s) is None and with_global)
            or (project is not None and _project_of(s) == project)
        )
    ]
    return Response(200, page_bean(req, found, ctx.base_url, default_max=200, maximum=200))
