"""Custom field values on issue create and edit, checked by the field's type as Jira checks them:
a select takes an enabled option of a context that applies to the issue (by ``id`` or
``value``), a number a JSON number, a date ``YYYY-MM-DD``, a user an ``accountId``, a labels
field strings without spaces, a paragraph (v3) an ADF document.

Also: which custom fields a project's issue type has (a context applies to it), and which fields
an administrator made required (a field configuration in Jira; :meth:`SiteState.require_field`
here), with Jira's "<name> is required." when a create leaves one out.

Wording: "Option value 'x' is not valid" and "Option id 'x' is not valid" are Jira Cloud's answers
as its users report them; the others follow Jira's style.
"""

from __future__ import annotations

import datetime
from typing import Any

from teamcomms.sandbox.api import Context, Request
from teamcomms.sandbox.jira_platform import is_v3

CUSTOM_TYPES = "com.atlassian.jira.plugin.system.customfieldtypes:"
ARRAY_ITEMS = {
    "multiselect": "option",
    "multicheckboxes": "option",
    "labels": "string",
    "multiuserpicker": "user",
}
"""What the ``array`` custom field types hold (``schema.items``)."""


class BadValue(Exception):
    """A value Jira refuses for the field (the message goes in ``errors[field]``)."""


def custom_kind(field: dict[str, Any]) -> str:
    """``select``, ``float``, ``datepicker``... (empty for system fields)."""
    return str(field["schema"].get("custom") or "").removeprefix(CUSTOM_TYPES)


def applies(context: dict[str, Any], project_id: str, type_id: str | None) -> bool:
    """Whether a field context covers issues of ``type_id`` in the project."""
    projects, types = context.get("projectIds") or [], context.get("issueTypeIds") or []
    in_project = not projects or project_id in projects
    return in_project and (not types or type_id is None or type_id in types)


def fields_on_screen(ctx: Context, project_id: str, type_id: str) -> list[dict[str, Any]]:
    """The custom fields issues of ``type_id`` in the project have (a context applies)."""
    return [
        f
        for f in ctx.state.table("fields").values()
        if f["custom"] and any(applies(c, project_id, type_id) for c in f["contexts"].values())
    ]


def options(field: dict[str, Any], project_id: str, type_id: str | None) -> list[dict[str, Any]]:
    """The enabled options of the contexts that apply."""
    return [
        o
        for c in field.get("contexts", {}).values()
        if applies(c, project_id, type_id)
        for o in c["options"].values()
        if not o.get("disabled")
    ]


def required_missing(
    ctx: Context, project_id: str, type_id: str, stored: dict[str, Any]
) -> dict[str, str]:
    """``{field: "<name> is required."}`` for each required field of the project that a create
    leaves empty (custom fields only where the issue type has them)."""
    project = ctx.state.table("projects")[project_id]
    fields = ctx.state.table("fields")
    on_screen = {f["id"] for f in fields_on_screen(ctx, project_id, type_id)}
    errors = {}
    for field_id in project.get("requiredFields") or []:
        field = fields.get(field_id)
        if field is None or (field["custom"] and field_id not in on_screen):
            continue
        if stored.get(field_id) in (None, "", []):
            errors[field_id] = f"{field['name']} is required."
    return errors


def custom_value(
    ctx: Context, req: Request, field_id: str, value: Any, project_id: str, type_id: str | None
) -> Any:
    """The stored value of custom field ``field_id`` set to ``value``; raises :class:`BadValue`."""
    field = ctx.state.table("fields")[field_id]
    kind = custom_kind(field)
    if value is None or value == []:
        return None
    if kind in ARRAY_ITEMS:
        if not isinstance(value, list):
            raise BadValue(f"Field '{field['name']}' takes a list of values.")
        item = ARRAY_ITEMS[kind]
        return [_single(ctx, req, field, item, v, project_id, type_id) for v in value]
    item = {"select": "option", "radiobuttons": "option", "userpicker": "user"}.get(kind, kind)
    return _single(ctx, req, field, item, value, project_id, type_id)


def _single(
    ctx: Context,
    req: Request,
    field: dict[str, Any],
    item: str,
    value: Any,
    project_id: str,
    type_id: str | None,
) -> Any:
    if item == "option":
        return _option(field, value, project_id, type_id)
    if item == "user":
        account = value.get("accountId") if isinstance(value, dict) else None
        if account not in ctx.state.table("users"):
            raise BadValue(f"Specify a valid user for {field['name']}: {account!r} is not one.")
        return account
    if item == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadValue(f"Operation value must be a number: {value!r}")
        return value
    if item == "datepicker":
        return _date(value, "%Y-%m-%d")
    if item == "datetime":
        return _date(value, None)
    if item == "textarea" and is_v3(req):
        if not (isinstance(value, dict) and value.get("type") == "doc"):
            raise BadValue(
                "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
            )
        return value
    if item == "string" or item == "labels":
        if not isinstance(value, str) or not value or " " in value:
            raise BadValue("Labels are strings without spaces, at most 255 characters")
        return value
    if item in ("textfield", "url", "textarea") and not isinstance(value, str):
        raise BadValue("Operation value must be a string")
    return value


def _option(
    field: dict[str, Any], value: Any, project_id: str, type_id: str | None
) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BadValue(f'Specify the option of {field["name"]} as {{"id"}} or {{"value"}}.')
    found = options(field, project_id, type_id)
    if "id" in value:
        chosen = next((o for o in found if str(o["id"]) == str(value["id"])), None)
        if chosen is None:
            raise BadValue(f"Option id '{value['id']}' is not valid")
    else:
        chosen = next((o for o in found if o["value"] == value.get("value")), None)
        if chosen is None:
            raise BadValue(f"Option value '{value.get('value')}' is not valid")
    return {"id": str(chosen["id"]), "value": str(chosen["value"])}


def _date(value: Any, pattern: str | None) -> str:
    try:
        if pattern is not None:
            return datetime.datetime.strptime(str(value), pattern).date().isoformat()
        text = str(value).replace("Z", "+00:00")
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise BadValue(f"Error parsing date string: {value}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
