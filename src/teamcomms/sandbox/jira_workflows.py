"""Jira workflows (v3 only, as on Cloud): bulk read, search, create, update, both validation
endpoints, and deleting an inactive workflow, with version numbers for optimistic locking.

Checks are in :mod:`teamcomms.sandbox.jira_workflow_checks`; a create or update that fails them
answers 400 with every message in ``errorMessages``. An update that strands issues in a status the
workflow no longer has needs ``statusMappings``/``defaultStatusMappings``; with them the issues
move and the answer carries the ``taskId`` of the migration (poll ``/task/{id}``).
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.jira_status_migration import (
    Key,
    issues_of_projects,
    move_issues,
    workflow_name_in,
)
from teamcomms.sandbox.jira_statuses import jira_status, new_status, status_scope
from teamcomms.sandbox.jira_tasks import refuse_while_running, start_task
from teamcomms.sandbox.jira_workflow_checks import (
    mapping_for,
    update_mappings,
    validate,
    workflow_users,
)
from teamcomms.sandbox.jira_workflow_rules import rule_ids, stored_rules
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()
_TRANSITION_KEYS = ("id", "name", "description", "type", "toStatusReference", "links", "properties")


def _materialise(ctx: Context, payload: dict[str, Any], scope: dict[str, Any]) -> dict[str, str]:
    """Create the payload's new statuses; returns reference -> status id."""
    mapping: dict[str, str] = {}
    for spec in payload.get("statuses") or []:
        ref = str(spec["statusReference"])
        mapping[ref] = str(spec["id"]) if spec.get("id") else new_status(ctx, spec, scope)["id"]
    return mapping


def _stored_parts(
    ctx: Context, spec: dict[str, Any], mapping: dict[str, str], known_rules: set[str]
) -> tuple[list[Any], list[Any]]:
    """The statuses and transitions of a checked workflow spec, as stored."""

    def ref(value: Any) -> str:
        return mapping.get(str(value), str(value))

    statuses = [
        {**s, "statusReference": ref(s["statusReference"]), "properties": s.get("properties", {})}
        for s in spec.get("statuses") or []
    ]
    transitions = []
    for t in spec.get("transitions") or []:
        stored = {k: t[k] for k in _TRANSITION_KEYS if k in t}
        stored.update(
            id=str(t["id"]),
            toStatusReference=ref(t.get("toStatusReference")),
            links=[
                {**link, "fromStatusReference": ref(link.get("fromStatusReference"))}
                for link in t.get("links") or []
            ],
            **stored_rules(ctx, t, known_rules),
        )
        transitions.append(stored)
    return statuses, transitions


def _transition_json(transition: dict[str, Any]) -> dict[str, Any]:
    """A ``WorkflowTransitions`` (rules answered with their ids; conditions only when set)."""
    answer = {
        "id": str(transition["id"]),
        "name": transition["name"],
        "description": transition.get("description", ""),
        "type": transition["type"],
        "toStatusReference": str(transition["toStatusReference"]),
        "links": transition.get("links", []),
        "properties": transition.get("properties", {}),
        "actions": transition.get("actions", []),
        "validators": transition.get("validators", []),
        "triggers": transition.get("triggers", []),
    }
    for key in ("conditions", "transitionScreen"):
        if transition.get(key) is not None:
            answer[key] = transition[key]
    return answer


def workflow_json(
    ctx: Context, workflow: dict[str, Any], *, transitions: bool = True
) -> dict[str, Any]:
    """A ``JiraWorkflow`` (``transitions`` left out when not asked for, as search does)."""
    answer = {
        k: workflow[k]
        for k in (
            "id",
            "name",
            "description",
            "scope",
            "version",
            "isEditable",
            "created",
            "updated",
        )
    }
    answer["statuses"] = [
        {"statusReference": str(s["statusReference"]), "properties": s.get("properties", {}),
         **({"layout": s["layout"]} if "layout" in s else {}), "deprecated": False}
        for s in workflow["statuses"]
    ]  # fmt: skip
    if transitions:
        answer["transitions"] = [_transition_json(t) for t in workflow["transitions"]]
    return answer


def _statuses_of(ctx: Context, workflows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = {str(s["statusReference"]) for w in workflows for s in w["statuses"]}
    statuses = ctx.state.table("statuses")
    return [jira_status(ctx, statuses[i], i) for i in sorted(ids, key=int) if i in statuses]


def _workflows_answer(
    ctx: Context, workflows: list[dict[str, Any]], task_id: str | None = None
) -> Response:
    """Create, update and bulk read all answer the workflows with the statuses they use."""
    body: dict[str, Any] = {
        "statuses": _statuses_of(ctx, workflows),
        "workflows": [workflow_json(ctx, w) for w in workflows],
    }
    if task_id is not None:
        body["taskId"] = task_id
    return Response(200, body)


def _validation_answer(ctx: Context, req: Request, *, create: bool) -> Response:
    payload = req.json_object().get("payload") or {}
    levels = set(((req.json_object().get("validationOptions") or {}).get("levels")) or ["ERROR"])
    errors = [e for e in validate(ctx, payload, create=create) if e["level"] in levels]
    return Response(200, {"errors": errors})


def _check_payload(ctx: Context, payload: dict[str, Any], *, create: bool) -> None:
    errors = validate(ctx, payload, create=create)
    if errors:
        messages = [e["message"] for e in errors]
        raise ApiError(400, messages[0], messages=messages)


@ROUTES.post(API + "/workflows/create")
def create_workflows(ctx: Context, req: Request) -> Response:
    payload = req.json_object()
    scope = status_scope(ctx, payload.get("scope"))
    _check_payload(ctx, payload, create=True)
    mapping = _materialise(ctx, payload, scope)
    created = []
    for spec in payload.get("workflows") or []:
        statuses, transitions = _stored_parts(ctx, spec, mapping, set())
        workflow_id = ctx.state.new_id()
        now = ctx.state.now()
        workflow = {
            "id": workflow_id,
            "name": spec["name"],
            "description": spec.get("description", ""),
            "scope": scope,
            "statuses": statuses,
            "transitions": transitions,
            "version": {"id": f"{workflow_id}-v", "versionNumber": 0},
            "isEditable": True,
            "created": now,
            "updated": now,
        }
        ctx.state.table("workflows")[workflow_id] = workflow
        created.append(workflow)
    return _workflows_answer(ctx, created)


@ROUTES.post(API + "/workflows/create/validation")
def validate_create(ctx: Context, req: Request) -> Response:
    return _validation_answer(ctx, req, create=True)


@ROUTES.post(API + "/workflows/update/validation")
def validate_update(ctx: Context, req: Request) -> Response:
    return _validation_answer(ctx, req, create=False)


def _moves(
    ctx: Context, stored: dict[str, Any], spec: dict[str, Any], mapping: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[Key, dict[str, str]]]:
    """The issues using ``stored`` and where its update's mappings send them (status ids)."""
    users = workflow_users(ctx, stored["name"])
    mappings = update_mappings(spec)
    resolved = {
        key: {old: mapping.get(new, new) for old, new in mapping_for(mappings, key).items()}
        for key in users
    }
    return issues_of_projects(ctx, {project for project, _ in users}), resolved


@ROUTES.post(API + "/workflows/update")
def update_workflows(ctx: Context, req: Request) -> Response:
    payload = req.json_object()
    _check_payload(ctx, payload, create=False)
    workflows = ctx.state.table("workflows")
    for spec in payload.get("workflows") or []:
        stored = workflows[str(spec["id"])]
        number = (spec.get("version") or {}).get("versionNumber")
        if number != stored["version"]["versionNumber"]:
            raise ApiError(
                409,
                f"The workflow '{stored['name']}' was changed by someone else (version "
                f"{stored['version']['versionNumber']}); read it again and retry.",
            )
        refuse_while_running(ctx, sorted({p for p, _ in workflow_users(ctx, stored["name"])}))
    updated, moved_projects = [], set()
    for spec in payload.get("workflows") or []:
        stored = workflows[str(spec["id"])]
        mapping = _materialise(ctx, payload, stored["scope"])
        issues, moves = _moves(ctx, stored, spec, mapping)
        known = rule_ids(stored)
        stored["statuses"], stored["transitions"] = _stored_parts(ctx, spec, mapping, known)
        stored["description"] = spec.get("description", stored["description"])
        stored["version"] = {
            "id": stored["version"]["id"],
            "versionNumber": stored["version"]["versionNumber"] + 1,
        }
        stored["updated"] = ctx.state.now()
        if move_issues(ctx, issues, moves):
            moved_projects |= {project for project, _ in moves}
        updated.append(stored)
    task = None
    if moved_projects:
        names = ", ".join(w["name"] for w in updated)
        description = f"Migrating issues for the workflow update: {names}"
        task = start_task(ctx, description, sorted(moved_projects))
    return _workflows_answer(ctx, updated, task["id"] if task else None)


@ROUTES.post(API + "/workflows")
def read_workflows(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    names = set(data.get("workflowNames") or [])
    ids = {str(i) for i in data.get("workflowIds") or []}
    schemes = ctx.state.table("workflowschemes")
    for pair in data.get("projectAndIssueTypes") or []:
        project = find_project(ctx, str(pair.get("projectId")), status=400)
        scheme = schemes[project["workflowSchemeId"]]
        names.add(workflow_name_in(scheme, str(pair.get("issueTypeId"))))
    found = [
        w
        for w in sorted(ctx.state.table("workflows").values(), key=lambda w: int(w["id"]))
        if w["name"] in names or w["id"] in ids
    ]
    return _workflows_answer(ctx, found)


def is_active(ctx: Context, workflow: dict[str, Any]) -> bool:
    """Whether a project's scheme uses the workflow."""
    return bool(workflow_users(ctx, workflow["name"]))


_ORDERS = {"name": lambda w: w["name"].lower(), "created": lambda w: w["created"],
           "updated": lambda w: w["updated"]}  # fmt: skip


@ROUTES.get(API + "/workflows/search")
def search_workflows(ctx: Context, req: Request) -> Response:
    text = (req.arg("queryString") or "").lower()
    scope = req.arg("scope")
    active = req.arg("isActive")
    project = req.arg("projectId")
    order = (req.arg("orderBy") or "name").lstrip("+-")
    if order not in _ORDERS:
        raise ApiError(400, f"Invalid orderBy value: {req.arg('orderBy')}")
    found = [
        w
        for w in sorted(ctx.state.table("workflows").values(), key=_ORDERS[order],
                        reverse=(req.arg("orderBy") or "").startswith("-"))
        if text in w["name"].lower()
        and (scope is None or w["scope"]["type"] == scope)
        and (active is None or is_active(ctx, w) == (active.lower() == "true"))
        and (project is None or project in {p for p, _ in workflow_users(ctx, w["name"])})
    ]  # fmt: skip
    # "expand: values.transitions Returns the transitions that each workflow is associated with."
    expanded = "values.transitions" in req.args("expand")
    bean = page_bean(req, found, ctx.base_url)
    page = bean["values"]
    bean["values"] = [workflow_json(ctx, w, transitions=expanded) for w in page]
    bean["statuses"] = _statuses_of(ctx, page)
    return Response(200, bean)


@ROUTES.delete(API + "/workflow/{entityId}")
def delete_workflow(ctx: Context, req: Request) -> Response:
    workflow = ctx.state.table("workflows").get(req.params["entityId"])
    if workflow is None:
        raise ApiError(404, "The workflow was not found.")  # the spec's example
    if not workflow["isEditable"]:
        raise ApiError(400, "Cannot delete a system workflow.")
    if is_active(ctx, workflow):
        raise ApiError(400, "Cannot delete an active workflow.")  # the spec's example
    # "The workflow cannot be deleted if it is ... associated with any workflow scheme."
    schemes = [
        s["name"]
        for s in ctx.state.table("workflowschemes").values()
        if workflow["name"] in (s["defaultWorkflow"], *s["issueTypeMappings"].values())
    ]
    if schemes:
        raise ApiError(
            400,
            f"Cannot delete workflow '{workflow['name']}': it is associated with these workflow "
            f"schemes: {', '.join(sorted(schemes))}.",
        )
    del ctx.state.table("workflows")[workflow["id"]]
    return Response(204)
