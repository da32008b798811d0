"""Jira Software agile API (``/rest/agile/1.0``): boards (a filter is required) and their
read-only configuration, whose columns follow the workflow's statuses."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import API, find_filter, find_project
from teamcomms.sandbox.seed import STATUS_CATEGORIES

ROUTES = RouteTable()
AGILE = "/rest/agile/1.0"


def board_json(ctx: Context, board: dict[str, Any]) -> dict[str, Any]:
    """A board as the agile API answers it."""
    answer: dict[str, Any] = {
        "id": int(board["id"]),
        "self": f"{ctx.base_url}{AGILE}/board/{board['id']}",
        "name": board["name"],
        "type": board["type"],
    }
    if board.get("location"):
        answer["location"] = board["location"]
    return answer


def _page(req: Request, values: list[Any]) -> dict[str, Any]:
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", 50, 50) or 50
    chunk = values[start : start + size]
    return {
        "maxResults": size,
        "startAt": start,
        "total": len(values),
        "isLast": start + size >= len(values),
        "values": chunk,
    }


@ROUTES.post(AGILE + "/board")
def create_board(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    # The spec's schema marks nothing required, but the description (and Jira) require these.
    errors = {}
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) >= 255:
        errors["name"] = "The board name is required and must be shorter than 255 characters."
    if data.get("type") not in ("scrum", "kanban"):
        errors["type"] = "The board type must be scrum or kanban."
    if data.get("filterId") is None:
        errors["filterId"] = "A board needs a filter (filterId)."
    if errors:
        raise ApiError(400, "", errors=errors)
    find_filter(ctx, str(data["filterId"]))
    location = None
    if data.get("location"):
        raw = data["location"]
        if raw.get("type") != "project":
            raise ApiError(400, "The sandbox supports only project locations for boards.")
        project = find_project(ctx, str(raw.get("projectKeyOrId")), status=400)
        location = {
            "projectId": int(project["id"]),
            "projectKey": project["key"],
            "projectName": project["name"],
            "projectTypeKey": project["projectTypeKey"],
            "displayName": f"{project['name']} ({project['key']})",
            "name": project["name"],
        }
    board = {
        "id": ctx.state.new_id(),
        "name": name,
        "type": data["type"],
        "filterId": str(data["filterId"]),
        "location": location,
    }
    ctx.state.table("boards")[board["id"]] = board
    return Response(201, board_json(ctx, board))


@ROUTES.get(AGILE + "/board")
def list_boards(ctx: Context, req: Request) -> Response:
    name = (req.arg("name") or "").lower()
    kind = req.arg("type")
    project = req.arg("projectKeyOrId")
    project_id = find_project(ctx, project, status=400)["id"] if project else None
    found = [
        board_json(ctx, b)
        for b in sorted(ctx.state.table("boards").values(), key=lambda b: int(b["id"]))
        if name in b["name"].lower()
        and (kind is None or b["type"] == kind)
        and (project_id is None or (b["location"] or {}).get("projectId") == int(project_id))
    ]
    return Response(200, _page(req, found))


def _find_board(ctx: Context, board_id: str) -> dict[str, Any]:
    board: dict[str, Any] | None = ctx.state.table("boards").get(board_id)
    if board is None:
        raise ApiError(
            404, f"Board {board_id} does not exist or you do not have permission to see it."
        )
    return board


@ROUTES.get(AGILE + "/board/{boardId}")
def get_board(ctx: Context, req: Request) -> Response:
    return Response(200, board_json(ctx, _find_board(ctx, req.params["boardId"])))


@ROUTES.delete(AGILE + "/board/{boardId}")
def delete_board(ctx: Context, req: Request) -> Response:
    board = _find_board(ctx, req.params["boardId"])
    del ctx.state.table("boards")[board["id"]]
    return Response(204)


@ROUTES.get(AGILE + "/board/filter/{filterId}")
def boards_of_filter(ctx: Context, req: Request) -> Response:
    find_filter(ctx, req.params["filterId"])
    found = [
        {"id": int(b["id"]), "name": b["name"], "self": f"{ctx.base_url}{AGILE}/board/{b['id']}"}
        for b in ctx.state.table("boards").values()
        if b["filterId"] == req.params["filterId"]
    ]
    return Response(200, _page(req, found))


@ROUTES.get(AGILE + "/board/{boardId}/configuration")
def board_configuration(ctx: Context, req: Request) -> Response:
    board = _find_board(ctx, req.params["boardId"])
    columns = []
    statuses = ctx.state.table("statuses")
    for category in ("TODO", "IN_PROGRESS", "DONE"):
        members = [s for s in statuses.values() if s["statusCategory"] == category]
        columns.append(
            {
                "name": STATUS_CATEGORIES[category]["name"],
                "statuses": [
                    {"id": s["id"], "self": f"{ctx.base_url}{API}/status/{s['id']}"}
                    for s in members
                ],
            }
        )
    answer = {
        "id": int(board["id"]),
        "name": board["name"],
        "type": board["type"],
        "self": f"{ctx.base_url}{AGILE}/board/{board['id']}/configuration",
        "filter": {
            "id": board["filterId"],
            "self": f"{ctx.base_url}{API}/filter/{board['filterId']}",
        },
        "columnConfig": {"columns": columns, "constraintType": "none"},
        "ranking": {"rankCustomFieldId": 10019},
    }
    if board["location"]:
        answer["location"] = {"type": "project", "projectKeyOrId": board["location"]["projectKey"]}
    return Response(200, answer)
