"""Custom fields read from the site -> ``field`` definitions, for ``teamcomms export``.

A field of a type teamcomms models becomes a definition with its description, its options and
its contexts (Jira's global context under its default name is implied, as in definitions). What a
definition cannot say keeps the field from being adopted and is reported: contexts with
different options (a definition gives every context the same ones), a field without a global
context (a plan would add one, making the field apply everywhere).
"""

from __future__ import annotations

from typing import Any

from teamcomms.definitions import FieldDefinition
from teamcomms.engine.resource import Exported, ExportedDefinition, ExportNote
from teamcomms.resources.jira_export import export_object, skipped
from teamcomms.resources.jira_objects import Existing, Spec

FILE = "jira/fields.yaml"


def export_fields(current: tuple[Existing, ...]) -> Exported:
    """A definition per custom field of a type teamcomms models (see the module docstring)."""
    definitions: list[ExportedDefinition] = []
    notes: list[ExportNote] = []
    for item in sorted(current, key=lambda e: (e.spec.name.casefold(), e.id)):
        exported = _field(item)
        definitions.extend(exported.definitions)
        notes.extend(exported.notes)
    return Exported(tuple(definitions), tuple(notes))


def _spec_of(document: dict[str, Any]) -> Spec:
    from teamcomms.resources.jira_fields import field_spec

    return field_spec(FieldDefinition.model_validate(document))


def _field(item: Existing) -> Exported:
    from teamcomms.resources.jira_fields import OPTION_TYPES, TYPES, default_context

    name = item.spec.name
    values = item.spec.values
    kind = str(values["type"])
    if kind not in TYPES:
        return Exported(notes=(skipped("custom field", name, f"its type {kind} is not modelled"),))
    contexts: dict[str, Any] = dict(values["contexts"])
    problems: list[str] = []
    document: dict[str, Any] = {"type": kind}
    if values["description"]:
        document["description"] = values["description"]
    if kind in OPTION_TYPES:
        lists = {c: list(v.get("options", [])) for c, v in contexts.items()}
        first = next(iter(lists.values()), [])
        if any(options != first for options in lists.values()):
            shown = "; ".join(f"{c}: {', '.join(o) or 'none'}" for c, o in lists.items())
            problems.append(
                f"its contexts have different options ({shown}); a definition gives every "
                "context the same ones"
            )
        if not first:
            why = "it has no options, and a definition of this type needs some"
            return Exported(notes=(skipped("custom field", name, why),))
        document["options"] = first
    unscoped = [c for c, v in contexts.items() if not v["projects"] and not v["issue_types"]]
    if not unscoped:
        problems.append(
            "it has no global context; a plan would add Jira's default one, which makes the "
            "field apply to every project"
        )
    declared = []
    for context, scope in contexts.items():
        if context == default_context(name) and context in unscoped:
            continue
        entry: dict[str, Any] = {"name": context}
        if scope["projects"]:
            entry["projects"] = list(scope["projects"])
        if scope["issue_types"]:
            entry["issue_types"] = list(scope["issue_types"])
        declared.append(entry)
    if declared:
        document["contexts"] = declared
    return export_object(
        kind="field",
        noun="custom field",
        item=item,
        document=document,
        spec_of=_spec_of,
        file=FILE,
        problems=problems,
    )
