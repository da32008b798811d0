"""The checks ``POST /workflows/create`` and ``/update`` make, and their ``/validation`` endpoints
answer: names, the INITIAL transition, transition ids, status references, transition rules (see
:mod:`teamcomms.sandbox.jira_workflow_rules`) and, for an update, the status mappings issues need
when the workflow loses a status they are in.

Errors are ``WorkflowValidationError`` objects (``code``, ``level``, ``message``, ``type``,
``elementReference``). The spec documents their shape and one code (``NON_UNIQUE_STATUS_NAME``);
the other codes and all messages are the sandbox's own, in Jira's style.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import Context
from teamcomms.sandbox.jira_status_migration import (
    Key,
    issues_of_projects,
    status_name,
    stranded,
    type_name,
    workflow_name_in,
)
from teamcomms.sandbox.jira_workflow_rules import rule_errors


def error(
    message: str, kind: str, reference: dict[str, Any] | None = None, code: str = "INVALID"
) -> dict[str, Any]:
    """One ``WorkflowValidationError``."""
    found: dict[str, Any] = {"code": code, "level": "ERROR", "message": message, "type": kind}
    if reference:
        found["elementReference"] = reference
    return found


def _transition_errors(
    name: str, transition: dict[str, Any], listed: set[Any], seen: set[str]
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    tid = transition.get("id")
    label = transition.get("name") or "?"
    at = {"transitionId": str(tid)}
    if not tid:
        errors.append(error(f"Transition '{label}' needs an id.", "TRANSITION"))
    elif str(tid) in seen:
        errors.append(error(f"Transition id '{tid}' is used twice.", "TRANSITION", at))
    seen.add(str(tid))
    if transition.get("toStatusReference") not in listed:
        errors.append(
            error(
                f"Transition '{label}' goes to a status the workflow does not list.",
                "TRANSITION",
                at,
            )
        )
    for link in transition.get("links") or []:
        if link.get("fromStatusReference") not in listed:
            errors.append(
                error(
                    f"Transition '{label}' starts from a status the workflow does not list.",
                    "TRANSITION",
                    at,
                )
            )
    if transition.get("type") == "DIRECTED" and not transition.get("links"):
        errors.append(
            error(f"Directed transition '{label}' needs links from a status.", "TRANSITION", at)
        )
    return errors + rule_errors(transition)


def workflow_errors(workflow: dict[str, Any], references: set[str]) -> list[dict[str, Any]]:
    """Jira's structural checks on one workflow (names, INITIAL transition, ids, references,
    rules)."""
    errors: list[dict[str, Any]] = []
    name = workflow.get("name") or workflow.get("id") or "?"
    listed = {s.get("statusReference") for s in workflow.get("statuses") or []}
    for ref in sorted(str(r) for r in listed if r not in references):
        errors.append(
            error(
                f"Workflow '{name}' uses status reference '{ref}' that is not defined.",
                "STATUS",
                {"statusReference": ref},
            )
        )
    transitions = workflow.get("transitions") or []
    initial = [t for t in transitions if t.get("type") == "INITIAL"]
    if len(initial) != 1:
        errors.append(
            error(
                f"Workflow '{name}' must have exactly one INITIAL transition; it has "
                f"{len(initial)}.",
                "WORKFLOW",
            )
        )
    seen: set[str] = set()
    for transition in transitions:
        errors += _transition_errors(name, transition, listed, seen)
    return errors


def reference_map(
    ctx: Context, payload: dict[str, Any]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The payload's status references -> existing status ids ("": a status to create)."""
    mapping: dict[str, str] = {}
    errors: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    for spec in payload.get("statuses") or []:
        ref = str(spec.get("statusReference"))
        if spec.get("id"):
            if str(spec["id"]) not in ctx.state.table("statuses"):
                errors.append(
                    error(
                        f"Status id {spec['id']} does not exist.",
                        "STATUS",
                        {"statusReference": ref},
                    )
                )
            mapping[ref] = str(spec["id"])
            continue
        mapping[ref] = ""
        lowered = str(spec.get("name", "")).lower()
        if lowered in names:
            # The validation endpoints' documented example error.
            errors.append(
                error(
                    "You must use a unique status name.",
                    "STATUS",
                    {"statusReference": ref},
                    code="NON_UNIQUE_STATUS_NAME",
                )
            )
        names[lowered] = ref
    return mapping, errors


def workflow_users(ctx: Context, workflow_name: str) -> set[Key]:
    """The ``(project, issue type)`` pairs whose project's scheme gives the type this workflow."""
    schemes = ctx.state.table("workflowschemes")
    found: set[Key] = set()
    for project in ctx.state.table("projects").values():
        scheme = schemes[project["workflowSchemeId"]]
        for type_id in project["issueTypeIds"]:
            if workflow_name_in(scheme, type_id) == workflow_name:
                found.add((project["id"], type_id))
    return found


def update_mappings(spec: dict[str, Any]) -> dict[Key | None, dict[str, str]]:
    """An update's status mappings: per ``(project, issue type)``, and workflow-wide (key None)."""
    mappings: dict[Key | None, dict[str, str]] = {
        None: {
            str(m.get("oldStatusReference")): str(m.get("newStatusReference"))
            for m in spec.get("defaultStatusMappings") or []
        }
    }
    for entry in spec.get("statusMappings") or []:
        key = (str(entry.get("projectId")), str(entry.get("issueTypeId")))
        mappings[key] = {
            str(m.get("oldStatusReference")): str(m.get("newStatusReference"))
            for m in entry.get("statusMigrations") or []
        }
    return mappings


def mapping_for(mappings: dict[Key | None, dict[str, str]], key: Key) -> dict[str, str]:
    """The mapping for one ``(project, issue type)``: its own entries over the workflow-wide."""
    return {**mappings[None], **mappings.get(key, {})}


def mapping_errors(
    ctx: Context, stored: dict[str, Any], spec: dict[str, Any], mapping: dict[str, str]
) -> list[dict[str, Any]]:
    """The status mappings an update of ``stored`` needs and lacks (``mapping``: the payload's
    status references -> ids)."""
    users = workflow_users(ctx, stored["name"])
    if not users:
        return []
    references = {str(s.get("statusReference")) for s in spec.get("statuses") or []}
    kept = {mapping.get(r) or r for r in references}
    issues = issues_of_projects(ctx, {project for project, _ in users})
    lacking = stranded(ctx, issues, dict.fromkeys(users, kept))
    mappings = update_mappings(spec)
    projects = ctx.state.table("projects")
    errors = []
    for (project_id, type_id), statuses in sorted(lacking.items()):
        given = mapping_for(mappings, (project_id, type_id))
        for status_id in sorted(statuses):
            target = given.get(status_id)
            if target is not None and target in references:
                continue
            # Own wording: Atlassian's message for a missing status mapping is not published.
            errors.append(
                error(
                    f"Issues of type '{type_name(ctx, type_id)}' in project "
                    f"{projects[project_id]['key']} are in status "
                    f"'{status_name(ctx, status_id)}', which the workflow '{stored['name']}' no "
                    "longer has. Map that status to one of the workflow's statuses in "
                    "statusMappings or defaultStatusMappings.",
                    "STATUS_MAPPING",
                    {
                        "statusReference": status_id,
                        "statusMappingReference": {"projectId": project_id, "issueTypeId": type_id},
                    },
                    code="MISSING_STATUS_MAPPING",
                )
            )
    return errors


def validate(ctx: Context, payload: dict[str, Any], *, create: bool) -> list[dict[str, Any]]:
    """Every error of a create or update payload."""
    mapping, errors = reference_map(ctx, payload)
    references = set(mapping) | set(ctx.state.table("statuses"))
    workflows = ctx.state.table("workflows")
    for workflow in payload.get("workflows") or []:
        stored = None
        if create and any(
            w["name"].lower() == str(workflow.get("name")).lower() for w in workflows.values()
        ):
            errors.append(
                error(
                    f"A workflow with the name '{workflow.get('name')}' already exists.", "WORKFLOW"
                )
            )
        if not create:
            stored = workflows.get(str(workflow.get("id")))
            if stored is None:
                errors.append(error(f"Workflow {workflow.get('id')} does not exist.", "WORKFLOW"))
            elif not stored["isEditable"]:
                errors.append(
                    error(
                        f"Workflow '{stored['name']}' is a system workflow and cannot be edited.",
                        "WORKFLOW",
                    )
                )
        errors += workflow_errors(workflow, references)
        errors += _required_field_errors(ctx, workflow)
        if stored is not None and stored["isEditable"]:
            errors += mapping_errors(ctx, stored, workflow, mapping)
    return errors


def _required_field_errors(ctx: Context, workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """A "field required" validator naming a field that does not exist. Jira refuses it at
    validation; its exact wording is not documented, so this message is written in its style."""
    fields = ctx.state.table("fields")
    errors = []
    for transition in workflow.get("transitions") or []:
        for rule in transition.get("validators") or []:
            parameters = rule.get("parameters") if isinstance(rule, dict) else None
            if not isinstance(parameters, dict) or parameters.get("ruleType") != "fieldRequired":
                continue
            for field_id in str(parameters.get("fieldsRequired", "")).split(","):
                field_id = field_id.strip()
                if field_id and field_id not in fields:
                    errors.append(
                        error(
                            f"The field '{field_id}' that transition '{transition.get('name')}' "
                            "requires does not exist.",
                            "RULE",
                            {"transitionId": str(transition.get("id"))},
                        )
                    )
    return errors
