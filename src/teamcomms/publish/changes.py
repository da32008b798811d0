"""The plan's vocabulary: a :class:`Change` per page or template, and the :class:`Plan` of them.

A plan is a plain frozen value. ``plan`` prints it; ``apply`` carries out exactly its changes;
``plan --out`` saves it as JSON (see :mod:`teamcomms.publish.saved_plan`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal, get_args

from teamcomms.publish.desired import DesiredAttachment
from teamcomms.publish.marker import Marker

Action = Literal[
    "create",
    "update",
    "rename",
    "move",
    "relabel",
    "adopt",
    "no-op",
    "conflict",
    "drifted",
    "orphan",
    "archive",
    "delete",
]
Resource = Literal["page", "template"]
Field = Literal["title", "body", "parent", "labels", "attachments", "marker"]

ACTIONS: tuple[Action, ...] = get_args(Action)
"""Every action, in the order summaries list them."""
WRITING_ACTIONS: frozenset[Action] = frozenset(
    {"create", "update", "rename", "move", "relabel", "adopt", "archive", "delete"}
)
"""Actions that send writes to the site."""
BLOCKING_ACTIONS: frozenset[Action] = frozenset({"conflict", "drifted"})
"""Actions that stop ``apply`` (``drifted`` only without ``--force``)."""


@dataclass(frozen=True)
class Content:
    """What a page or template holds (or will hold): the parts teamcomms writes."""

    title: str
    body: str
    labels: tuple[str, ...] = ()
    parent_title: str | None = None
    version: int | None = None
    """The page version (``before`` only; templates have none)."""


@dataclass(frozen=True)
class Drift:
    """Who changed a managed object by hand, and when (as far as the site says)."""

    author: str | None
    modified_at: str | None
    version: int | None
    written_version: int | None
    """The version teamcomms wrote last (from the marker)."""


@dataclass(frozen=True)
class Change:
    """What happens to one page or content template."""

    address: str
    """``kind/name`` of the owning definition (for orphans: the one named in their marker)."""
    resource: Resource
    action: Action
    space: str
    title: str
    """The title the object will have (orphans: the title it has)."""
    target_id: str | None = None
    """Id of the existing page or template this change writes to; ``None`` for a create."""
    fields: tuple[Field, ...] = ()
    """Which parts change. ``drifted`` changes list what ``--force`` would overwrite."""
    before: Content | None = None
    after: Content | None = None
    parent_id: str | None = None
    """Id of the parent page when it exists already."""
    depends_on: str | None = None
    """Address of the change that creates the parent page first."""
    attachments: tuple[DesiredAttachment, ...] = ()
    """Attachments to upload (only those that are new or changed)."""
    marker: Marker | None = None
    """The marker to write; its version is the one the write is expected to produce."""
    marker_property: tuple[str, int] | None = None
    """Id and version of the page's existing marker property (``None``: create it)."""
    description: str = ""
    """Content templates only: the description, before the marker tag is added."""
    reason: str | None = None
    """Why: the conflict, the drift, the orphan, or why an unmanaged page is adopted."""
    drift: Drift | None = None

    @property
    def writes(self) -> bool:
        """Whether carrying out this change sends writes (``drifted`` only with ``--force``)."""
        return self.action in WRITING_ACTIONS

    @property
    def blocking(self) -> bool:
        """Whether this change stops ``apply`` (see :data:`BLOCKING_ACTIONS`)."""
        return self.action in BLOCKING_ACTIONS


@dataclass(frozen=True)
class Plan:
    """Every change for the pages and templates in scope, in the order ``apply`` runs them."""

    changes: tuple[Change, ...]
    fingerprint: str
    """Hash of the site state the plan was computed from (the objects its changes touch)."""
    site: str | None = None
    spaces: tuple[str, ...] = ()
    """The spaces the plan read."""

    def counts(self) -> dict[Action, int]:
        """How many changes of each action, in :data:`ACTIONS` order, zeros left out."""
        counter = Counter(change.action for change in self.changes)
        return {action: counter[action] for action in ACTIONS if counter[action]}

    @property
    def has_changes(self) -> bool:
        """Whether applying would write anything (or is blocked by a conflict or drift)."""
        return any(change.writes or change.blocking for change in self.changes)

    @property
    def blocking(self) -> tuple[Change, ...]:
        """The conflicts and drifted objects."""
        return tuple(change for change in self.changes if change.blocking)

    def summary(self) -> str:
        """One line of counts, e.g. ``3 to create, 1 to update, 12 unchanged``."""
        words = {
            "create": "to create",
            "update": "to update",
            "rename": "to rename",
            "move": "to move",
            "relabel": "to relabel",
            "adopt": "to adopt",
            "no-op": "unchanged",
            "conflict": "in conflict",
            "drifted": "drifted",
            "orphan": "orphaned",
            "archive": "to archive",
            "delete": "to delete",
        }
        counts = self.counts()
        if not counts:
            return "nothing in scope"
        return ", ".join(f"{count} {words[action]}" for action, count in counts.items())


def action_for(fields: Iterable[Field]) -> Literal["update", "rename", "move", "relabel", "no-op"]:
    """The action for a managed object whose ``fields`` change: a single visible part gives a
    ``rename``/``move``/``relabel``, anything more an ``update`` (a marker alone too)."""
    fields = list(fields)
    visible = [f for f in fields if f != "marker"]
    if not fields:
        return "no-op"
    single: dict[Field, Literal["rename", "move", "relabel"]] = {
        "title": "rename",
        "parent": "move",
        "labels": "relabel",
    }
    if len(visible) == 1 and visible[0] in single:
        return single[visible[0]]
    return "update"


def orphan(
    resource: Resource,
    definition: str,
    *,
    gone: bool,
    action: Literal["orphan", "archive", "delete"],
    space: str,
    title: str,
    target_id: str,
    before: Content,
) -> Change:
    """An owned object no definition keeps: its ``definition`` is ``gone``, or another object
    carries the same marker (a duplicate)."""
    return Change(
        address=definition,
        resource=resource,
        action=action,
        space=space,
        title=title,
        target_id=target_id,
        before=before,
        reason="its definition is gone"
        if gone
        else f"duplicate: another {resource} is {definition}",
    )


def conflict_with(change: Change, target_id: str, before: Content, reason: str) -> Change:
    """``change`` refused because of the existing object ``target_id`` (as ``before`` shows it)."""
    return replace(change, action="conflict", target_id=target_id, before=before, reason=reason)


def missing_space(change: Change) -> Change:
    """``change`` refused because its space does not exist (or cannot be seen)."""
    reason = f"space {change.space!r} does not exist or cannot be seen"
    return replace(change, action="conflict", reason=reason)
