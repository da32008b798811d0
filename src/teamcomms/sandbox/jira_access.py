"""Jira groups and project roles: ``GET /rest/api/3/group/bulk``, ``GET /rest/api/3/role``, and
who belongs to which (seed data, see :mod:`teamcomms.sandbox.seed`), which workflow conditions
restricting a transition to groups or roles are judged by."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, jira_route
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()


def groups_of(ctx: Context, account_id: str) -> set[str]:
    """The ids of the groups a user is a member of."""
    return {
        g["groupId"]
        for g in ctx.state.table("groups").values()
        if account_id in g.get("members", [])
    }


def roles_in(ctx: Context, account_id: str, project_id: str) -> set[str]:
    """The ids of the roles a user acts in for a project, directly or through a group."""
    project = ctx.state.table("projects").get(project_id) or {}
    mine = groups_of(ctx, account_id)
    names = {ctx.state.table("groups")[g]["name"] for g in mine}
    return {
        role_id
        for role_id, actors in (project.get("roleActors") or {}).items()
        if account_id in actors.get("users", [])
        or names & set(actors.get("groups", []))
        or mine & set(actors.get("groups", []))
    }


@jira_route(ROUTES, "GET", "/group/bulk")
def bulk_groups(ctx: Context, req: Request) -> Response:
    ids = set(req.query.get("groupId", []))
    names = set(req.query.get("groupName", []))
    found = [
        {"groupId": g["groupId"], "name": g["name"]}
        for g in sorted(ctx.state.table("groups").values(), key=lambda g: g["name"].lower())
        if (not ids and not names) or g["groupId"] in ids or g["name"] in names
    ]
    return Response(200, page_bean(req, found, ctx.base_url, maximum=1000))


def _actor_json(ctx: Context, kind: str, ref: str, number: int) -> dict[str, Any]:
    if kind == "group":
        group = next(
            (g for g in ctx.state.table("groups").values() if ref in (g["name"], g["groupId"])),
            {"name": ref, "groupId": ref},
        )
        return {
            "id": number,
            "displayName": group["name"],
            "name": group["name"],
            "type": "atlassian-group-role-actor",
            "actorGroup": {
                "name": group["name"],
                "displayName": group["name"],
                "groupId": group["groupId"],
            },
        }
    user = ctx.state.table("users").get(ref, {"displayName": ref})
    return {
        "id": number,
        "displayName": user["displayName"],
        "type": "atlassian-user-role-actor",
        "actorUser": {"accountId": ref},
    }


@jira_route(ROUTES, "GET", "/role")
def list_roles(ctx: Context, req: Request) -> Response:
    # Project roles are global on Cloud; the actors of GET /role are the roles' default actors,
    # which new projects start with. The sandbox's new projects start with their lead as an
    # Administrator (seed.default_role_actors); the role itself has no default actors.
    roles = sorted(ctx.state.table("roles").values(), key=lambda r: int(r["id"]))
    answer = [
        {
            "self": f"{ctx.base_url}{API}/role/{r['id']}",
            "id": int(r["id"]),
            "name": r["name"],
            "description": r["description"],
            "actors": [
                _actor_json(ctx, kind, ref, number)
                for number, (kind, ref) in enumerate(r.get("defaultActors", []), start=1)
            ],
        }
        for r in roles
    ]
    return Response(200, answer)
