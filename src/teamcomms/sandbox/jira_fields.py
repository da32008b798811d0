"""Jira custom fields: list, search, create, update, move to the trash and delete. Their contexts
are in :mod:`teamcomms.sandbox.jira_field_contexts`, options in
:mod:`teamcomms.sandbox.jira_field_options`, types in :mod:`teamcomms.sandbox.jira_field_types`.

As on Cloud, a new custom field gets a global context ("Default Configuration Scheme for <name>",
all projects, all issue types) -- Jira creates one, and a field without a context is on no issue.
A trashed field is left out of the field lists and answers 404 like a missing one, until it is
deleted; deleting (in the trash or not) answers 303 with a task and removes the field's values
from every issue.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_field_types import check_searcher, schema_of, type_name
from teamcomms.sandbox.jira_platform import jira_route
from teamcomms.sandbox.jira_tasks import async_answer, start_task
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()
NOT_FOUND = "The custom field was not found."  # the spec's example


def field_json(field: dict[str, Any]) -> dict[str, Any]:
    """A Jira ``FieldDetails`` (no description: the spec allows none here, additionalProperties
    false; a field's description is read through /field/search, whose ``Field`` has one)."""
    return {
        "id": field["id"],
        "key": field["key"],
        "name": field["name"],
        "custom": field["custom"],
        "orderable": True,
        "navigable": True,
        "searchable": bool(field.get("searcherKey")) or not field["custom"],
        "clauseNames": [field["id"]]
        if not field["custom"]
        else [f"cf[{field['id'][12:]}]", field["name"]],
        "schema": field["schema"],
    }


def live_fields(ctx: Context) -> list[dict[str, Any]]:
    """The fields not in the trash, system fields first, then custom fields by id."""
    fields = [f for f in ctx.state.table("fields").values() if not f.get("trashed")]
    return sorted(fields, key=lambda f: (f["custom"], int(f["id"][12:]) if f["custom"] else 0))


def find_field(ctx: Context, field_id: str, *, trashed: bool = False) -> dict[str, Any]:
    """A custom field (one in the trash only with ``trashed``), or 404."""
    field: dict[str, Any] | None = ctx.state.table("fields").get(field_id)
    if field is None or not field["custom"] or (field.get("trashed") and not trashed):
        raise ApiError(404, NOT_FOUND)
    return field


@jira_route(ROUTES, "GET", "/field")
def list_fields(ctx: Context, req: Request) -> Response:
    return Response(200, [field_json(f) for f in live_fields(ctx)])


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
        for f in live_fields(ctx)
        if query in f["name"].lower()
        and (not ids or f["id"] in ids)
        and (not kinds or ("custom" if f["custom"] else "system") in kinds)
    ]
    return Response(200, page_bean(req, found, ctx.base_url))


def _name(data: dict[str, Any], default: str | None = None) -> str:
    name = data.get("name", default)
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "", errors={"name": "The custom field name is required."})
    if len(name) > 255:
        raise ApiError(400, "", errors={"name": "The name must be at most 255 characters."})
    return name


def _description(data: dict[str, Any], default: str = "") -> str:
    description = data.get("description", default)
    if not isinstance(description, str) or len(description) > 40000:
        raise ApiError(
            400, "", errors={"description": "The description must be at most 40000 characters."}
        )
    return description


@jira_route(ROUTES, "POST", "/field")
def create_field(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    name = _name(data)
    kind = type_name(data.get("type"))
    check_searcher(kind, data.get("searcherKey"))
    number = ctx.state.new_id()
    field_id = f"customfield_{number}"
    field: dict[str, Any] = {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": True,
        "description": _description(data),
        "searcherKey": data.get("searcherKey"),
        "schema": schema_of(data["type"], int(number)),
    }
    context_id = ctx.state.new_id()
    field["contexts"] = {
        context_id: {
            "id": context_id,
            "name": f"Default Configuration Scheme for {name}",
            "description": f"Default configuration scheme generated by Jira for {name}",
            "projectIds": [],
            "issueTypeIds": [],
            "options": {},
        }
    }
    ctx.state.table("fields")[field_id] = field
    return Response(201, field_json(field))


@jira_route(ROUTES, "PUT", "/field/{fieldId}")
def update_field(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, req.params["fieldId"])
    data = req.json_object()
    name = _name(data, field["name"])
    description = _description(data, field.get("description", ""))
    searcher = data.get("searcherKey", field.get("searcherKey"))
    check_searcher(type_name(field["schema"]["custom"]), searcher)
    field.update(name=name, description=description, searcherKey=searcher)
    return Response(204)


def _custom_id(field_id: str) -> str:
    if not field_id.startswith("customfield_") or not field_id[12:].isdigit():
        # One of the documented reasons for a 400.
        raise ApiError(400, "The custom field ID format is incorrect.")
    return field_id


@jira_route(ROUTES, "POST", "/field/{id}/trash")
def trash_field(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, _custom_id(req.params["id"]))
    field["trashed"] = True
    return Response(200, {})


@jira_route(ROUTES, "DELETE", "/field/{id}")
def delete_field(ctx: Context, req: Request) -> Response:
    field = find_field(ctx, _custom_id(req.params["id"]), trashed=True)
    del ctx.state.table("fields")[field["id"]]
    touched = set()
    for issue in ctx.state.table("issues").values():
        if issue["fields"].pop(field["id"], None) is not None:
            touched.add(issue["projectId"])
    task = start_task(ctx, f"Deleting custom field {field['id']}", sorted(touched))
    return async_answer(ctx, task)
