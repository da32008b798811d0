"""Jira lists beside issues: priorities, resolutions, project components, the (deprecated but
served) plain project list, and the current user's favourite filters."""

from __future__ import annotations

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_filters import filter_json
from teamcomms.sandbox.jira_issue_json import component_json, priority_json, resolution_json
from teamcomms.sandbox.jira_platform import find_project, jira_route, project_json

ROUTES = RouteTable()


@jira_route(ROUTES, "GET", "/priority")
def list_priorities(ctx: Context, req: Request) -> Response:
    priorities = sorted(ctx.state.table("priorities").values(), key=lambda p: p["position"])
    return Response(200, [priority_json(ctx, p["id"]) for p in priorities])


@jira_route(ROUTES, "GET", "/resolution")
def list_resolutions(ctx: Context, req: Request) -> Response:
    return Response(200, [resolution_json(ctx, r) for r in ctx.state.table("resolutions")])


@jira_route(ROUTES, "POST", "/component")
def create_component(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    project = find_project(ctx, str(data.get("project") or data.get("projectId") or ""))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiError(400, "", errors={"name": "The component name must be 1 to 255 characters."})
    components = ctx.state.table("components")
    if any(
        c["projectId"] == project["id"] and c["name"].lower() == name.lower()
        for c in components.values()
    ):
        raise ApiError(
            400,
            "",
            errors={"name": f"A component with the name {name} already exists in this project."},
        )
    component = {
        "id": ctx.state.new_id(),
        "name": name,
        "description": data.get("description", ""),
        "projectId": project["id"],
    }
    components[component["id"]] = component
    return Response(201, component_json(ctx, component))


@jira_route(ROUTES, "GET", "/project/{projectIdOrKey}/components")
def project_components(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    found = [c for c in ctx.state.table("components").values() if c["projectId"] == project["id"]]
    return Response(200, [component_json(ctx, c) for c in found])


@jira_route(ROUTES, "GET", "/project")
def list_projects(ctx: Context, req: Request) -> Response:
    projects = sorted(ctx.state.table("projects").values(), key=lambda p: p["key"])
    expand = set(req.args("expand"))
    return Response(200, [project_json(ctx, p, expand) for p in projects])


@jira_route(ROUTES, "GET", "/filter/favourite")
def favourite_filters(ctx: Context, req: Request) -> Response:
    filters = sorted(ctx.state.table("filters").values(), key=lambda f: int(f["id"]))
    return Response(200, [filter_json(ctx, f) for f in filters if f["favourite"]])
