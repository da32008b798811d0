"""How the sandbox answers a Jira issue: the ``IssueBean`` with its system fields (priority,
resolution, resolution date, status category change date, components, due date, ...), custom
fields, properties and, with ``expand=changelog``, its history."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import Context
from teamcomms.sandbox.jira_history import expanded_changelog
from teamcomms.sandbox.jira_platform import API, issue_type_json, user_json
from teamcomms.sandbox.seed import DEFAULT_PRIORITY, SANDBOX_ACCOUNT_ID, STATUS_CATEGORIES
from teamcomms.sandbox.state import jira_time

EXPANDABLE = "renderedFields,names,schema,transitions,editmeta,changelog"


def status_json(ctx: Context, status_id: str) -> dict[str, Any]:
    """An issue's ``status`` field (a ``StatusDetails``)."""
    status = ctx.state.table("statuses")[status_id]
    category = STATUS_CATEGORIES[status["statusCategory"]]
    return {
        "self": f"{ctx.base_url}{API}/status/{status_id}",
        "id": status_id,
        "name": status["name"],
        "description": status.get("description", ""),
        "iconUrl": f"{ctx.base_url}/images/icons/statuses/generic.png",
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


def priority_json(ctx: Context, priority_id: str) -> dict[str, Any]:
    """A ``Priority``."""
    priority = ctx.state.table("priorities")[priority_id]
    return {
        "self": f"{ctx.base_url}{API}/priority/{priority_id}",
        "id": priority_id,
        "name": priority["name"],
        "statusColor": priority["statusColor"],
        "iconUrl": f"{ctx.base_url}/images/icons/priorities/{priority['name'].lower()}.svg",
        "isDefault": priority_id == DEFAULT_PRIORITY,
    }


def resolution_json(ctx: Context, resolution_id: str) -> dict[str, Any]:
    """A ``Resolution``."""
    resolution = ctx.state.table("resolutions")[resolution_id]
    return {
        "self": f"{ctx.base_url}{API}/resolution/{resolution_id}",
        "id": resolution_id,
        "name": resolution["name"],
        "description": resolution["description"],
    }


def component_json(ctx: Context, component: dict[str, Any]) -> dict[str, Any]:
    """A ``ProjectComponent``."""
    project = ctx.state.table("projects")[component["projectId"]]
    return {
        "self": f"{ctx.base_url}{API}/component/{component['id']}",
        "id": component["id"],
        "name": component["name"],
        "description": component["description"],
        "project": project["key"],
        "projectId": int(project["id"]),
        "assigneeType": "PROJECT_DEFAULT",
        "isAssigneeTypeValid": False,
    }


def _user_or_none(ctx: Context, account_id: str | None) -> dict[str, Any] | None:
    users = ctx.state.table("users")
    return user_json(ctx, users[account_id]) if account_id in users else None


def _status_category_changed(issue: dict[str, Any]) -> str:
    stored: str = issue["fields"].get("statuscategorychangedate") or issue["created"]
    return stored


def field_values(ctx: Context, issue: dict[str, Any]) -> dict[str, Any]:
    """Every field of an issue as Jira answers them."""
    stored = issue["fields"]
    project = ctx.state.table("projects")[issue["projectId"]]
    resolution = stored.get("resolution")
    components = ctx.state.table("components")
    values: dict[str, Any] = {
        "summary": stored["summary"],
        "description": stored.get("description"),
        "labels": stored.get("labels", []),
        "issuetype": issue_type_json(ctx, ctx.state.table("issuetypes")[stored["issuetype"]]),
        "project": {"id": project["id"], "key": project["key"], "name": project["name"]},
        "status": status_json(ctx, stored["status"]),
        "statuscategorychangedate": jira_time(_status_category_changed(issue)),
        "priority": priority_json(ctx, stored.get("priority") or DEFAULT_PRIORITY),
        "resolution": resolution_json(ctx, resolution) if resolution else None,
        "resolutiondate": jira_time(stored["resolutiondate"])
        if stored.get("resolutiondate")
        else None,
        "duedate": stored.get("duedate"),
        "components": [
            component_json(ctx, components[c])
            for c in stored.get("components", [])
            if c in components
        ],
        "created": jira_time(issue["created"]),
        "updated": jira_time(issue["updated"]),
        "creator": _user_or_none(ctx, stored.get("creator", SANDBOX_ACCOUNT_ID)),
        "reporter": _user_or_none(ctx, stored.get("reporter", SANDBOX_ACCOUNT_ID)),
        "assignee": _user_or_none(ctx, stored.get("assignee")),
        "issuelinks": issue["links"],
        "subtasks": [
            {**issue_ref(ctx, child), "fields": {"summary": child["fields"]["summary"]}}
            for child in _subtasks(ctx, issue)
        ],
    }
    if stored.get("parent"):
        parent = ctx.state.table("issues")[stored["parent"]]
        values["parent"] = {
            **issue_ref(ctx, parent),
            "fields": {
                "summary": parent["fields"]["summary"],
                "status": status_json(ctx, parent["fields"]["status"]),
                "issuetype": issue_type_json(
                    ctx, ctx.state.table("issuetypes")[parent["fields"]["issuetype"]]
                ),
            },
        }
    values.update({k: v for k, v in stored.items() if k.startswith("customfield_")})
    return values


def _subtasks(ctx: Context, issue: dict[str, Any]) -> list[dict[str, Any]]:
    types = ctx.state.table("issuetypes")
    return [
        child
        for child in ctx.state.table("issues").values()
        if child["fields"].get("parent") == issue["id"]
        and types[child["fields"]["issuetype"]]["hierarchyLevel"] < 0
    ]


def issue_json(
    ctx: Context,
    issue: dict[str, Any],
    fields: list[str] | None,
    properties: list[str] | None = None,
    expand: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """A Jira ``IssueBean`` with the requested fields (None: all), properties and expansions."""
    answer: dict[str, Any] = {**issue_ref(ctx, issue), "expand": EXPANDABLE}
    values = field_values(ctx, issue)
    wanted = set(fields) if fields is not None else {"*all"}
    if wanted & {"*all", "*navigable"}:
        answer["fields"] = {k: v for k, v in values.items() if f"-{k}" not in wanted}
    else:
        answer["fields"] = {k: v for k, v in values.items() if k in wanted}
    if properties:
        answer["properties"] = {
            k: v for k, v in issue["properties"].items() if k in properties or "*all" in properties
        }
    if "changelog" in expand:
        answer["changelog"] = expanded_changelog(ctx, issue)
    return answer
