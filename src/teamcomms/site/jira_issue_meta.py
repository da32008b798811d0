"""What creating and linking issues needs to know first: the create metadata of a project
(its issue types, and per type the fields of the create screen with whether each is required
and its allowed values), the statuses of each issue type's workflow, the issue link types, and
issue links.

Everything here needs only the permissions a user who creates issues has (*Browse projects*,
*Create issues*, *Link issues*); the workflow of an issue type (its transitions, to find a way to
a status) needs *Administer projects* and is read only when an issue cannot reach its status
directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from teamcomms.site.jira_base import JiraBase
from teamcomms.site.jira_workflows import RemoteWorkflow, workflow_from_json

CREATE_META_PAGE = 200
"""The largest page the createmeta endpoints answer (their documented ``maxResults`` limit)."""


@dataclass(frozen=True)
class CreateMetaType:
    """An issue type a project can create."""

    id: str
    name: str
    subtask: bool = False
    hierarchy_level: int = 0
    """1 for epics, 0 for standard types, -1 for sub-tasks (Jira's hierarchy)."""


@dataclass(frozen=True)
class AllowedValue:
    """One value a field allows: an option, a priority, a component, an issue type..."""

    id: str
    name: str
    """Its ``name``, or its ``value`` for custom field options."""


@dataclass(frozen=True)
class CreateMetaField:
    """A field of an issue type's create screen."""

    id: str
    name: str
    required: bool
    has_default: bool
    type: str
    """The schema type: ``string``, ``number``, ``date``, ``datetime``, ``option``, ``array``,
    ``user``, ``priority``, ``issuelink``..."""
    items: str = ""
    """What an ``array`` holds: ``string``, ``option``, ``component``, ``user``..."""
    custom: str = ""
    """A custom field's type key (``com.atlassian.jira.plugin.system.customfieldtypes:select``)."""
    allowed: tuple[AllowedValue, ...] | None = None
    """The values the field takes (``None``: any value of its type)."""


@dataclass(frozen=True)
class LinkType:
    """An issue link type: ``A <outward> B``, ``B <inward> A``."""

    id: str
    name: str
    inward: str
    outward: str


@dataclass(frozen=True)
class TypeStatuses:
    """The statuses of an issue type's workflow in a project."""

    type_id: str
    type_name: str
    statuses: tuple[str, ...]


class JiraIssueMeta(JiraBase):
    """Create metadata, workflow statuses, link types and links."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._link_types: list[LinkType] | None = None
        self._meta_lock = threading.Lock()

    def create_meta_types(self, project: str) -> list[CreateMetaType]:
        """The issue types ``project`` (key or id) can create
        (``GET issue/createmeta/{project}/issuetypes``)."""
        return [
            CreateMetaType(
                id=str(item["id"]),
                name=str(item.get("name", "")),
                subtask=bool(item.get("subtask")),
                hierarchy_level=int(item.get("hierarchyLevel", -1 if item.get("subtask") else 0)),
            )
            # The documented answer lists them under issueTypes; its schema also names
            # createMetaIssueType (write-only there), so either is read.
            for item in self._meta_pages(f"issue/createmeta/{project}/issuetypes", "issueTypes")
        ]

    def create_meta_fields(self, project: str, type_id: str) -> list[CreateMetaField]:
        """The fields of the create screen of issue type ``type_id`` in ``project``
        (``GET issue/createmeta/{project}/issuetypes/{type}``)."""
        path = f"issue/createmeta/{project}/issuetypes/{type_id}"
        return [_field(item) for item in self._meta_pages(path, "fields")]

    def _meta_pages(self, path: str, key: str) -> Iterator[Mapping[str, Any]]:
        start = 0
        while True:
            page = self._get(path, {"startAt": start, "maxResults": CREATE_META_PAGE}) or {}
            # The page's schema has both `fields` and `results`; the documented answer fills
            # `fields` (and `issueTypes`), so those are read first.
            values = page.get(key) or page.get("results") or page.get("createMetaIssueType") or []
            yield from values
            total = int(page.get("total", 0) or 0)
            start += len(values)
            if not values or start >= total:
                return

    def project_statuses(self, project: str) -> list[TypeStatuses]:
        """The statuses each issue type of ``project`` can be in (``GET project/{p}/statuses``;
        needs only *Browse projects*)."""
        return [
            TypeStatuses(
                type_id=str(item.get("id", "")),
                type_name=str(item.get("name", "")),
                statuses=tuple(str(s.get("name", "")) for s in item.get("statuses") or []),
            )
            for item in self._get(f"project/{project}/statuses") or []
        ]

    def workflow_of(self, project_id: str, type_id: str) -> RemoteWorkflow | None:
        """The workflow issues of ``type_id`` follow in the project (``POST workflows``; needs
        *Administer projects*), or ``None`` when Jira names none."""
        pair = {"projectId": project_id, "issueTypeId": type_id}
        answer = self._post("workflows", {"projectAndIssueTypes": [pair]}) or {}
        names = {
            str(s.get("id") or s.get("statusReference")): str(s["name"])
            for s in answer.get("statuses") or []
            if s.get("name")
        }
        found = [workflow_from_json(w, names) for w in answer.get("workflows") or []]
        return found[0] if found else None

    def link_types(self) -> list[LinkType]:
        """The site's issue link types (``GET issueLinkType``), read once per run."""
        with self._meta_lock:
            if self._link_types is not None:
                return list(self._link_types)
        found = [
            LinkType(
                id=str(t.get("id", "")),
                name=str(t.get("name", "")),
                inward=str(t.get("inward", "")),
                outward=str(t.get("outward", "")),
            )
            for t in (self._get("issueLinkType") or {}).get("issueLinkTypes") or []
        ]
        with self._meta_lock:
            self._link_types = found
        return list(found)

    def link_issues(self, type_name: str, source_id: str, target_id: str) -> None:
        """Link ``source <outward> target`` (``source blocks target`` for Blocks).

        Jira's request names the issues the other way round from how it shows the link: its
        ``inwardIssue`` is the issue the outward description is said of (``inwardIssue`` A,
        ``outwardIssue`` B, type Blocks: "A blocks B"). Jira answers 201 to a link that exists.
        """
        self._post(
            "issueLink",
            {
                "type": {"name": type_name},
                "inwardIssue": {"id": source_id},
                "outwardIssue": {"id": target_id},
            },
        )


def _field(item: Mapping[str, Any]) -> CreateMetaField:
    schema = item.get("schema") or {}
    allowed = item.get("allowedValues")
    return CreateMetaField(
        id=str(item.get("fieldId") or item.get("key") or ""),
        name=str(item.get("name", "")),
        required=bool(item.get("required")),
        has_default=bool(item.get("hasDefaultValue")),
        type=str(schema.get("type", "")),
        items=str(schema.get("items", "")),
        custom=str(schema.get("custom", "")),
        allowed=None
        if allowed is None
        else tuple(
            AllowedValue(id=str(v.get("id", "")), name=str(v.get("name") or v.get("value") or ""))
            for v in allowed
            if isinstance(v, Mapping) and not v.get("disabled")
        ),
    )
