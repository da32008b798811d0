"""Jira statuses (v3 only, as on Cloud): create, update, read by id and search."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.pagination import page_bean

CATEGORIES = ("TODO", "IN_PROGRESS", "DONE")

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


def new_status(ctx: Context, spec: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
    """Create a status from a request's status spec (unique name per scope)."""
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiError(
            400, "", errors={"name": "A status name is required (at most 255 characters)."}
        )
    if spec.get("statusCategory") not in CATEGORIES:
        raise ApiError(
            400, "", errors={"statusCategory": "statusCategory must be TODO, IN_PROGRESS or DONE."}
        )
    if any(
        s["name"].lower() == name.lower() and s.get("scope", {"type": "GLOBAL"}) == scope
        for s in ctx.state.table("statuses").values()
    ):
        raise ApiError(400, f"A status with the name '{name}' already exists in this scope.")
    status = {
        "id": ctx.state.new_id(),
        "name": name,
        "statusCategory": spec["statusCategory"],
        "description": spec.get("description", ""),
        "scope": scope,
    }
    ctx.state.table("statuses")[status["id"]] = status
    return status


@ROUTES.post(API + "/statuses")
def create_statuses(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    scope = status_scope(ctx, data.get("scope"))
    created = [new_status(ctx, spec, scope) for spec in data.get("statuses") or []]
    return Response(200, [jira_status(ctx, s) for s in created])


@ROUTES.put(API + "/statuses")
def update_statuses(ctx: Context, req: Request) -> Response:
    for spec in req.json_object().get("statuses") or []:
        status = ctx.state.table("statuses").get(str(spec.get("id")))
        if status is None:
            raise ApiError(404, f"The status with ID {spec.get('id')} was not found.")
        if spec.get("statusCategory") not in CATEGORIES:
            raise ApiError(
                400,
                "",
                errors={"statusCategory": "statusCategory must be TODO, IN_PROGRESS or DONE."},
            )
        status.update(
            name=spec["name"],
            statusCategory=spec["statusCategory"],
            description=spec.get("description", ""),
        )
    return Response(204)


@ROUTES.get(API + "/statuses")
def get_statuses(ctx: Context, req: Request) -> Response:
    statuses = ctx.state.table("statuses")
    return Response(200, [jira_status(ctx, statuses[i]) for i in req.args("id") if i in statuses])


@ROUTES.get(API + "/statuses/search")
def search_statuses(ctx: Context, req: Request) -> Response:
    text = (req.arg("searchString") or "").lower()
    project = req.arg("projectId")
    category = req.arg("statusCategory")
    found = [
        jira_status(ctx, s)
        for s in ctx.state.table("statuses").values()
        if text in s["name"].lower()
        and (category is None or s["statusCategory"] == category)
        and (
            project is None
            or s.get("scope", {}).get("type", "GLOBAL") == "GLOBAL"
            or s["scope"]["project"]["id"] == project
        )
    ]
    return Response(200, page_bean(req, found, ctx.base_url, default_max=200, maximum=200))
