"""Jira search: ``search/jql`` with ``nextPageToken`` paging, ``search/approximate-count``, and the
removed ``/search`` (410, as on Cloud). Search is eventually consistent when the faults say so
(``reconcileIssues`` sees new issues at once, as on Cloud). The JQL is parsed by
:mod:`teamcomms.sandbox.jql` and run by :mod:`teamcomms.sandbox.jql_search`."""

from __future__ import annotations

import base64
import json
from typing import Any

from teamcomms.sandbox import jql, jql_search
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_issue_json import issue_json
from teamcomms.sandbox.jira_platform import jira_route

ROUTES = RouteTable()
UNBOUNDED = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)
# Cloud's answer to the removed search API (CHANGE-2046), as clients have reported it.
SEARCH_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)


def parse_jql(ctx: Context, text: str, *, allow_unbounded: bool = False) -> jql.Query:
    """Parse and check a query (every field, operator, value and function); an empty query is
    unbounded, which search refuses and filters accept."""
    query = jql.parse(text)
    if query.where is None and not allow_unbounded:
        raise ApiError(400, UNBOUNDED)
    jql_search.search(ctx, query, [])
    return query


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token))["offset"])
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "The provided next page token is invalid or expired.") from None


def found_issues(ctx: Context, text: str, reconcile: list[Any]) -> list[dict[str, Any]]:
    """The issues ``text`` finds, less those search does not see yet (the search-lag faults)."""
    query = parse_jql(ctx, text)
    hidden = ctx.faults.searched(ctx.state.clock()) - {str(i) for i in reconcile}
    issues = sorted(ctx.state.table("issues").values(), key=lambda i: int(i["id"]))
    return jql_search.search(ctx, query, [i for i in issues if i["id"] not in hidden])


def _expansions(raw: Any) -> set[str]:
    if isinstance(raw, list):
        return {str(e) for e in raw}
    return {part for part in str(raw or "").split(",") if part}


def _search(ctx: Context, req: Request, params: dict[str, Any]) -> Response:
    issues = found_issues(ctx, str(params.get("jql") or ""), params.get("reconcileIssues") or [])
    size = int(params.get("maxResults") or 50)
    offset = _decode_token(params.get("nextPageToken"))
    fields = params.get("fields") or ["id"]
    expand = _expansions(params.get("expand"))
    chunk = issues[offset : offset + size]
    answer: dict[str, Any] = {
        "issues": [
            issue_json(ctx, i, list(fields), params.get("properties") or [], expand) for i in chunk
        ],
        "isLast": offset + size >= len(issues),
    }
    if not answer["isLast"]:
        answer["nextPageToken"] = _encode_token(offset + size)
    return Response(200, answer)


@jira_route(ROUTES, "GET", "/search/jql")
def search_get(ctx: Context, req: Request) -> Response:
    params: dict[str, Any] = {
        "jql": req.arg("jql"),
        "nextPageToken": req.arg("nextPageToken"),
        "maxResults": req.int_arg("maxResults", 50, 5000),
        "fields": req.args("fields"),
        "expand": req.arg("expand"),
        "properties": req.args("properties"),
        "reconcileIssues": req.args("reconcileIssues"),
    }
    return _search(ctx, req, params)


@jira_route(ROUTES, "POST", "/search/jql")
def search_post(ctx: Context, req: Request) -> Response:
    return _search(ctx, req, req.json_object())


@jira_route(ROUTES, "POST", "/search/approximate-count")
def approximate_count(ctx: Context, req: Request) -> Response:
    jql_text = str(req.json_object().get("jql") or "")
    return Response(200, {"count": len(found_issues(ctx, jql_text, []))})


@jira_route(ROUTES, "GET", "/search")
def removed_search_get(ctx: Context, req: Request) -> Response:
    raise ApiError(410, SEARCH_REMOVED)


@jira_route(ROUTES, "POST", "/search")
def removed_search_post(ctx: Context, req: Request) -> Response:
    raise ApiError(410, SEARCH_REMOVED)
