"""Which workflow scheme a project uses: ``GET /workflowscheme/project``, the direct assignment
``PUT /workflowscheme/project`` (only for a project without issues, as Jira documents) and the
switch ``POST /workflowscheme/project/switch`` (303 + a task; ``mappingsByIssueTypeOverride`` is
required when issues sit in statuses the target scheme's workflows lack; 409 while another task
for the project runs)."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.jira_scheme_changes import changes_for, check_mappings, given_mappings
from teamcomms.sandbox.jira_schemes import DEFAULT_SCHEME, find_scheme, scheme_json
from teamcomms.sandbox.jira_status_migration import issues_of_projects, move_issues
from teamcomms.sandbox.jira_tasks import async_answer, refuse_while_running, start_task

ROUTES = RouteTable()


def _assign(ctx: Context, project: dict[str, Any], target: dict[str, Any]) -> None:
    schemes = ctx.state.table("workflowschemes")
    old = schemes[project["workflowSchemeId"]]
    old["projectIds"] = [p for p in old["projectIds"] if p != project["id"]]
    target["projectIds"].append(project["id"])
    project["workflowSchemeId"] = target["id"]


def _classic(project: dict[str, Any]) -> None:
    if project.get("style") == "next-gen":
        # The spec's example of the 400.
        raise ApiError(400, "Only classic projects can have workflow schemes assigned.")


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


@ROUTES.put(API + "/workflowscheme/project")
def assign_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    project = find_project(ctx, str(data.get("projectId")))
    # "If the workflow scheme ID is null, the operation assigns the default workflow scheme."
    target = find_scheme(ctx, str(data.get("workflowSchemeId") or DEFAULT_SCHEME))
    _classic(project)
    if issues_of_projects(ctx, {project["id"]}):
        # "This operation is performed only when there are no issues in the project."; the
        # message is the sandbox's.
        raise ApiError(
            400,
            f"The workflow scheme of project {project['key']} can't be assigned directly because "
            "the project has issues. Switch it with POST "
            "/rest/api/3/workflowscheme/project/switch.",
        )
    if project["workflowSchemeId"] != target["id"]:
        _assign(ctx, project, target)
    return Response(204)


@ROUTES.post(API + "/workflowscheme/project/switch")
def switch_scheme(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    project = find_project(ctx, str(data.get("projectId")), status=400)
    target = find_scheme(ctx, str(data.get("targetSchemeId")), status=400)
    _classic(project)
    if project["workflowSchemeId"] == target["id"]:
        raise ApiError(
            400, f"The project {project['key']} already uses workflow scheme {target['id']}."
        )
    refuse_while_running(ctx, [project["id"]])
    current = ctx.state.table("workflowschemes")[project["workflowSchemeId"]]
    changes = changes_for(ctx, [project["id"]], current, target)
    mappings = given_mappings(changes, None, data.get("mappingsByIssueTypeOverride"))
    check_mappings(ctx, changes, mappings, "mappingsByIssueTypeOverride")
    move_issues(ctx, issues_of_projects(ctx, {project["id"]}), mappings)
    _assign(ctx, project, target)
    description = f"Switching project {project['key']} to workflow scheme {target['id']}"
    return async_answer(ctx, start_task(ctx, description, [project["id"]], scheme_id=target["id"]))
