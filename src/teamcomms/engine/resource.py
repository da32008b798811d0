"""What every kind of object teamcomms manages looks like to the engine: a :class:`Resource`.

A resource is one module under :mod:`teamcomms.resources` with the same small interface, so the
planner, ordering, saved plans, fingerprints, output and the apply runner work on any of them
without knowing its kind (as Terraform's providers do). Adding a kind is a new module plus one
line in :data:`teamcomms.resources.RESOURCES`.

The life of a resource's objects::

    want = resource.desired(workspace)              # what the definitions ask for (pure)
    scope = resource.scope(want)                    # what to read: spaces, projects, names
    have = resource.read(site, scope, workers=4)    # the current objects, in bulk reads
    changes = resource.diff(want, have, options)    # pure: a list of Change values
    resource.carry_out(change, site, applied)       # one change, convergent (safe to re-run)

``teamcomms export`` runs the other way, through the same reads::

    scope = resource.export_scope(selection)        # what to read: every object, not only ours
    have = resource.read(site, scope, workers=4)
    exported = resource.export(have, selection)     # definitions that plan as "no change"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from teamcomms.engine.change import Change
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site

Prune = Literal["archive", "delete"]
ALL_OBJECTS = "**"
"""In a scope: read every object of the kind, owned or not (what ``export`` asks for; a plan
reads only what its definitions name and what teamcomms owns)."""
DiffView = Literal["text", "storage"]


@dataclass(frozen=True)
class PlanOptions:
    """What the user asked for on the command line."""

    prune: Prune | None = None
    targets: tuple[str, ...] = ()
    """``kind/name`` addresses to limit the plan to; empty means everything."""


@dataclass(frozen=True)
class Observed:
    """One object on the site as the engine sees every kind: enough to fingerprint it (so a
    saved plan goes stale when it changes) and to check who owns it (so a saved plan edited by
    hand cannot write to an object its change's definition does not own)."""

    resource: str
    id: str
    scope: str
    name: str
    owner: str | None
    """The definition address in the object's teamcomms marker; ``None`` when unmanaged."""
    state: Any
    """A JSON-able value that changes whenever the object changes (version, hash, ...)."""
    container: bool = False
    """The scope itself (a space): part of the fingerprint of every change in that scope."""


@dataclass(frozen=True)
class ExportSelection:
    """What ``teamcomms export`` was asked to read."""

    spaces: tuple[str, ...] = ()
    """Confluence space keys (pages and content templates are read per space)."""
    projects: tuple[str, ...] = ()
    """Jira project keys (boards and workflow schemes are read per project)."""


@dataclass(frozen=True)
class ExportedDefinition:
    """One definition an export writes, as plain values.

    With ``part`` it is not a definition of its own but keys for the definition of the same
    kind and name that another resource exports (a workflow's ``used_by`` comes from the
    workflow-scheme resource); lists in it are appended to that definition's.
    """

    kind: str
    name: str
    file: str
    """The YAML file it goes to, relative to the project folder (``jira/workflows.yaml``)."""
    document: Mapping[str, Any]
    """Its keys after ``kind`` and ``name``, in the order they are written."""
    files: Mapping[str, str] = field(default_factory=dict)
    """Other files it needs (Markdown bodies): path relative to the project folder -> text."""
    comment: str = ""
    """Written above the document as YAML comments (why it is not adopted, say)."""
    part: bool = False


@dataclass(frozen=True)
class ExportNote:
    """Something on the site the exported definitions do not carry exactly: a macro kept as
    storage, a workflow rule teamcomms does not model, an object left out and why."""

    where: str
    """Where it is on the site: ``page 'Returns' in TEAM``, ``workflow 'Orders'``."""
    what: str
    file: str = ""
    """Where it is in the exported project (``confluence/TEAM/pages/returns.md:12``)."""


@dataclass(frozen=True)
class Exported:
    """What one resource's export gives: definitions, and notes for the report."""

    definitions: tuple[ExportedDefinition, ...] = ()
    notes: tuple[ExportNote, ...] = ()


class Applied(Protocol):
    """What carrying out a change may ask about the changes carried out before it."""

    def id_of(self, key: str) -> str | None:
        """The id of the object the change ``key`` wrote (for a create: the new one)."""

    def note(self, key: str, message: str) -> None:
        """Say something the user should know about the change ``key`` once it is done (the
        report shows it), such as a site task still running in the background."""


class Resource(Protocol):
    """The interface every kind of object implements (see the module docstring)."""

    kind: str
    """As changes name it, e.g. ``page``."""
    title: str
    """How plans head this kind's changes, e.g. ``Confluence pages``."""
    before_type: Any
    """The type of :attr:`Change.before` and :attr:`Change.after` (saved plans read it back)."""
    detail_type: Any
    """The type of :attr:`Change.detail`."""
    after: tuple[str, ...]
    """Kinds whose changes must all be carried out before this kind's start (a filter's JQL
    names custom fields and statuses, so filters come after fields and statuses). Removals run
    the other way round: a filter is deleted only after the boards that use it."""
    exports: tuple[str, ...]
    """The definition kinds :meth:`export` writes (empty: it exports nothing, as onboarding
    issues, which are work, not configuration)."""
    export_needs: tuple[str, ...]
    """Definition kinds its exported definitions refer to, exported with them (a board names
    its filter)."""

    def desired(self, workspace: Workspace) -> Any:
        """What the definitions ask for. Raises :class:`~teamcomms.errors.DefinitionError`."""

    def scope(self, desired: Any) -> tuple[str, ...]:
        """What :meth:`read` must cover for ``desired`` (space keys, project keys, names)."""

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> Any:
        """The current objects of ``scope``, read in bulk."""

    def observe(self, current: Any) -> Iterable[Observed]:
        """Every object of ``current`` in the engine's terms."""

    def diff(self, desired: Any, current: Any, options: PlanOptions) -> list[Change]:
        """Every change that makes ``current`` match ``desired`` (pure, no I/O)."""

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Ask the site whether ``changes`` would be accepted, without writing (Jira's
        validation endpoints): a change the site would refuse comes back as a ``conflict`` whose
        reason says why. Resources that cannot ask return ``changes`` unchanged."""

    def check_change(self, change: Change) -> str | None:
        """Why ``change`` is not one this resource's diff could have made (a saved plan edited
        by hand: a marker that names another definition or another content), or ``None``."""

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Write one change; return the id of the object written. Must converge when run
        again after an interruption, and never blindly re-send a create."""

    def describe(self, change: Change) -> list[str]:
        """Lines under the change in ``plan``: what differs, field by field."""

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Unified diff lines for ``plan --diff`` (empty when the change has no body)."""

    def summary_json(self, change: Change) -> dict[str, Any]:
        """The kind's own keys in the change's entry of the plan JSON (no bodies)."""

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """What :meth:`read` must cover to export ``selection`` (empty: nothing to read)."""

    def export(self, current: Any, selection: ExportSelection) -> Exported:
        """Definitions for the objects of ``current``, such that a plan of them against the
        same site changes nothing but ownership markers: an object without a marker gets
        ``adopt: true``. What the definitions cannot say is a note, never dropped silently
        (and an object it would change is not adopted). Pure: no I/O."""


def index_by_kind(resources: Iterable[Resource]) -> dict[str, Resource]:
    """The resources by :attr:`Resource.kind`; two with one kind is a programming error."""
    found: dict[str, Resource] = {}
    for resource in resources:
        if resource.kind in found:
            raise ValueError(f"two resources are registered for {resource.kind!r}")
        found[resource.kind] = resource
    return found
