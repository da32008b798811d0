"""Jira Software agile API (``/rest/agile/1.0``): boards (a filter is required) and their
read-only configuration, whose columns follow the statuses of the workflows of the projects the
board's filter selects (by status category, as Jira lays out a new board), and the board list
filtered by name, type and project (a board is relevant to the projects its filter's JQL names,
as the operation documents, or its location)."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox import jql
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_filters import find_filter
from teamcomms.sandbox.jira_platform import API, find_project
from teamcomms.sandbox.jira_status_migration import workflow_by_name, workflow_name_in
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


def agile_page(req: Request, values: list[Any]) -> dict[str, Any]:
    """The agile API's page (``isLast``, no ``nextPage``)."""
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
        "properties": {},
    }
    ctx.state.table("boards")[board["id"]] = board
    return Response(201, board_json(ctx, board))


def _clause_projects(node: jql.Expression | None) -> set[str]:
    if isinstance(node, jql.Clause):
        if node.field.lower() != "project" or node.operator not in ("=", "in"):
            return set()
        operand = node.operand
        items = operand.items if isinstance(operand, jql.ValueList) else (operand,)
        return {i.text for i in items if isinstance(i, jql.Value)}
    if isinstance(node, (jql.And, jql.Or)):
        return {p for part in node.parts for p in _clause_projects(part)}
    return set()


def board_projects(ctx: Context, board: dict[str, Any]) -> list[dict[str, Any]]:
    """The projects a board is about: those its filter's JQL names, and its location."""
    wanted: set[str] = set()
    stored = ctx.state.table("filters").get(board["filterId"])
    if stored is not None:
        try:
            wanted = _clause_projects(jql.parse(stored["jql"]).where)
        except ApiError:
            wanted = set()
    if board.get("location"):
        wanted.add(str(board["location"]["projectId"]))
    found = (ctx.state.project_by_key(name) for name in sorted(wanted))
    return sorted((p for p in found if p is not None), key=lambda p: int(p["id"]))


@ROUTES.get(AGILE + "/board")
def list_boards(ctx: Context, req: Request) -> Response:
    name = (req.arg("name") or "").lower()
    kinds = set(req.args("type"))
    project = req.arg("projectKeyOrId")
    project_id = find_project(ctx, project, status=400)["id"] if project else None
    filter_id = req.arg("filterId")
    found = [
        board_json(ctx, b)
        for b in sorted(ctx.state.table("boards").values(), key=lambda b: int(b["id"]))
        if name in b["name"].lower()
        and (not kinds or b["type"] in kinds)
        and (filter_id is None or b["filterId"] == filter_id)
        and (project_id is None or project_id in {p["id"] for p in board_projects(ctx, b)})
    ]
    if req.arg("orderBy"):
        found.sort(key=lambda b: b["name"].lower(), reverse=req.arg("orderBy") == "-name")
    return Response(200, agile_page(req, found))


def find_board(ctx: Context, board_id: str) -> dict[str, Any]:
    """The board, or 404 as Jira answers."""
    board: dict[str, Any] | None = ctx.state.table("boards").get(board_id)
    if board is None:
        raise ApiError(
            404, f"Board {board_id} does not exist or you do not have permission to see it."
        )
    return board


@ROUTES.get(AGILE + "/board/{boardId}")
def get_board(ctx: Context, req: Request) -> Response:
    return Response(200, board_json(ctx, find_board(ctx, req.params["boardId"])))


@ROUTES.delete(AGILE + "/board/{boardId}")
def delete_board(ctx: Context, req: Request) -> Response:
    board = find_board(ctx, req.params["boardId"])
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
    return Response(200, agile_page(req, found))


def _board_statuses(ctx: Context, board: dict[str, Any]) -> list[str]:
    """The statuses of the workflows the board's projects use, in workflow order (every
    project's when the filter names none)."""
    projects = board_projects(ctx, board) or sorted(
        ctx.state.table("projects").values(), key=lambda p: int(p["id"])
    )
    schemes = ctx.state.table("workflowschemes")
    found: dict[str, None] = {}
    for project in projects:
        scheme = schemes[project["workflowSchemeId"]]
        for type_id in project["issueTypeIds"]:
            workflow = workflow_by_name(ctx, workflow_name_in(scheme, type_id))
            for status in (workflow or {}).get("statuses", []):
                found.setdefault(str(status["statusReference"]), None)
    return [s for s in found if s in ctx.state.table("statuses")]


@ROUTES.get(AGILE + "/board/{boardId}/configuration")
def board_configuration(ctx: Context, req: Request) -> Response:
    board = find_board(ctx, req.params["boardId"])
    columns = [
        {
            "name": STATUS_CATEGORIES[category]["name"],
            "statuses": [
                {"id": s, "self": f"{ctx.base_url}{API}/status/{s}"}
                for s in _board_statuses(ctx, board)
                if ctx.state.table("statuses")[s]["statusCategory"] == category
            ],
        }
        for category in ("TODO", "IN_PROGRESS", "DONE")
    ]
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
    if board["type"] == "kanban":
        # Jira's default sub-filter of a kanban board (recorded: agile-board-configuration).
        answer["subQuery"] = {"query": "fixVersion in unreleasedVersions() OR fixVersion is EMPTY"}
    if board["location"]:
        answer["location"] = {"type": "project", "projectKeyOrId": board["location"]["projectKey"]}
    return Response(200, answer)
