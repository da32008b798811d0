"""A workflow read from the site, in names: the ids its rules use are looked up in bulk (only what
the rules reference), and each workflow becomes an :class:`Existing` whose spec compares with a
definition's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from teamcomms.resources.jira_objects import Existing
from teamcomms.resources.jira_statuses import CATEGORIES
from teamcomms.resources.jira_workflow_spec import INITIAL, Names, spec_from_site
from teamcomms.resources.marker_tag import description_text, read_tag, strip_tag

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_workflows import RemoteWorkflow

_CATEGORY_NAMES = {value: key for key, value in CATEGORIES.items()}


def rule_names(site: Site, workflows: Sequence[RemoteWorkflow]) -> Names:
    """The ids the workflows' rules use, with their names (only what they reference is read)."""
    jira = site.jira
    statuses = {name: sid for w in workflows for sid, name in w.status_names.items()}
    rules = [t for w in workflows for t in w.transitions]
    group_ids = sorted({g for t in rules for g in _params(t.conditions, "groupIds")})
    has_roles = any(_params(t.conditions, "roleIds") for t in rules)
    fields = {f.name: f.id for f in jira.fields()} if any(t.validators for t in rules) else {}
    groups = {g.name: g.id for g in jira.groups(ids=group_ids)} if group_ids else {}
    roles = {r.name: r.id for r in jira.roles()} if has_roles else {}
    resolutions = (
        {r.name: r.id for r in jira.resolutions()} if any(t.actions for t in rules) else {}
    )
    return Names(statuses, fields, groups, roles, resolutions)


def _params(conditions: Any, key: str) -> list[str]:
    if not isinstance(conditions, Mapping):
        return []
    found = []
    for rule in conditions.get("conditions") or []:
        value = (rule.get("parameters") or {}).get(key) if isinstance(rule, Mapping) else None
        found += [part for part in str(value or "").split(",") if part]
    for nested in conditions.get("conditionGroups") or []:
        found += _params(nested, key)
    return found


def existing_workflow(workflow: RemoteWorkflow, names: Names) -> Existing:
    """``workflow`` as the planner compares it. Its extras carry what writing needs (version,
    transition ids) and what exporting needs (whether Jira lets it be edited, and the category
    and description of each status, from the same answer)."""
    tag = read_tag(workflow.description)
    spec = spec_from_site(
        workflow.name,
        strip_tag(workflow.description),
        workflow.statuses,
        workflow.transitions,
        names,
    )
    ids = {t.name: t.id for t in workflow.transitions if t.type != "INITIAL"}
    for transition in workflow.transitions:
        if transition.type == "INITIAL":
            ids[INITIAL] = transition.id
    statuses = {
        status.name: {
            "category": _CATEGORY_NAMES.get(status.category, status.category.lower()),
            "description": description_text(status.description),
        }
        for status in workflow.status_details.values()
    }
    return Existing(
        id=workflow.id,
        spec=spec,
        owner=tag.definition if tag else None,
        written=tag.short_hash if tag else None,
        extra={
            "version_id": workflow.version_id,
            "version_number": workflow.version_number,
            "transition_ids": ids,
            "editable": workflow.editable,
            "statuses": statuses,
        },
    )
