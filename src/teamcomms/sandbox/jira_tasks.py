"""Jira's asynchronous tasks (``GET /rest/api/3/task/{taskId}``): what a workflow scheme switch or
update, a workflow update that moves issues, a custom field delete and an option replacement start.

The change a task stands for is made when the task is started, so what a client reads afterwards
is already the new configuration; the task only reports progress. Its polls see ``RUNNING`` as
many times as the site's task timing says, or until the site's clock is the timing's seconds
past its start (:meth:`teamcomms.sandbox.SiteState.set_task_timing`; by default
the first poll sees ``RUNNING`` and the next ``COMPLETE``), so tests decide when it ends without
sleeping. While a task for a project runs, another switch or update for that project answers 409
as Jira documents ("Another task is currently running, please try again later.").

Polls change the state (they count towards completion), so they are journalled like writes.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API

ROUTES = RouteTable()
# The 409 body POST /workflowscheme/project/switch documents (its example), with the task's id.
TASK_RUNNING = "Another task is currently running, please try again later."


def _millis(ctx: Context) -> int:
    return int(ctx.state.clock().timestamp() * 1000)


def start_task(
    ctx: Context, description: str, project_ids: list[str], *, scheme_id: str | None = None
) -> dict[str, Any]:
    """Record a task for the change just made to these projects (with the site's timing), and
    to a workflow scheme when one changed."""
    timing = ctx.state.data.get("task_timing") or {"polls": 1, "seconds": None}
    task: dict[str, Any] = {
        "id": ctx.state.new_id(),
        "description": description,
        "submitted": _millis(ctx),
        "polls": 0,
        "projectIds": sorted(set(project_ids)),
        "runningPolls": timing["polls"],
        "runningSeconds": timing["seconds"],
    }
    if scheme_id is not None:
        task["workflowSchemeId"] = scheme_id
    ctx.state.table("tasks")[task["id"]] = task
    return task


def finished_at(ctx: Context, task: dict[str, Any]) -> int | None:
    """When the task completed (milliseconds), or None while it runs."""
    seconds = task.get("runningSeconds")
    submitted = int(task["submitted"])
    if seconds is not None and _millis(ctx) >= submitted + int(seconds * 1000):
        return submitted + int(seconds * 1000)
    # Tasks from before the timing was configurable run for one poll.
    if task["polls"] >= task.get("runningPolls", 1):
        return int(task.get("lastPolled", submitted))
    return None


def task_json(ctx: Context, task: dict[str, Any]) -> dict[str, Any]:
    """A ``TaskProgressBeanObject``."""
    finished = finished_at(ctx, task)
    now = _millis(ctx)
    answer = {
        "self": f"{ctx.base_url}{API}/task/{task['id']}",
        "id": task["id"],
        "description": task["description"],
        "status": "COMPLETE" if finished is not None else "RUNNING",
        "progress": 100 if finished is not None else 50,
        "submitted": task["submitted"],
        "submittedBy": 0,
        "started": task["submitted"],
        "lastUpdate": finished if finished is not None else now,
        "elapsedRuntime": (finished if finished is not None else now) - task["submitted"],
        "message": "Done" if finished is not None else "In progress",
    }
    if finished is not None:
        answer["finished"] = finished
    return answer


def async_answer(ctx: Context, task: dict[str, Any]) -> Response:
    """Jira's answer to a request that started a task: 303 with the task in ``Location``."""
    location = f"{ctx.base_url}{API}/task/{task['id']}"
    return Response(303, task_json(ctx, task), {"Location": location})


def running_task_of_scheme(ctx: Context, scheme_id: str) -> str | None:
    """The id of a running task that changes this workflow scheme, if any."""
    return next(
        (
            t["id"]
            for t in ctx.state.table("tasks").values()
            if t.get("workflowSchemeId") == scheme_id and finished_at(ctx, t) is None
        ),
        None,
    )


def refuse_while_running(ctx: Context, project_ids: list[str]) -> None:
    """409 when a task for any of these projects is still running."""
    wanted = set(project_ids)
    for task in ctx.state.table("tasks").values():
        if wanted & set(task.get("projectIds", [])) and finished_at(ctx, task) is None:
            raise ApiError(409, TASK_RUNNING, errors={"conflictingTaskId": task["id"]})


@ROUTES.get(API + "/task/{taskId}")
def get_task(ctx: Context, req: Request) -> Response:
    task = ctx.state.table("tasks").get(req.params["taskId"])
    if task is None:
        raise ApiError(404, f"The task {req.params['taskId']} does not exist.")
    answer = task_json(ctx, task)
    if answer["status"] == "RUNNING":
        task["polls"] += 1
        task["lastPolled"] = _millis(ctx)
        ctx.state.changed_by_read()
    return Response(200, answer)
