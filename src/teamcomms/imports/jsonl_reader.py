"""JSON lines: one JSON object per line (blank lines skipped). Nested objects become dotted
column names (``fields.summary``); numbers and booleans become text; a list of scalars is a
list of texts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from teamcomms.errors import Problem
from teamcomms.imports.problems import InvalidRows
from teamcomms.imports.rows import Cell, SourceRow, SourceTable


def read_jsonl(file: str, text: str) -> SourceTable:
    """The rows of a JSON lines document. Raises :class:`InvalidRows` naming each bad line."""
    problems: list[Problem] = []
    rows: list[SourceRow] = []
    columns: dict[str, None] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(file, line_number, error.colno, f"not JSON: {error.msg}"))
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(file, line_number, 1, "each line must be a JSON object of columns")
            )
            continue
        values = dict(_flatten(data))
        columns.update(dict.fromkeys(values))
        positions = {name: _column_of(line, name) for name in values}
        rows.append(SourceRow(len(rows) + 1, line_number, values, positions))
    if problems:
        raise InvalidRows(file, problems, hint="write one JSON object per line (JSON lines)")
    return SourceTable(file, "jsonl", tuple(columns), tuple(rows))


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Cell]]:
    found: list[tuple[str, Cell]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found.extend(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            texts = tuple(t for t in (_text(v) for v in value) if t)
            found.append((name, texts or None))
        else:
            found.append((name, _text(value) or None))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _column_of(line: str, name: str) -> int:
    """Where the key of column ``name`` starts in ``line`` (1-based; 0 when not found)."""
    key = json.dumps(name.rsplit(".", 1)[-1], ensure_ascii=False)
    return line.find(key) + 1
