"""Jira issues: create (single and bulk, at most 50, partial failure answered 201 with
``errors``), read, edit (with its changelog), entity properties, and links. Which fields may be
set and how is in ``jira_issue_fields``."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_custom_values import required_missing
from teamcomms.sandbox.jira_history import record
from teamcomms.sandbox.jira_issue_fields import (
    change_items,
    hierarchy_errors,
    read_changes,
    ref_id,
)
from teamcomms.sandbox.jira_issue_json import issue_json, issue_ref
from teamcomms.sandbox.jira_platform import API, find_issue, jira_route
from teamcomms.sandbox.jira_transitions import initial_status, transition_issue
from teamcomms.sandbox.seed import DEFAULT_PRIORITY, SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()
BULK_LIMIT = 50
PROPERTY_LIMIT = 32768


def _create(ctx: Context, req: Request, update: dict[str, Any]) -> dict[str, Any]:
    fields = update.get("fields") or {}
    projects = ctx.state.table("projects")
    project_id = ref_id(fields.get("project"), projects, "key")
    errors: dict[str, str] = {}
    if project_id is None:
        errors["project"] = "Specify a valid project ID or key"
        changes: dict[str, Any] = {}
    else:
        changes, errors = read_changes(ctx, req, update, project_id, {}, creating=True)
        if "issuetype" not in fields:
            errors["issuetype"] = "Specify an issue type"
    if "summary" not in fields and "summary" not in (update.get("update") or {}):
        errors["summary"] = "You must specify a summary of the issue."
    if errors or project_id is None:
        raise ApiError(400, "", errors=errors)
    errors = hierarchy_errors(ctx, None, project_id, changes["issuetype"], changes.get("parent"))
    errors = errors or required_missing(ctx, project_id, changes["issuetype"], changes)
    if errors:
        raise ApiError(400, "", errors=errors)
    project = projects[project_id]
    project["issueCounter"] += 1
    issue_id = ctx.state.new_id()
    now = ctx.state.now()
    stored: dict[str, Any] = {
        "labels": [],
        "priority": DEFAULT_PRIORITY,
        "reporter": SANDBOX_ACCOUNT_ID,
        "creator": SANDBOX_ACCOUNT_ID,
        "components": [],
        "resolution": None,
        "resolutiondate": None,
        "statuscategorychangedate": now,
        **changes,
        "status": initial_status(ctx, project_id, changes["issuetype"]),
    }
    issue = {
        "id": issue_id,
        "key": f"{project['key']}-{project['issueCounter']}",
        "projectId": project_id,
        "fields": stored,
        "properties": {
            p["key"]: p["value"]
            for p in update.get("properties") or []
            if isinstance(p, dict) and "key" in p
        },
        "links": [],
        "created": now,
        "updated": now,
        "changelog": [],
    }
    ctx.state.table("issues")[issue_id] = issue
    if update.get("transition"):
        transition_issue(ctx, issue, {"transition": update["transition"]})
    ctx.faults.issue_created(issue_id, ctx.state.clock())
    return issue


@jira_route(ROUTES, "POST", "/issue")
def create_issue(ctx: Context, req: Request) -> Response:
    return Response(201, issue_ref(ctx, _create(ctx, req, req.json_object())))


@jira_route(ROUTES, "POST", "/issue/bulk")
def create_issues(ctx: Context, req: Request) -> Response:
    updates = req.json_object().get("issueUpdates")
    problem = None
    if not isinstance(updates, list) or not updates:
        problem = "issueUpdates must list the issues to create."
    elif len(updates) > BULK_LIMIT:
        problem = f"The number of issues to create is more than the limit of {BULK_LIMIT}."
    if problem is not None or not isinstance(updates, list):
        # The documented 400 body of bulk create is CreatedIssues, also for request-level errors.
        element = {"status": 400, "elementErrors": {"errorMessages": [problem], "errors": {}}}
        return Response(400, {"issues": [], "errors": [element]})
    created, failed = [], []
    for number, update in enumerate(updates):
        try:
            created.append(issue_ref(ctx, _create(ctx, req, update)))
        except ApiError as error:
            failed.append(
                {
                    "status": error.status,
                    "elementErrors": {
                        "errorMessages": [error.message] if error.message else [],
                        "errors": error.errors,
                    },
                    "failedElementNumber": number,
                }
            )
    # Not atomic: any success answers 201; only when every issue fails is it 400 (same body).
    return Response(201 if created else 400, {"issues": created, "errors": failed})


@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}")
def get_issue(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    fields = req.args("fields") or None
    expand = set(req.args("expand"))
    return Response(200, issue_json(ctx, issue, fields, req.args("properties"), expand))


@jira_route(ROUTES, "PUT", "/issue/{issueIdOrKey}")
def edit_issue(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    data = req.json_object()
    if not data.get("fields") and not data.get("update"):
        # Recorded: reference/recorded/jira-dc/issue-edit__400-missing-fields-or-update.json
        raise ApiError(400, "one of 'fields' or 'update' required")
    stored = issue["fields"]
    changes, errors = read_changes(ctx, req, data, issue["projectId"], stored, creating=False)
    if not errors:
        type_id = changes.get("issuetype", stored["issuetype"])
        types = ctx.state.table("issuetypes")
        if types[type_id]["hierarchyLevel"] != types[stored["issuetype"]]["hierarchyLevel"]:
            errors["issuetype"] = "The issue type selected is invalid."
        else:
            parent = changes["parent"] if "parent" in changes else stored.get("parent")
            errors = hierarchy_errors(ctx, issue["id"], issue["projectId"], type_id, parent)
    if errors:
        raise ApiError(400, "", errors=errors)
    items = change_items(ctx, stored, changes)
    stored.update(changes)
    # An edit may set entity properties too (IssueUpdateDetails.properties), as a create may.
    for entry in data.get("properties") or []:
        if isinstance(entry, dict) and "key" in entry:
            issue["properties"][str(entry["key"])] = entry.get("value")
    record(ctx, issue, items)
    return Response(204)


# ---- properties and links ---------------------------------------------------------------------
@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}/properties")
def list_issue_properties(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    base = f"{ctx.base_url}{API}/issue/{issue['id']}/properties"
    return Response(200, {"keys": [{"key": k, "self": f"{base}/{k}"} for k in issue["properties"]]})


@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}/properties/{propertyKey}")
def get_issue_property(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    key = req.params["propertyKey"]
    if key not in issue["properties"]:
        raise ApiError(404, f"The property with key '{key}' does not exist.")
    return Response(200, {"key": key, "value": issue["properties"][key]})


@jira_route(ROUTES, "PUT", "/issue/{issueIdOrKey}/properties/{propertyKey}")
def set_issue_property(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    if len(req.body) > PROPERTY_LIMIT:
        raise ApiError(400, f"The property value must be at most {PROPERTY_LIMIT} characters.")
    value = req.json()
    key = req.params["propertyKey"]
    existed = key in issue["properties"]
    issue["properties"][key] = value
    return Response(200 if existed else 201)


@jira_route(ROUTES, "DELETE", "/issue/{issueIdOrKey}/properties/{propertyKey}")
def delete_issue_property(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    if issue["properties"].pop(req.params["propertyKey"], None) is None:
        raise ApiError(404, f"The property with key '{req.params['propertyKey']}' does not exist.")
    return Response(204)


@jira_route(ROUTES, "POST", "/issueLink")
def link_issues(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    link_type = ref_id(data.get("type"), ctx.state.table("linktypes"), "name")
    if link_type is None:
        raise ApiError(
            404, f"No issue link type with name '{(data.get('type') or {}).get('name')}' found."
        )
    inward = find_issue(
        ctx,
        str(
            (data.get("inwardIssue") or {}).get("key") or (data.get("inwardIssue") or {}).get("id")
        ),
    )
    outward = find_issue(
        ctx,
        str(
            (data.get("outwardIssue") or {}).get("key")
            or (data.get("outwardIssue") or {}).get("id")
        ),
    )
    kind = ctx.state.table("linktypes")[link_type]
    # A duplicate link is reported as created, as on Cloud.
    if not any(
        link["type"]["id"] == link_type and link.get("outwardIssue", {}).get("id") == outward["id"]
        for link in inward["links"]
    ):
        link_id = ctx.state.new_id()
        inward["links"].append(
            {"id": link_id, "type": kind, "outwardIssue": issue_ref(ctx, outward)}
        )
        outward["links"].append(
            {"id": link_id, "type": kind, "inwardIssue": issue_ref(ctx, inward)}
        )
    return Response(201)
