"""Confluence Cloud REST v2 spaces (``/wiki/api/v2/spaces``): find a space by key or id, and what
the signed-in user may do in it."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.pagination import v2_page

ROUTES = RouteTable()
V2 = "/wiki/api/v2"

# What Cloud lists for a space administrator (the sandbox user administers every space).
# ``("create", "page")`` is what publishing pages needs; ``("administer", "space")`` is what
# publishing content templates needs.
SPACE_ADMIN_OPERATIONS = (
    ("administer", "space"),
    ("archive", "page"),
    ("create", "attachment"),
    ("create", "blogpost"),
    ("create", "comment"),
    ("create", "page"),
    ("delete", "attachment"),
    ("delete", "blogpost"),
    ("delete", "comment"),
    ("delete", "page"),
    ("delete", "space"),
    ("export", "space"),
    ("read", "space"),
    ("restrict_content", "space"),
    ("update", "space"),
)


def space_json(ctx: Context, space: dict[str, Any]) -> dict[str, Any]:
    """A space as v2 answers it."""
    return {**space, "_links": {"webui": f"/spaces/{space['key']}"}}


def find_space(ctx: Context, space_id: str) -> dict[str, Any]:
    """The space with this numeric id, or 404 as Confluence answers."""
    space: dict[str, Any] | None = ctx.state.table("spaces").get(space_id)
    if space is None:
        raise ApiError(404, f"Space {space_id} does not exist or you cannot see it")
    return space


@ROUTES.get(V2 + "/spaces")
def list_spaces(ctx: Context, req: Request) -> Response:
    keys, ids = set(req.args("keys")), set(req.args("ids"))
    spaces = sorted(ctx.state.table("spaces").values(), key=lambda s: int(s["id"]))
    chosen = [
        space_json(ctx, s)
        for s in spaces
        if (not keys or s["key"] in keys) and (not ids or s["id"] in ids)
    ]
    return v2_page(req, chosen, ctx.base_url)


@ROUTES.get(V2 + "/spaces/{id}")
def get_space(ctx: Context, req: Request) -> Response:
    space = find_space(ctx, req.params["id"])
    return Response(200, {**space_json(ctx, space), "_links": {"base": f"{ctx.base_url}/wiki"}})


@ROUTES.get(V2 + "/spaces/{id}/operations")
def space_operations(ctx: Context, req: Request) -> Response:
    find_space(ctx, req.params["id"])
    operations = [{"operation": op, "targetType": target} for op, target in SPACE_ADMIN_OPERATIONS]
    return Response(200, {"operations": operations})
