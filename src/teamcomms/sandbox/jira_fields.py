"""Jira custom fields: create and find fields, their contexts and their options."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import find_project, jira_route
from teamcomms.sandbox.pagination import page_bean

CUSTOM_TYPES = "com.atlassian.jira.plugin.system.customfieldtypes:"
# The schema.type Jira gives a custom field of each type (JQL compares dates and numbers by it).
SCHEMA_TYPES = {
    "datepicker": "date",
    "datetime": "datetime",
    "float": "number",
    "select": "option",
    "radiobuttons": "option",
    "multiselect": "array",
    "multicheckboxes": "array",
    "labels": "array",
    "userpicker": "user",
}

ROUTES = RouteTable()


def field_json(field: dict[str, Any]) -> dict[str, Any]:
    """A Jira ``FieldDetails``."""
    answer = {
        "id": field["id"],
        "key": field["key"],
        "name": field["name"],
        "custom": field["custom"],
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": [field["id"]]
        if not field["custom"]
        else [f"cf[{field['id'][12:]}]", field["name"]],
        "schema": field["schema"],
    }
    if field.get("description"):
        answer["description"] = field["description"]
    return answer


def find_field(ctx: Context, field_id: str) -> dict[str, Any]:
    """A custom field, or 404."""
    field: dict[str, Any] | None = ctx.state.table("fields").get(field_id)
    if field is None or not field["custom"]:
        raise ApiError(404, f"The custom field was not found: {field_id}")
    return field


@jira_route(ROUTES, "GET", "/field")
def list_fields(ctx: Context, req: Request) -> Response:
    return Response(200, [field_json(f) for f in ctx.state.table("fields").values()])


def _search_field_json(field: dict[str, Any]) -> dict[str, Any]:
    """A field as ``/field/search`` answers it (the spec's ``Field``, not ``FieldDetails``)."""
    answer = {
        "id": field["id"],
        "key": field["key"],
        "name": field["name"],
        "schema": field["schema"],
        "description": field.get("description", ""),
        "isLocked": False,
    }
    if field.get("searcherKey"):
        answer["searcherKey"] = field["searcherKey"]
    return answer


@jira_route(ROUTES, "GET", "/field/search")
def search_fields(ctx: Context, req: Request) -> Response:
    query = (req.arg("query") or "").lower()
    kinds = set(req.args("type"))
    ids = set(req.args("id"))
    found = [
        _search_field_json(f)
        for f in ctx.state.table("fields").values()
        if query in f["name"].lower()
        and (not ids or f["id"] in ids)
        and (not kinds or ("custom" if f["custom"] else "system") in kinds)
    ]
    return Response(200, page_bean(req, found, ctx.base_url))


@jira_route(ROUTES, "POST", "/field")
def create_field(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    name, kind = data.get("name"), data.get("type")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "", errors={"name": "The custom field name is required."})
    if not isinstance(kind, str) or not kind.startswith(CUSTOM_TYPES):
        raise ApiError(
            400,
            "",
            errors={
                "type": f"The custom field type must be a full key such as {CUSTOM_TYPES}select."
            },
        )
    number = ctx.state.new_id()
    field_id = f"customfield_{number}"
    field = {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": True,
        "description": data.get("description", ""),
        "searcherKey": data.get("searcherKey"),
        "schema": {
            "type": SCHEMA_TYPES.get(kind.removeprefix(CUSTOM_TYPES), "string"),
            "custom": kind,
            "customId": int(number),
        },
        "contexts": {},
    }
    ctx.state.table("fields")[field_id] = field
    return Response(201, field_json(field))


@jira_route(ROUTES, "GET", "/field/{fieldId}/context")
def list_contexts(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    contexts = [
        {
            "id": c["id"],
            "name": c["name"],
            "description": c["description"],
            "isGlobalContext": not c["projectIds"],
            "isAnyIssueType": not c["issueTypeIds"],
        }
        for c in field["contexts"].values()
    ]
    return Response(200, page_bean(req, contexts, ctx.base_url))


@jira_route(ROUTES, "POST", "/field/{fieldId}/context")
def create_context(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    data = req.json_object()
    if not data.get("name"):
        raise ApiError(400, "", errors={"name": "The context name is required."})
    for project_id in data.get("projectIds", []):
        find_project(ctx, str(project_id))
    context = {
        "id": ctx.state.new_id(),
        "name": data["name"],
        "description": data.get("description", ""),
        "projectIds": [str(p) for p in data.get("projectIds", [])],
        "issueTypeIds": [str(t) for t in data.get("issueTypeIds", [])],
        "options": {},
    }
    field["contexts"][context["id"]] = context
    answer = {k: context[k] for k in ("id", "name", "description", "projectIds", "issueTypeIds")}
    return Response(201, answer)


def _find_context(ctx: Context, req: Request) -> dict[str, Any]:
    field = find_field(ctx, req.params["fieldId"])
    context: dict[str, Any] | None = field["contexts"].get(req.params["contextId"])
    if context is None:
        raise ApiError(404, f"The context was not found: {req.params['contextId']}")
    return context


@jira_route(ROUTES, "GET", "/field/{fieldId}/context/{contextId}/option")
def list_options(ctx: Context, req: Request) -> Response:
    options = list(_find_context(ctx, req)["options"].values())
    return Response(200, page_bean(req, options, ctx.base_url, default_max=100, maximum=100))


def _checked_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    options = data.get("options")
    if not isinstance(options, list) or not options:
        raise ApiError(400, "At least one option is required.")
    if len(options) > 1000:
        raise ApiError(400, "At most 1000 options can be given in one request.")
    return options


@jira_route(ROUTES, "POST", "/field/{fieldId}/context/{contextId}/option")
def create_options(ctx: Context, req: Request) -> Response:
    context = _find_context(ctx, req)
    created = []
    for option in _checked_options(req.json_object()):
        value = option.get("value")
        if not value or any(o["value"] == value for o in context["options"].values()):
            raise ApiError(400, f"The option '{value}' is empty or already exists in this context.")
        stored = {
            "id": ctx.state.new_id(),
            "value": value,
            "disabled": bool(option.get("disabled", False)),
        }
        context["options"][stored["id"]] = stored
        created.append(stored)
    return Response(200, {"options": created})


@jira_route(ROUTES, "PUT", "/field/{fieldId}/context/{contextId}/option")
def update_options(ctx: Context, req: Request) -> Response:
    context = _find_context(ctx, req)
    updated = []
    for option in _checked_options(req.json_object()):
        stored = context["options"].get(str(option.get("id")))
        if stored is None:
            raise ApiError(400, f"The option {option.get('id')} does not exist in this context.")
        stored.update({k: option[k] for k in ("value", "disabled") if k in option})
        updated.append(stored)
    return Response(200, {"options": updated})
