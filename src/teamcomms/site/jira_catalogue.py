"""The names Jira configuration refers to by id: fields, project roles, groups, resolutions.

Each list is read once per run (they change rarely and writes need their ids); groups are looked
up by name or id in one request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from teamcomms.site.jira_base import JiraBase


@dataclass(frozen=True)
class RemoteField:
    """A field as ``GET /field`` lists it."""

    id: str
    name: str
    custom: bool
    type: str = ""
    """The custom field type key (``com.atlassian.jira.plugin.system.customfieldtypes:select``),
    empty for system fields."""
    searcher: str = ""
    description: str = ""


@dataclass(frozen=True)
class Named:
    """An id and a name (a project role, a group, a resolution)."""

    id: str
    name: str


class JiraCatalogue(JiraBase):
    """Fields, roles, groups and resolutions, cached for the run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._catalogue: dict[str, Any] = {}
        self._catalogue_lock = threading.Lock()

    def _cached(self, key: str, read: Any) -> Any:
        with self._catalogue_lock:
            if key in self._catalogue:
                return self._catalogue[key]
        value = read()
        with self._catalogue_lock:
            self._catalogue.setdefault(key, value)
            return self._catalogue[key]

    def forget_fields(self) -> None:
        """Read the field list again next time (after custom fields were created)."""
        with self._catalogue_lock:
            self._catalogue.pop("fields", None)

    def fields(self) -> list[RemoteField]:
        """Every field, system and custom (one unpaginated request)."""
        return list(
            self._cached("fields", lambda: [field_from_json(f) for f in self._get("field")])
        )

    def roles(self) -> list[Named]:
        """The site's project roles."""
        return list(
            self._cached(
                "roles", lambda: [Named(str(r["id"]), str(r["name"])) for r in self._get("role")]
            )
        )

    def resolutions(self) -> list[Named]:
        """The site's resolutions."""
        return list(
            self._cached(
                "resolutions",
                lambda: [Named(str(r["id"]), str(r["name"])) for r in self._get("resolution")],
            )
        )

    def projects(self) -> list[Named]:
        """Every project the user can see, as (id, key)."""
        return list(
            self._cached(
                "projects",
                lambda: [Named(str(p["id"]), str(p["key"])) for p in self._paged("project/search")],
            )
        )

    def issue_types(self) -> list[Named]:
        """Every issue type the user can see."""
        return list(
            self._cached(
                "issue types",
                lambda: [Named(str(t["id"]), str(t["name"])) for t in self._get("issuetype")],
            )
        )

    def groups(self, *, names: Sequence[str] = (), ids: Sequence[str] = ()) -> list[Named]:
        """The groups with these names or ids (``GET /group/bulk``; unknown ones left out)."""
        if not names and not ids:
            return []
        params: dict[str, Any] = {"groupName": list(names), "groupId": list(ids)}
        return [
            Named(str(g.get("groupId", "")), str(g.get("name", "")))
            for g in self._paged("group/bulk", params)
        ]


def field_from_json(data: dict[str, Any]) -> RemoteField:
    """A field of ``GET /field``."""
    schema = data.get("schema") or {}
    return RemoteField(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        custom=bool(data.get("custom")),
        type=str(schema.get("custom") or ""),
        searcher=str(data.get("searcherKey") or ""),
        description=str(data.get("description") or ""),
    )
