"""Confluence v1 archiving and long tasks: ``POST /wiki/rest/api/content/archive`` answers 202
with a long task, and ``GET /wiki/rest/api/longtask/{id}`` reports it running for a configurable
number of polls (the ``longtask-polls:N`` fault option, default 1), then finished.

The pages change status when the archive is accepted (the write is journalled with it); only the
task's progress is emulated. Poll counts are kept in memory, like Jira's task polls: a restarted
sandbox counts them again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_v1 import V1
from teamcomms.sandbox.confluence_v2 import find_page

ROUTES = RouteTable()
ARCHIVE_LIMIT = 300
TASK_NAME = "com.atlassian.confluence.pages.archive.task.name"


@ROUTES.post(V1 + "/content/archive")
def archive_pages(ctx: Context, req: Request) -> Response:
    pages = req.json_object().get("pages") or []
    found = [find_page(ctx, str(item.get("id"))) for item in pages if isinstance(item, dict)]
    if not found or len(found) > ARCHIVE_LIMIT:
        raise ApiError(400, f"Give between 1 and {ARCHIVE_LIMIT} pages to archive")
    if any(p["status"] == "archived" for p in found):
        raise ApiError(400, "A page in the request is already archived")
    for page in found:
        page["status"] = "archived"
    task_id = ctx.state.new_id()
    ctx.state.table("longtasks")[task_id] = {
        "id": task_id,
        "pages": [p["id"] for p in found],
        "submitted": ctx.state.now(),
    }
    return Response(202, {"id": task_id, "links": {"status": f"{V1}/longtask/{task_id}"}})


def _elapsed_ms(ctx: Context, submitted: str) -> int:
    started = datetime.fromisoformat(submitted.replace("Z", "+00:00"))
    return max(0, int((ctx.state.clock() - started).total_seconds() * 1000))


def longtask_json(ctx: Context, task: dict[str, Any], polls: int) -> dict[str, Any]:
    """A ``LongTaskStatusWithLinks`` after ``polls`` earlier polls."""
    needed = ctx.faults.spec.longtask_polls
    finished = polls >= needed
    count = len(task["pages"])
    return {
        "id": task["id"],
        "name": {"key": TASK_NAME, "args": []},
        "elapsedTime": _elapsed_ms(ctx, task["submitted"]),
        "percentageComplete": 100 if finished else (100 * polls) // (needed + 1),
        "successful": finished,
        "finished": finished,
        "messages": [
            {
                "translation": f"Archived {count} pages" if finished else "Archiving pages",
                "args": [],
            }
        ],
        "_links": {
            "base": f"{ctx.base_url}/wiki",
            "context": "/wiki",
            "self": f"{ctx.base_url}{V1}/longtask/{task['id']}",
        },
    }


@ROUTES.get(V1 + "/longtask/{id}")
def get_longtask(ctx: Context, req: Request) -> Response:
    task = ctx.state.table("longtasks").get(req.params["id"])
    if task is None:
        raise ApiError(404, f"No long task with id {req.params['id']}")
    return Response(200, longtask_json(ctx, task, ctx.faults.longtask_polled(task["id"])))
