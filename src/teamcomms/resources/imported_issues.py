"""The imported-issues resource: the rows of one file read through an ``import`` mapping,
created as Jira issues (see :mod:`teamcomms.resources.imported_issues_plan` for the rules,
:mod:`teamcomms.resources.imported_issues_writes` for how the writes converge).

Unlike the other resources it is not in a project's plan: an import is run by ``teamcomms
import FILE --mapping MAPPING``, which makes an :class:`ImportedIssues` for that file. The
instance lives for one run: :meth:`ImportedIssues.desired` reads the rows, :meth:`read` reads
what they need from the site, and the changes record in :attr:`ImportedIssues.run` the issues
they create (a child's create needs its parent's new id; the report CSV lists them all).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change, Plan
from teamcomms.engine.resource import (
    Applied,
    DiffView,
    Exported,
    ExportSelection,
    Observed,
    PlanOptions,
)
from teamcomms.resources.imported_issues_run import ImportRun
from teamcomms.resources.imported_issues_state import (
    IMPORT_RESOURCE,
    CurrentImport,
    ImportChunk,
    ImportDetail,
    WantedImport,
)

if TYPE_CHECKING:
    from teamcomms.definitions import ImportDefinition
    from teamcomms.engine.workspace import Workspace
    from teamcomms.errors import Problem
    from teamcomms.imports import SourceTable
    from teamcomms.resources.imported_issues_moves import Mover
    from teamcomms.site.connection import Site

SHOWN = 3
"""Rows, moves or links a change lists in ``plan`` text (JSON lists them all)."""


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: a line of the report CSV."""

    row: int
    ext_id: str
    key: str = ""
    issue_id: str = ""
    outcome: str = "not created"
    """``created``, ``existing`` (an earlier run made it), ``invalid``, ``failed`` or
    ``not created`` (the run stopped first)."""
    message: str = ""


def _detail(change: Change) -> ImportDetail:
    detail = change.detail
    return detail if isinstance(detail, ImportDetail) else ImportDetail(name="", project="")


class ImportedIssues:
    """One run of an import (see the module docstring)."""

    kind = IMPORT_RESOURCE
    title = "Imported issues"
    after: tuple[str, ...] = ()
    exports: tuple[str, ...] = ()
    export_needs: tuple[str, ...] = ()
    before_type = ImportChunk
    detail_type = ImportDetail

    def __init__(
        self,
        definition: ImportDefinition | None = None,
        table: SourceTable | None = None,
        *,
        skip_invalid: bool = False,
    ) -> None:
        self.definition = definition
        self.table = table
        self.skip_invalid = skip_invalid
        self.run = ImportRun()
        self.wanted: WantedImport | None = None
        self.current = CurrentImport()
        self._movers: dict[str, Mover] = {}
        self._lock = threading.Lock()

    def desired(self, workspace: Workspace) -> WantedImport | None:
        """The rows read through the mapping (``None`` outside ``teamcomms import``)."""
        from teamcomms.resources.imported_issues_desired import desired_import

        if self.definition is None or self.table is None:
            return None
        self.wanted = desired_import(self.definition, self.table, skip_invalid=self.skip_invalid)
        return self.wanted

    def scope(self, desired: WantedImport | None) -> tuple[str, ...]:
        """The Jira project."""
        return (desired.project,) if desired is not None else ()

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> CurrentImport:
        """The project's create metadata, the people the rows name and the issues earlier runs
        made (for the rows :meth:`desired` read)."""
        from teamcomms.resources.imported_issues_read import read_import

        if self.wanted is None or not scope:
            return CurrentImport()
        self.current = read_import(site, self.wanted, workers=workers)
        return self.current

    def observe(self, current: CurrentImport) -> Iterable[Observed]:
        """Each issue earlier runs made."""
        project = self.wanted.project if self.wanted else ""
        for issue in current.issues:
            yield Observed(
                resource=self.kind,
                id=issue.id,
                scope=project,
                name=issue.summary,
                owner=issue.marker.definition,
                state=[issue.status, issue.marker.to_json(), len(issue.links)],
            )

    def diff(
        self, desired: WantedImport | None, current: CurrentImport, options: PlanOptions
    ) -> list[Change]:
        """The changes of this run (see :mod:`teamcomms.resources.imported_issues_plan`)."""
        from teamcomms.resources.imported_issues_plan import plan_import

        return [] if desired is None else plan_import(desired, current)

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """The rows were checked against the create metadata already."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """A change writes rows of its own import."""
        detail = _detail(change)
        if not change.address.startswith(f"import/{detail.name}"):
            return f"it writes rows of import/{detail.name}, not {change.address}"
        return None

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create a chunk of rows, move issues to their statuses, or make links."""
        from teamcomms.resources.imported_issues_writes import (
            carry_out_creates,
            carry_out_links,
            carry_out_moves,
        )

        detail = _detail(change)
        if detail.creates:
            return carry_out_creates(site, f"import/{detail.name}", detail, self.run)
        if detail.moves:
            carry_out_moves(site, detail, self.run, self._mover(site, detail.project_id))
        if detail.links:
            carry_out_links(site, detail, self.run)
        return None

    def _mover(self, site: Site, project_id: str) -> Mover:
        from teamcomms.resources.imported_issues_moves import Mover

        with self._lock:
            if project_id not in self._movers:
                self._movers[project_id] = Mover(site, project_id)
            return self._movers[project_id]

    def describe(self, change: Change) -> list[str]:
        """The counts, or the first rows, moves or links."""
        detail = _detail(change)
        if detail.counts:
            counts = dict(detail.counts)
            lines = [", ".join(f"{n} {what}" for what, n in counts.items() if n)]
            return (
                lines
                + [p.format().replace("\n", "\n      ") for p in detail.problems[:SHOWN]]
                + (
                    [f"… and {len(detail.problems) - SHOWN} more problem(s)"]
                    if len(detail.problems) > SHOWN
                    else []
                )
            )
        lines = [
            f"+ {w.ext_id} {w.summary!r}" + (f" (under {w.parent_ext})" if w.parent_ext else "")
            for w in detail.creates
        ]
        lines += [f"~ {m.key or m.ext_id}: -> {m.status}" for m in detail.moves]
        lines += [f"+ {k.source} {k.type} {k.target}" for k in detail.links]
        more = len(lines) - SHOWN
        return lines[:SHOWN] + ([f"… and {more} more"] if more > 0 else [])

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Issues have no page body."""
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        """Every row, move and link of the change; the summary's counts and problems."""
        detail = _detail(change)
        if detail.counts:
            return {
                "counts": dict(detail.counts),
                "problems": [_problem_json(p) for p in detail.problems],
            }
        return {
            "rows": [
                {"id": w.ext_id, "row": w.row, "summary": w.summary, "parent": w.parent_ext}
                for w in detail.creates
            ],
            "moves": [{"id": m.ext_id, "key": m.key, "status": m.status} for m in detail.moves],
            "links": [{"type": k.type, "from": k.source, "to": k.target} for k in detail.links],
        }

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Nothing: imported issues are work, not configuration to export."""
        return ()

    def export(self, current: Any, selection: ExportSelection) -> Exported:
        """Nothing (see :meth:`export_scope`)."""
        return Exported()

    def outcomes(self, plan: Plan) -> list[RowOutcome]:
        """Per row of the file: its issue, or why it has none (after apply, or after a plan
        that stopped at problems)."""
        if self.wanted is None:
            return []
        existing = self.current.by_ext_id()
        problems: dict[int, str] = {}
        for change in plan.changes:
            for problem in _detail(change).problems:
                number = _row_number(problem)
                if number:
                    problems.setdefault(number, problem.message)
        found: list[RowOutcome] = []
        for row in self.wanted.rows:
            base = RowOutcome(row.number, row.ext_id)
            issue, made = existing.get(row.ext_id), self.run.issue(row.ext_id)
            failed = self.run.failed.get(row.ext_id)
            if issue is not None:
                found.append(RowOutcome(row.number, row.ext_id, issue.key, issue.id, "existing",
                                        failed or ""))  # fmt: skip
            elif made is not None:
                found.append(RowOutcome(row.number, row.ext_id, made.key, made.id, "created",
                                        failed or ""))  # fmt: skip
            elif row.number in problems:
                found.append(RowOutcome(row.number, row.ext_id, outcome="invalid",
                                        message=problems[row.number]))  # fmt: skip
            elif failed is not None:
                found.append(RowOutcome(row.number, row.ext_id, outcome="failed", message=failed))
            else:
                found.append(base)
        return found


def _row_number(problem: Problem) -> int:
    """The row a problem is about (``row 12 ...`` in its definition), 0 for the file."""
    head = (problem.definition or "").split(" ")
    return int(head[1]) if len(head) > 1 and head[0] == "row" and head[1].isdigit() else 0


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "row": _row_number(problem) or None,
        "where": problem.path,
        "message": problem.message,
        "hint": problem.hint,
    }
