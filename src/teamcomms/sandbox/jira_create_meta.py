"""Jira's create metadata: the issue types a project can create
(``GET issue/createmeta/{project}/issuetypes``) and, per type, the fields of its create screen
(``.../issuetypes/{id}``) with whether each is required and the values it allows; and the
statuses of each issue type's workflow (``GET project/{project}/statuses``).

The fields are those the sandbox lets a create set (the default screens: see
``jira_issue_fields.ON_SCREENS``) plus the custom fields with a context for the project and type.
The shapes follow the spec's examples; ``maxResults`` above 200 is refused as documented.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_custom_values import ARRAY_ITEMS, custom_kind, fields_on_screen, options
from teamcomms.sandbox.jira_issue_json import component_json, priority_json, status_json
from teamcomms.sandbox.jira_platform import API, find_project, issue_type_json, jira_route
from teamcomms.sandbox.jira_transitions import workflow_for
from teamcomms.sandbox.seed import DEFAULT_PRIORITY

ROUTES = RouteTable()
PAGE_LIMIT = 200
# (id, schema type, items, operations) of the system fields on the default create screens.
SYSTEM: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("issuetype", "issuetype", "", ()),
    ("project", "project", "", ("set",)),
    ("summary", "string", "", ("set",)),
    ("description", "string", "", ("set",)),
    ("reporter", "user", "", ("set",)),
    ("assignee", "user", "", ("set",)),
    ("priority", "priority", "", ("set",)),
    ("labels", "array", "string", ("add", "set", "remove")),
    ("components", "array", "component", ("add", "set", "remove")),
    ("duedate", "date", "", ("set",)),
    ("parent", "issuelink", "", ("set",)),
)
ALWAYS_REQUIRED = {"issuetype", "project", "summary", "reporter"}


def _page(req: Request, key: str, items: list[Any]) -> dict[str, Any]:
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", 50)
    if size > PAGE_LIMIT:
        raise ApiError(400, f"Parameter 'maxResults' must not exceed the limit '{PAGE_LIMIT}'")
    size = size or 50
    return {key: items[start : start + size], "maxResults": size, "startAt": start,
            "total": len(items)}  # fmt: skip


def _project_types(ctx: Context, req: Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    project = find_project(ctx, req.params["projectIdOrKey"])
    types = ctx.state.table("issuetypes")
    return project, [types[t] for t in project["issueTypeIds"] if t in types]


@jira_route(ROUTES, "GET", "/issue/createmeta/{projectIdOrKey}/issuetypes")
def create_meta_types(ctx: Context, req: Request) -> Response:
    _, types = _project_types(ctx, req)
    return Response(200, _page(req, "issueTypes", [issue_type_json(ctx, t) for t in types]))


@jira_route(ROUTES, "GET", "/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}")
def create_meta_fields(ctx: Context, req: Request) -> Response:
    project, types = _project_types(ctx, req)
    issue_type = next((t for t in types if t["id"] == req.params["issueTypeId"]), None)
    if issue_type is None:
        raise ApiError(404, "Issue type with id '" + req.params["issueTypeId"] + "' not found.")
    required = set(project.get("requiredFields") or []) | ALWAYS_REQUIRED
    fields = [
        _system_field(ctx, project, issue_type, *entry, required=entry[0] in required)
        for entry in SYSTEM
        if not (entry[0] == "parent" and issue_type["hierarchyLevel"] > 0)
    ]
    if issue_type["hierarchyLevel"] < 0:
        parent = next(f for f in fields if f["fieldId"] == "parent")
        parent["required"] = True  # a sub-task is created under its parent
    for field in fields_on_screen(ctx, project["id"], issue_type["id"]):
        fields.append(_custom_field(ctx, project, issue_type, field, field["id"] in required))
    return Response(200, _page(req, "fields", fields))


def _system_field(
    ctx: Context,
    project: dict[str, Any],
    issue_type: dict[str, Any],
    field_id: str,
    kind: str,
    items: str,
    operations: tuple[str, ...],
    *,
    required: bool,
) -> dict[str, Any]:
    name = ctx.state.table("fields")[field_id]["name"]
    schema = {"type": kind, "system": field_id, **({"items": items} if items else {})}
    answer: dict[str, Any] = {
        "fieldId": field_id,
        "key": field_id,
        "name": name,
        "required": required,
        "hasDefaultValue": field_id in ("priority", "reporter"),
        "operations": list(operations),
        "schema": schema,
    }
    if field_id == "priority":
        answer["allowedValues"] = [priority_json(ctx, p) for p in ctx.state.table("priorities")]
        answer["defaultValue"] = priority_json(ctx, DEFAULT_PRIORITY)
    elif field_id == "components":
        answer["allowedValues"] = [
            component_json(ctx, c)
            for c in ctx.state.table("components").values()
            if c["projectId"] == project["id"]
        ]
    elif field_id == "issuetype":
        answer["allowedValues"] = [issue_type_json(ctx, issue_type)]
    elif field_id == "project":
        answer["allowedValues"] = [
            {"self": f"{ctx.base_url}{API}/project/{project['id']}", "id": project["id"],
             "key": project["key"], "name": project["name"]}
        ]  # fmt: skip
    elif field_id in ("assignee", "reporter", "labels"):
        query = "label/suggest?query=" if field_id == "labels" else "user/search?query="
        answer["autoCompleteUrl"] = f"{ctx.base_url}{API}/{query}"
    return answer


def _custom_field(
    ctx: Context,
    project: dict[str, Any],
    issue_type: dict[str, Any],
    field: dict[str, Any],
    required: bool,
) -> dict[str, Any]:
    kind = custom_kind(field)
    schema = dict(field["schema"])
    if kind in ARRAY_ITEMS:
        schema.update(type="array", items=ARRAY_ITEMS[kind])
    answer: dict[str, Any] = {
        "fieldId": field["id"],
        "key": field["id"],
        "name": field["name"],
        "required": required,
        "hasDefaultValue": False,
        "operations": ["add", "set", "remove"] if kind in ARRAY_ITEMS else ["set"],
        "schema": schema,
    }
    if kind in ("select", "radiobuttons", "multiselect", "multicheckboxes"):
        answer["allowedValues"] = [
            {"self": f"{ctx.base_url}{API}/customFieldOption/{o['id']}", "value": o["value"],
             "id": str(o["id"])}
            for o in options(field, project["id"], issue_type["id"])
        ]  # fmt: skip
    return answer


@jira_route(ROUTES, "GET", "/project/{projectIdOrKey}/statuses")
def project_statuses(ctx: Context, req: Request) -> Response:
    project = find_project(ctx, req.params["projectIdOrKey"])
    types = ctx.state.table("issuetypes")
    answer = []
    for type_id in project["issueTypeIds"]:
        workflow = workflow_for(ctx, project["id"], type_id)
        statuses = [status_json(ctx, str(s["statusReference"])) for s in workflow["statuses"]]
        answer.append(
            {
                "self": f"{ctx.base_url}{API}/issueType/{type_id}",
                "id": type_id,
                "name": types[type_id]["name"],
                "subtask": types[type_id]["hierarchyLevel"] < 0,
                "statuses": statuses,
            }
        )
    return Response(200, answer)
