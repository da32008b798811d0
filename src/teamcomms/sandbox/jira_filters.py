"""Jira filters: create, read, update, delete, favourite, and search, with the share permissions
answered in full (the project or group, not only its id) as Jira answers them."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project, jira_route, project_json, user_json
from teamcomms.sandbox.pagination import page_bean
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()


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
        # A share with a project role is answered as type "project" with its role: the spec's
        # `projectRole` type "is not returned in responses".
        role = ctx.state.table("roles").get(str(share.get("roleId")))
        if role is not None:
            answer["role"] = {
                "self": f"{ctx.base_url}{API}/role/{role['id']}",
                "id": int(role["id"]),
                "name": role["name"],
                "description": role["description"],
            }
    if share.get("type") == "user":
        user = ctx.state.table("users").get(str(share.get("accountId")))
        if user is not None:
            answer["user"] = user_json(ctx, user)
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
        if kind in ("project", "projectRole"):
            project_id = (item.get("project") or {}).get("id") or item.get("projectId")
            project = find_project(ctx, str(project_id), status=400)
            share.update(type="project", projectId=project["id"])
            role_id = (item.get("role") or {}).get("id") or item.get("projectRoleId")
            if role_id is not None or kind == "projectRole":
                role = ctx.state.table("roles").get(str(role_id))
                if role is None:
                    raise ApiError(400, f"Project role with id '{role_id}' does not exist.")
                share["roleId"] = role["id"]
        elif kind == "user":
            account_id = (item.get("user") or {}).get("accountId")
            if str(account_id) not in ctx.state.table("users"):
                raise ApiError(400, f"User with account id '{account_id}' does not exist.")
            share["accountId"] = str(account_id)
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


# What filter search may expand (the operation's ``expand`` description), in Jira's order.
SEARCH_EXPANSIONS = (
    "description", "owner", "jql", "searchUrl", "viewUrl", "favourite", "favouritedCount",
    "sharePermissions", "editPermissions", "isWritable", "approximateLastUsed", "subscriptions",
)  # fmt: skip


def _search_json(ctx: Context, stored: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A ``FilterDetails`` as search answers it: ``id``, ``name`` and ``self`` (and the list of
    what may be expanded), plus what ``expand`` asks for."""
    full = filter_json(ctx, stored)
    answer = {k: full[k] for k in ("self", "id", "name")}
    answer["expand"] = ",".join(SEARCH_EXPANSIONS)
    extra: dict[str, Any] = {
        "favouritedCount": 1 if stored["favourite"] else 0,
        "subscriptions": [],
        "approximateLastUsed": None,
    }
    for key in SEARCH_EXPANSIONS:
        if key in expand and key in full:
            answer[key] = full[key]
        elif key in expand and key in extra:
            answer[key] = extra[key]
    return answer


@jira_route(ROUTES, "GET", "/filter/search")
def search_filters(ctx: Context, req: Request) -> Response:
    name = (req.arg("filterName") or "").lower()
    expand = set(req.args("expand"))
    unknown = sorted(expand - set(SEARCH_EXPANSIONS))
    if unknown:  # "400 ... expand includes an invalid value"
        raise ApiError(400, f"Invalid expand value: {', '.join(unknown)}")
    ids = set(req.args("id"))
    project = req.arg("projectId")
    group = req.arg("groupId")
    found = [
        _search_json(ctx, f, expand)
        for f in sorted(ctx.state.table("filters").values(), key=lambda f: int(f["id"]))
        if name in f["name"].lower()
        and (not ids or f["id"] in ids)
        and (project is None or any(s.get("projectId") == project for s in f["sharePermissions"]))
        and (group is None or any(s.get("groupId") == group for s in f["sharePermissions"]))
    ]
    return Response(200, page_bean(req, found, ctx.base_url))
