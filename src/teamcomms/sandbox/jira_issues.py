"""Jira issues: create (single and bulk, at most 50, partial failure answered 201 with
``errors``), read, edit, entity properties, links and epics through ``parent``."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import (
    API,
    is_v3,
    issue_type_json,
    jira_route,
    user_json,
)
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID, STATUS_CATEGORIES

ROUTES = RouteTable()
BULK_LIMIT = 50
PROPERTY_LIMIT = 32768


def status_json(ctx: Context, status_id: str) -> dict[str, Any]:
    """An issue's ``status`` field."""
    status = ctx.state.table("statuses")[status_id]
    category = STATUS_CATEGORIES[status["statusCategory"]]
    return {
        "self": f"{ctx.base_url}{API}/status/{status_id}",
        "id": status_id,
        "name": status["name"],
        "statusCategory": {
            **category,
            "self": f"{ctx.base_url}{API}/statuscategory/{category['id']}",
        },
    }


def issue_ref(ctx: Context, issue: dict[str, Any]) -> dict[str, Any]:
    """``{id, key, self}`` of an issue."""
    return {
        "id": issue["id"],
        "key": issue["key"],
        "self": f"{ctx.base_url}{API}/issue/{issue['id']}",
    }


def _field_values(ctx: Context, issue: dict[str, Any]) -> dict[str, Any]:
    stored = issue["fields"]
    project = ctx.state.table("projects")[issue["projectId"]]
    values: dict[str, Any] = {
        "summary": stored["summary"],
        "description": stored.get("description"),
        "labels": stored.get("labels", []),
        "issuetype": issue_type_json(ctx, ctx.state.table("issuetypes")[stored["issuetype"]]),
        "project": {"id": project["id"], "key": project["key"], "name": project["name"]},
        "status": status_json(ctx, stored["status"]),
        "created": issue["created"].replace("Z", "+0000"),
        "updated": issue["updated"].replace("Z", "+0000"),
        "reporter": user_json(ctx, ctx.state.table("users")[SANDBOX_ACCOUNT_ID]),
        "assignee": None,
        "issuelinks": issue["links"],
    }
    assignee = stored.get("assignee")
    if assignee and assignee in ctx.state.table("users"):
        values["assignee"] = user_json(ctx, ctx.state.table("users")[assignee])
    if stored.get("parent"):
        parent = ctx.state.table("issues")[stored["parent"]]
        values["parent"] = {
            **issue_ref(ctx, parent),
            "fields": {"summary": parent["fields"]["summary"]},
        }
    values.update({k: v for k, v in stored.items() if k.startswith("customfield_")})
    return values


def issue_json(
    ctx: Context,
    issue: dict[str, Any],
    fields: list[str] | None,
    properties: list[str] | None = None,
) -> dict[str, Any]:
    """A Jira ``IssueBean`` with the requested fields (None: all) and properties."""
    answer = {
        **issue_ref(ctx, issue),
        "expand": "renderedFields,names,schema,transitions,editmeta,changelog",
    }
    values = _field_values(ctx, issue)
    wanted = set(fields) if fields is not None else {"*all"}
    if wanted & {"*all", "*navigable"}:
        answer["fields"] = values
    else:
        answer["fields"] = {k: v for k, v in values.items() if k in wanted}
    if properties:
        answer["properties"] = {
            k: v for k, v in issue["properties"].items() if k in properties or "*all" in properties
        }
    return answer


def find_issue(ctx: Context, key_or_id: str) -> dict[str, Any]:
    """The issue, or 404 as Jira answers."""
    issue = ctx.state.issue_by_key(key_or_id)
    if issue is None:
        raise ApiError(404, "Issue does not exist or you do not have permission to see it.")
    return issue


def _ref_id(value: Any, lookup: dict[str, Any], by: str) -> str | None:
    if not isinstance(value, dict):
        return None
    if "id" in value and str(value["id"]) in lookup:
        return str(value["id"])
    wanted = value.get(by) or value.get("name")
    return next((k for k, v in lookup.items() if wanted is not None and v.get(by) == wanted), None)


def _validate_fields(
    ctx: Context, req: Request, fields: dict[str, Any], *, creating: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if creating:
        project_id = _ref_id(fields.get("project"), ctx.state.table("projects"), "key")
        if project_id is None:
            errors["project"] = "Specify a valid project ID or key"
        type_id = _ref_id(fields.get("issuetype"), ctx.state.table("issuetypes"), "name")
        if type_id is None:
            errors["issuetype"] = "Specify an issue type"
        elif project_id and type_id not in ctx.state.table("projects")[project_id]["issueTypeIds"]:
            errors["issuetype"] = "Specify an issue type that is valid for the project"
        if not fields.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
    if "description" in fields and fields["description"] is not None:
        adf = isinstance(fields["description"], dict) and fields["description"].get("type") == "doc"
        if is_v3(req) and not adf:
            errors["description"] = (
                "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
            )
        if not is_v3(req) and not isinstance(fields["description"], str):
            errors["description"] = "Operation value must be a string"
    if "labels" in fields and (
        not isinstance(fields["labels"], list)
        or any(not isinstance(x, str) or " " in x for x in fields["labels"])
    ):
        errors["labels"] = "Labels are strings without spaces"
    if fields.get("parent") is not None:
        parent = ctx.state.issue_by_key(
            str(fields["parent"].get("key") or fields["parent"].get("id") or "")
        )
        if parent is None:
            errors["parent"] = "Could not find the parent issue"
        elif (
            ctx.state.table("issuetypes")[parent["fields"]["issuetype"]]["hierarchyLevel"] < 1
            and creating
        ):
            type_id = _ref_id(fields.get("issuetype"), ctx.state.table("issuetypes"), "name")
            if type_id is None or ctx.state.table("issuetypes")[type_id]["hierarchyLevel"] >= 0:
                errors["parent"] = "The parent must be an epic (a higher hierarchy level)"
    for key in fields:
        if key.startswith("customfield_") and key not in ctx.state.table("fields"):
            errors[key] = (
                f"Field '{key}' cannot be set. It is not on the appropriate screen, or unknown."
            )
    return errors


def _create(ctx: Context, req: Request, update: dict[str, Any]) -> dict[str, Any]:
    fields = update.get("fields") or {}
    errors = _validate_fields(ctx, req, fields, creating=True)
    properties = update.get("properties") or []
    if errors:
        raise ApiError(400, "", errors=errors)
    project = ctx.state.table("projects")[
        _ref_id(fields["project"], ctx.state.table("projects"), "key") or ""
    ]
    type_id = _ref_id(fields["issuetype"], ctx.state.table("issuetypes"), "name") or ""
    project["issueCounter"] += 1
    issue_id = ctx.state.new_id()
    now = ctx.state.now()
    stored = {
        k: v
        for k, v in fields.items()
        if k.startswith("customfield_") or k in ("summary", "description", "labels", "duedate")
    }
    stored.update(issuetype=type_id, status="1", labels=fields.get("labels", []))
    if fields.get("parent"):
        stored["parent"] = find_issue(
            ctx, str(fields["parent"].get("key") or fields["parent"].get("id"))
        )["id"]
    if fields.get("assignee"):
        stored["assignee"] = fields["assignee"].get("accountId")
    issue = {
        "id": issue_id,
        "key": f"{project['key']}-{project['issueCounter']}",
        "projectId": project["id"],
        "fields": stored,
        "properties": {
            p["key"]: p["value"] for p in properties if isinstance(p, dict) and "key" in p
        },
        "links": [],
        "created": now,
        "updated": now,
    }
    ctx.state.table("issues")[issue_id] = issue
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
    return Response(200, issue_json(ctx, issue, fields, req.args("properties")))


@jira_route(ROUTES, "PUT", "/issue/{issueIdOrKey}")
def edit_issue(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    data = req.json_object()
    fields = data.get("fields") or {}
    errors = _validate_fields(ctx, req, fields, creating=False)
    if errors:
        raise ApiError(400, "", errors=errors)
    stored = issue["fields"]
    for key, value in fields.items():
        if key == "parent":
            stored["parent"] = (
                find_issue(ctx, str(value.get("key") or value.get("id")))["id"] if value else None
            )
        elif key == "assignee":
            stored["assignee"] = value.get("accountId") if value else None
        elif key in ("summary", "description", "labels", "duedate") or key.startswith(
            "customfield_"
        ):
            stored[key] = value
        else:
            raise ApiError(
                400,
                "",
                errors={
                    key: f"Field '{key}' cannot be set. It is not on the appropriate screen, "
                    "or unknown."
                },
            )
    for operation in (data.get("update") or {}).get("labels", []):
        labels = stored.setdefault("labels", [])
        if "add" in operation and operation["add"] not in labels:
            labels.append(operation["add"])
        if "remove" in operation and operation["remove"] in labels:
            labels.remove(operation["remove"])
        if "set" in operation:
            stored["labels"] = list(operation["set"])
    issue["updated"] = ctx.state.now()
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
    link_type = _ref_id(data.get("type"), ctx.state.table("linktypes"), "name")
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
