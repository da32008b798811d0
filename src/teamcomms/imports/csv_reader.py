"""CSV as spreadsheets and trackers export it: any delimiter (found by :class:`csv.Sniffer`,
checked against the rows), UTF-8 with or without a byte-order mark, quoted cells that hold
newlines, a header row. A header repeated (Jira's own CSV importer takes ``Labels`` several times
for several labels) gives a list of the non-empty cells under it."""

from __future__ import annotations

import csv
import io

from teamcomms.errors import Problem
from teamcomms.imports.problems import InvalidRows
from teamcomms.imports.rows import Cell, SourceRow, SourceTable

DELIMITERS = ",;\t|"
"""What the sniffer may choose from: the delimiters spreadsheets write."""
SAMPLE = 64 * 1024
"""Characters the sniffer looks at (the start of a large file is enough)."""
CHECKED_RECORDS = 50
"""Records a delimiter must split consistently before it is trusted."""


def read_csv(file: str, text: str) -> SourceTable:
    """The rows of a CSV document (``text`` already decoded). Raises :class:`InvalidRows`."""
    delimiter = choose_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InvalidRows(file, [Problem(file, 1, 0, f"not CSV: {error}")]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise InvalidRows(file, [Problem(file, 1, 1, "the file has no header row")])
    names = [cell.strip() or f"column {n}" for n, cell in enumerate(header, start=1)]
    positions: dict[str, int] = {}
    for number, name in enumerate(names, start=1):
        positions.setdefault(name, number)
    repeated = {name for name in names if names.count(name) > 1}
    rows: list[SourceRow] = []
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(file, line, 0, f"not CSV from here on: {error}"))
            break
        if not any(cell.strip() for cell in record):
            continue
        number += 1
        if len(record) > len(names):
            problems.append(
                Problem(
                    file, line, len(names) + 1,
                    f"row {number} has {len(record)} cells, the header {len(names)}",
                    hint="quote cells that hold the delimiter "
                    f"({'tab' if delimiter == chr(9) else repr(delimiter)})",
                )
            )  # fmt: skip
            continue
        rows.append(SourceRow(number, line, _values(names, record, repeated)))
    if problems:
        raise InvalidRows(file, problems, hint="fix the file (a spreadsheet's CSV export quotes "
                          "cells for you)")  # fmt: skip
    return SourceTable(file, "csv", tuple(dict.fromkeys(names)), tuple(rows), positions)


def _values(names: list[str], record: list[str], repeated: set[str]) -> dict[str, Cell]:
    values: dict[str, Cell] = {}
    for name, cell in zip(names, record, strict=False):
        text = cell.strip()
        if name in repeated:
            previous = values.get(name) or ()
            assert isinstance(previous, tuple)
            values[name] = (*previous, text) if text else previous
        else:
            values[name] = text or None
    return {k: (v or None) for k, v in values.items()}


def choose_delimiter(text: str) -> str:
    """The delimiter of ``text``: the sniffer's guess when it splits the first records into as
    many cells as the header, else the candidate that does with the most columns, else ``,``."""
    sample = text[:SAMPLE]
    try:
        guess: str | None = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = None
    if guess is not None and _consistent(sample, guess) > 1:
        return guess
    scored = [(_consistent(sample, d), -n, d) for n, d in enumerate(DELIMITERS)]
    best = max(scored)
    if best[0] > 1:
        return best[2]
    # No delimiter splits every record alike (a row with a stray delimiter): the one that
    # splits the header widest, so that the odd row is reported rather than every column.
    widths = [(_header_width(sample, d), -n, d) for n, d in enumerate(DELIMITERS)]
    return guess or max(widths)[2]


def _header_width(sample: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), []))
    except csv.Error:
        return 0


def _consistent(sample: str, delimiter: str) -> int:
    """The header's width when the first records of ``sample`` all have it, else 0."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        records = [r for _, r in zip(range(CHECKED_RECORDS + 1), reader, strict=False)]
    except csv.Error:
        return 0
    if len(sample) >= SAMPLE:
        records = records[:-1]  # the sample may end inside the last record
    widths = {len(r) for r in records if any(cell.strip() for cell in r)}
    return len(header) if widths <= {len(header)} else 0
