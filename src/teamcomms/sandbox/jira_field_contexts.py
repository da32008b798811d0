"""Custom field contexts: which projects and issue types a custom field applies to.

A context without projects is the field's *global* context (at most one per field); without issue
types it applies to every type. As the operations document, a project can be in only one context
of a field, issue types already in a context cannot be added again, and removing projects cannot
leave the field two global contexts. CHANGE-3019: from April 2026 (by the site's clock) Cloud no
longer lets the global context be deleted or get projects or issue types added.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_fields import find_field
from teamcomms.sandbox.jira_platform import jira_route
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()
GLOBAL_CONTEXT_FROZEN = datetime(2026, 4, 1, tzinfo=UTC)
CONTEXT_NOT_FOUND = "The context was not found."  # the spec's example


def context_json(context: dict[str, Any]) -> dict[str, Any]:
    """A ``CustomFieldContext``."""
    return {
        "id": context["id"],
        "name": context["name"],
        "description": context["description"],
        "isGlobalContext": not context["projectIds"],
        "isAnyIssueType": not context["issueTypeIds"],
    }


def find_context(ctx: Context, req: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """The field and the context the path names, or 404."""
    field = find_field(ctx, req.params["fieldId"])
    context: dict[str, Any] | None = field["contexts"].get(req.params["contextId"])
    if context is None:
        raise ApiError(404, CONTEXT_NOT_FOUND)
    return field, context


def context_applies(context: dict[str, Any], project_id: str, type_id: str) -> bool:
    """Whether a context covers issues of this project and type."""
    return (not context["projectIds"] or project_id in context["projectIds"]) and (
        not context["issueTypeIds"] or type_id in context["issueTypeIds"]
    )


def _frozen_global(ctx: Context, context: dict[str, Any], what: str) -> None:
    if not context["projectIds"] and ctx.state.clock() >= GLOBAL_CONTEXT_FROZEN:
        # CHANGE-3019 (the operations' descriptions); the message is the sandbox's.
        raise ApiError(400, f"The global context of a custom field can't {what} (CHANGE-3019).")


def _ids(data: dict[str, Any], key: str) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, f"The {key} must not be empty.")
    ids = [str(i) for i in raw]
    if len(set(ids)) != len(ids):
        raise ApiError(400, f"The {key} must not contain duplicates.")  # the spec's example
    return ids


def _known_projects(ctx: Context, ids: list[str]) -> None:
    projects = ctx.state.table("projects")
    missing = [i for i in ids if i not in projects]
    if missing:
        raise ApiError(404, f"These projects were not found: {', '.join(missing)}.")


def _known_types(ctx: Context, ids: list[str]) -> None:
    types = ctx.state.table("issuetypes")
    missing = [i for i in ids if i not in types]
    if missing:
        raise ApiError(404, f"These issue types were not found: {', '.join(missing)}.")


def _projects_in_use(field: dict[str, Any], ids: list[str], except_id: str = "") -> None:
    taken = sorted(
        {p for c in field["contexts"].values() if c["id"] != except_id for p in c["projectIds"]}
        & set(ids)
    )
    if taken:
        raise ApiError(
            400,
            f"These projects are already associated with a context of the field: {', '.join(taken)}.",  # noqa: E501
        )


@jira_route(ROUTES, "GET", "/field/{fieldId}/context")
def list_contexts(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    wanted = set(req.args("contextId"))
    any_type, is_global = req.arg("isAnyIssueType"), req.arg("isGlobalContext")
    contexts = [
        context_json(c)
        for c in sorted(field["contexts"].values(), key=lambda c: int(c["id"]))
        if (not wanted or c["id"] in wanted)
        and (any_type is None or (not c["issueTypeIds"]) == (any_type == "true"))
        and (is_global is None or (not c["projectIds"]) == (is_global == "true"))
    ]
    return Response(200, page_bean(req, contexts, ctx.base_url))


@jira_route(ROUTES, "POST", "/field/{fieldId}/context")
def create_context(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    data = req.json_object()
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiError(400, "", errors={"name": "The context name is required."})
    projects = [str(p) for p in data.get("projectIds") or []]
    types = [str(t) for t in data.get("issueTypeIds") or []]
    _known_projects(ctx, projects)
    _known_types(ctx, types)
    _projects_in_use(field, projects)
    if not projects and any(not c["projectIds"] for c in field["contexts"].values()):
        raise ApiError(400, "The custom field already has a global context.")
    context = {
        "id": ctx.state.new_id(),
        "name": name,
        "description": data.get("description", ""),
        "projectIds": projects,
        "issueTypeIds": types,
        "options": {},
    }
    field["contexts"][context["id"]] = context
    answer = {k: context[k] for k in ("id", "name", "description", "projectIds", "issueTypeIds")}
    return Response(201, answer)


@jira_route(ROUTES, "PUT", "/field/{fieldId}/context/{contextId}")
def update_context(ctx: Context, req: Request) -> Response:
    _, context = find_context(ctx, req)
    data = req.json_object()
    for key in ("name", "description"):
        if key in data:
            value = data[key]
            if not isinstance(value, str) or len(value) > 255 or (key == "name" and not value):
                raise ApiError(400, "", errors={key: f"The {key} must be 1 to 255 characters."})
            context[key] = value
    return Response(204)


@jira_route(ROUTES, "DELETE", "/field/{fieldId}/context/{contextId}")
def delete_context(ctx: Context, req: Request) -> Response:
    field, context = find_context(ctx, req)
    _frozen_global(ctx, context, "be deleted")
    del field["contexts"][context["id"]]
    return Response(204)


@jira_route(ROUTES, "PUT", "/field/{fieldId}/context/{contextId}/project")
def add_projects(ctx: Context, req: Request) -> Response:
    field, context = find_context(ctx, req)
    ids = _ids(req.json_object(), "projectIds")
    _known_projects(ctx, ids)
    _frozen_global(ctx, context, "get projects")
    _projects_in_use(field, ids)
    context["projectIds"].extend(ids)
    return Response(204)


@jira_route(ROUTES, "POST", "/field/{fieldId}/context/{contextId}/project/remove")
def remove_projects(ctx: Context, req: Request) -> Response:
    field, context = find_context(ctx, req)
    ids = _ids(req.json_object(), "projectIds")
    _known_projects(ctx, ids)
    missing = [i for i in ids if i not in context["projectIds"]]
    if missing:
        raise ApiError(
            400, f"These projects are not associated with the context: {', '.join(missing)}."
        )
    left = [p for p in context["projectIds"] if p not in ids]
    others = [c for c in field["contexts"].values() if c["id"] != context["id"]]
    if not left and any(not c["projectIds"] for c in others):
        raise ApiError(
            400, "Removing these projects would leave the custom field two global contexts."
        )
    context["projectIds"] = left
    return Response(204)


@jira_route(ROUTES, "PUT", "/field/{fieldId}/context/{contextId}/issuetype")
def add_issue_types(ctx: Context, req: Request) -> Response:
    _, context = find_context(ctx, req)
    ids = _ids(req.json_object(), "issueTypeIds")
    _known_types(ctx, ids)
    _frozen_global(ctx, context, "get issue types")
    present = [i for i in ids if i in context["issueTypeIds"]]
    if present:
        # The spec's example of the 400.
        raise ApiError(
            400,
            f"These issue types are already associated with the context: {', '.join(present)}.",
        )
    context["issueTypeIds"].extend(ids)
    return Response(204)


@jira_route(ROUTES, "POST", "/field/{fieldId}/context/{contextId}/issuetype/remove")
def remove_issue_types(ctx: Context, req: Request) -> Response:
    _, context = find_context(ctx, req)
    ids = _ids(req.json_object(), "issueTypeIds")
    _known_types(ctx, ids)
    missing = [i for i in ids if i not in context["issueTypeIds"]]
    if missing:
        # The spec's example of the 400.
        raise ApiError(
            400, f"These issue types are not associated with the context: {', '.join(missing)}."
        )
    context["issueTypeIds"] = [t for t in context["issueTypeIds"] if t not in ids]
    return Response(204)


@jira_route(ROUTES, "GET", "/field/{fieldId}/context/projectmapping")
def project_mappings(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    wanted = set(req.args("contextId"))
    values: list[dict[str, Any]] = []
    for context in sorted(field["contexts"].values(), key=lambda c: int(c["id"])):
        if wanted and context["id"] not in wanted:
            continue
        if not context["projectIds"]:
            values.append({"contextId": context["id"], "isGlobalContext": True})
        values += [{"contextId": context["id"], "projectId": p} for p in context["projectIds"]]
    return Response(200, page_bean(req, values, ctx.base_url))


@jira_route(ROUTES, "GET", "/field/{fieldId}/context/issuetypemapping")
def issue_type_mappings(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    wanted = set(req.args("contextId"))
    values: list[dict[str, Any]] = []
    # "Mappings are ordered first by context ID and then by issue type ID."
    for context in sorted(field["contexts"].values(), key=lambda c: int(c["id"])):
        if wanted and context["id"] not in wanted:
            continue
        if not context["issueTypeIds"]:
            values.append({"contextId": context["id"], "isAnyIssueType": True})
        values += [
            {"contextId": context["id"], "issueTypeId": t}
            for t in sorted(context["issueTypeIds"], key=int)
        ]
    return Response(200, page_bean(req, values, ctx.base_url))
