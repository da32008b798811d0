"""Jira ``search/jql`` with ``nextPageToken`` over the sandbox's JQL subset, eventually consistent
when the faults say so (``reconcileIssues`` sees new issues at once, as on Cloud)."""

from __future__ import annotations

import base64
import json
from typing import Any

from teamcomms.sandbox import query_language
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_issues import issue_json
from teamcomms.sandbox.jira_platform import jira_route

JQL_FIELDS = {"project", "labels", "issuetype", "key", "issuekey", "parent", "status", "id"}

ROUTES = RouteTable()


def parse_jql(jql: str, *, allow_unbounded: bool = False) -> query_language.Query:
    """Parse the sandbox's JQL subset; an empty query is unbounded (refused by search/jql)."""
    if not jql.strip() or jql.strip().lower().startswith("order"):
        if allow_unbounded:
            return query_language.Query(())
        raise ApiError(
            400,
            "Unbounded JQL queries are not allowed here. "
            "Please add a search restriction to your query.",
        )
    return query_language.parse(jql, "JQL", JQL_FIELDS)


def _issue_values(ctx: Context, issue: dict[str, Any], field: str) -> set[str]:
    stored = issue["fields"]
    if field == "project":
        project = ctx.state.table("projects")[issue["projectId"]]
        return {project["key"], project["id"], project["name"]}
    if field == "labels":
        return set(stored.get("labels", []))
    if field == "issuetype":
        issue_type = ctx.state.table("issuetypes")[stored["issuetype"]]
        return {issue_type["name"], issue_type["id"]}
    if field in ("key", "issuekey", "id"):
        return {issue["key"], issue["id"]}
    if field == "parent":
        parent = ctx.state.table("issues").get(stored.get("parent") or "")
        return {parent["key"], parent["id"]} if parent else set()
    status = ctx.state.table("statuses")[stored["status"]]
    return {status["name"], status["id"]}


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token))["offset"])
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "The provided next page token is invalid or expired.") from None


def _search(ctx: Context, req: Request, params: dict[str, Any]) -> Response:
    query = parse_jql(str(params.get("jql") or ""))
    hidden = ctx.faults.searched(ctx.state.clock()) - {
        str(i) for i in params.get("reconcileIssues") or []
    }
    issues = [
        issue
        for issue in sorted(ctx.state.table("issues").values(), key=lambda i: int(i["id"]))
        if issue["id"] not in hidden
        and all(query_language.holds(c, _issue_values(ctx, issue, c.field)) for c in query.clauses)
    ]
    if query.descending:
        issues.reverse()
    size = int(params.get("maxResults") or 50)
    offset = _decode_token(params.get("nextPageToken"))
    fields = params.get("fields") or ["id"]
    chunk = issues[offset : offset + size]
    answer: dict[str, Any] = {
        "issues": [issue_json(ctx, i, list(fields), params.get("properties") or []) for i in chunk],
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
        "properties": req.args("properties"),
        "reconcileIssues": req.args("reconcileIssues"),
    }
    return _search(ctx, req, params)


@jira_route(ROUTES, "POST", "/search/jql")
def search_post(ctx: Context, req: Request) -> Response:
    return _search(ctx, req, req.json_object())
