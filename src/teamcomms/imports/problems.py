"""Problems with a source file or its rows: each names the file, the line, the row and the
column, and nothing is written while any is left (unless rows are skipped on purpose)."""

from __future__ import annotations

from collections.abc import Sequence

from teamcomms.errors import Problem, TeamcommsError
from teamcomms.imports.rows import SourceRow, SourceTable


def row_problem(
    table: SourceTable,
    row: SourceRow | None,
    column: str | None,
    message: str,
    hint: str | None = None,
) -> Problem:
    """A problem at ``row`` (``None``: the file) and ``column`` (``None``: the whole row):
    ``FILE:LINE:COL: error: row 12 column 'Priority': MESSAGE``."""
    where = None if row is None else f"row {row.number}" + (f" {row.label}" if row.label else "")
    return Problem(
        table.file,
        row.line if row is not None else 0,
        table.column_number(row, column) if column is not None else 0,
        message,
        definition=where,
        path=f"column '{column}'" if column is not None else None,
        hint=hint,
    )


class InvalidRows(TeamcommsError):
    """The file, or some of its rows, cannot be imported; nothing was written."""

    def __init__(self, file: str, problems: Sequence[Problem], *, hint: str | None = None) -> None:
        self.problems = tuple(sorted(problems))
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'' if count == 1 else 's'} in {file}; nothing was written",
            hint=hint
            or "fix the rows, map their values in the mapping file, or pass --skip-invalid "
            "to import the valid rows only",
        )

    def format(self) -> str:
        return "\n".join([*(p.format() for p in self.problems), super().format()])
