"""Jira Cloud platform REST (``/rest/api/3``, and the same under ``/rest/api/2`` where pycontribs
``jira`` calls it): server info, the current user, users, projects, issue types, filters and issue
link types, plus the helpers the other Jira modules share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import ApiError, Context, Handler, Request, Response, RouteTable
from teamcomms.sandbox.pagination import page_bean
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

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
    project_id = ctx.state.new_id()
    ctx.state.table("projects")[project_id] = {
        "id": project_id,
        "key": key,
        "name": name,
        "projectTypeKey": data.get("projectTypeKey", "software"),
        "style": "classic",
        "leadAccountId": data.get("leadAccountId", SANDBOX_ACCOUNT_ID),
        "issueTypeIds": list(ctx.state.table("issuetypes")),
        "workflowSchemeId": str(data.get("workflowScheme", "10300")),
        "issueCounter": 0,
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


# ---- filters ----------------------------------------------------------------------------------
def filter_json(
    ctx: Context, stored: dict[str, Any], expand: set[str] | None = None
) -> dict[str, Any]:
    """A Jira ``Filter``."""
    answer = {
        "self": f"{ctx.base_url}{API}/filter/{stored['id']}",
        "id": stored["id"],
        "name": stored["name"],
        "description": stored["description"],
        "owner": user_json(ctx, ctx.state.table("users")[SANDBOX_ACCOUNT_ID]),
        "jql": stored["jql"],
        "favourite": stored["favourite"],
        "sharePermissions": [_share_json(ctx, share) for share in stored["sharePermissions"]],
        "editPermissions": [_share_json(ctx, share) for share in stored["editPermissions"]],
        "viewUrl": f"{ctx.base_url}/issues/?filter={stored['id']}",
        "searchUrl": f"{ctx.base_url}{API}/search/jql?jql={stored['jql']}",
    }
    if expand is not None and "jql" not in expand:
        del answer["jql"]
    return answer


def _share_json(ctx: Context, share: dict[str, Any]) -> dict[str, Any]:
    """A ``SharePermission`` as Jira answers it: the project or group in full (requests name
    them by id or name only)."""
    # State files written before shares were checked hold the request's share as it came.
    answer: dict[str, Any] = {"id": int(share.get("id") or 0), "type": share.get("type")}
    project_id = share.get("projectId") or (share.get("project") or {}).get("id")
    project = ctx.state.table("projects").get(str(project_id))
    if share.get("type") == "project" and project is not None:
        answer["project"] = project_json(ctx, project, set())
    if share.get("type") == "group":
        group = share.get("group")
        name = group.get("name") if isinstance(group, dict) else group
        answer["group"] = {"name": name, "groupId": share.get("groupId") or name}
    return answer


def _shares(ctx: Context, raw: Any, what: str) -> list[dict[str, Any]]:
    """The share permissions of a filter request, checked as Jira checks them."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ApiError(400, "", errors={what: f"{what} must be a list."})
    shares = []
    for item in raw:
        kind = item.get("type") if isinstance(item, dict) else None
        share: dict[str, Any] = {"id": ctx.state.new_id(), "type": kind}
        if kind == "project":
            project = find_project(ctx, str((item.get("project") or {}).get("id")), status=400)
            share["projectId"] = project["id"]
        elif kind == "group":
            group = item.get("group") or {}
            found = next(
                (
                    g
                    for g in ctx.state.table("groups").values()
                    if g["name"] == group.get("name") or g["groupId"] == group.get("groupId")
                ),
                None,
            )
            if found is None:
                raise ApiError(400, f"Group '{group.get('name') or group.get('groupId')}' does "
                               "not exist.")  # fmt: skip
            share.update(group=found["name"], groupId=found["groupId"])
        elif kind not in ("global", "loggedin", "authenticated"):
            raise ApiError(400, f"The share permission type {kind!r} is not supported.")
        shares.append(share)
    return shares


def _filter_fields(
    ctx: Context, data: dict[str, Any], except_id: str | None = None
) -> dict[str, Any]:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "", errors={"filterName": "You must specify a name for this filter."})
    if any(f["name"] == name and f["id"] != except_id for f in ctx.state.table("filters").values()):
        raise ApiError(
            400, "", errors={"filterName": f"Filter with same name already exists: {name}"}
        )
    from teamcomms.sandbox.jira_search import parse_jql

    parse_jql(ctx, str(data.get("jql", "")), allow_unbounded=True)
    return {
        "name": name,
        "description": data.get("description", ""),
        "jql": data.get("jql", ""),
        "favourite": bool(data.get("favourite", False)),
        "sharePermissions": _shares(ctx, data.get("sharePermissions"), "sharePermissions"),
        "editPermissions": _shares(ctx, data.get("editPermissions"), "editPermissions"),
    }


@jira_route(ROUTES, "POST", "/filter")
def create_filter(ctx: Context, req: Request) -> Response:
    stored = {"id": ctx.state.new_id(), **_filter_fields(ctx, req.json_object())}
    ctx.state.table("filters")[stored["id"]] = stored
    return Response(200, filter_json(ctx, stored))


def find_filter(ctx: Context, filter_id: str) -> dict[str, Any]:
    """The filter, or 400 as Jira answers for a missing filter id."""
    stored: dict[str, Any] | None = ctx.state.table("filters").get(str(filter_id))
    if stored is None:
        raise ApiError(
            400,
            "The selected filter is not available to you, perhaps it has been deleted or had its "
            f"permissions changed. ({filter_id})",
        )
    return stored


@jira_route(ROUTES, "GET", "/filter/{id}")
def get_filter(ctx: Context, req: Request) -> Response:
    return Response(200, filter_json(ctx, find_filter(ctx, req.params["id"])))


@jira_route(ROUTES, "PUT", "/filter/{id}")
def update_filter(ctx: Context, req: Request) -> Response:
    stored = find_filter(ctx, req.params["id"])
    stored.update(_filter_fields(ctx, req.json_object(), except_id=stored["id"]))
    return Response(200, filter_json(ctx, stored))


@jira_route(ROUTES, "DELETE", "/filter/{id}")
def delete_filter(ctx: Context, req: Request) -> Response:
    stored = find_filter(ctx, req.params["id"])
    for board in ctx.state.table("boards").values():
        if board["filterId"] == stored["id"]:
            # Jira refuses to delete a filter a board uses (the board would have no issues).
            raise ApiError(400, f"The filter is used by board {board['id']} and cannot be deleted.")
    del ctx.state.table("filters")[stored["id"]]
    return Response(204)


@jira_route(ROUTES, "PUT", "/filter/{id}/favourite")
def favourite_filter(ctx: Context, req: Request) -> Response:
    stored = find_filter(ctx, req.params["id"])
    stored["favourite"] = True
    return Response(200, filter_json(ctx, stored))


@jira_route(ROUTES, "DELETE", "/filter/{id}/favourite")
def unfavourite_filter(ctx: Context, req: Request) -> Response:
    stored = find_filter(ctx, req.params["id"])
    stored["favourite"] = False
    return Response(200, filter_json(ctx, stored))


@jira_route(ROUTES, "GET", "/filter/search")
def search_filters(ctx: Context, req: Request) -> Response:
    name = (req.arg("filterName") or "").lower()
    expand = set(req.args("expand"))
    found = [
        filter_json(ctx, f, expand)
        for f in sorted(ctx.state.table("filters").values(), key=lambda f: int(f["id"]))
        if name in f["name"].lower()
    ]
    return Response(200, page_bean(req, found, ctx.base_url))


@jira_route(ROUTES, "GET", "/issueLinkType")
def link_types(ctx: Context, req: Request) -> Response:
    types = [
        {**t, "self": f"{ctx.base_url}{API}/issueLinkType/{t['id']}"}
        for t in ctx.state.table("linktypes").values()
    ]
    return Response(200, {"issueLinkTypes": types})
