"""The imported-issues diff: the rows of a run + what earlier runs made -> changes. Pure.

- A summary change (``import/<name>``) counts the rows and holds every problem; with problems
  (and without ``--skip-invalid``) it is a conflict and it is the only change: nothing is
  written.
- Rows without an issue are created in chunks of 50 (one bulk request each), parents before
  children: a chunk requires the chunks that create its rows' parents.
- Each row with a status gets its issue moved there after the create (a status change per
  chunk, requiring it); an issue an earlier run made is moved only while it is still in a To Do
  status (nobody has started on it).
- Links come last, in changes of 50 that require the chunks creating either end; links that
  exist already are not made again.
- Issues are never updated or deleted: an import creates what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from typing import Any

from teamcomms.engine.change import Change
from teamcomms.errors import Problem
from teamcomms.resources.imported_issues_fields import CheckedRow, RowChecker
from teamcomms.resources.imported_issues_state import (
    IMPORT_RESOURCE,
    CurrentImport,
    FoundImported,
    ImportChunk,
    ImportDetail,
    LinkWrite,
    RowWrite,
    StatusMove,
    WantedImport,
    WantedRow,
    import_label,
)
from teamcomms.resources.marker_tag import short, spec_hash
from teamcomms.resources.onboarding_state import Marker, adf_text, state_hash

CHUNK = 50
"""Rows per bulk create (Jira's limit) and moves or links per change."""


def row_spec(row: WantedRow) -> str:
    """The short hash of what a row asks for (the marker's ``spec``)."""
    document = {f.name: getattr(row, f.name) for f in dataclass_fields(row) if f.name != "number"}
    return short(spec_hash(document))


def plan_import(wanted: WantedImport, current: CurrentImport) -> list[Change]:
    """Every change of one import run (see the module docstring)."""
    return _Planner(wanted, current).changes()


class _Planner:
    def __init__(self, wanted: WantedImport, current: CurrentImport) -> None:
        self.wanted = wanted
        self.current = current
        self.checker = RowChecker(wanted, current)
        self.existing = current.by_ext_id()
        self.rows = {row.ext_id: row for row in wanted.rows}
        self.known = self.rows.keys() | self.existing.keys()
        """External ids a parent or link may name: the file's rows and the issues made before."""
        self.problems: list[tuple[int, Problem]] = list(wanted.problems)
        self.checked: dict[str, CheckedRow] = {}
        self.links: dict[int, tuple[str, bool]] = {}
        self.chunk_of: dict[str, str] = {}
        """External id -> the key of the change that creates its issue."""

    def base(self, address: str, **values: Any) -> Change:
        detail = ImportDetail(
            name=self.wanted.name,
            project=self.wanted.project,
            project_id=self.current.project_id or "",
            file=self.wanted.table.file,
        )
        detail = replace(detail, **values.pop("detail", {}))
        values.setdefault("action", "create")
        return Change(
            resource=IMPORT_RESOURCE,
            address=address,
            scope=self.wanted.project,
            detail=detail,
            **values,
        )

    def changes(self) -> list[Change]:
        if self.current.project_id is None:
            problem = Problem(
                self.wanted.table.file,
                message=f"Jira project {self.wanted.project} does not exist or you cannot see it",
                hint="check `project:` in the mapping (or defaults.project)",
            )
            self.problems.append((0, problem))
            return [self._summary(set())]
        self.links, unknown = self.checker.link_types()
        self.problems.extend((0, problem) for problem in unknown)
        create = [r for r in self.wanted.rows if r.ext_id not in self.existing]
        for row in create:
            self.checked[row.ext_id] = self.checker.check(row)
            self.problems.extend((row.number, p) for p in self.checked[row.ext_id].problems)
        for row in self.wanted.rows:
            self._check_relations(row)
        invalid = self._invalid()
        summary = self._summary(invalid)
        if summary.action == "conflict":
            return [summary]
        creates = self._creates([r for r in create if r.number not in invalid])
        moves = self._moves(invalid, creates)
        links = self._link_changes(invalid)
        return [summary, *creates, *moves, *links]

    # ---- checks --------------------------------------------------------------------------------
    def _level(self, ext_id: str) -> int | None:
        if ext_id in self.checked:
            checked = self.checked[ext_id]
            return checked.level if checked.type_id else None
        issue = self.existing.get(ext_id)
        if issue is None:
            return None
        found = next((t for t in self.current.types if t.name == issue.issue_type), None)
        return found.hierarchy_level if found else None

    def _check_relations(self, row: WantedRow) -> None:
        def problem(field: str, message: str, hint: str | None = None) -> None:
            self.problems.append((row.number, self.checker.problem(row, field, message, hint)))

        known = self.known
        if row.parent is not None and row.ext_id not in self.existing:
            if row.parent not in known:
                problem("parent", f"parent '{row.parent}' is neither a row of the file nor an "
                        "issue this import created", "check the id")  # fmt: skip
            elif self._cycle(row):
                problem("parent", "the parents form a cycle", "check the parent column")
            else:
                mine, theirs = self._level(row.ext_id), self._level(row.parent)
                if mine is not None and theirs is not None and theirs != mine + 1:
                    problem("parent", f"'{row.parent}' cannot be the parent of a "
                            f"{row.issue_type} (Jira's hierarchy: epics hold standard issues, "
                            "issues hold sub-tasks)")  # fmt: skip
        for number, other in row.links:
            if other not in known:
                problem(f"links:{number}", f"'{other}' is neither a row of the file nor an issue "
                        "this import created", "check the id")  # fmt: skip
        if row.status is not None and row.ext_id in self.existing:
            issue = self.existing[row.ext_id]
            type_id = next((t.id for t in self.current.types if t.name == issue.issue_type), "")
            known_statuses = dict(self.current.statuses).get(type_id, ())
            if not any(s.casefold() == row.status.casefold() for s in known_statuses):
                problem("status", f"'{row.status}' is not a status of {issue.issue_type} in "
                        f"{self.wanted.project}")  # fmt: skip

    def _cycle(self, row: WantedRow) -> bool:
        seen = {row.ext_id}
        parent = row.parent
        while parent is not None and parent in self.rows and parent not in self.existing:
            if parent in seen:
                return True
            seen.add(parent)
            parent = self.rows[parent].parent
        return False

    def _invalid(self) -> set[int]:
        """Rows that cannot be imported: with a problem, or (with ``--skip-invalid``) under a
        parent that cannot."""
        invalid = {number for number, _ in self.problems if number}
        if not self.wanted.skip_invalid:
            return invalid
        changed = True
        while changed:
            changed = False
            for row in self.wanted.rows:
                parent = self.rows.get(row.parent or "")
                if row.number in invalid or parent is None or parent.number not in invalid:
                    continue
                if row.ext_id in self.existing:
                    continue
                invalid.add(row.number)
                self.problems.append((row.number, self.checker.problem(
                    row, "parent", f"its parent, row {parent.number}, is left out")))  # fmt: skip
                changed = True
        return invalid

    # ---- changes -------------------------------------------------------------------------------
    def _summary(self, invalid: set[int]) -> Change:
        problems = tuple(sorted(p for _, p in self.problems))
        blocking = any(n == 0 for n, _ in self.problems) or (
            bool(problems) and not self.wanted.skip_invalid
        )
        changed = sum(
            1
            for row in self.wanted.rows
            if row.ext_id in self.existing
            and self.existing[row.ext_id].marker.spec != row_spec(row)
        )
        counts = (
            ("rows", len(self.wanted.rows) + self.wanted.left_out),
            ("existing", sum(1 for r in self.wanted.rows if r.ext_id in self.existing)),
            ("to create", sum(1 for r in self.wanted.rows
                              if r.ext_id not in self.existing and r.number not in invalid)),
            ("invalid", len(invalid)),
            ("changed since imported", changed),
            ("left out", self.wanted.left_out),
        )  # fmt: skip
        change = self.base(
            self.wanted.address,
            action="no-op",
            title=f"{self.wanted.table.file}: {len(self.wanted.rows)} row(s)",
            detail={"problems": problems, "counts": counts},
        )
        if blocking:
            count = len(problems)
            return replace(
                change,
                action="conflict",
                reason=f"{count} problem{'' if count == 1 else 's'} in the rows; nothing is "
                "written until they are fixed (or --skip-invalid leaves the rows out)",
            )
        return change

    def _creates(self, rows: Sequence[WantedRow]) -> list[Change]:
        level: dict[str, int] = {}

        def depth(row: WantedRow) -> int:
            if row.ext_id not in level:
                parent = self.rows.get(row.parent or "")
                new_parent = parent is not None and parent.ext_id not in self.existing
                level[row.ext_id] = depth(parent) + 1 if new_parent and parent else 0
            return level[row.ext_id]

        chunks: list[Change] = []
        chunk_of = self.chunk_of
        by_depth: dict[int, list[WantedRow]] = {}
        for row in rows:
            by_depth.setdefault(depth(row), []).append(row)
        for _, group in sorted(by_depth.items()):
            for start in range(0, len(group), CHUNK):
                part = group[start : start + CHUNK]
                address = f"{self.wanted.address}/create-{len(chunks) + 1}"
                writes = tuple(self._write(row) for row in part)
                requires = sorted({chunk_of[w.parent_ext] for w in writes if w.parent_ext})
                known = self._known(w.fields.get("parent", {}).get("id") for w in writes)
                change = self.base(
                    address,
                    title=_title(part),
                    after=ImportChunk(tuple(r.ext_id for r in part)),
                    requires=tuple(requires),
                    fields=("issues",),
                    detail={"creates": writes, "known": known},
                )
                chunks.append(change)
                chunk_of.update({row.ext_id: change.key for row in part})
        return chunks

    def _known(self, ids: Iterable[Any]) -> tuple[tuple[str, str, str], ...]:
        wanted = {i for i in ids if i}
        return tuple(
            sorted((i.ext_id, i.id, i.key) for i in self.existing.values() if i.id in wanted)
        )

    def _write(self, row: WantedRow) -> RowWrite:
        checked = self.checked[row.ext_id]
        fields = dict(checked.fields)
        label = import_label(self.wanted.name)
        fields["labels"] = list(dict.fromkeys([*(fields.get("labels") or []), label]))
        parent_ext = None
        if row.parent is not None:
            if row.parent in self.existing:
                fields["parent"] = {"id": self.existing[row.parent].id}
            else:
                parent_ext = row.parent
        assignee = (fields.get("assignee") or {}).get("accountId")
        text = adf_text(fields["description"]) if fields.get("description") else ""
        marker = Marker(
            self.wanted.address,
            row.ext_id,
            row_spec(row),
            state_hash(row.summary, text, assignee, row.due, fields["labels"]),
        )
        return RowWrite(row.ext_id, row.number, row.summary, fields, marker.to_json(), parent_ext)

    def _moves(self, invalid: set[int], creates: Sequence[Change]) -> list[Change]:
        changes: list[Change] = []
        for create in creates:
            assert isinstance(create.detail, ImportDetail)
            moves = tuple(
                StatusMove(w.ext_id, w.row, status)
                for w in create.detail.creates
                if (status := self.checked[w.ext_id].status) is not None
            )
            if moves:
                changes.append(self._move_change(len(changes) + 1, moves, (create.key,)))
        later: list[StatusMove] = []
        for row in self.wanted.rows:
            issue = self.existing.get(row.ext_id)
            if issue is None or row.status is None or row.number in invalid:
                continue
            if issue.status.casefold() == row.status.casefold():
                continue
            if issue.status_category != "new":
                continue  # someone has started on it: the import leaves it where it is
            status = self._status_name(issue, row.status)
            later.append(StatusMove(row.ext_id, row.number, status, issue.id, issue.key,
                                    issue.status))  # fmt: skip
        for start in range(0, len(later), CHUNK):
            part = tuple(later[start : start + CHUNK])
            changes.append(self._move_change(len(changes) + 1, part, ()))
        return changes

    def _status_name(self, issue: FoundImported, wanted: str) -> str:
        type_id = next((t.id for t in self.current.types if t.name == issue.issue_type), "")
        known = dict(self.current.statuses).get(type_id, ())
        return next((s for s in known if s.casefold() == wanted.casefold()), wanted)

    def _move_change(
        self, number: int, moves: tuple[StatusMove, ...], requires: tuple[str, ...]
    ) -> Change:
        existing = [m for m in moves if m.issue_id]
        return self.base(
            f"{self.wanted.address}/status-{number}",
            action="update" if len(existing) == len(moves) else "create",
            title=f"move {len(moves)} issue(s) to their status",
            after=ImportChunk(tuple(m.ext_id for m in moves)),
            fields=("status",),
            requires=requires,
            detail={"moves": moves},
        )

    def _link_changes(self, invalid: set[int]) -> list[Change]:
        chunk_of = self.chunk_of
        left = {row.ext_id for row in self.wanted.rows if row.number in invalid}
        wanted: list[LinkWrite] = []
        for row in self.wanted.rows:
            if row.number in invalid:
                continue
            for number, other in row.links:
                if number not in self.links or other in left:
                    continue
                name, forward = self.links[number]
                link = LinkWrite(name, row.ext_id, other) if forward else LinkWrite(
                    name, other, row.ext_id)  # fmt: skip
                if link not in wanted and not self._linked(link):
                    wanted.append(link)
        changes: list[Change] = []
        for start in range(0, len(wanted), CHUNK):
            part = tuple(wanted[start : start + CHUNK])
            ends = {e for link in part for e in (link.source, link.target)}
            requires = sorted({chunk_of[e] for e in ends if e in chunk_of})
            known = self._known(self.existing[e].id for e in ends if e in self.existing)
            changes.append(
                self.base(
                    f"{self.wanted.address}/links-{len(changes) + 1}",
                    title=f"{len(part)} link(s)",
                    after=ImportChunk(tuple(sorted(ends))),
                    fields=("links",),
                    requires=tuple(requires),
                    detail={"links": part, "known": known},
                )
            )
        return changes

    def _linked(self, link: LinkWrite) -> bool:
        source, target = self.existing.get(link.source), self.existing.get(link.target)
        if source is None or target is None:
            return False
        return any(
            existing.type.casefold() == link.type.casefold()
            and existing.outward
            and existing.other_id == target.id
            for existing in source.links
        )


def _title(rows: Sequence[WantedRow]) -> str:
    first, last = rows[0], rows[-1]
    span = f"{first.ext_id}" if len(rows) == 1 else f"{first.ext_id} … {last.ext_id}"
    return f"{len(rows)} issue(s): {span}"
