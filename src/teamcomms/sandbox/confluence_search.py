"""Confluence v1 CQL search (``/wiki/rest/api/content/search``, ``/rest/api/content/search`` on Data
Center) over the sandbox's CQL subset."""

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
    expand = without_dropped_expansions(ctx, expand_of(req))
    found = [content_json(ctx, p, expand) for p in pages]
    if ctx.datacenter:
        answer = v1_page(req, found, ctx.base_url, max_limit=datacenter_limit(expand), context="")
    else:
        answer = v1_page(req, found, ctx.base_url, max_limit=250, cursor=True)
    return Response(200, answer)


def without_dropped_expansions(ctx: Context, expand: set[str]) -> set[str]:
    """``expand`` less ``metadata.properties`` under the ``no-properties`` fault (a site that no
    longer honours that expansion, as Cloud may once it is gone)."""
    if "no-properties" in ctx.chosen_faults:
        return {e for e in expand if not e.startswith("metadata.properties")}
    return expand


def datacenter_limit(expand: set[str]) -> int:
    """The most results one Data Center answer holds: 50 with bodies expanded, 200 with other
    expansions, 1000 without (Atlassian KB "Searching for content with the REST API and CQL
    always limits results to 50"; its pagination guide says content listings cap by expansion
    too). Data Center pages by ``start``, not by cursor."""
    if any(e == "body" or e.startswith("body.") for e in expand):
        return 50
    return 200 if expand else 1000
