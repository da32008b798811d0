"""Jira workflow schemes: create, list, read (classic and bulk), update with version numbers and
status mappings, the mappings an update needs, and delete.

Schemes map issue types to workflows by workflow name, as the classic ``WorkflowScheme`` answers
them. An update that changes the workflow of issue types whose issues sit in a status the new
workflow lacks needs ``statusMappingsByWorkflows`` or ``statusMappingsByIssueTypeOverride`` (400
without); when projects using the scheme have issues it answers 303 with a task to poll (their
issues are migrated), else 200. A scheme a project uses cannot be deleted.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.jira_scheme_changes import (
    changes_for,
    check_mappings,
    given_mappings,
    required_mappings_answer,
)
from teamcomms.sandbox.jira_status_migration import issues_of_projects, move_issues
from teamcomms.sandbox.jira_tasks import (
    async_answer,
    refuse_while_running,
    running_task_of_scheme,
    start_task,
)
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()
DEFAULT_SCHEME = "10300"
DEFAULT_WORKFLOW = "jira"


def scheme_json(ctx: Context, scheme: dict[str, Any]) -> dict[str, Any]:
    """A classic ``WorkflowScheme``."""
    return {
        "id": int(scheme["id"]),
        "name": scheme["name"],
        "description": scheme["description"],
        "defaultWorkflow": scheme["defaultWorkflow"],
        "issueTypeMappings": scheme["issueTypeMappings"],
        "draft": False,
        "self": f"{ctx.base_url}{API}/workflowscheme/{scheme['id']}",
    }


def find_scheme(ctx: Context, scheme_id: str, status: int = 404) -> dict[str, Any]:
    """The workflow scheme, or an error answer."""
    scheme: dict[str, Any] | None = ctx.state.table("workflowschemes").get(str(scheme_id))
    if scheme is None:
        raise ApiError(status, "The workflow scheme was not found.")  # the spec's example
    return scheme


def _workflow_by_name(ctx: Context, name: str) -> dict[str, Any]:
    workflows = ctx.state.table("workflows").values()
    found: dict[str, Any] | None = next((w for w in workflows if w["name"] == name), None)
    if found is None:
        raise ApiError(400, f"The workflow '{name}' does not exist.")
    return found


def _workflow_by_id(ctx: Context, workflow_id: Any) -> dict[str, Any]:
    found: dict[str, Any] | None = ctx.state.table("workflows").get(str(workflow_id))
    if found is None:
        raise ApiError(400, f"The workflow {workflow_id} does not exist.")
    return found


@ROUTES.post(API + "/workflowscheme")
def create_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    if not data.get("name"):
        raise ApiError(400, "", errors={"name": "The workflow scheme name is required."})
    if any(s["name"] == data["name"] for s in ctx.state.table("workflowschemes").values()):
        raise ApiError(400, f"A workflow scheme with the name '{data['name']}' already exists.")
    default = data.get("defaultWorkflow") or DEFAULT_WORKFLOW
    for name in [default, *(data.get("issueTypeMappings") or {}).values()]:
        _workflow_by_name(ctx, name)
    scheme = {
        "id": ctx.state.new_id(),
        "name": data["name"],
        "description": data.get("description", ""),
        "defaultWorkflow": default,
        "issueTypeMappings": dict(data.get("issueTypeMappings") or {}),
        "version": 1,
        "projectIds": [],
    }
    ctx.state.table("workflowschemes")[scheme["id"]] = scheme
    return Response(201, scheme_json(ctx, scheme))


@ROUTES.get(API + "/workflowscheme")
def list_schemes(ctx: Context, req: Request) -> Response:
    schemes = sorted(ctx.state.table("workflowschemes").values(), key=lambda s: int(s["id"]))
    return Response(200, page_bean(req, [scheme_json(ctx, s) for s in schemes], ctx.base_url))


@ROUTES.get(API + "/workflowscheme/{id}")
def get_scheme(ctx: Context, req: Request) -> Response:
    return Response(200, scheme_json(ctx, find_scheme(ctx, req.params["id"])))


@ROUTES.delete(API + "/workflowscheme/{id}")
def delete_scheme(ctx: Context, req: Request) -> Response:
    scheme = find_scheme(ctx, req.params["id"])
    if scheme["id"] == DEFAULT_SCHEME:
        raise ApiError(400, "The default workflow scheme cannot be deleted.")
    if scheme["projectIds"]:
        # "a workflow scheme cannot be deleted if it is active (that is, being used by at least
        # one project)"; the message is the sandbox's.
        raise ApiError(
            400, f"The workflow scheme '{scheme['name']}' is active and cannot be deleted."
        )
    del ctx.state.table("workflowschemes")[scheme["id"]]
    return Response(204)


def _metadata(ctx: Context, name: str) -> dict[str, Any]:
    workflow = _workflow_by_name(ctx, name)
    return {k: workflow[k] for k in ("id", "name", "description", "version")}


@ROUTES.post(API + "/workflowscheme/read")
def read_schemes(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    ids = {str(i) for i in data.get("workflowSchemeIds") or []}
    for project_id in data.get("projectIds") or []:
        ids.add(find_project(ctx, str(project_id), status=400)["workflowSchemeId"])
    answer = []
    for scheme_id in sorted(ids, key=int):
        scheme = find_scheme(ctx, scheme_id, status=400)
        by_workflow: dict[str, list[str]] = {}
        for type_id, name in scheme["issueTypeMappings"].items():
            by_workflow.setdefault(name, []).append(type_id)
        entry = {
            "id": scheme["id"],
            "name": scheme["name"],
            "description": scheme["description"],
            "scope": {"type": "GLOBAL"},
            "version": {"id": f"{scheme['id']}-v", "versionNumber": scheme["version"]},
            "defaultWorkflow": _metadata(ctx, scheme["defaultWorkflow"]),
            "workflowsForIssueTypes": [
                {"issueTypeIds": types, "workflow": _metadata(ctx, name)}
                for name, types in by_workflow.items()
            ],
        }
        task_id = running_task_of_scheme(ctx, scheme["id"])
        if task_id is not None:
            entry["taskId"] = task_id
        answer.append(entry)
    return Response(200, answer)


def _proposed(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """The scheme an update or mappings request describes (stored shape: workflow names)."""
    mappings: dict[str, str] = {}
    for association in data.get("workflowsForIssueTypes") or []:
        name = _workflow_by_id(ctx, association.get("workflowId"))["name"]
        mappings.update({str(t): name for t in association.get("issueTypeIds") or []})
    # "If the defaultWorkflowId isn't specified, this is set to Jira Workflow (jira)."
    default = DEFAULT_WORKFLOW
    if data.get("defaultWorkflowId"):
        default = _workflow_by_id(ctx, data["defaultWorkflowId"])["name"]
    return {"defaultWorkflow": default, "issueTypeMappings": mappings}


@ROUTES.post(API + "/workflowscheme/update/mappings")
def required_mappings(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    scheme = find_scheme(ctx, str(data.get("id")), status=400)
    changes = changes_for(ctx, scheme["projectIds"], scheme, _proposed(ctx, data))
    return Response(200, required_mappings_answer(ctx, changes))


@ROUTES.post(API + "/workflowscheme/update")
def update_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    scheme = find_scheme(ctx, str(data.get("id")), status=400)
    number = (data.get("version") or {}).get("versionNumber")
    if number != scheme["version"]:
        raise ApiError(
            409,
            f"The workflow scheme was changed by someone else (version {scheme['version']}); "
            "read it again.",
        )
    refuse_while_running(ctx, scheme["projectIds"])
    proposed = _proposed(ctx, data)
    changes = changes_for(ctx, scheme["projectIds"], scheme, proposed)
    mappings = given_mappings(
        changes,
        data.get("statusMappingsByWorkflows"),
        data.get("statusMappingsByIssueTypeOverride"),
    )
    check_mappings(
        ctx, changes, mappings, "statusMappingsByWorkflows or statusMappingsByIssueTypeOverride"
    )
    issues = issues_of_projects(ctx, set(scheme["projectIds"]))
    move_issues(ctx, issues, mappings)
    scheme.update(
        name=data.get("name", scheme["name"]),
        description=data.get("description", scheme["description"]),
        **proposed,
    )
    scheme["version"] += 1
    if issues:  # issues must migrate: Jira starts an asynchronous task
        description = f"Updating workflow scheme {scheme['id']}"
        return async_answer(
            ctx, start_task(ctx, description, scheme["projectIds"], scheme_id=scheme["id"])
        )
    return Response(200, {})
