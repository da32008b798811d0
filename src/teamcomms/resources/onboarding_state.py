"""The values of the onboarding resources: what a hire's epic and tasks should be, what is on the
site, the marker every onboarding issue carries, and what a change carries out.

Every issue teamcomms creates for a hire carries the ``teamcomms`` issue property, set in the
create request itself::

    {"definition": "hire/maya-chen", "item": "laptop", "spec": "<16 hex>", "state": "<16 hex>"}

``item`` is the checklist item's id (empty for the epic); ``spec`` is the hash of what the
checklist asked for, so a changed item is updated; ``state`` is the hash of the fields as written
(summary, description text, assignee, due date, labels), so an issue someone edited since is told
apart and never changed. Issue properties are not searchable, so the issues also carry labels JQL
can find: :data:`ONBOARDING_LABEL` and the hire's own label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from teamcomms.resources.marker_tag import short, spec_hash

MARKER_KEY = "teamcomms"
"""The issue property holding the marker."""
ONBOARDING_LABEL = "teamcomms-onboarding"
"""On every onboarding issue teamcomms creates (``onboard status --all`` searches it)."""
LEDGER_PREFIX = "teamcomms.onboarding."
"""Project properties ``<prefix><hire>`` list the ids of the hire's issues (see read)."""
EPIC_RESOURCE = "onboarding-epic"
TASKS_RESOURCE = "onboarding-tasks"


def hire_label(name: str) -> str:
    """The label JQL finds a hire's issues by: ``hire-maya-chen``."""
    return f"hire-{name}"


def ledger_key(name: str) -> str:
    """The project property listing the hire's issue ids."""
    return f"{LEDGER_PREFIX}{name}"


@dataclass(frozen=True)
class PageLink:
    """A Confluence page an item names, by title (its id is known only once it exists), or a
    plain web address."""

    text: str
    space: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class TaskSpec:
    """One checklist item as a hire's task."""

    item: str
    summary: str
    owner: str
    """``hire``, ``manager``, ``buddy``, a team name or an email (as the checklist says)."""
    email: str | None
    """Whose task it is; ``None``: nobody (no buddy given, a team without a user)."""
    due: str
    description: str = ""
    link: PageLink | None = None
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    """The Jira account id of ``email`` (filled in by the plan from the site's users)."""

    @property
    def hash(self) -> str:
        """What the marker's ``spec`` records."""
        return spec_hash(asdict(self))


@dataclass(frozen=True)
class EpicSpec:
    """A hire's epic: named from the checklist's pattern, with the hire in its description."""

    summary: str
    description: str
    due: str
    labels: tuple[str, ...] = ()
    link: PageLink | None = None
    """The welcome page."""

    @property
    def hash(self) -> str:
        """What the marker's ``spec`` records."""
        return spec_hash(asdict(self))


@dataclass(frozen=True)
class WantedHire:
    """Everything a hire's onboarding asks for in Jira."""

    address: str
    """``hire/maya-chen``: the definition, and the address of its changes."""
    name: str
    project: str
    issue_type: str
    epic: EpicSpec
    tasks: tuple[TaskSpec, ...]
    notes: tuple[str, ...] = ()
    """What the plan should say about the hire (tasks left unassigned and why)."""


@dataclass(frozen=True)
class WantedOnboarding:
    """The desired state of both onboarding resources."""

    hires: tuple[WantedHire, ...] = ()
    unknown_users: str = "fail"
    """``fail`` or ``unassigned``: what an email without a Jira user does."""

    def scope(self, *, with_users: bool) -> tuple[str, ...]:
        """``PROJECT``, ``hire:NAME`` and, for the tasks, ``user:EMAIL`` entries: what to read."""
        entries = {h.project for h in self.hires} | {f"hire:{h.name}" for h in self.hires}
        if with_users:
            entries |= {f"user:{t.email}" for h in self.hires for t in h.tasks if t.email}
        return tuple(sorted(entries, key=lambda e: (":" in e, e)))


@dataclass(frozen=True)
class Marker:
    """The ``teamcomms`` property of an onboarding issue."""

    definition: str
    item: str
    spec: str
    state: str

    def to_json(self) -> dict[str, str]:
        """As stored on the issue."""
        return {"definition": self.definition, "item": self.item, "spec": self.spec,
                "state": self.state}  # fmt: skip

    @classmethod
    def from_json(cls, value: Any) -> Marker | None:
        """The marker stored on an issue, or ``None`` when it is not one."""
        if not isinstance(value, Mapping) or not isinstance(value.get("definition"), str):
            return None
        return cls(
            definition=str(value["definition"]),
            item=str(value.get("item") or ""),
            spec=str(value.get("spec") or ""),
            state=str(value.get("state") or ""),
        )


@dataclass(frozen=True)
class FoundIssue:
    """An onboarding issue on the site, with its marker."""

    id: str
    key: str
    project: str
    marker: Marker
    summary: str
    status: str
    status_category: str
    assignee: str | None
    assignee_name: str | None
    due: str | None
    labels: tuple[str, ...]
    text: str
    """The description's text (ADF flattened), what the state hash covers."""
    issue_type: str = ""

    @property
    def state(self) -> str:
        """The short hash of the fields as they are now (compare with ``marker.state``)."""
        return state_hash(self.summary, self.text, self.assignee, self.due, self.labels)

    @property
    def moved_on(self) -> bool:
        """Whether someone changed it since teamcomms wrote it (fields or status)."""
        return self.marker.state != self.state or self.status_category != "new"

    def changed_by_hand(self) -> list[str]:
        """What differs from what teamcomms wrote, as far as can be told."""
        parts = ["status"] if self.status_category != "new" else []
        if self.marker.state != self.state:
            parts.append("fields")
        return parts


@dataclass(frozen=True)
class CurrentOnboarding:
    """The onboarding issues of the hires in scope, and the users found by email."""

    issues: tuple[FoundIssue, ...] = ()
    users: tuple[tuple[str, str | None], ...] = ()
    """``(email, account id or None when nobody has it)``."""
    projects: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = ()
    """``(key, id, ((issue type name, id), ...))`` of each project in scope that exists."""

    def of(self, address: str) -> list[FoundIssue]:
        """The issues whose marker names ``address``, oldest first."""
        return sorted(
            (i for i in self.issues if i.marker.definition == address),
            key=lambda i: (len(i.id), i.id),
        )

    def account(self, email: str | None) -> tuple[bool, str | None]:
        """``(looked up, account id)`` for an email."""
        if email is None:
            return True, None
        found = dict(self.users)
        key = email.lower()
        return (key in found, found.get(key))


def state_hash(
    summary: str, text: str, assignee: str | None, due: str | None, labels: Iterable[str]
) -> str:
    """The short hash of an issue's fields as written (whitespace in the text folded)."""
    document = {
        "summary": summary,
        "text": " ".join(text.split()),
        "assignee": assignee,
        "due": due,
        "labels": sorted(labels),
    }
    return short(spec_hash(document))


def adf_text(node: Any) -> str:
    """The text of an ADF document: text nodes, link targets and mentions, blocks on new lines."""
    if not isinstance(node, Mapping):
        return ""
    parts: list[str] = []
    if isinstance(node.get("text"), str):
        parts.append(node["text"])
    for mark in node.get("marks") or []:
        href = (mark.get("attrs") or {}).get("href") if isinstance(mark, Mapping) else None
        if href:
            parts.append(f" <{href}>")
    attrs = node.get("attrs") or {}
    if node.get("type") in ("mention", "inlineCard") and isinstance(attrs, Mapping):
        parts.append(str(attrs.get("text") or attrs.get("url") or ""))
    children = [adf_text(child) for child in node.get("content") or []]
    inline = node.get("type") in ("paragraph", "heading", "text")
    parts.append(("" if inline else "\n").join(children))
    return "".join(parts)


@dataclass(frozen=True)
class LeftAlone:
    """An issue the plan does not write although the checklist changed it, and why."""

    key: str
    summary: str
    reason: str


@dataclass(frozen=True)
class TaskWrite:
    """One task a tasks change creates (``issue_id`` None) or updates."""

    spec: TaskSpec
    issue_id: str | None = None
    key: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class HireTasks:
    """``Change.after`` of a tasks change: every task the hire should have."""

    tasks: tuple[TaskSpec, ...] = ()


@dataclass(frozen=True)
class OnboardingDetail:
    """``Change.detail`` of both onboarding changes."""

    hire: str
    project: str
    project_id: str = ""
    issue_type_id: str = ""
    epic_type_id: str = ""
    epic_id: str | None = None
    """The existing epic (tasks changes made when the epic already exists)."""
    writes: tuple[TaskWrite, ...] = ()
    left_alone: tuple[LeftAlone, ...] = ()
    notes: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    known_ids: tuple[str, ...] = field(default=())
    """Ids of the hire's issues found by the plan (kept in the ledger)."""
