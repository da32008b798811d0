"""Board entity properties (``/rest/agile/1.0/board/{boardId}/properties``) and the board's quick
filters (read-only: Jira has no API to create them, and the sandbox seeds none)."""

from __future__ import annotations

import json
from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_agile import AGILE, agile_page, find_board

ROUTES = RouteTable()
PROPERTY_LIMIT = 32768
KEY_LIMIT = 255


def _board(ctx: Context, req: Request) -> dict[str, Any]:
    raw = req.params["boardId"]
    if not raw.isdigit():
        # "400 Returned if the boardId is invalid (negative or not a number)."
        raise ApiError(400, f"The board id '{raw}' is not valid.")
    return find_board(ctx, raw)


@ROUTES.get(AGILE + "/board/{boardId}/properties")
def property_keys(ctx: Context, req: Request) -> Response:
    board = _board(ctx, req)
    base = f"{ctx.base_url}{AGILE}/board/{board['id']}/properties"
    keys = [{"key": k, "self": f"{base}/{k}"} for k in sorted(board.get("properties", {}))]
    return Response(200, {"keys": keys})


@ROUTES.get(AGILE + "/board/{boardId}/properties/{propertyKey}")
def get_property(ctx: Context, req: Request) -> Response:
    board = _board(ctx, req)
    key = req.params["propertyKey"]
    properties = board.get("properties", {})
    if key not in properties:
        raise ApiError(404, f"The property with key '{key}' does not exist.")
    return Response(200, {"key": key, "value": properties[key]})


@ROUTES.put(AGILE + "/board/{boardId}/properties/{propertyKey}")
def set_property(ctx: Context, req: Request) -> Response:
    board = _board(ctx, req)
    key = req.params["propertyKey"]
    if len(key.encode()) > KEY_LIMIT:
        raise ApiError(400, f"The property key must be at most {KEY_LIMIT} bytes.")
    if len(req.body) > PROPERTY_LIMIT:
        raise ApiError(400, f"The property value must be at most {PROPERTY_LIMIT} bytes.")
    try:
        value = json.loads(req.body) if req.body.strip() else None
    except ValueError:
        value = None
    if value is None:
        # "The value has to be a valid, non-empty JSON value."
        raise ApiError(400, "The property value must be a valid, non-empty JSON value.")
    properties = board.setdefault("properties", {})  # boards from before properties have none
    existed = key in properties
    properties[key] = value
    return Response(200 if existed else 201)


@ROUTES.delete(AGILE + "/board/{boardId}/properties/{propertyKey}")
def delete_property(ctx: Context, req: Request) -> Response:
    board = _board(ctx, req)
    if board.get("properties", {}).pop(req.params["propertyKey"], None) is None:
        raise ApiError(404, f"The property with key '{req.params['propertyKey']}' does not exist.")
    return Response(204)


@ROUTES.get(AGILE + "/board/{boardId}/quickfilter")
def quick_filters(ctx: Context, req: Request) -> Response:
    board = _board(ctx, req)
    return Response(200, agile_page(req, list(board.get("quickFilters", []))))
