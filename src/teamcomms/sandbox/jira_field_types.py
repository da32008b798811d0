"""Jira Cloud's built-in custom field types and the searchers each accepts, as the descriptions of
``POST /rest/api/3/field`` (``type``) and ``CustomFieldDefinitionJsonBean.searcherKey`` list them.

The spec's list has two slips (``multicheckboxes`` and ``multigrouppicker`` show an empty value,
and ``multiselect``/``multiuserpicker`` show their neighbours' keys); the keys here are the type
names after the common prefix, which is what the list's other entries and Jira's field
definitions use. Any other type is refused, as is a searcher the type does not accept.
"""

from __future__ import annotations

from teamcomms.sandbox.api import ApiError

PREFIX = "com.atlassian.jira.plugin.system.customfieldtypes:"
# type -> (schema.type, schema.items or "", searchers (abbreviated))
TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cascadingselect": ("option-with-child", "", ("cascadingselectsearcher",)),
    "datepicker": ("date", "", ("daterange",)),
    "datetime": ("datetime", "", ("datetimerange",)),
    "float": ("number", "", ("exactnumber", "numberrange")),
    "grouppicker": ("group", "", ("grouppickersearcher",)),
    "importid": ("number", "", ("exactnumber", "numberrange")),
    "labels": ("array", "string", ("labelsearcher",)),
    "multicheckboxes": ("array", "option", ("multiselectsearcher",)),
    "multigrouppicker": ("array", "group", ("multiselectsearcher",)),
    "multiselect": ("array", "option", ("multiselectsearcher",)),
    "multiuserpicker": ("array", "user", ("userpickergroupsearcher",)),
    "multiversion": ("array", "version", ("versionsearcher",)),
    "project": ("project", "", ("projectsearcher",)),
    "radiobuttons": ("option", "", ("multiselectsearcher",)),
    "readonlyfield": ("string", "", ("textsearcher",)),
    "select": ("option", "", ("multiselectsearcher",)),
    "textarea": ("string", "", ("textsearcher",)),
    "textfield": ("string", "", ("textsearcher",)),
    "url": ("string", "", ("exacttextsearcher",)),
    "userpicker": ("user", "", ("userpickergroupsearcher",)),
    "version": ("version", "", ("versionsearcher",)),
}
OPTION_TYPES = frozenset(
    {"cascadingselect", "multicheckboxes", "multiselect", "radiobuttons", "select"}
)
# The documented 400 example of PUT /field/{fieldId}.
BAD_SEARCHER = "searcherKey is invalid for the field type."


def type_name(key: object) -> str:
    """The short type name of a full custom field type key (400 when Jira has no such type)."""
    name = key.removeprefix(PREFIX) if isinstance(key, str) else ""
    if not isinstance(key, str) or not key.startswith(PREFIX) or name not in TYPES:
        raise ApiError(
            400,
            "",
            errors={
                "type": f"The custom field type '{key}' does not exist. Use one of Jira's types, "
                f"such as {PREFIX}select."
            },
        )
    return name


def check_searcher(name: str, searcher: object) -> None:
    """400 unless ``searcher`` is None or a searcher the type ``name`` accepts."""
    if searcher is None:
        return
    allowed = {PREFIX + s for s in TYPES[name][2]}
    if searcher not in allowed:
        raise ApiError(400, BAD_SEARCHER)


def schema_of(key: str, number: int) -> dict[str, object]:
    """The ``schema`` Jira gives a custom field of this type."""
    kind, items, _ = TYPES[key.removeprefix(PREFIX)]
    schema: dict[str, object] = {"type": kind, "custom": key, "customId": number}
    if items:
        schema["items"] = items
    return schema


def has_options(field: dict[str, object]) -> bool:
    """Whether a stored custom field's type has options (select lists, radio buttons ...)."""
    schema = field.get("schema")
    key = schema.get("custom", "") if isinstance(schema, dict) else ""
    return str(key).removeprefix(PREFIX) in OPTION_TYPES
