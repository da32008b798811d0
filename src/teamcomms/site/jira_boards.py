"""Jira Software boards (``/rest/agile/1.0``): list, create, delete, their configuration (read
only: Jira has no API to set columns, swimlanes or quick filters) and their entity properties."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from teamcomms.site.errors import NotFound
from teamcomms.site.jira_base import JiraBase

# The agile API answers at most 50 boards a page.
BOARD_PAGE = 50


@dataclass(frozen=True)
class RemoteBoard:
    """A board as the agile API lists it."""

    id: str
    name: str
    type: str
    project_key: str | None = None


@dataclass(frozen=True)
class BoardConfiguration:
    """What a board shows: its filter and columns (status ids per column)."""

    filter_id: str
    columns: tuple[tuple[str, tuple[str, ...]], ...]


class JiraBoards(JiraBase):
    """Boards and their properties."""

    def _agile_call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._session.request(method, f"{self._agile}/{path}", **kwargs)
        return response.json() if response.content else None

    def list_boards(self, *, project_key: str | None = None) -> list[RemoteBoard]:
        """Every board (of one project when ``project_key`` is given)."""
        params: dict[str, Any] = {}
        if project_key:
            params["projectKeyOrId"] = project_key
        return [_board(item) for item in self._agile_pages("board", params)]

    def _agile_pages(self, path: str, params: Mapping[str, Any]) -> Iterator[Any]:
        start = 0
        while True:
            page = self._agile_call(
                "GET", path, params={**params, "startAt": start, "maxResults": BOARD_PAGE}
            )
            values = page.get("values") or []
            yield from values
            if page.get("isLast", len(values) < BOARD_PAGE) or not values:
                return
            start += len(values)

    def board_configuration(self, board_id: str) -> BoardConfiguration:
        """The board's filter and columns."""
        data = self._agile_call("GET", f"board/{board_id}/configuration")
        columns = tuple(
            (
                str(column.get("name", "")),
                tuple(str(s.get("id")) for s in column.get("statuses") or []),
            )
            for column in (data.get("columnConfig") or {}).get("columns") or []
        )
        filter_id = str((data.get("filter") or {}).get("id", ""))
        return BoardConfiguration(filter_id=filter_id, columns=columns)

    def quick_filters(self, board_id: str) -> dict[str, str]:
        """Quick filter name -> JQL."""
        return {
            str(q.get("name", "")): str(q.get("jql", ""))
            for q in self._agile_pages(f"board/{board_id}/quickfilter", {})
        }

    def create_board(
        self, name: str, board_type: str, filter_id: str, project_key: str
    ) -> RemoteBoard:
        """Create a board on a filter, located in a project."""
        data = {
            "name": name,
            "type": board_type,
            "filterId": int(filter_id),
            "location": {"type": "project", "projectKeyOrId": project_key},
        }
        return _board(self._agile_call("POST", "board", json=data))

    def delete_board(self, board_id: str) -> None:
        """Delete a board (its filter stays)."""
        self._agile_call("DELETE", f"board/{board_id}")

    def board_property(self, board_id: str, key: str) -> Any:
        """The value of a board property, or None when the board has none of that key."""
        try:
            return self._agile_call("GET", f"board/{board_id}/properties/{key}").get("value")
        except NotFound:
            return None

    def set_board_property(self, board_id: str, key: str, value: Any) -> None:
        """Set a board property (a PUT: repeating it changes nothing)."""
        self._agile_call("PUT", f"board/{board_id}/properties/{key}", json=value)


def _board(data: Mapping[str, Any]) -> RemoteBoard:
    location = data.get("location") or {}
    return RemoteBoard(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        type=str(data.get("type", "")),
        project_key=str(location["projectKey"]) if location.get("projectKey") else None,
    )
