"""Jira Cloud platform REST (``/rest/api/3``, and the same under ``/rest/api/2`` where pycontribs
``jira`` calls it): server info, the current user, users, projects, issue types and issue link
types, plus the helpers the other Jira modules share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import ApiError, Context, Handler, Request, Response, RouteTable
from teamcomms.sandbox.pagination import page_bean
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID, default_role_actors

ROUTES = RouteTable()
API = "/rest/api/3"


def jira_route(
    table: RouteTable, method: str, path: str, *, v2: bool = True
) -> Callable[[Handler], Handler]:
    """Register a handler at ``/rest/api/3{path}`` and, with ``v2``, at ``/rest/api/2{path}``."""

    def register(handler: Handler) -> Handler:
        table.add(method, "/rest/api/3" + path)(handler)
        if v2:
            table.add(method, "/rest/api/2" + path)(handler)
        return handler

    return register


def is_v3(req: Request) -> bool:
    """Whether the request came in on API version 3 (ADF bodies) rather than 2 (plain text)."""
    return req.path.startswith("/rest/api/3")


def user_json(ctx: Context, user: dict[str, Any]) -> dict[str, Any]:
    """A Jira ``User`` (Data Center's: by name and key, without ``accountId``)."""
    if ctx.datacenter:
        return datacenter.jira_user_json(ctx, user)
    return {
        "self": f"{ctx.base_url}{API}/user?accountId={user['accountId']}",
        "accountId": user["accountId"],
        "accountType": user["accountType"],
        "emailAddress": user["emailAddress"],
        "displayName": user["displayName"],
        "active": user["active"],
        "timeZone": "UTC",
        "locale": "en_US",
    }


def issue_type_json(ctx: Context, issue_type: dict[str, Any]) -> dict[str, Any]:
    """A Jira ``IssueTypeDetails``."""
    return {
        "self": f"{ctx.base_url}{API}/issuetype/{issue_type['id']}",
        "id": issue_type["id"],
        "name": issue_type["name"],
        "description": issue_type["description"],
        "subtask": issue_type["hierarchyLevel"] < 0,
        "hierarchyLevel": issue_type["hierarchyLevel"],
        "iconUrl": f"{ctx.base_url}/images/icons/issuetypes/{issue_type['id']}.svg",
    }


def project_json(ctx: Context, project: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A Jira ``Project``; ``issueTypes`` only when expanded, as on Cloud."""
    answer: dict[str, Any] = {
        "self": f"{ctx.base_url}{API}/project/{project['id']}",
        "id": project["id"],
        "key": project["key"],
        "name": project["name"],
        "projectTypeKey": project["projectTypeKey"],
        "style": project["style"],
        "simplified": project["style"] == "next-gen",
        "isPrivate": False,
        "lead": user_json(ctx, ctx.state.table("users")[project["leadAccountId"]]),
    }
    if "issueTypes" in expand or "issuetypes" in expand:
        types = ctx.state.table("issuetypes")
        answer["issueTypes"] = [issue_type_json(ctx, types[t]) for t in project["issueTypeIds"]]
    return answer


def find_project(ctx: Context, key_or_id: str, status: int = 404) -> dict[str, Any]:
    """The project, or an error answer."""
    project = ctx.state.project_by_key(str(key_or_id))
    if project is None:
        raise ApiError(status, f"No project could be found with key or id '{key_or_id}'.")
    return project


def find_issue(ctx: Context, key_or_id: str) -> dict[str, Any]:
    """The issue, or 404 as Jira answers."""
    issue = ctx.state.issue_by_key(key_or_id)
    if issue is None:
        raise ApiError(404, "Issue does not exist or you do not have permission to see it.")
    return issue


@jira_route(ROUTES, "GET", "/serverInfo")
def server_info(ctx: Context, req: Request) -> Response:
    # Data Center says "Server" even under a Data Center licence (and pycontribs ``jira`` then
    # keeps its Cloud-only methods off).
    version = [11, 0, 1] if ctx.datacenter else [1001, 0, 0]
    return Response(
        200,
        {
            "baseUrl": ctx.base_url,
            "displayUrl": ctx.base_url,
            "version": ".".join(map(str, version)) + ("" if ctx.datacenter else "-SNAPSHOT"),
            "versionNumbers": version,
            "deploymentType": "Server" if ctx.datacenter else "Cloud",
            "buildNumber": 110001 if ctx.datacenter else 100283,
            "buildDate": "2026-11-01T00:00:00.000+0000",
            "serverTime": ctx.state.now().replace("Z", "+0000"),
            "scmInfo": "teamcomms-sandbox",
            "serverTitle": "teamcomms sandbox",
        },
    )


@jira_route(ROUTES, "GET", "/myself")
def myself(ctx: Context, req: Request) -> Response:
    return Response(200, user_json(ctx, ctx.state.table("users")[SANDBOX_ACCOUNT_ID]))


@jira_route(ROUTES, "GET", "/user/search")
def search_users(ctx: Context, req: Request) -> Response:
    query = (req.arg("query") or req.arg("accountId") or "").lower()
    if not query:
        raise ApiError(400, "One of 'query' or 'accountId' query parameters must be provided.")
    users = [
        user_json(ctx, u)
        for u in ctx.state.table("users").values()
        if query in (u["emailAddress"].lower(), u["accountId"].lower())
        or query in u["displayName"].lower()
    ]
    return Response(200, users)


@jira_route(ROUTES, "GET", "/user")
def get_user(ctx: Context, req: Request) -> Response:
    user = ctx.state.table("users").get(req.arg("accountId") or "")
    if user is None:
        raise ApiError(404, f"User with accountId '{req.arg('accountId')}' does not exist.")
    return Response(200, user_json(ctx, user))


@jira_route(ROUTES, "GET", "/project/{projectIdOrKey}")
def get_project(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    return Response(200, project_json(ctx, project, set(req.args("expand"))))


@jira_route(ROUTES, "GET", "/project/search")
def search_projects(ctx: Context, req: Request) -> Response:
    keys = set(req.args("keys"))
    projects = [
        project_json(ctx, p, set(req.args("expand")))
        for p in sorted(ctx.state.table("projects").values(), key=lambda p: p["key"])
        if not keys or p["key"] in keys
    ]
    return Response(200, page_bean(req, projects, ctx.base_url))


@jira_route(ROUTES, "POST", "/project")
def create_project(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    key, name = data.get("key", ""), data.get("name", "")
    errors = {}
    if not isinstance(key, str) or not key.isalnum() or not key[:1].isalpha() or not key.isupper():
        errors["projectKey"] = (
            "Project keys must start with an uppercase letter, followed by uppercase letters "
            "or digits."
        )
    elif ctx.state.project_by_key(key) is not None:
        errors["projectKey"] = f"Project '{key}' uses this project key."
    if not name:
        errors["projectName"] = "You must specify a valid project name."
    if errors:
        raise ApiError(400, "", errors=errors)
    scheme = ctx.state.table("workflowschemes").get(str(data.get("workflowScheme", "10300")))
    if scheme is None:
        raise ApiError(400, "", errors={"workflowScheme": "The workflow scheme was not found."})
    project_id = ctx.state.new_id()
    scheme["projectIds"].append(project_id)
    ctx.state.table("projects")[project_id] = {
        "id": project_id,
        "key": key,
        "name": name,
        "projectTypeKey": data.get("projectTypeKey", "software"),
        "style": "classic",
        "leadAccountId": data.get("leadAccountId", SANDBOX_ACCOUNT_ID),
        "issueTypeIds": list(ctx.state.table("issuetypes")),
        "workflowSchemeId": scheme["id"],
        "issueCounter": 0,
        "roleActors": default_role_actors(ctx.state, data.get("leadAccountId", SANDBOX_ACCOUNT_ID)),
    }
    self_url = f"{ctx.base_url}{API}/project/{project_id}"
    return Response(201, {"self": self_url, "id": int(project_id), "key": key})


@jira_route(ROUTES, "GET", "/issuetype")
def list_issue_types(ctx: Context, req: Request) -> Response:
    types = ctx.state.table("issuetypes").values()
    return Response(200, [issue_type_json(ctx, t) for t in types])


@jira_route(ROUTES, "GET", "/issuetype/project")
def project_issue_types(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.arg("projectId") or "")
    types = ctx.state.table("issuetypes")
    return Response(200, [issue_type_json(ctx, types[t]) for t in project["issueTypeIds"]])


@jira_route(ROUTES, "POST", "/issuetype")
def create_issue_type(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 60:
        raise ApiError(400, "", errors={"name": "The issue type name must be 1 to 60 characters."})
    if any(t["name"].lower() == name.lower() for t in ctx.state.table("issuetypes").values()):
        raise ApiError(409, f"An issue type with the name '{name}' already exists.")
    level = data.get("hierarchyLevel", 0)
    if level not in (-1, 0):
        raise ApiError(400, "", errors={"hierarchyLevel": "hierarchyLevel must be -1 or 0."})
    type_id = ctx.state.new_id()
    issue_type = {
        "id": type_id,
        "name": name,
        "description": data.get("description", ""),
        "hierarchyLevel": level,
    }
    ctx.state.table("issuetypes")[type_id] = issue_type
    return Response(201, issue_type_json(ctx, issue_type))


@jira_route(ROUTES, "GET", "/issueLinkType")
def link_types(ctx: Context, req: Request) -> Response:
    types = [
        {**t, "self": f"{ctx.base_url}{API}/issueLinkType/{t['id']}"}
        for t in ctx.state.table("linktypes").values()
    ]
    return Response(200, {"issueLinkTypes": types})
