"""What changing a workflow scheme, or a project's scheme, does to issues: which statuses need a
mapping (``POST /workflowscheme/update/mappings``), which mappings a request gives, and the
issues' moves. Shared by the scheme update and the project switch.

A change maps ``(project id, issue type id)`` to ``(old workflow, new workflow)`` for every issue
type whose workflow changes. Statuses need a mapping when issues of that project and type sit in
a status the new workflow lacks (see :mod:`teamcomms.sandbox.jira_status_migration`).
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context
from teamcomms.sandbox.jira_status_migration import (
    Key,
    issues_of_projects,
    status_ids,
    status_name,
    stranded,
    type_name,
    workflow_by_name,
    workflow_name_in,
)

Changes = dict[Key, tuple[dict[str, Any], dict[str, Any]]]
"""``(project, issue type) -> (old workflow, new workflow)``, only where the workflow changes."""


def changes_for(
    ctx: Context, project_ids: list[str], old: dict[str, Any], new: dict[str, Any]
) -> Changes:
    """The workflow changes of moving these projects from scheme ``old`` to ``new`` (both in the
    stored shape: ``defaultWorkflow`` and ``issueTypeMappings`` by workflow name)."""
    changes: Changes = {}
    projects = ctx.state.table("projects")
    for project_id in project_ids:
        for type_id in projects[project_id]["issueTypeIds"]:
            before = workflow_by_name(ctx, workflow_name_in(old, type_id))
            after = workflow_by_name(ctx, workflow_name_in(new, type_id))
            if before is not None and after is not None and before["id"] != after["id"]:
                changes[(project_id, type_id)] = (before, after)
    return changes


def required(ctx: Context, changes: Changes) -> dict[Key, set[str]]:
    """The statuses that need a mapping, per ``(project, issue type)``."""
    issues = issues_of_projects(ctx, {project for project, _ in changes})
    return stranded(ctx, issues, {key: status_ids(new) for key, (_, new) in changes.items()})


def _pairs(raw: Any) -> dict[str, str]:
    return {
        str(m.get("oldStatusId")): str(m.get("newStatusId"))
        for m in raw or []
        if isinstance(m, dict)
    }


def given_mappings(
    changes: Changes, by_workflows: Any, by_issue_types: Any
) -> dict[Key, dict[str, str]]:
    """The mappings a request gives each ``(project, type)``: by issue type over by workflows."""
    workflows = {
        (str(m.get("oldWorkflowId")), str(m.get("newWorkflowId"))): _pairs(m.get("statusMappings"))
        for m in by_workflows or []
        if isinstance(m, dict)
    }
    types = {
        str(m.get("issueTypeId")): _pairs(m.get("statusMappings"))
        for m in by_issue_types or []
        if isinstance(m, dict)
    }
    return {
        (project, type_id): {
            **workflows.get((old["id"], new["id"]), {}),
            **types.get(type_id, {}),
        }
        for (project, type_id), (old, new) in changes.items()
    }


def check_mappings(
    ctx: Context, changes: Changes, mappings: dict[Key, dict[str, str]], what: str
) -> None:
    """400 naming every status issues are in that the new workflow lacks and ``mappings`` does
    not map to a status of the new workflow (``what``: the request field to give them in)."""
    projects = ctx.state.table("projects")
    messages = []
    for key, statuses in sorted(required(ctx, changes).items()):
        project_id, type_id = key
        new = changes[key][1]
        for status_id in sorted(statuses):
            target = mappings.get(key, {}).get(status_id)
            if target is not None and target in status_ids(new):
                continue
            # Own wording (Jira's message for a missing mapping is not published).
            messages.append(
                f"Issues of type '{type_name(ctx, type_id)}' in project "
                f"{projects[project_id]['key']} are in status '{status_name(ctx, status_id)}', "
                f"which the workflow '{new['name']}' does not have. Map status {status_id} to a "
                f"status of that workflow in {what}."
            )
    if messages:
        raise ApiError(400, messages[0], messages=messages)


def required_mappings_answer(ctx: Context, changes: Changes) -> dict[str, Any]:
    """A ``WorkflowSchemeUpdateRequiredMappingsResponse`` for these changes."""
    needed = required(ctx, changes)
    by_type: dict[str, set[str]] = {}
    by_workflows: dict[tuple[str, str], set[str]] = {}
    for key, statuses in needed.items():
        old, new = changes[key]
        by_type.setdefault(key[1], set()).update(statuses)
        by_workflows.setdefault((old["id"], new["id"]), set()).update(statuses)
    workflows = {w["id"]: w for pair in changes.values() for w in pair}
    table = ctx.state.table("statuses")
    mentioned = {s for w in workflows.values() for s in status_ids(w)} | {
        s for statuses in needed.values() for s in statuses
    }
    return {
        "statusMappingsByIssueTypes": [
            {"issueTypeId": type_id, "statusIds": sorted(ids, key=int)}
            for type_id, ids in sorted(by_type.items())
        ],
        "statusMappingsByWorkflows": [
            {"sourceWorkflowId": old, "targetWorkflowId": new, "statusIds": sorted(ids, key=int)}
            for (old, new), ids in sorted(by_workflows.items())
        ],
        "statuses": [
            {"id": s, "name": table[s]["name"], "category": table[s]["statusCategory"]}
            for s in sorted(mentioned, key=int)
            if s in table
        ],
        "statusesPerWorkflow": [
            {
                "workflowId": w["id"],
                "initialStatusId": next(
                    str(t["toStatusReference"]) for t in w["transitions"] if t["type"] == "INITIAL"
                ),
                "statuses": sorted(status_ids(w), key=int),
            }
            for w in sorted(workflows.values(), key=lambda w: int(w["id"]))
        ],
    }
