"""Jira workflow schemes (create, read, update with version numbers), assigning a scheme to a
project through the asynchronous switch (303 + task) and task polling."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project

ROUTES = RouteTable()


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
        raise ApiError(status, f"The workflow scheme {scheme_id} was not found.")
    return scheme


def _workflow_by_name(ctx: Context, name: str) -> dict[str, Any]:
    workflows = ctx.state.table("workflows").values()
    found: dict[str, Any] | None = next((w for w in workflows if w["name"] == name), None)
    if found is None:
        raise ApiError(400, f"The workflow '{name}' does not exist.")
    return found


@ROUTES.post(API + "/workflowscheme")
def create_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    if not data.get("name"):
        raise ApiError(400, "", errors={"name": "The workflow scheme name is required."})
    if any(s["name"] == data["name"] for s in ctx.state.table("workflowschemes").values()):
        raise ApiError(400, f"A workflow scheme with the name '{data['name']}' already exists.")
    default = data.get("defaultWorkflow") or "jira"
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


@ROUTES.get(API + "/workflowscheme/{id}")
def get_scheme(ctx: Context, req: Request) -> Response:
    return Response(200, scheme_json(ctx, find_scheme(ctx, req.params["id"])))


def _metadata(ctx: Context, name: str) -> dict[str, Any]:
    workflow = _workflow_by_name(ctx, name)
    keys = ("id", "name", "description", "version")
    return {k: workflow[k] for k in keys}


@ROUTES.post(API + "/workflowscheme/read")
def read_schemes(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    ids = {str(i) for i in data.get("workflowSchemeIds") or []}
    for project_id in data.get("projectIds") or []:
        ids.add(find_project(ctx, str(project_id), status=400)["workflowSchemeId"])
    answer = []
    for scheme_id in sorted(ids):
        scheme = find_scheme(ctx, scheme_id, status=400)
        by_workflow: dict[str, list[str]] = {}
        for type_id, name in scheme["issueTypeMappings"].items():
            by_workflow.setdefault(name, []).append(type_id)
        answer.append(
            {
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
        )
    return Response(200, answer)


def _task(ctx: Context, description: str) -> dict[str, Any]:
    now = int(ctx.state.clock().timestamp() * 1000)
    task: dict[str, Any] = {
        "id": ctx.state.new_id(),
        "description": description,
        "submitted": now,
        "polls": 0,
    }
    ctx.state.table("tasks")[task["id"]] = task
    return task


def task_json(ctx: Context, task: dict[str, Any]) -> dict[str, Any]:
    """A ``TaskProgressBeanObject``: the first poll sees RUNNING, later polls COMPLETE."""
    done = task["polls"] > 0
    answer = {
        "self": f"{ctx.base_url}{API}/task/{task['id']}",
        "id": task["id"],
        "description": task["description"],
        "status": "COMPLETE" if done else "RUNNING",
        "progress": 100 if done else 50,
        "submitted": task["submitted"],
        "submittedBy": 0,
        "started": task["submitted"],
        "lastUpdate": task["submitted"],
        "elapsedRuntime": 10 if done else 5,
        "message": "Done" if done else "In progress",
    }
    if done:
        answer["finished"] = task["submitted"] + 10
    return answer


def _async_answer(ctx: Context, task: dict[str, Any]) -> Response:
    location = f"{ctx.base_url}{API}/task/{task['id']}"
    return Response(303, task_json(ctx, task), {"Location": location})


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
    mappings = {}
    for association in data.get("workflowsForIssueTypes") or []:
        name = next(
            (
                w["name"]
                for w in ctx.state.table("workflows").values()
                if w["id"] == association.get("workflowId")
            ),
            None,
        )
        if name is None:
            raise ApiError(400, f"The workflow {association.get('workflowId')} does not exist.")
        mappings.update({str(t): name for t in association.get("issueTypeIds") or []})
    if data.get("defaultWorkflowId"):
        default = next(
            (
                w
                for w in ctx.state.table("workflows").values()
                if w["id"] == data["defaultWorkflowId"]
            ),
            None,
        )
        if default is None:
            raise ApiError(400, f"The workflow {data['defaultWorkflowId']} does not exist.")
        scheme["defaultWorkflow"] = default["name"]
    scheme.update(
        name=data["name"], description=data.get("description", ""), issueTypeMappings=mappings
    )
    scheme["version"] += 1
    in_use = any(i["projectId"] in scheme["projectIds"] for i in ctx.state.table("issues").values())
    if in_use:  # issues must migrate: Jira starts an asynchronous task
        return _async_answer(ctx, _task(ctx, f"Updating workflow scheme {scheme['id']}"))
    return Response(200, {})


@ROUTES.get(API + "/workflowscheme/project")
def scheme_of_projects(ctx: Context, req: Request) -> Response:
    by_scheme: dict[str, list[str]] = {}
    for project_id in req.args("projectId"):
        project = find_project(ctx, project_id, status=400)
        by_scheme.setdefault(project["workflowSchemeId"], []).append(project["id"])
    values = [
        {"projectIds": ids, "workflowScheme": scheme_json(ctx, find_scheme(ctx, scheme_id))}
        for scheme_id, ids in by_scheme.items()
    ]
    return Response(200, {"values": values})


@ROUTES.post(API + "/workflowscheme/project/switch")
def switch_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    project = find_project(ctx, str(data.get("projectId")), status=400)
    target = find_scheme(ctx, str(data.get("targetSchemeId")), status=400)
    if project["workflowSchemeId"] == target["id"]:
        raise ApiError(
            400, f"The project {project['key']} already uses workflow scheme {target['id']}."
        )
    old = ctx.state.table("workflowschemes")[project["workflowSchemeId"]]
    old["projectIds"] = [p for p in old["projectIds"] if p != project["id"]]
    target["projectIds"].append(project["id"])
    project["workflowSchemeId"] = target["id"]
    return _async_answer(
        ctx, _task(ctx, f"Switching project {project['key']} to scheme {target['id']}")
    )


@ROUTES.get(API + "/task/{taskId}")
def get_task(ctx: Context, req: Request) -> Response:
    task = ctx.state.table("tasks").get(req.params["taskId"])
    if task is None:
        raise ApiError(404, f"The task {req.params['taskId']} does not exist.")
    answer = task_json(ctx, task)
    task["polls"] += 1
    return Response(200, answer)
