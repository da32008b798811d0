"""Jira workflows (v3 only, as on Cloud): bulk read, search, create, update and both validation
endpoints, with version numbers for optimistic locking."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.jira_statuses import jira_status, new_status, status_scope
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()


# ---- workflows --------------------------------------------------------------------------------
def _error(message: str, kind: str, reference: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": "INVALID", "level": "ERROR", "message": message, "type": kind}
    if reference:
        error["elementReference"] = reference
    return error


def workflow_errors(workflow: dict[str, Any], references: set[str]) -> list[dict[str, Any]]:
    """Jira's structural checks on one workflow (names, INITIAL transition, ids, references)."""
    errors: list[dict[str, Any]] = []
    name = workflow.get("name") or workflow.get("id") or "?"
    listed = {s.get("statusReference") for s in workflow.get("statuses") or []}
    for ref in sorted(r for r in listed if r not in references):
        errors.append(
            _error(
                f"Workflow '{name}' uses status reference '{ref}' that is not defined.",
                "STATUS",
                {"statusReference": str(ref)},
            )
        )
    transitions = workflow.get("transitions") or []
    initial = [t for t in transitions if t.get("type") == "INITIAL"]
    if len(initial) != 1:
        errors.append(
            _error(
                f"Workflow '{name}' must have exactly one INITIAL transition; "
                f"it has {len(initial)}.",
                "WORKFLOW",
            )
        )
    seen: set[str] = set()
    for transition in transitions:
        tid = transition.get("id")
        label = transition.get("name") or "?"
        if not tid:
            errors.append(_error(f"Transition '{label}' needs an id.", "TRANSITION"))
        elif tid in seen:
            errors.append(
                _error(
                    f"Transition id '{tid}' is used twice.",
                    "TRANSITION",
                    {"transitionId": str(tid)},
                )
            )
        seen.add(str(tid))
        if transition.get("toStatusReference") not in listed:
            errors.append(
                _error(
                    f"Transition '{label}' goes to a status the workflow does not list.",
                    "TRANSITION",
                    {"transitionId": str(tid)},
                )
            )
        for link in transition.get("links") or []:
            if link.get("fromStatusReference") not in listed:
                errors.append(
                    _error(
                        f"Transition '{label}' starts from a status the workflow does not list.",
                        "TRANSITION",
                        {"transitionId": str(tid)},
                    )
                )
        if transition.get("type") == "DIRECTED" and not transition.get("links"):
            errors.append(
                _error(
                    f"Directed transition '{label}' needs links from a status.",
                    "TRANSITION",
                    {"transitionId": str(tid)},
                )
            )
    return errors


def _status_references(
    ctx: Context, payload: dict[str, Any]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Map the payload's status references to existing status ids ("": a new status)."""
    mapping: dict[str, str] = {}
    errors: list[dict[str, Any]] = []
    for spec in payload.get("statuses") or []:
        ref = str(spec.get("statusReference"))
        if spec.get("id"):
            if str(spec["id"]) not in ctx.state.table("statuses"):
                errors.append(
                    _error(
                        f"Status id {spec['id']} does not exist.",
                        "STATUS",
                        {"statusReference": ref},
                    )
                )
            mapping[ref] = str(spec["id"])
        else:
            mapping[ref] = ""
    return mapping, errors


def _validate(ctx: Context, payload: dict[str, Any], *, create: bool) -> list[dict[str, Any]]:
    mapping, errors = _status_references(ctx, payload)
    references = set(mapping) | set(ctx.state.table("statuses"))
    workflows = ctx.state.table("workflows")
    for workflow in payload.get("workflows") or []:
        if create and any(w["name"] == workflow.get("name") for w in workflows.values()):
            errors.append(
                _error(
                    f"A workflow with the name '{workflow.get('name')}' already exists.", "WORKFLOW"
                )
            )
        if not create:
            stored = workflows.get(str(workflow.get("id")))
            if stored is None:
                errors.append(_error(f"Workflow {workflow.get('id')} does not exist.", "WORKFLOW"))
            elif not stored["isEditable"]:
                errors.append(
                    _error(
                        f"Workflow '{stored['name']}' is a system workflow and cannot be edited.",
                        "WORKFLOW",
                    )
                )
        errors += workflow_errors(workflow, references)
    return errors


def _materialise(ctx: Context, payload: dict[str, Any], scope: dict[str, Any]) -> dict[str, str]:
    """Create the payload's new statuses; returns reference -> status id."""
    mapping: dict[str, str] = {}
    for spec in payload.get("statuses") or []:
        ref = str(spec["statusReference"])
        mapping[ref] = str(spec["id"]) if spec.get("id") else new_status(ctx, spec, scope)["id"]
    return mapping


def _resolved(workflow: dict[str, Any], mapping: dict[str, str]) -> tuple[list[Any], list[Any]]:
    def ref(value: Any) -> Any:
        return mapping.get(str(value), value)

    statuses = [
        {**s, "statusReference": ref(s["statusReference"])} for s in workflow.get("statuses") or []
    ]
    transitions = [
        {
            **t,
            "toStatusReference": ref(t.get("toStatusReference")),
            "links": [
                {**link, "fromStatusReference": ref(link.get("fromStatusReference"))}
                for link in t.get("links") or []
            ],
        }
        for t in workflow.get("transitions") or []
    ]
    return statuses, transitions


def workflow_json(ctx: Context, workflow: dict[str, Any]) -> dict[str, Any]:
    """A ``JiraWorkflow``."""
    return {
        k: workflow[k]
        for k in (
            "id",
            "name",
            "description",
            "scope",
            "statuses",
            "transitions",
            "version",
            "isEditable",
            "created",
            "updated",
        )
    }


def _statuses_of(ctx: Context, workflows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = {s["statusReference"] for w in workflows for s in w["statuses"]}
    statuses = ctx.state.table("statuses")
    return [jira_status(ctx, statuses[i], i) for i in sorted(ids) if i in statuses]


def _workflows_answer(ctx: Context, workflows: list[dict[str, Any]]) -> Response:
    """Create, update and bulk read all answer the workflows with the statuses they use."""
    return Response(
        200,
        {
            "statuses": _statuses_of(ctx, workflows),
            "workflows": [workflow_json(ctx, w) for w in workflows],
        },
    )


def _validation_answer(ctx: Context, req: Request, *, create: bool) -> Response:
    payload = req.json_object().get("payload") or {}
    return Response(200, {"errors": _validate(ctx, payload, create=create)})


def _check_payload(ctx: Context, payload: dict[str, Any], *, create: bool) -> None:
    errors = _validate(ctx, payload, create=create)
    if errors:
        raise ApiError(400, "; ".join(e["message"] for e in errors))


@ROUTES.post(API + "/workflows/create")
def create_workflows(ctx: Context, req: Request) -> Response:
    payload = req.json_object()
    scope = status_scope(ctx, payload.get("scope"))
    _check_payload(ctx, payload, create=True)
    mapping = _materialise(ctx, payload, scope)
    created = []
    for spec in payload.get("workflows") or []:
        statuses, transitions = _resolved(spec, mapping)
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


@ROUTES.post(API + "/workflows/update")
def update_workflows(ctx: Context, req: Request) -> Response:
    payload = req.json_object()
    _check_payload(ctx, payload, create=False)
    for spec in payload.get("workflows") or []:
        stored = ctx.state.table("workflows")[str(spec["id"])]
        number = (spec.get("version") or {}).get("versionNumber")
        if number != stored["version"]["versionNumber"]:
            raise ApiError(
                409,
                f"The workflow '{stored['name']}' was changed by someone else (version "
                f"{stored['version']['versionNumber']}); read it again and retry.",
            )
    updated = []
    for spec in payload.get("workflows") or []:
        stored = ctx.state.table("workflows")[str(spec["id"])]
        mapping = _materialise(ctx, payload, stored["scope"])
        stored["statuses"], stored["transitions"] = _resolved(spec, mapping)
        stored["description"] = spec.get("description", stored["description"])
        stored["version"] = {
            "id": stored["version"]["id"],
            "versionNumber": stored["version"]["versionNumber"] + 1,
        }
        stored["updated"] = ctx.state.now()
        updated.append(stored)
    return _workflows_answer(ctx, updated)


@ROUTES.post(API + "/workflows")
def read_workflows(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    names, ids = set(data.get("workflowNames") or []), set(data.get("workflowIds") or [])
    for pair in data.get("projectAndIssueTypes") or []:
        project = find_project(ctx, str(pair.get("projectId")), status=400)
        scheme = ctx.state.table("workflowschemes")[project["workflowSchemeId"]]
        names.add(
            scheme["issueTypeMappings"].get(str(pair.get("issueTypeId")), scheme["defaultWorkflow"])
        )
    found = [
        w for w in ctx.state.table("workflows").values() if w["name"] in names or w["id"] in ids
    ]
    return _workflows_answer(ctx, found)


@ROUTES.get(API + "/workflows/search")
def search_workflows(ctx: Context, req: Request) -> Response:
    text = (req.arg("queryString") or "").lower()
    scope = req.arg("scope")
    found = [
        w
        for w in sorted(ctx.state.table("workflows").values(), key=lambda w: w["name"])
        if text in w["name"].lower() and (scope is None or w["scope"]["type"] == scope)
    ]
    bean = page_bean(req, [workflow_json(ctx, w) for w in found], ctx.base_url)
    bean["statuses"] = _statuses_of(ctx, found)
    return Response(200, bean)
