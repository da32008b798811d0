"""Workflows read from the site -> ``workflow`` definitions, for ``teamcomms export``.

A workflow's statuses (with their categories and descriptions, from the same answer), initial
status, transitions and the rules teamcomms models (required fields, groups and roles, the
resolution set on the way into a done status) become the definition. What the definition cannot
say is reported and keeps the workflow from being adopted: a rule teamcomms does not model (an
apply would drop it), transitions into done statuses that set different resolutions. Which
projects use the workflow (``used_by``) comes from the workflow-scheme resource's export.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from teamcomms.definitions import WorkflowDefinition
from teamcomms.engine.resource import Exported, ExportedDefinition, ExportNote
from teamcomms.resources.jira_export import export_object, skipped
from teamcomms.resources.jira_objects import Existing, Spec
from teamcomms.resources.jira_workflow_spec import workflow_spec

FILE = "jira/workflows.yaml"
DEFAULT_RESOLUTION = "Done"
"""What a definition's ``resolution`` is when it says none."""


def export_workflows(current: tuple[Existing, ...]) -> Exported:
    """A definition per workflow Jira lets be edited (see the module docstring)."""
    definitions: list[ExportedDefinition] = []
    notes: list[ExportNote] = []
    for item in sorted(current, key=lambda e: e.spec.name.casefold()):
        exported = _workflow(item)
        definitions.extend(exported.definitions)
        notes.extend(exported.notes)
    return Exported(tuple(definitions), tuple(notes))


def _spec_of(document: dict[str, Any]) -> Spec:
    return workflow_spec(WorkflowDefinition.model_validate(document))


def _workflow(item: Existing) -> Exported:
    name = item.spec.name
    if not item.extra.get("editable", True):
        return Exported(notes=(skipped("workflow", name, "Jira's built-in workflow, read-only"),))
    values = item.spec.values
    known: Mapping[str, Mapping[str, str]] = item.extra.get("statuses", {})
    missing = [s for s in values["statuses"] if s not in known]
    if missing or not values["initial"]:
        why = f"the categories of {', '.join(missing)} are unknown" if missing else ""
        why = why or "it has no initial status"
        return Exported(notes=(skipped("workflow", name, why),))
    statuses = []
    for status in values["statuses"]:
        listed = {"name": status, "category": known[status]["category"]}
        if known[status]["description"]:
            listed["description"] = known[status]["description"]
        statuses.append(listed)
    problems: list[str] = []
    transitions = []
    into_done: dict[str, str | None] = {}
    for transition_name, transition in values["transitions"].items():
        entry: dict[str, Any] = {
            "name": transition_name,
            "from": transition["from"],
            "to": transition["to"],
        }
        if transition["description"]:
            entry["description"] = transition["description"]
        for rule in ("requires", "groups", "roles"):
            if transition.get(rule):
                entry[rule] = list(transition[rule])
        transitions.append(entry)
        others = transition.get("other rules")
        if others:
            problems.append(
                f"transition {transition_name!r} has rules teamcomms does not model "
                f"({', '.join(others)}); an apply would remove them"
            )
        if known[transition["to"]]["category"] == "done":
            into_done[transition_name] = transition.get("resolution")
    document: dict[str, Any] = {}
    if values["description"]:
        document["description"] = values["description"]
    document.update(statuses=statuses, initial=values["initial"], transitions=transitions)
    resolution = _resolution(into_done, problems)
    if resolution != DEFAULT_RESOLUTION:
        document["resolution"] = resolution
    return export_object(
        kind="workflow",
        noun="workflow",
        item=item,
        document=document,
        spec_of=_spec_of,
        file=FILE,
        problems=problems,
    )


def _resolution(into_done: Mapping[str, str | None], problems: list[str]) -> str | None:
    """The one resolution a definition sets on every transition into a done status: the one
    they all set (the most common, with a problem, when they differ)."""
    if not into_done:
        return DEFAULT_RESOLUTION
    counts = Counter(into_done.values())
    chosen = counts.most_common(1)[0][0]
    if len(counts) > 1:
        shown = "; ".join(f"{name}: {value or 'none'}" for name, value in into_done.items())
        problems.append(
            f"its transitions into done statuses set different resolutions ({shown}); a "
            "definition sets one for all"
        )
    return chosen
