"""Jira saved filters: list, create, update, delete (``/rest/api/{3,2}/filter``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from teamcomms.site.jira_base import JiraBase

# A filter listing carries only id and name unless these are asked for.
_FILTER_EXPAND = "description,favourite,jql,sharePermissions,owner"


@dataclass(frozen=True)
class RemoteFilter:
    """A saved filter as the site holds it."""

    id: str
    name: str
    description: str
    jql: str
    favourite: bool
    shares: tuple[str, ...]
    """``project:KEY``, ``group:NAME``, ``loggedin`` or ``global``, sorted; shares definitions
    cannot express as ``project-role:KEY:ROLE``, ``user:ACCOUNT`` or Jira's own type name."""
    owner: str | None = None
    """The owner's account id (user key on Data Center)."""


@dataclass(frozen=True)
class ShareTarget:
    """Who a filter is shared with, as a request names it."""

    kind: str
    """``project``, ``group``, ``loggedin`` or ``global``."""
    project_id: str | None = None
    group: str | None = None

    def payload(self) -> dict[str, Any]:
        """The ``SharePermission`` a create or update sends."""
        if self.kind == "project":
            return {"type": "project", "project": {"id": self.project_id}}
        if self.kind == "group":
            return {"type": "group", "group": {"name": self.group}}
        return {"type": self.kind}


class JiraFilters(JiraBase):
    """Saved filters."""

    def list_filters(self) -> list[RemoteFilter]:
        """Every filter the user can see, in as few pages as the API allows."""
        return [
            filter_from_json(item)
            for item in self._paged("filter/search", {"expand": _FILTER_EXPAND})
        ]

    def create_filter(
        self,
        name: str,
        jql: str,
        *,
        description: str,
        favourite: bool,
        shares: Sequence[ShareTarget],
    ) -> RemoteFilter:
        """Create a filter (a second one with the same name is refused by Jira with 400)."""
        data = _filter_payload(name, jql, description, favourite, shares)
        return filter_from_json(self._post("filter", data, {"expand": _FILTER_EXPAND}))

    def update_filter(
        self,
        filter_id: str,
        name: str,
        jql: str,
        *,
        description: str,
        favourite: bool,
        shares: Sequence[ShareTarget],
    ) -> RemoteFilter:
        """Replace a filter's name, JQL, description, favourite flag and sharing."""
        data = _filter_payload(name, jql, description, favourite, shares)
        response = self._session.put(
            f"{self._base}/filter/{filter_id}", json=data, params={"expand": _FILTER_EXPAND}
        )
        return filter_from_json(response.json())

    def delete_filter(self, filter_id: str) -> None:
        """Delete a filter."""
        self._delete(f"filter/{filter_id}")


def _filter_payload(
    name: str, jql: str, description: str, favourite: bool, shares: Sequence[ShareTarget]
) -> dict[str, Any]:
    return {
        "name": name,
        "jql": jql,
        "description": description,
        "favourite": favourite,
        "sharePermissions": [share.payload() for share in shares],
    }


def filter_from_json(data: Any) -> RemoteFilter:
    """A ``Filter`` answer as a :class:`RemoteFilter`."""
    shares: list[str] = []
    for share in data.get("sharePermissions") or []:
        kind = str(share.get("type", ""))
        key = (share.get("project") or {}).get("key", "")
        if kind == "project" and share.get("role"):
            # A project role's share comes back as type "project" with the role beside it:
            # read as "project" alone, adopting the filter would widen it to the whole project.
            shares.append(f"project-role:{key}:{share['role'].get('name', '')}")
        elif kind == "project":
            shares.append(f"project:{key}")
        elif kind == "user":
            shares.append(f"user:{(share.get('user') or {}).get('accountId', '')}")
        elif kind == "group":
            shares.append(f"group:{(share.get('group') or {}).get('name', '')}")
        else:
            # Cloud answers a filter shared with everyone as "global"; older sites as
            # "authenticated" for logged-in users.
            shares.append("loggedin" if kind == "authenticated" else kind)
    owner = data.get("owner") or {}
    return RemoteFilter(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        description=str(data.get("description") or ""),
        jql=str(data.get("jql") or ""),
        favourite=bool(data.get("favourite")),
        shares=tuple(sorted(shares)),
        owner=owner.get("accountId") or owner.get("key") or owner.get("name"),
    )
