"""The rows a source file holds, as plain values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Cell = str | tuple[str, ...] | None
"""A cell: text, several texts (a JSON list, repeated CSV headers, Trello labels) or empty."""


@dataclass(frozen=True)
class SourceRow:
    """One row (a CSV record, a JSON line, a Trello card)."""

    number: int
    """1-based among the data rows (the header is not a row)."""
    line: int
    """The line of the file where the row starts; 0 when the format has no useful lines."""
    values: Mapping[str, Cell]
    positions: Mapping[str, int] = field(default_factory=dict)
    """Column name -> 1-based column in the line, where it differs per row (JSON lines)."""
    label: str = ""
    """How messages name the row besides its number (a Trello card's name)."""

    def text(self, column: str) -> str:
        """The cell as one text ('' when empty; several values joined by commas)."""
        value = self.values.get(column)
        if value is None:
            return ""
        return ", ".join(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class SourceTable:
    """Every row of a file, and where its columns are."""

    file: str
    """The path as the user gave it (messages name it so)."""
    format: str
    columns: tuple[str, ...]
    """Every column any row has, in the order first seen (a CSV file: its header)."""
    rows: tuple[SourceRow, ...]
    positions: Mapping[str, int] = field(default_factory=dict)
    """Column name -> 1-based column number (a CSV header's order)."""

    def column_number(self, row: SourceRow | None, column: str) -> int:
        """Where ``column`` is for ``row`` (0 when unknown)."""
        if row is not None and column in row.positions:
            return row.positions[column]
        return self.positions.get(column, 0)
