"""The values of the imported-issues resource: the rows an import asks for, what the project
and the earlier runs left on the site, and what each change carries out.

Every issue an import creates carries the ``teamcomms`` issue property (the marker onboarding
issues carry too), set in the create request itself::

    {"definition": "import/backlog", "item": "<the row's id>", "spec": "<16 hex>", "state": ...}

``item`` is the source row's own id (its external id), so a re-run, or a run resumed after an
interruption, finds what was made and creates nothing twice. Issue properties are not searchable,
so the issues also carry the label :func:`import_label`. After each bulk create the new ids are
kept in a project property (a ledger) that the next run reads without search lag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from teamcomms.errors import Problem

if TYPE_CHECKING:
    from teamcomms.definitions import ImportDefinition
    from teamcomms.imports import Cell, SourceTable
    from teamcomms.resources.onboarding_state import Marker
    from teamcomms.site.jira_issue_meta import CreateMetaField, CreateMetaType, LinkType
    from teamcomms.site.jira_issues import IssueLink

IMPORT_RESOURCE = "imported-issues"
LEDGER_PREFIX = "teamcomms.import."


def import_label(name: str) -> str:
    """The label JQL finds an import's issues by: ``import-backlog``."""
    return f"import-{name}"


def ledger_prefix(name: str) -> str:
    """The start of the keys of an import's ledger properties (one per bulk create)."""
    return f"{LEDGER_PREFIX}{name}."


@dataclass(frozen=True)
class WantedRow:
    """One source row as the mapping reads it (names, not ids: the site says which exist)."""

    ext_id: str
    number: int
    """The row's number in the file (1: the first row after a header)."""
    summary: str
    issue_type: str
    description: str = ""
    """Markdown, as the cell holds it (turned into ADF for the rows to create)."""
    priority: str | None = None
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    due: str | None = None
    assignee: str | None = None
    """An email."""
    custom: tuple[tuple[str, Cell], ...] = ()
    """Custom field name -> the cell, read by the field's type once the site says it."""
    parent: str | None = None
    """The parent's external id."""
    links: tuple[tuple[int, str], ...] = ()
    """``(position in the mapping's links, the other row's external id)``."""
    status: str | None = None


@dataclass(frozen=True)
class WantedImport:
    """What one run of an import asks for."""

    address: str
    """``import/<name>``: the definition, and the stem of every change's address."""
    name: str
    project: str
    definition: ImportDefinition
    table: SourceTable
    rows: tuple[WantedRow, ...]
    problems: tuple[tuple[int, Problem], ...] = ()
    """``(row number, problem)`` found reading the rows; row 0: the mapping or the file."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """What each field is read from: ``summary`` -> ``Title``, ``custom:Points`` -> ``SP``,
    ``links:0`` -> ``Blocks``..."""
    left_out: int = 0
    """Rows not imported on purpose (archived Trello cards)."""
    skip_invalid: bool = False


@dataclass(frozen=True)
class FoundImported:
    """An issue an earlier run of this import created."""

    id: str
    key: str
    ext_id: str
    marker: Marker
    summary: str = ""
    status: str = ""
    status_category: str = "new"
    issue_type: str = ""
    parent_id: str | None = None
    links: tuple[IssueLink, ...] = ()


@dataclass(frozen=True)
class CurrentImport:
    """What the site holds for an import: the project's create metadata, the people and link
    types the rows name, and the issues earlier runs created."""

    project_id: str | None = None
    types: tuple[CreateMetaType, ...] = ()
    fields: tuple[tuple[str, tuple[CreateMetaField, ...]], ...] = ()
    """Issue type id -> the fields of its create screen."""
    statuses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Issue type id -> the statuses of its workflow."""
    link_types: tuple[LinkType, ...] = ()
    users: tuple[tuple[str, str | None], ...] = ()
    """``(email in lower case, account id or None when nobody has it)``."""
    issues: tuple[FoundImported, ...] = ()

    def fields_of(self, type_id: str) -> tuple[CreateMetaField, ...]:
        """The create screen's fields of an issue type."""
        return dict(self.fields).get(type_id, ())

    def account(self, email: str) -> str | None:
        """The account id of the user with this email."""
        return dict(self.users).get(email.lower())

    def by_ext_id(self) -> dict[str, FoundImported]:
        """Each external id's issue: the oldest with its marker."""
        found: dict[str, FoundImported] = {}
        for issue in sorted(self.issues, key=lambda i: (len(i.id), i.id)):
            found.setdefault(issue.ext_id, issue)
        return found


@dataclass(frozen=True)
class RowWrite:
    """One issue a create change makes: its fields by id, and its parent by external id when
    the parent is created in the same run."""

    ext_id: str
    row: int
    summary: str
    fields: Mapping[str, Any]
    marker: Mapping[str, str]
    parent_ext: str | None = None
    """The parent row's external id, resolved to the new issue's id when the change runs."""


@dataclass(frozen=True)
class StatusMove:
    """An issue moved to its row's status through the workflow's transitions."""

    ext_id: str
    row: int
    status: str
    issue_id: str | None = None
    """``None``: created by this run (its id is known once its create change has run)."""
    key: str | None = None
    current: str | None = None


@dataclass(frozen=True)
class LinkWrite:
    """``source <outward> target`` of link type ``type``."""

    type: str
    source: str
    target: str
    """Both as external ids; their issue ids come from the site or from this run's creates."""


@dataclass(frozen=True)
class ImportDetail:
    """``Change.detail`` of every imported-issues change."""

    name: str
    project: str
    project_id: str = ""
    file: str = ""
    creates: tuple[RowWrite, ...] = ()
    moves: tuple[StatusMove, ...] = ()
    links: tuple[LinkWrite, ...] = ()
    known: tuple[tuple[str, str, str], ...] = ()
    """``(external id, issue id, key)`` of the issues earlier runs made that this change names."""
    problems: tuple[Problem, ...] = ()
    """The summary change: every problem of the rows (with ``--skip-invalid``, rows left out)."""
    counts: tuple[tuple[str, int], ...] = ()
    """The summary change: ``rows``, ``existing``, ``to create``, ``invalid``, ``changed``..."""

    @property
    def size(self) -> int:
        """How much work the change is, for progress: issues created or moved, links made."""
        return len(self.creates) + len(self.moves) + len(self.links)


@dataclass(frozen=True)
class ImportChunk:
    """``Change.after`` of an imported-issues change: the external ids it writes."""

    ext_ids: tuple[str, ...] = ()
