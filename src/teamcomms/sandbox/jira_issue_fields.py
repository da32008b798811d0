"""Setting Jira issue fields on create and edit, as a company-managed project's default screens
allow: which fields may be set (anything else: 400 "cannot be set", keyed by field), how each value
is checked and stored, the ``update`` operations, the issue hierarchy rules, and the changelog items
a change makes.

Error wording: "Field 'x' cannot be set. It is not on the appropriate screen, or unknown." is
recorded (``reference/recorded/jira-cloud/issue-create-v2__400-field-not-on-screen.json``);
"Issue type is a sub-task but parent issue key or id not specified." and "Given parent work item
does not belong to appropriate hierarchy." are Jira Cloud's answers as reported by its users; the
other messages follow Jira's style where no real answer was found.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import Context, Request
from teamcomms.sandbox.jira_custom_values import BadValue, custom_value
from teamcomms.sandbox.jira_history import change_item
from teamcomms.sandbox.jira_platform import is_v3

NOT_SETTABLE = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."
SUBTASK_WITHOUT_PARENT = "Issue type is a sub-task but parent issue key or id not specified."
WRONG_HIERARCHY = "Given parent work item does not belong to appropriate hierarchy."
PARENT_NOT_FOUND = "Could not find issue by id or key."
ON_SCREENS = (
    "summary",
    "description",
    "labels",
    "priority",
    "duedate",
    "assignee",
    "reporter",
    "components",
    "parent",
    "issuetype",
)
"""System fields on the default create and edit screens (custom fields are on them too).
``status`` and ``resolution`` change through transitions only; ``project`` only on create."""
UPDATE_VERBS = {"labels": ("add", "remove", "set"), "components": ("add", "remove", "set")}
"""Fields with list ``update`` verbs; every other field takes ``set`` only."""

Stored = dict[str, Any]
Errors = dict[str, str]


def ref_id(value: Any, lookup: dict[str, Any], by: str) -> str | None:
    """The id of the object a request refers to by ``{id}`` or ``{<by>}``/``{name}``."""
    if not isinstance(value, dict):
        return None
    if "id" in value and str(value["id"]) in lookup:
        return str(value["id"])
    wanted = value.get(by) or value.get("name")
    return next((k for k, v in lookup.items() if wanted is not None and v.get(by) == wanted), None)


# ---- values of single fields ------------------------------------------------------------------
class _Bad(Exception):
    """A field value Jira refuses (the message goes in ``errors[field]``)."""


def _summary(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise _Bad("You must specify a summary of the issue.")
    if len(value) > 255:
        raise _Bad("Summary must be less than 255 characters.")
    return value


def _description(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    if value is None:
        return None
    if is_v3(req) and not (isinstance(value, dict) and value.get("type") == "doc"):
        raise _Bad(
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        )
    if not is_v3(req) and not isinstance(value, str):
        raise _Bad("Operation value must be a string")
    return value


def _label(value: Any) -> str:
    if not isinstance(value, str) or not value or " " in value or len(value) > 255:
        raise _Bad("Labels are strings without spaces, at most 255 characters")
    return value


def _label_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _Bad("Labels are strings without spaces, at most 255 characters")
    return list(dict.fromkeys(_label(v) for v in value))


def _labels(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    return _label_list(value)


def _priority(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    found = ref_id(value, ctx.state.table("priorities"), "name")
    if found is None:
        raise _Bad("The priority selected is invalid.")
    return found


def _duedate(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _Bad(f"Error parsing date string: {value}") from None


def _user(message: str, *, optional: bool) -> Callable[[Context, Request, Any, str], Any]:
    def parse(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
        if value is None and optional:
            return None
        if ctx.datacenter:  # Data Center knows people by name or key, never by account id
            account_id = datacenter.account_of(ctx, value)
            if account_id is None:
                wanted = value.get("name") or value.get("key") if isinstance(value, dict) else value
                raise _Bad(f"User '{wanted}' does not exist.")
            return account_id
        account_id = value.get("accountId") if isinstance(value, dict) else None
        if account_id not in ctx.state.table("users"):
            raise _Bad(message.format(account_id))
        return account_id

    return parse


def _component(ctx: Context, value: Any, project_id: str) -> str:
    components = {
        k: c for k, c in ctx.state.table("components").items() if c["projectId"] == project_id
    }
    found = ref_id(value, components, "name")
    if found is None:
        name = value.get("name") or value.get("id") if isinstance(value, dict) else value
        raise _Bad(f"Component name '{name}' is not valid")
    return found


def _component_list(ctx: Context, value: Any, project_id: str) -> list[str]:
    if not isinstance(value, list):
        raise _Bad("Components are a list of {id} or {name} objects")
    return list(dict.fromkeys(_component(ctx, v, project_id) for v in value))


def _components(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    return _component_list(ctx, value, project_id)


def _parent(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    if value is None:
        return None
    reference = str(value.get("key") or value.get("id") or "") if isinstance(value, dict) else ""
    parent = ctx.state.issue_by_key(reference) if reference else None
    if parent is None:
        raise _Bad(PARENT_NOT_FOUND)
    return parent["id"]


def _issuetype(ctx: Context, req: Request, value: Any, project_id: str) -> Any:
    type_id = ref_id(value, ctx.state.table("issuetypes"), "name")
    if type_id is None:
        raise _Bad("Specify an issue type")
    if type_id not in ctx.state.table("projects")[project_id]["issueTypeIds"]:
        raise _Bad("Specify an issue type that is valid for the project")
    return type_id


PARSERS: dict[str, Callable[[Context, Request, Any, str], Any]] = {
    "summary": _summary,
    "description": _description,
    "labels": _labels,
    "priority": _priority,
    "duedate": _duedate,
    "assignee": _user("User '{}' cannot be assigned issues.", optional=True),
    "reporter": _user("The reporter specified is not a user.", optional=False),
    "components": _components,
    "parent": _parent,
    "issuetype": _issuetype,
}


def _parse(
    ctx: Context, req: Request, field: str, value: Any, project_id: str, type_id: str | None
) -> Any:
    if field in PARSERS:
        return PARSERS[field](ctx, req, value, project_id)
    return custom_value(ctx, req, field, value, project_id, type_id)


def _settable(ctx: Context, field: str) -> bool:
    if field in ON_SCREENS:
        return True
    found = ctx.state.table("fields").get(field)
    return bool(found and found["custom"])


# ---- a request's fields and update ------------------------------------------------------------
def _apply_verb(
    ctx: Context, field: str, verb: str, value: Any, current: Any, project_id: str
) -> Any:
    if field == "labels":
        labels = list(current or [])
        if verb == "set":
            return _label_list(value)
        label = _label(value)
        if verb == "add":
            return labels if label in labels else [*labels, label]
        return [x for x in labels if x != label]
    components = list(current or [])
    if verb == "set":
        return _component_list(ctx, value, project_id)
    component = _component(ctx, value, project_id)
    if verb == "add":
        return components if component in components else [*components, component]
    return [c for c in components if c != component]


def read_changes(
    ctx: Context,
    req: Request,
    data: dict[str, Any],
    project_id: str,
    current: Stored,
    *,
    creating: bool,
) -> tuple[Stored, Errors]:
    """The stored values a create or edit body sets (``fields`` then ``update``), and the errors
    keyed by field. ``current`` holds the issue's stored fields (empty when creating)."""
    fields = data.get("fields") or {}
    update = data.get("update") or {}
    errors: Errors = {}
    if not isinstance(fields, dict) or not isinstance(update, dict):
        return {}, {"fields": "fields and update must be objects"}
    changes: Stored = {}
    # Custom field values depend on the issue type (the contexts that apply to it).
    type_id = ref_id(fields.get("issuetype"), ctx.state.table("issuetypes"), "name")
    type_id = type_id or current.get("issuetype")
    for field, value in fields.items():
        if creating and field == "project":
            continue
        if not _settable(ctx, field):
            errors[field] = NOT_SETTABLE.format(field)
        elif field in update:
            # The documented rule: a field given in fields cannot also be in update.
            errors[field] = f"Field '{field}' cannot be in both 'fields' and 'update'."
        else:
            try:
                changes[field] = _parse(ctx, req, field, value, project_id, type_id)
            except (_Bad, BadValue) as bad:
                errors[field] = str(bad)
    for field, operations in update.items():
        if not _settable(ctx, field):
            errors[field] = NOT_SETTABLE.format(field)
            continue
        if field in fields:
            continue
        value = current.get(field)
        try:
            if not isinstance(operations, list) or not operations:
                raise _Bad(f"Field '{field}': update takes a list of operations")
            for operation in operations:
                if not isinstance(operation, dict) or len(operation) != 1:
                    raise _Bad(f"Field '{field}': each operation is one {{verb: value}} object")
                ((verb, operand),) = operation.items()
                if verb not in UPDATE_VERBS.get(field, ("set",)):
                    raise _Bad(f"Field '{field}' does not support the operation '{verb}'.")
                if field in UPDATE_VERBS:
                    value = _apply_verb(ctx, field, verb, operand, value, project_id)
                else:
                    value = _parse(ctx, req, field, operand, project_id, type_id)
            changes[field] = value
        except (_Bad, BadValue) as bad:
            errors[field] = str(bad)
    return changes, errors


def hierarchy_errors(
    ctx: Context, issue_id: str | None, project_id: str, type_id: str, parent_id: str | None
) -> Errors:
    """Jira's hierarchy rules: a sub-task (level -1) needs a parent of level 0 in its project, a
    standard issue's parent is an epic (level 1), an epic has no parent (Free/Standard plans have no
    levels above it), and no issue is its own parent."""
    types = ctx.state.table("issuetypes")
    level = types[type_id]["hierarchyLevel"]
    if parent_id is None:
        return {"issuetype": SUBTASK_WITHOUT_PARENT} if level < 0 else {}
    parent = ctx.state.table("issues")[parent_id]
    parent_level = types[parent["fields"]["issuetype"]]["hierarchyLevel"]
    if parent_id == issue_id or parent_level != level + 1:
        return {"parent": WRONG_HIERARCHY}
    if level < 0 and parent["projectId"] != project_id:
        return {"parent": "A sub-task must be in the same project as its parent."}
    return {}


# ---- changelog items --------------------------------------------------------------------------
def _adf_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") == "text":
            return str(node.get("text", ""))
        parts = [_adf_text(child) for child in node.get("content", [])]
        return ("\n" if node.get("type") == "doc" else "").join(parts)
    return ""


def _display(ctx: Context, field: str, value: Any) -> tuple[str | None, str | None]:
    """``(from/to, fromString/toString)`` of a stored value, as Jira writes them in changelogs."""
    if value is None or value == []:
        return (None, None)
    if field in ("assignee", "reporter"):
        user = ctx.state.table("users").get(value, {})
        # Data Center's changelog names people by user key, Cloud's by account id.
        shown = datacenter.jira_user_key(ctx, value) if ctx.datacenter else value
        return (shown, user.get("displayName", value))
    if field == "priority":
        return (value, ctx.state.table("priorities")[value]["name"])
    if field == "resolution":
        return (value, ctx.state.table("resolutions")[value]["name"])
    if field == "issuetype":
        return (value, ctx.state.table("issuetypes")[value]["name"])
    if field == "parent":
        return (value, ctx.state.table("issues")[value]["key"])
    if field == "duedate":
        return (value, f"{value} 00:00:00.0")
    if field == "labels":
        return (None, " ".join(value))
    if field == "description":
        return (None, value if isinstance(value, str) else _adf_text(value))
    if isinstance(value, str):
        return (None, value)
    if isinstance(value, dict):
        return (str(value.get("id")) if "id" in value else None, str(value.get("value", value)))
    return (None, str(value))


def change_items(ctx: Context, current: Stored, changes: Stored) -> list[dict[str, Any]]:
    """The changelog items for setting ``changes`` on an issue whose fields are ``current``."""
    items: list[dict[str, Any]] = []
    fields = ctx.state.table("fields")
    for field, new in changes.items():
        old = current.get(field)
        if old == new or (old in (None, []) and new in (None, [])):
            continue
        if field == "components":
            names = ctx.state.table("components")
            for removed in [c for c in old or [] if c not in new]:
                items.append(
                    change_item("Component", field, (removed, names[removed]["name"]), (None, None))
                )
            for added in [c for c in new if c not in (old or [])]:
                items.append(
                    change_item("Component", field, (None, None), (added, names[added]["name"]))
                )
            continue
        custom = field.startswith("customfield_")
        name = fields[field]["name"] if custom else field
        if field == "parent":
            name = "IssueParentAssociation"  # the item name Jira Cloud uses for parent changes
        items.append(
            change_item(
                name, field, _display(ctx, field, old), _display(ctx, field, new), custom=custom
            )
        )
    return items
