"""Confluence v2 page properties (``/pages/{page-id}/properties``), versioned like pages."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_v2 import V2, find_page
from teamcomms.sandbox.pagination import v2_page
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()


@ROUTES.get(V2 + "/pages/{page-id}/properties")
def list_properties(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["page-id"])
    key = req.arg("key")
    props = [p for p in page["properties"].values() if key is None or p["key"] == key]
    return v2_page(req, props, ctx.base_url, default_limit=10)


@ROUTES.post(V2 + "/pages/{page-id}/properties")
def create_property(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["page-id"])
    data = req.json_object()
    key = data.get("key")
    if not isinstance(key, str) or not key:
        raise ApiError(400, "A property needs a key")
    if any(p["key"] == key for p in page["properties"].values()):
        raise ApiError(400, f"A property with key '{key}' already exists on page {page['id']}")
    prop = {
        "id": ctx.state.new_id(),
        "key": key,
        "value": data.get("value"),
        "version": _prop_version(ctx, 1, ""),
    }
    page["properties"][prop["id"]] = prop
    return Response(200, prop)


def _prop_version(ctx: Context, number: int, message: str) -> dict[str, Any]:
    return {
        "number": number,
        "message": message,
        "createdAt": ctx.state.now(),
        "authorId": SANDBOX_ACCOUNT_ID,
        "minorEdit": False,
    }


def _find_property(ctx: Context, req: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    page = find_page(ctx, req.params["page-id"])
    prop = page["properties"].get(req.params["property-id"])
    if prop is None:
        raise ApiError(
            404, f"Property {req.params['property-id']} does not exist on page {page['id']}"
        )
    return page, prop


@ROUTES.get(V2 + "/pages/{page-id}/properties/{property-id}")
def get_property(ctx: Context, req: Request) -> Response:
    return Response(200, _find_property(ctx, req)[1])


@ROUTES.put(V2 + "/pages/{page-id}/properties/{property-id}")
def update_property(ctx: Context, req: Request) -> Response:
    _, prop = _find_property(ctx, req)
    data = req.json_object()
    version = data.get("version") or {}
    current = prop["version"]["number"]
    if version.get("number") != current + 1:
        raise ApiError(409, f"Version must be incremented on update. Current version is: {current}")
    if data.get("key", prop["key"]) != prop["key"]:
        raise ApiError(400, "The key of a property cannot be changed")
    prop["value"] = data.get("value")
    prop["version"] = _prop_version(ctx, current + 1, str(version.get("message", "")))
    return Response(200, prop)


@ROUTES.delete(V2 + "/pages/{page-id}/properties/{property-id}")
def delete_property(ctx: Context, req: Request) -> Response:
    page, prop = _find_property(ctx, req)
    del page["properties"][prop["id"]]
    return Response(204)
