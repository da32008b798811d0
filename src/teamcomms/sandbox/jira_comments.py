"""Jira issue comments (``/issue/{key}/comment``) and project entity properties
(``/project/{key}/properties``), as the Cloud platform API documents them."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_history import author_json
from teamcomms.sandbox.jira_platform import API, find_issue, find_project, is_v3, jira_route
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID
from teamcomms.sandbox.state import jira_time

ROUTES = RouteTable()
PROPERTY_LIMIT = 32768
COMMENT_PAGE = 5000


def _comment_json(ctx: Context, issue: dict[str, Any], comment: dict[str, Any], v3: bool) -> Any:
    body = comment["body"]
    if not v3 and isinstance(body, dict):
        body = _plain(body)
    author = author_json(ctx, comment["authorId"])
    return {
        "self": f"{ctx.base_url}{API}/issue/{issue['id']}/comment/{comment['id']}",
        "id": comment["id"],
        "author": author,
        "updateAuthor": author,
        "body": body,
        "created": jira_time(comment["created"]),
        "updated": jira_time(comment["created"]),
        "jsdPublic": True,
    }


def _plain(document: Any) -> str:
    """The text of an ADF document (what API version 2 answers for a v3 comment)."""
    if isinstance(document, dict):
        text = str(document.get("text") or "")
        parts = [_plain(child) for child in document.get("content") or []]
        joiner = "\n" if document.get("type") == "doc" else ""
        return text + joiner.join(parts)
    return ""


@jira_route(ROUTES, "POST", "/issue/{issueIdOrKey}/comment")
def add_comment(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    body = req.json_object().get("body")
    v3 = is_v3(req)
    valid = isinstance(body, dict) and body.get("type") == "doc" if v3 else isinstance(body, str)
    if not valid or not body:
        # v3 takes the body as an ADF document, v2 as text; an empty one is refused.
        raise ApiError(400, "", errors={"comment": "Comment body can not be empty!"})
    comment = {
        "id": ctx.state.new_id(),
        "body": body,
        "authorId": SANDBOX_ACCOUNT_ID,
        "created": ctx.state.now(),
    }
    issue.setdefault("comments", []).append(comment)
    issue["updated"] = comment["created"]
    return Response(201, _comment_json(ctx, issue, comment, v3))


@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}/comment")
def list_comments(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", COMMENT_PAGE, COMMENT_PAGE)
    comments = issue.get("comments", [])
    chunk = comments[start : start + size]
    return Response(
        200,
        {
            "startAt": start,
            "maxResults": size,
            "total": len(comments),
            "comments": [_comment_json(ctx, issue, c, is_v3(req)) for c in chunk],
        },
    )


# ---- project properties -----------------------------------------------------------------------
def _properties(project: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = project.setdefault("properties", {})
    return found


def _read_properties(project: dict[str, Any]) -> dict[str, Any]:
    """The properties, for a read: reads are not journalled, so they must not change state."""
    found: dict[str, Any] = project.get("properties") or {}
    return found


@jira_route(ROUTES, "GET", "/project/{projectIdOrKey}/properties")
def list_project_properties(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    base = f"{ctx.base_url}{API}/project/{project['id']}/properties"
    keys = [{"key": k, "self": f"{base}/{k}"} for k in _read_properties(project)]
    return Response(200, {"keys": keys})


@jira_route(ROUTES, "GET", "/project/{projectIdOrKey}/properties/{propertyKey}")
def get_project_property(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    key = req.params["propertyKey"]
    if key not in _read_properties(project):
        raise ApiError(404, f"The property with key '{key}' does not exist.")
    return Response(200, {"key": key, "value": _read_properties(project)[key]})


@jira_route(ROUTES, "PUT", "/project/{projectIdOrKey}/properties/{propertyKey}")
def set_project_property(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    if len(req.body) > PROPERTY_LIMIT:
        raise ApiError(400, f"The property value must be at most {PROPERTY_LIMIT} characters.")
    key = req.params["propertyKey"]
    existed = key in _properties(project)
    _properties(project)[key] = req.json()
    # Documented: 201 when the property is created, 200 when it is updated.
    return Response(200 if existed else 201, {})


@jira_route(ROUTES, "DELETE", "/project/{projectIdOrKey}/properties/{propertyKey}")
def delete_project_property(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    if _properties(project).pop(req.params["propertyKey"], None) is None:
        raise ApiError(404, f"The property with key '{req.params['propertyKey']}' does not exist.")
    return Response(204)
