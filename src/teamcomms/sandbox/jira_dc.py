"""Jira Data Center's REST API 2 where it differs from Cloud's: search pages by ``startAt`` on
``/rest/api/2/search`` (Cloud removed it for ``/search/jql``), people are found by user name or
key (there is no ``accountId``), and a request body with a field Jackson does not know answers
400 with Jackson's own message and no ``errors`` key (recorded:
``jira-dc/version-update__400-unrecognized-field.json``). Descriptions and other rich text are
plain strings (wiki markup) as in Cloud's API 2; there is no API 3 and no ADF.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox import jira_issues
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.datacenter import (
    JIRA_API,
    JacksonError,
    jira_user_json,
    jira_user_key,
    user_name,
)
from teamcomms.sandbox.jira_issue_json import issue_json
from teamcomms.sandbox.jira_search import found_issues

ROUTES = RouteTable()
API = JIRA_API
SEARCH_LIMIT = 1000
"""``maxResults`` above this is cut to it (Jira's ``jira.search.views.default.max``)."""
# The properties of Jira's IssueUpdateBean: anything else is an unrecognized field.
_ISSUE_UPDATE_FIELDS = frozenset(
    {"fields", "update", "transition", "properties", "historyMetadata"}
)


def _search(ctx: Context, params: dict[str, Any]) -> Response:
    issues = found_issues(ctx, str(params.get("jql") or ""), [])
    start = max(0, int(params.get("startAt") or 0))
    size = min(int(params.get("maxResults") or 50), SEARCH_LIMIT)
    fields = params.get("fields") or ["*navigable"]
    if isinstance(fields, str):
        fields = [f for f in fields.split(",") if f]
    expand = params.get("expand") or ""
    expansions = set(expand if isinstance(expand, list) else str(expand).split(",")) - {""}
    chunk = issues[start : start + size]
    # Recorded (jira-dc/search__empty-startAt-paging.json): startAt and maxResults are echoed
    # even past the end, with total.
    return Response(
        200,
        {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": size,
            "total": len(issues),
            "issues": [issue_json(ctx, i, list(fields), [], expansions) for i in chunk],
        },
    )


@ROUTES.get(API + "/search")
def search_get(ctx: Context, req: Request) -> Response:
    params: dict[str, Any] = {
        "jql": req.arg("jql"),
        "startAt": req.int_arg("startAt", 0),
        "maxResults": req.int_arg("maxResults", 50),
        "fields": req.args("fields"),
        "expand": req.arg("expand"),
    }
    return _search(ctx, params)


@ROUTES.post(API + "/search")
def search_post(ctx: Context, req: Request) -> Response:
    return _search(ctx, req.json_object())


def _person(ctx: Context, wanted: str | None) -> dict[str, Any] | None:
    if not wanted:
        return None
    for account_id, user in ctx.state.table("users").items():
        if wanted in (user_name(ctx, account_id), jira_user_key(ctx, account_id)):
            found: dict[str, Any] = user
            return found
    return None


@ROUTES.get(API + "/user")
def get_user(ctx: Context, req: Request) -> Response:
    wanted = req.arg("username") or req.arg("key")
    if not wanted:
        raise ApiError(400, "Either the 'username' or the 'key' query parameter must be given.")
    user = _person(ctx, wanted)
    if user is None:
        raise ApiError(404, f"The user named '{wanted}' does not exist")
    return Response(200, jira_user_json(ctx, user))


@ROUTES.get(API + "/user/search")
def search_users(ctx: Context, req: Request) -> Response:
    query = (req.arg("username") or "").lower()
    if not query:
        raise ApiError(400, "The username query parameter was not provided")
    # Data Center matches the start of the user name, display name or email.
    found = [
        jira_user_json(ctx, user)
        for account_id, user in ctx.state.table("users").items()
        if any(
            text.lower().startswith(query)
            for text in (user_name(ctx, account_id), user["displayName"], user["emailAddress"])
        )
    ]
    start = req.int_arg("startAt", 0)
    return Response(200, found[start : start + req.int_arg("maxResults", 50, 1000)])


def _check_issue_update(req: Request, bean: str) -> None:
    data = req.json_object()
    unknown = sorted(set(data) - _ISSUE_UPDATE_FIELDS)
    if unknown:
        raise JacksonError(
            400,
            f'Unrecognized field "{unknown[0]}" (Class com.atlassian.jira.rest.v2.issue.{bean}), '
            "not marked as ignorable\n at [Source: org.apache.catalina.connector."
            "CoyoteInputStream@4264a42e; line: 1, column: 2]",
        )


@ROUTES.post(API + "/issue")
def create_issue(ctx: Context, req: Request) -> Response:
    _check_issue_update(req, "IssueUpdateBean")
    return jira_issues.create_issue(ctx, req)


@ROUTES.put(API + "/issue/{issueIdOrKey}")
def edit_issue(ctx: Context, req: Request) -> Response:
    _check_issue_update(req, "IssueUpdateBean")
    return jira_issues.edit_issue(ctx, req)
