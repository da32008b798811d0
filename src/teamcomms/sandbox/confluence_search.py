"""Confluence v1 CQL search (``/wiki/rest/api/content/search``) over the sandbox's CQL subset."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox import query_language
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_v1 import V1, content_json, expand_of
from teamcomms.sandbox.confluence_v2 import ancestors
from teamcomms.sandbox.pagination import v1_page

CQL_FIELDS = {"space", "type", "label", "title", "id", "parent", "ancestor"}

ROUTES = RouteTable()


def _page_values(ctx: Context, page: dict[str, Any], field: str) -> set[str]:
    if field == "space":
        return {ctx.state.table("spaces")[page["spaceId"]]["key"]}
    if field == "type":
        return {"page"}
    if field == "label":
        return {lb["name"] for lb in page["labels"]}
    if field == "title":
        return {page["title"]}
    if field == "id":
        return {page["id"]}
    if field == "parent":
        return {page["parentId"]} if page["parentId"] else set()
    return {a["id"] for a in ancestors(ctx, page)}


@ROUTES.get(V1 + "/content/search")
def cql_search(ctx: Context, req: Request) -> Response:
    cql = req.arg("cql")
    if not cql:
        raise ApiError(400, "The cql parameter is required")
    query = query_language.parse(cql, "CQL", CQL_FIELDS)
    pages = [
        p
        for p in sorted(ctx.state.table("pages").values(), key=lambda p: int(p["id"]))
        if p["status"] == "current"
        and all(query_language.holds(c, _page_values(ctx, p, c.field)) for c in query.clauses)
    ]
    if query.order_by == "title":
        pages.sort(key=lambda p: p["title"], reverse=query.descending)
    elif query.descending:
        pages.reverse()
    expand = expand_of(req)
    if "no-properties" in ctx.chosen_faults:  # the fault: Cloud dropping this expansion
        expand = {e for e in expand if not e.startswith("metadata.properties")}
    found = [content_json(ctx, p, expand) for p in pages]
    return Response(200, v1_page(req, found, ctx.base_url, max_limit=250, cursor=True))
