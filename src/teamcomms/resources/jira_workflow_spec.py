"""A workflow in names (statuses, transitions, rules) for comparing, and in Jira's ids for writing.

The comparable form (``Spec.values``) is what both sides reduce to: status names in order, the
initial status, and per transition name its sources (``any`` for a global transition), target,
description and rules. Rules are Jira's own (see the ``/workflows/create`` documentation):

- a field required before a transition: validator ``system:validate-field-value`` with
  ``ruleType: fieldRequired`` and ``fieldsRequired``;
- a transition limited to groups or project roles: condition ``system:restrict-issue-transition``
  with ``groupIds`` and ``roleIds``;
- the resolution set on a transition into a done status: post function ``system:update-field``
  on ``resolution``.

Rules teamcomms does not model are kept by key under ``other rules``, so a plan never drops them
silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from teamcomms.definitions import WorkflowDefinition
from teamcomms.resources.jira_objects import Spec

INITIAL = "\0initial"
"""Key of the INITIAL transition's id among transition ids by name (no name collides)."""
FIELD_REQUIRED = "system:validate-field-value"
RESTRICT = "system:restrict-issue-transition"
UPDATE_FIELD = "system:update-field"


def workflow_spec(workflow: WorkflowDefinition) -> Spec:
    """What teamcomms manages of a workflow, from its definition."""
    categories = {s.name: s.category for s in workflow.statuses}
    transitions: dict[str, Any] = {}
    for transition in workflow.transitions:
        into_done = categories.get(transition.to) == "done"
        transitions[transition.name] = _transition(
            sources="any" if transition.sources is None else sorted(transition.sources),
            to=transition.to,
            description=" ".join(transition.description.split()),
            requires=sorted(transition.requires),
            groups=sorted(transition.groups),
            roles=sorted(transition.roles),
            resolution=workflow.resolution if into_done else None,
            other=[],
        )
    return Spec(
        name=workflow.name,
        values={
            "description": " ".join(workflow.description.split()),
            "statuses": [s.name for s in workflow.statuses],
            "initial": workflow.initial,
            "transitions": transitions,
        },
    )


def _transition(
    *,
    sources: str | list[str],
    to: str,
    description: str,
    requires: list[str],
    groups: list[str],
    roles: list[str],
    resolution: str | None,
    other: list[str],
) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    if requires:
        rules["requires"] = requires
    if groups:
        rules["groups"] = groups
    if roles:
        rules["roles"] = roles
    if resolution:
        rules["resolution"] = resolution
    if other:
        rules["other rules"] = other
    return {"from": sources, "to": to, "description": description, **rules}


class Names:
    """Ids of the things rules name, both ways (read from the site once per run)."""

    def __init__(
        self,
        statuses: Mapping[str, str],
        fields: Mapping[str, str],
        groups: Mapping[str, str],
        roles: Mapping[str, str],
        resolutions: Mapping[str, str],
    ) -> None:
        self.statuses, self.fields, self.groups = statuses, fields, groups
        self.roles, self.resolutions = roles, resolutions

    def status_name(self, status_id: str) -> str:
        """The name of a status id (the id itself if unknown)."""
        return name_of(self.statuses, status_id)


def name_of(ids: Mapping[str, str], value: str) -> str:
    """The name whose id is ``value`` in ``ids`` (name -> id); ``value`` itself if unknown."""
    return next((name for name, known in ids.items() if known == value), value)


def spec_from_site(
    name: str,
    description: str,
    status_ids: Sequence[str],
    transitions: Sequence[Any],
    names: Names,
) -> Spec:
    """The comparable form of a workflow read from the site."""
    found: dict[str, Any] = {}
    initial = ""
    for transition in transitions:
        to = names.status_name(transition.to)
        if transition.type == "INITIAL":
            initial = to
            continue
        requires: list[str] = []
        other: list[str] = []
        for rule in transition.validators:
            params = rule.get("parameters") or {}
            if rule.get("ruleKey") == FIELD_REQUIRED and params.get("ruleType") == "fieldRequired":
                requires += [name_of(names.fields, f) for f in _split(params.get("fieldsRequired"))]
            else:
                other.append(str(rule.get("ruleKey")))
        groups: list[str] = []
        roles: list[str] = []
        for rule in _conditions(transition.conditions):
            params = rule.get("parameters") or {}
            if rule.get("ruleKey") == RESTRICT:
                groups += [name_of(names.groups, g) for g in _split(params.get("groupIds"))]
                roles += [name_of(names.roles, r) for r in _split(params.get("roleIds"))]
            else:
                other.append(str(rule.get("ruleKey")))
        resolution = None
        for rule in transition.actions:
            params = rule.get("parameters") or {}
            if rule.get("ruleKey") == UPDATE_FIELD and params.get("field") == "resolution":
                resolution = name_of(names.resolutions, str(params.get("value", "")))
            else:
                other.append(str(rule.get("ruleKey")))
        sources = (
            "any"
            if transition.type == "GLOBAL"
            else sorted(names.status_name(s) for s in transition.sources)
        )
        found[transition.name] = _transition(
            sources=sources,
            to=to,
            description=" ".join(transition.description.split()),
            requires=sorted(requires),
            groups=sorted(groups),
            roles=sorted(roles),
            resolution=resolution,
            other=sorted(other),
        )
    return Spec(
        name=name,
        values={
            "description": " ".join(description.split()),
            "statuses": [names.status_name(s) for s in status_ids],
            "initial": initial,
            "transitions": found,
        },
    )


def _split(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _conditions(group: Any) -> list[Mapping[str, Any]]:
    """Every rule of a (nested) condition group."""
    if not isinstance(group, Mapping):
        return []
    rules = [c for c in group.get("conditions") or [] if isinstance(c, Mapping)]
    for nested in group.get("conditionGroups") or []:
        rules += _conditions(nested)
    return rules


def transitions_payload(
    spec: Spec,
    status_id: Callable[[str], str],
    ids: Mapping[str, str],
    names: Names,
) -> list[dict[str, Any]]:
    """The ``transitions`` of a create or update payload. ``ids`` keeps the ids the site already
    gave transitions (by name), so updating a workflow does not renumber them."""
    values = spec.values
    used = {int(i) for i in ids.values() if str(i).isdigit()}
    next_id = max([1, *used]) + 10
    initial_id = ids.get(INITIAL, "1")
    payload = [
        _transition_payload(initial_id, "Create", "INITIAL", status_id(values["initial"]), [])
    ]
    for name, transition in values["transitions"].items():
        transition_id = ids.get(name)
        if transition_id is None:
            transition_id, next_id = str(next_id), next_id + 10
        sources = transition["from"]
        kind = "GLOBAL" if sources == "any" else "DIRECTED"
        links = [] if sources == "any" else [{"fromStatusReference": status_id(s)} for s in sources]
        item = _transition_payload(transition_id, name, kind, status_id(transition["to"]), links)
        item["description"] = transition["description"]
        item.update(_rules_payload(transition, names))
        payload.append(item)
    return payload


def _transition_payload(
    transition_id: str, name: str, kind: str, to: str, links: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "id": transition_id,
        "name": name,
        "type": kind,
        "toStatusReference": to,
        "links": links,
        "description": "",
        "properties": {},
        "validators": [],
        "actions": [],
        "triggers": [],
    }


def _rules_payload(transition: Mapping[str, Any], names: Names) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    required = [names.fields.get(f, f) for f in transition.get("requires", [])]
    if required:
        rules["validators"] = [
            {
                "ruleKey": FIELD_REQUIRED,
                "parameters": {
                    "ruleType": "fieldRequired",
                    "fieldsRequired": ",".join(required),
                    "ignoreContext": "true",
                    "errorMessage": "Fill in " + ", ".join(transition["requires"]) + " first.",
                },
            }
        ]
    groups = [names.groups.get(g, g) for g in transition.get("groups", [])]
    roles = [names.roles.get(r, r) for r in transition.get("roles", [])]
    if groups or roles:
        parameters = {"groupIds": ",".join(groups), "roleIds": ",".join(roles)}
        restrict = {"ruleKey": RESTRICT, "parameters": {k: v for k, v in parameters.items() if v}}
        rules["conditions"] = {"operation": "ALL", "conditions": [restrict], "conditionGroups": []}
    resolution = transition.get("resolution")
    if resolution:
        value = names.resolutions.get(resolution, resolution)
        rules["actions"] = [
            {
                "ruleKey": UPDATE_FIELD,
                "parameters": {"field": "resolution", "value": value, "mode": "replace"},
            }
        ]
    return rules
