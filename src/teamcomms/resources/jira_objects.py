"""What the Jira configuration resources share: objects matched by name, owned through a marker,
compared field by field.

Jira identifies statuses, workflows, workflow schemes, custom fields, filters and boards by name,
so a definition finds its object by name. Whether teamcomms owns it comes from the marker the
object carries (a description tag, :mod:`teamcomms.resources.marker_tag`, or a board property):
an object of that name without a marker is a conflict unless the definition says ``adopt: true``;
one whose marker names another definition is a conflict; an owned object no definition keeps is an
orphan (removed only with ``--prune``). What teamcomms wrote is recorded as a hash, so an object
edited by hand since is ``drifted``, not overwritten without ``--force``.

Each kind describes its managed parts as a :class:`Spec`: a name and plain JSON values, normalised
the same way whether they come from a definition or from the site.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from teamcomms.engine.change import Change, Drift, action_for
from teamcomms.engine.resource import Observed, Prune
from teamcomms.errors import TeamcommsError
from teamcomms.resources.marker_tag import short, spec_hash

T = TypeVar("T")
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.site.connection import Site


class MissingOnSite(TeamcommsError):
    """Something a definition names (a project, an issue type, a group) is not on the site."""


def project_id(site: Site, key: str) -> str:
    """The id of the Jira project ``key`` (read once per run); :class:`MissingOnSite` if absent."""
    project = site.jira.cached_project(key)
    if project is None:
        raise MissingOnSite(
            f"Jira project {key!r} does not exist or you cannot see it",
            hint="create the project or fix the key in the definitions; `teamcomms doctor` "
            "checks every project the definitions name",
        )
    return project.id


PENDING = "0" * 16
"""The hash a marker holds while a write made of several requests is under way (a custom field
and its contexts and options, a scheme and its project): an object whose marker still says so was
left by an interrupted run, and the next apply finishes it instead of calling it a hand edit."""


@dataclass(frozen=True)
class Spec:
    """A Jira object's managed parts: its name and plain JSON values by field."""

    name: str
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def hash(self) -> str:
        """What a marker records: ``sha256:<hex>`` of the name and values."""
        return spec_hash({"name": self.name, **self.values})


@dataclass(frozen=True)
class Wanted:
    """One object a definition asks for."""

    address: str
    spec: Spec
    scope: str = ""
    adopt: bool = False
    requires: tuple[str, ...] = ()
    """Keys of changes this object's write needs first (a status before its workflow)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """What carrying out needs beyond the spec (ids of projects, issue types...)."""


@dataclass(frozen=True)
class Existing:
    """One object on the site."""

    id: str
    spec: Spec
    scope: str = ""
    owner: str | None = None
    """The definition its marker names; ``None`` when teamcomms does not own it."""
    written: str | None = None
    """The hash its marker records (``sha256:<hex>`` or its short form)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """What carrying out needs to know about it (version numbers, property ids...)."""


@dataclass(frozen=True)
class ObjectDetail:
    """``Change.detail`` of a Jira object change: the marker to write, and the kind's extras."""

    definition: str = ""
    hash: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    current: Mapping[str, Any] = field(default_factory=dict)
    """The existing object's extras (``Existing.extra``), for updates and deletes."""


@dataclass(frozen=True)
class WantedObjects:
    """The desired state of a Jira resource: its objects, and whether the project uses Jira at
    all (a project that does not is not read, so Confluence-only projects need no Jira access)."""

    objects: tuple[Wanted, ...] = ()
    uses_jira: bool = False


def uses_jira(project: Project) -> bool:
    """Whether the project configures anything in Jira (or names a default Jira project)."""
    jira_kinds = (project.workflows, project.fields, project.filters, project.boards)
    return project.config.defaults.project is not None or any(jira_kinds)


LeftoverAction = Literal["orphan", "archive", "delete"]


def plan_objects(
    kind: str,
    noun: str,
    wanted: Sequence[Wanted],
    existing: Sequence[Existing],
    prune: Prune | None,
) -> list[Change]:
    """Changes that make ``existing`` match ``wanted`` (``noun`` names the kind in messages:
    ``filter``, ``custom field``). Leftover owned objects are orphans, or deleted with any
    ``--prune`` (Jira configuration objects cannot be archived)."""
    by_name: dict[str, list[Existing]] = {}
    for item in existing:
        by_name.setdefault(_key(item.spec.name), []).append(item)
    claimed: set[str] = set()
    changes = [_plan_one(kind, noun, want, by_name, claimed) for want in wanted]
    addresses = {want.address for want in wanted}
    for item in sorted(existing, key=lambda e: (e.spec.name, e.id)):
        if item.owner is None or item.id in claimed:
            continue
        reason = (
            "its definition is gone"
            if item.owner not in addresses
            else f"duplicate: another {noun} is {item.owner}"
        )
        changes.append(
            Change(
                resource=kind,
                address=item.owner,
                action="delete" if prune else "orphan",
                title=item.spec.name,
                scope=item.scope,
                target_id=item.id,
                before=item.spec,
                detail=ObjectDetail(current=item.extra),
                reason=reason,
            )
        )
    return changes


def _key(name: str) -> str:
    # Jira compares these names without regard to case ("Shipped" and "shipped" clash).
    return name.casefold()


def _plan_one(
    kind: str, noun: str, want: Wanted, by_name: dict[str, list[Existing]], claimed: set[str]
) -> Change:
    spec = want.spec
    base = Change(
        resource=kind,
        address=want.address,
        action="create",
        title=spec.name,
        scope=want.scope,
        after=spec,
        fields=("name", *sorted(k for k, v in spec.values.items() if v not in (None, "", [], {}))),
        requires=want.requires,
        detail=ObjectDetail(definition=want.address, hash=spec.hash, extra=want.extra),
    )
    candidates = [e for e in by_name.get(_key(spec.name), []) if e.id not in claimed]
    owned = [e for e in candidates if e.owner == want.address]
    if owned:
        item = min(owned, key=lambda e: (len(e.id), e.id))
        claimed.add(item.id)
        return _plan_owned(base, want, item)
    if not candidates:
        return base
    item = candidates[0]
    if item.owner is not None:
        return replace(
            base,
            action="conflict",
            target_id=item.id,
            before=item.spec,
            reason=f"the {noun} {spec.name!r} belongs to {item.owner}",
        )
    if item.spec == spec:
        # Exactly what teamcomms would create: a create whose marker write was interrupted.
        claimed.add(item.id)
        adopted = _plan_owned(base, want, item)
        fields = adopted.fields if "marker" in adopted.fields else (*adopted.fields, "marker")
        return replace(
            adopted,
            action="adopt",
            fields=fields,
            reason="the same as what teamcomms would create (a run interrupted before it could "
            "mark it as teamcomms')",
        )
    if not want.adopt:
        return replace(
            base,
            action="conflict",
            target_id=item.id,
            before=item.spec,
            reason=f"a {noun} named {spec.name!r} exists but teamcomms does not manage it; set "
            "`adopt: true` to take it over, or choose another name",
        )
    claimed.add(item.id)
    adopted = _plan_owned(base, want, item)
    fields = adopted.fields if "marker" in adopted.fields else (*adopted.fields, "marker")
    return replace(adopted, action="adopt", fields=fields, reason="adopt: true")


def _plan_owned(base: Change, want: Wanted, item: Existing) -> Change:
    fields = changed_fields(item.spec, want.spec)
    written = item.written
    if written is None or short(written) != short(want.spec.hash):
        fields.append("marker")
    detail = replace(_detail(base), current=item.extra)
    change = replace(
        base,
        action=action_for(fields),
        target_id=item.id,
        before=item.spec,
        fields=tuple(fields),
        detail=detail,
    )
    edited = (
        written is not None
        and short(written) != PENDING
        and short(written) != short(item.spec.hash)
        and short(item.spec.hash) != short(want.spec.hash)
    )
    if edited:
        return replace(
            change,
            action="drifted",
            drift=Drift(author=None, modified_at=None, version=None, written_version=None),
            reason="edited by hand since teamcomms wrote it",
        )
    return change


def _detail(change: Change) -> ObjectDetail:
    return change.detail if isinstance(change.detail, ObjectDetail) else ObjectDetail()


def changed_fields(before: Spec, after: Spec) -> list[str]:
    """The fields whose values differ (``name`` when only its case differs)."""
    fields = ["name"] if before.name != after.name else []
    keys = sorted(set(before.values) | set(after.values))
    return fields + [k for k in keys if before.values.get(k) != after.values.get(k)]


def marker_problem(change: Change) -> str | None:
    """Why a Jira object change does not write the marker of its own definition and content."""
    if change.action in ("archive", "delete"):
        return None
    detail = _detail(change)
    if detail.definition != change.address:
        return f"its marker names {detail.definition or 'nothing'}, not {change.address}"
    if not isinstance(change.after, Spec) or detail.hash != change.after.hash:
        return "its marker's hash is not the hash of what it writes"
    return None


def observe(kind: str, existing: Iterable[Existing]) -> Iterable[Observed]:
    """Existing objects in the engine's terms (their spec hash is their state)."""
    for item in existing:
        yield Observed(
            resource=kind,
            id=item.id,
            scope=item.scope,
            name=item.spec.name,
            owner=item.owner,
            state=[item.spec.hash, item.written, dict(item.extra)],
        )


# Jira runs one workflow-configuration task at a time; a write made while another runs is
# refused with 409 "another task is running". Such tasks take seconds to a few minutes, so a
# write waits for it, BUSY_INTERVAL seconds between tries, at most BUSY_TRIES tries (2 minutes).
BUSY_INTERVAL = 5.0
BUSY_TRIES = 24


def while_busy(site: Site, call: Callable[[], T]) -> T:
    """``call()``, tried again while Jira answers 409 because a configuration task is running
    (other 409s, such as a stale version, are raised at once)."""
    from teamcomms.site.errors import Conflict

    for attempt in range(1, BUSY_TRIES + 1):
        try:
            return call()
        except Conflict as error:
            if "task" not in (error.atlassian_message or "").lower() or attempt == BUSY_TRIES:
                raise
            log.warning(
                "Jira is running another configuration task; trying again in %.0f s", BUSY_INTERVAL
            )
            site.policy.sleeper(BUSY_INTERVAL)
    raise AssertionError("unreachable")  # pragma: no cover


# After a write that moves issues between statuses, Jira runs a task; it is polled this many
# times, TASK_INTERVAL seconds apart (a minute in all), before apply reports it still running.
TASK_POLLS = 30
TASK_INTERVAL = 2.0


def wait_for_task(site: Site, task_id: str, what: str) -> None:
    """Wait for a Jira task with progress on the log; a failed task is an error, one still
    running when the wait ends is reported (the write itself was accepted)."""

    def report(outcome: Any) -> None:
        log.warning("%s: Jira is moving issues (task %s, %s)", what, task_id, outcome.status)

    outcome = site.jira.wait_for_task(
        task_id, sleep=site.policy.sleeper, polls=TASK_POLLS, interval=TASK_INTERVAL, on_poll=report
    )
    if outcome.finished and not outcome.ok:
        raise MissingOnSite(
            f"{what}: Jira's task {task_id} ended {outcome.status}: {outcome.message}",
            hint="look at it in Jira's administration, then run apply again",
        )
    if not outcome.finished:
        log.warning(
            "%s: Jira's task %s is still running; the change was accepted and run plan later to "
            "see it finished",
            what, task_id,
        )  # fmt: skip
