"""The plan's vocabulary: a :class:`Change` per object, and the :class:`Plan` of them.

A plan is a plain frozen value. ``plan`` prints it; ``apply`` carries out exactly its changes;
``plan --out`` saves it (see :mod:`teamcomms.engine.saved_plan`). The engine knows no product:
what a change holds beyond the common fields (``before``, ``after`` and ``detail``) belongs to the
resource that made it (:mod:`teamcomms.resources`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

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
    "unsupported",
    "orphan",
    "archive",
    "delete",
]

ACTIONS: tuple[Action, ...] = get_args(Action)
"""Every action, in the order summaries list them."""
WRITING_ACTIONS: frozenset[Action] = frozenset(
    {"create", "update", "rename", "move", "relabel", "adopt", "archive", "delete"}
)
"""Actions that send writes to the site."""
BLOCKING_ACTIONS: frozenset[Action] = frozenset({"conflict", "drifted"})
"""Actions that stop ``apply`` (``drifted`` only without ``--force``)."""
LEFTOVER_ACTIONS: frozenset[Action] = frozenset({"orphan", "archive", "delete"})
"""Actions for owned objects that no definition keeps (several may share one address)."""
PRUNE_ACTIONS: frozenset[Action] = frozenset({"archive", "delete"})

SUMMARY_WORDS: dict[Action, str] = {
    "create": "to create",
    "update": "to update",
    "rename": "to rename",
    "move": "to move",
    "relabel": "to relabel",
    "adopt": "to adopt",
    "no-op": "unchanged",
    "conflict": "in conflict",
    "drifted": "drifted",
    "unsupported": "not supported by this site",
    "orphan": "orphaned",
    "archive": "to archive",
    "delete": "to delete",
}


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
    """What happens to one object on the site."""

    resource: str
    """The kind of object, as its resource names it: ``page``, ``template``, ``workflow``..."""
    address: str
    """``kind/name`` of the owning definition (leftovers: the one named in their marker)."""
    action: Action
    title: str
    """The name the object will have (leftovers: the name it has)."""
    scope: str = ""
    """Where the object lives: a space key, a Jira project key, or empty for site-wide objects."""
    target_id: str | None = None
    """Id of the existing object this change writes to; ``None`` for a create."""
    fields: tuple[str, ...] = ()
    """Which parts change. ``drifted`` changes list what ``--force`` would overwrite."""
    before: Any = None
    """The object as it is now, in the resource's own frozen value (``None`` for a create)."""
    after: Any = None
    """What the object will hold, in the resource's own frozen value."""
    requires: tuple[str, ...] = ()
    """Keys of changes that must be carried out first; if one fails, this one is skipped."""
    reason: str | None = None
    """Why: the conflict, the drift, the orphan, or why an unmanaged object is adopted."""
    drift: Drift | None = None
    detail: Any = None
    """Whatever else the resource needs to carry the change out (its own frozen value)."""
    warnings: tuple[str, ...] = ()
    """What the user should check or do by hand about this object (it blocks nothing)."""

    @property
    def key(self) -> str:
        """Unique within a plan: ``resource:address``, plus ``#id`` for leftovers (one
        definition's name may be on several leftover objects, such as duplicates)."""
        base = f"{self.resource}:{self.address}"
        return f"{base}#{self.target_id}" if self.action in LEFTOVER_ACTIONS else base

    @property
    def writes(self) -> bool:
        """Whether carrying out this change sends writes (``drifted`` only with ``--force``)."""
        return self.action in WRITING_ACTIONS

    @property
    def blocking(self) -> bool:
        """Whether this change stops ``apply`` (see :data:`BLOCKING_ACTIONS`)."""
        return self.action in BLOCKING_ACTIONS


@dataclass(frozen=True)
class NotManaged:
    """Definitions that ``plan`` does not carry out, and the command that does."""

    kind: str
    count: int
    handled_by: str
    """What to run instead, e.g. ``teamcomms standup``."""


@dataclass(frozen=True)
class Plan:
    """Every change for the objects in scope, in the order ``apply`` may run them."""

    changes: tuple[Change, ...]
    fingerprint: str
    """Hash of the site state the plan was computed from (the objects its changes touch)."""
    site: str | None = None
    scopes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per resource, what was read (for example the spaces of the page listing)."""
    not_managed: tuple[NotManaged, ...] = ()
    warnings: tuple[str, ...] = ()
    """What the user should know that is not a change (a diagram that could not be drawn)."""
    project_root: str | None = field(default=None, compare=False)
    """The project folder the plan was made from (a saved plan for the local sandbox needs it:
    the sandbox keeps its state there)."""
    source: str | None = field(default=None, compare=False)
    """The file a saved plan was read from (``None`` for a plan computed in this run); ``apply``
    checks such a plan against the site before it writes anything."""

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

    def all_warnings(self) -> tuple[str, ...]:
        """The plan's warnings, then each change's, prefixed with its definition."""
        own = tuple(f"{c.address}: {w}" for c in self.changes for w in c.warnings)
        return (*self.warnings, *own)

    def scope_of(self, resource: str) -> tuple[str, ...]:
        """What was read for ``resource`` (empty when it was not read)."""
        return dict(self.scopes).get(resource, ())

    def summary(self) -> str:
        """One line of counts, e.g. ``3 to create, 1 to update, 12 unchanged``."""
        counts = self.counts()
        if not counts:
            return "nothing in scope"
        return ", ".join(f"{count} {SUMMARY_WORDS[action]}" for action, count in counts.items())


Updating = Literal["update", "rename", "move", "relabel", "no-op"]
SINGLE_FIELD_ACTIONS: dict[str, Literal["rename", "move", "relabel"]] = {
    "title": "rename",
    "parent": "move",
    "labels": "relabel",
}


def action_for(fields: Iterable[str]) -> Updating:
    """The action for a managed object whose ``fields`` change: a single visible part gives a
    ``rename``/``move``/``relabel``, anything more an ``update`` (a marker alone too)."""
    fields = list(fields)
    visible = [f for f in fields if f != "marker"]
    if not fields:
        return "no-op"
    if len(visible) == 1 and visible[0] in SINGLE_FIELD_ACTIONS:
        return SINGLE_FIELD_ACTIONS[visible[0]]
    return "update"


def conflict_with(change: Change, target_id: str, before: Any, reason: str) -> Change:
    """``change`` refused because of the existing object ``target_id`` (as ``before`` shows it)."""
    return replace(change, action="conflict", target_id=target_id, before=before, reason=reason)
