"""Jira issue history: every field change the sandbox makes is recorded as a changelog (author,
time from the site's clock, items), served by ``expand=changelog``, ``GET /issue/{key}/changelog``
and ``POST /changelog/bulkfetch``.

As on Jira Cloud, creating an issue records no history (its ``created`` date is where it starts);
edits, transitions and parent changes each record one changelog with one item per field changed.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_issue, jira_route
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID
from teamcomms.sandbox.state import jira_time

ROUTES = RouteTable()
EXPAND_LIMIT = 100
"""``expand=changelog`` on an issue holds at most this many histories (the rest: the endpoint)."""
BULK_DEFAULT = 1000


def change_item(
    field: str,
    field_id: str,
    old: tuple[str | None, str | None],
    new: tuple[str | None, str | None],
    *,
    custom: bool = False,
) -> dict[str, Any]:
    """One ``ChangeDetails``: ``old``/``new`` are ``(id or raw value, display string)``."""
    return {
        "field": field,
        "fieldtype": "custom" if custom else "jira",
        "fieldId": field_id,
        "from": old[0],
        "fromString": old[1],
        "to": new[0],
        "toString": new[1],
    }


def record(ctx: Context, issue: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """Add one changelog (by the signed-in user, now) to ``issue``; nothing when nothing changed."""
    if not items:
        return
    entry = {
        "id": ctx.state.new_id(),
        "authorId": SANDBOX_ACCOUNT_ID,
        "created": ctx.state.now(),
        "items": items,
    }
    issue.setdefault("changelog", []).append(entry)
    issue["updated"] = entry["created"]


def author_json(ctx: Context, account_id: str) -> dict[str, Any]:
    # A changelog's author is a UserDetails (no locale, unlike a User).
    user = ctx.state.table("users").get(account_id) or {
        "accountId": account_id,
        "accountType": "atlassian",
        "displayName": account_id,
        "active": False,
    }
    if ctx.datacenter:
        name = datacenter.user_name(ctx, account_id)
        return {
            "self": f"{ctx.base_url}{datacenter.JIRA_API}/user?username={name}",
            "name": name,
            "key": datacenter.jira_user_key(ctx, account_id),
            "displayName": user["displayName"],
            "active": user["active"],
            "timeZone": "UTC",
        }
    return {
        "self": f"{ctx.base_url}{API}/user?accountId={user['accountId']}",
        "accountId": user["accountId"],
        "accountType": user["accountType"],
        "displayName": user["displayName"],
        "active": user["active"],
        "timeZone": "UTC",
        **({"emailAddress": user["emailAddress"]} if user.get("emailAddress") else {}),
    }


def changelog_json(ctx: Context, entry: dict[str, Any]) -> dict[str, Any]:
    """A ``Changelog``."""
    return {
        "id": entry["id"],
        "author": author_json(ctx, entry["authorId"]),
        "created": jira_time(entry["created"]),
        "items": entry["items"],
    }


def histories(issue: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's changelogs, oldest first."""
    found: list[dict[str, Any]] = issue.get("changelog", [])
    return found


def expanded_changelog(ctx: Context, issue: dict[str, Any]) -> dict[str, Any]:
    """The ``changelog`` of an issue read with ``expand=changelog`` (a ``PageOfChangelogs``)."""
    entries = histories(issue)
    shown = entries[:EXPAND_LIMIT]
    return {
        "startAt": 0,
        "maxResults": len(shown),
        "total": len(entries),
        "histories": [changelog_json(ctx, e) for e in shown],
    }


@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}/changelog")
def get_changelog(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    entries = histories(issue)
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", 100, 100) or 100
    chunk = entries[start : start + size]
    path = f"{ctx.base_url}{req.path}"
    answer: dict[str, Any] = {
        "self": f"{path}?startAt={start}&maxResults={size}",
        "startAt": start,
        "maxResults": size,
        "total": len(entries),
        "isLast": start + size >= len(entries),
        "values": [changelog_json(ctx, e) for e in chunk],
    }
    if not answer["isLast"]:
        answer["nextPage"] = f"{path}?startAt={start + size}&maxResults={size}"
    return Response(200, answer)


def _token(position: tuple[int, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(position)).encode()).decode()


def _position(token: Any) -> tuple[int, int]:
    if not token:
        return (0, 0)
    try:
        issue_index, entry_index = json.loads(base64.urlsafe_b64decode(str(token)))
        return int(issue_index), int(entry_index)
    except (ValueError, TypeError):
        raise ApiError(400, "The provided next page token is invalid or expired.") from None


@jira_route(ROUTES, "POST", "/changelog/bulkfetch")
def bulk_fetch(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    wanted = data.get("issueIdsOrKeys")
    if not isinstance(wanted, list) or not 1 <= len(wanted) <= 1000:
        raise ApiError(400, "issueIdsOrKeys must list between 1 and 1000 issues.")
    field_ids = set(data.get("fieldIds") or [])
    if len(field_ids) > 10:
        raise ApiError(400, "At most 10 fieldIds can be given.")
    size = data.get("maxResults", BULK_DEFAULT)
    if not isinstance(size, int) or not 1 <= size <= 10000:
        raise ApiError(400, "maxResults must be between 1 and 10000.")
    issues = [find_issue(ctx, str(key)) for key in wanted]
    issue_index, entry_index = _position(data.get("nextPageToken"))
    answer: list[dict[str, Any]] = []
    taken = 0
    while issue_index < len(issues) and taken < size:
        issue = issues[issue_index]
        entries = [
            {**e, "items": [i for i in e["items"] if not field_ids or i["fieldId"] in field_ids]}
            for e in histories(issue)
        ]
        entries = [e for e in entries if e["items"]]
        chunk = entries[entry_index : entry_index + size - taken]
        if chunk:
            answer.append(
                {"issueId": issue["id"], "changeHistories": [changelog_json(ctx, e) for e in chunk]}
            )
        taken += len(chunk)
        entry_index += len(chunk)
        if entry_index >= len(entries):
            issue_index, entry_index = issue_index + 1, 0
    body: dict[str, Any] = {"issueChangeLogs": answer}
    if issue_index < len(issues):
        body["nextPageToken"] = _token((issue_index, entry_index))
    return Response(200, body)
