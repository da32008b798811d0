"""Jira issues in plain values: bulk create (at most 50 a request, partial failures per item),
search with ``search/jql`` (properties and ``reconcileIssues``), edits, transitions, comments,
people by email, and project entity properties.

Creates name projects and issue types by id, so no request looks them up per issue; a create is
never re-sent by this layer (the HTTP policy raises
:class:`~teamcomms.site.errors.UncertainWriteError` when its answer is lost).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from teamcomms.site.errors import BadRequest, NotFound
from teamcomms.site.jira_base import JiraBase

BULK_LIMIT = 50
"""Issues per ``POST issue/bulk`` (Atlassian's documented limit)."""
RECONCILE_LIMIT = 50
"""Ids per search in ``reconcileIssues`` (Atlassian's documented limit)."""
PROPERTY_KEYS_LIMIT = 5
"""Properties a search may return per issue (Atlassian's documented limit)."""
SEARCH_PAGE = 100
"""Issues per search page when fields are asked for (Cloud caps such pages at 100)."""
ISSUE_FIELDS = (
    "summary",
    "description",
    "status",
    "assignee",
    "duedate",
    "labels",
    "issuetype",
    "parent",
    "project",
    "resolutiondate",
)


@dataclass(frozen=True)
class JiraUser:
    """A Jira user found by email."""

    account_id: str
    display_name: str
    email: str | None
    active: bool = True


@dataclass(frozen=True)
class IssueLink:
    """A link of an issue to another: ``this <outward> other`` when ``outward``, else
    ``this <inward> other``."""

    type: str
    """The link type's name (``Blocks``)."""
    outward: bool
    other_id: str


@dataclass(frozen=True)
class RemoteIssue:
    """An issue as search answers it, in the fields onboarding reads."""

    id: str
    key: str
    summary: str = ""
    description: Any = None
    """ADF on Cloud (``None`` when empty)."""
    status: str = ""
    status_category: str = "new"
    """``new``, ``indeterminate`` or ``done`` (Jira's status category keys)."""
    assignee: str | None = None
    """The assignee's account id."""
    assignee_name: str | None = None
    due: str | None = None
    """``YYYY-MM-DD``."""
    labels: tuple[str, ...] = ()
    issue_type: str = ""
    issue_type_id: str = ""
    parent_id: str | None = None
    project: str = ""
    resolved: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)
    created: str | None = None
    """When the issue was created (Jira's date-time text)."""
    category_changed: str | None = None
    """When it last entered its status category (``statuscategorychangedate``)."""
    fix_versions: tuple[Mapping[str, Any], ...] = ()
    """The ``fixVersions`` as Jira answers them (``name``, ``releaseDate``, ``released``)."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Every field the search asked for, as Jira answered it (custom fields included)."""
    links: tuple[IssueLink, ...] = ()
    """Only when the search asked for ``issuelinks``."""


@dataclass(frozen=True)
class IssueToCreate:
    """One issue of a create request: its fields (ids, not names) and entity properties."""

    fields: Mapping[str, Any]
    properties: Mapping[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The ``IssueUpdateDetails`` a create sends."""
        body: dict[str, Any] = {"fields": dict(self.fields)}
        if self.properties:
            body["properties"] = [{"key": k, "value": v} for k, v in self.properties.items()]
        return body


@dataclass(frozen=True)
class CreatedIssue:
    """An issue a create request made."""

    id: str
    key: str


@dataclass(frozen=True)
class FailedIssue:
    """An issue of a bulk create that Jira refused, with its reason."""

    index: int
    """Its position in the request."""
    message: str


@dataclass(frozen=True)
class BulkResult:
    """What a bulk create made (in request order among the successes) and refused."""

    created: tuple[tuple[int, CreatedIssue], ...]
    """``(position in the request, issue)``."""
    failed: tuple[FailedIssue, ...]


@dataclass(frozen=True)
class Transition:
    """A transition an issue can take now."""

    id: str
    name: str
    to_status: str
    to_category: str


class JiraIssues(JiraBase):
    """Issues, comments, people and project properties."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._users: dict[str, JiraUser | None] = {}
        self._users_lock = threading.Lock()

    # ---- people --------------------------------------------------------------------------------
    def user_by_email(self, email: str) -> JiraUser | None:
        """The active user with this email (``GET user/search``), read once per run per email.

        Cloud matches the query against names and emails and may hide emails; one active match
        is taken as the person, several without an exact email among them as nobody.
        """
        wanted = email.strip().lower()
        with self._users_lock:
            if wanted in self._users:
                return self._users[wanted]
        found = [u for u in self._get("user/search", {"query": wanted}) or [] if u.get("active")]
        exact = [u for u in found if str(u.get("emailAddress") or "").lower() == wanted]
        chosen = exact[0] if exact else (found[0] if len(found) == 1 else None)
        user = (
            None
            if chosen is None
            else JiraUser(
                account_id=str(chosen.get("accountId") or chosen.get("key") or ""),
                display_name=str(chosen.get("displayName") or ""),
                email=chosen.get("emailAddress"),
            )
        )
        with self._users_lock:
            self._users[wanted] = user
        return user

    # ---- create --------------------------------------------------------------------------------
    def create_issue(self, issue: IssueToCreate) -> CreatedIssue:
        """``POST issue``: one issue (with its properties, in the same request)."""
        data = self._post("issue", issue.payload())
        return CreatedIssue(id=str(data["id"]), key=str(data["key"]))

    def create_issues(self, issues: Sequence[IssueToCreate]) -> BulkResult:
        """``POST issue/bulk``: up to :data:`BULK_LIMIT` issues in one request. Jira is not
        atomic: it answers 201 with what it made and what it refused, or 400 when it refused
        every one; both come back as a :class:`BulkResult`."""
        if not issues or len(issues) > BULK_LIMIT:
            raise ValueError(f"a bulk create takes 1 to {BULK_LIMIT} issues, not {len(issues)}")
        try:
            data = self._post("issue/bulk", {"issueUpdates": [i.payload() for i in issues]})
        except BadRequest as error:
            data = _json_or_none(error.body)
            if not isinstance(data, dict) or not data.get("errors"):
                raise
        created = [
            CreatedIssue(id=str(item["id"]), key=str(item["key"]))
            for item in data.get("issues") or []
        ]
        failed = tuple(_failed(entry) for entry in data.get("errors") or [])
        refused = {f.index for f in failed}
        # Jira lists the created issues in request order, leaving out the refused ones.
        positions = [n for n in range(len(issues)) if n not in refused]
        return BulkResult(created=tuple(zip(positions, created, strict=False)), failed=failed)

    # ---- read ----------------------------------------------------------------------------------
    def search(
        self,
        jql: str,
        *,
        fields: Sequence[str] = ISSUE_FIELDS,
        properties: Sequence[str] = (),
        reconcile: Iterable[str] = (),
    ) -> list[RemoteIssue]:
        """Every issue ``jql`` finds (``POST search/jql``, pages of :data:`SEARCH_PAGE`).

        Search lags behind writes on Cloud; ``reconcile`` names issue ids written just before,
        which the search then sees (at most :data:`RECONCILE_LIMIT`).
        """
        if len(properties) > PROPERTY_KEYS_LIMIT:
            raise ValueError(f"a search returns at most {PROPERTY_KEYS_LIMIT} properties")
        ids = [int(i) for i in reconcile]
        if len(ids) > RECONCILE_LIMIT:
            raise ValueError(f"a search reconciles at most {RECONCILE_LIMIT} issues")
        body: dict[str, Any] = {"jql": jql, "maxResults": SEARCH_PAGE, "fields": list(fields)}
        if properties:
            body["properties"] = list(properties)
        if ids:
            body["reconcileIssues"] = ids
        found: list[RemoteIssue] = []
        while True:
            page = self._post("search/jql", body) or {}
            found.extend(issue_from_json(item) for item in page.get("issues") or [])
            token = page.get("nextPageToken")
            if page.get("isLast", True) or not token:
                return found
            body["nextPageToken"] = token

    # ---- change --------------------------------------------------------------------------------
    def edit_issue(
        self, key: str, fields: Mapping[str, Any], properties: Mapping[str, Any] | None = None
    ) -> None:
        """``PUT issue/{key}``: set ``fields`` and, in the same request, entity properties."""
        body: dict[str, Any] = {"fields": dict(fields)}
        if properties:
            body["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        self._put(f"issue/{key}", body)

    def transitions(self, key: str) -> list[Transition]:
        """The transitions ``key`` can take from its status."""
        data = self._get(f"issue/{key}/transitions") or {}
        return [
            Transition(
                id=str(t["id"]),
                name=str(t.get("name", "")),
                to_status=str((t.get("to") or {}).get("name", "")),
                to_category=str(((t.get("to") or {}).get("statusCategory") or {}).get("key", "")),
            )
            for t in data.get("transitions") or []
        ]

    def transition(self, key: str, transition_id: str) -> None:
        """Move ``key`` through a transition."""
        self._post(f"issue/{key}/transitions", {"transition": {"id": transition_id}})

    def add_comment(self, key: str, body: Mapping[str, Any]) -> str:
        """Add a comment (an ADF document on Cloud); returns its id."""
        data = self._post(f"issue/{key}/comment", {"body": dict(body)})
        return str(data["id"])

    # ---- project properties --------------------------------------------------------------------
    def project_property_keys(self, project: str) -> list[str]:
        """The keys of the project's entity properties."""
        data = self._get(f"project/{project}/properties") or {}
        return [str(k.get("key")) for k in data.get("keys") or []]

    def project_property(self, project: str, key: str) -> Any:
        """The value of a project property, ``None`` when it is not set."""
        try:
            return (self._get(f"project/{project}/properties/{key}") or {}).get("value")
        except NotFound:
            return None

    def set_project_property(self, project: str, key: str, value: Any) -> None:
        """Create or replace a project property (at most 32,768 characters of JSON)."""
        self._put(f"project/{project}/properties/{key}", value)


def issue_from_json(data: Mapping[str, Any]) -> RemoteIssue:
    """An ``IssueBean`` as a :class:`RemoteIssue`."""
    fields = data.get("fields") or {}
    status = fields.get("status") or {}
    assignee = fields.get("assignee") or {}
    return RemoteIssue(
        id=str(data["id"]),
        key=str(data.get("key", "")),
        summary=str(fields.get("summary") or ""),
        description=fields.get("description"),
        status=str(status.get("name", "")),
        status_category=str((status.get("statusCategory") or {}).get("key", "new")),
        assignee=assignee.get("accountId") or assignee.get("key") or assignee.get("name"),
        assignee_name=assignee.get("displayName"),
        due=fields.get("duedate"),
        labels=tuple(str(label) for label in fields.get("labels") or []),
        issue_type=str((fields.get("issuetype") or {}).get("name", "")),
        issue_type_id=str((fields.get("issuetype") or {}).get("id", "")),
        parent_id=(fields.get("parent") or {}).get("id"),
        project=str((fields.get("project") or {}).get("key", "")),
        resolved=fields.get("resolutiondate"),
        properties=dict(data.get("properties") or {}),
        created=fields.get("created"),
        category_changed=fields.get("statuscategorychangedate"),
        fix_versions=tuple(v for v in fields.get("fixVersions") or [] if isinstance(v, dict)),
        values=dict(fields),
        links=tuple(_links(fields.get("issuelinks") or [])),
    )


def _links(entries: Iterable[Any]) -> Iterable[IssueLink]:
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        name = str((entry.get("type") or {}).get("name", ""))
        for key, outward in (("outwardIssue", True), ("inwardIssue", False)):
            other = entry.get(key)
            if isinstance(other, Mapping) and other.get("id"):
                yield IssueLink(name, outward, str(other["id"]))


def _json_or_none(body: bytes | None) -> Any:
    try:
        return json.loads(body or b"")
    except ValueError:
        return None


def _failed(entry: Mapping[str, Any]) -> FailedIssue:
    errors = entry.get("elementErrors") or {}
    parts = [str(m) for m in errors.get("errorMessages") or []]
    parts += [f"{name}: {text}" for name, text in (errors.get("errors") or {}).items()]
    return FailedIssue(
        index=int(entry.get("failedElementNumber", -1)),
        message="; ".join(parts) or f"refused with status {entry.get('status')}",
    )
