"""Read a source file in its format: CSV, JSON lines or a Trello board export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from teamcomms.errors import Problem
from teamcomms.imports.csv_reader import read_csv
from teamcomms.imports.jsonl_reader import read_jsonl
from teamcomms.imports.problems import InvalidRows
from teamcomms.imports.rows import SourceTable
from teamcomms.imports.trello import read_trello

SourceFormat = Literal["csv", "jsonl", "trello"]
FORMATS: tuple[SourceFormat, ...] = get_args(SourceFormat)
READERS: dict[str, Callable[[str, str], SourceTable]] = {
    "csv": read_csv,
    "jsonl": read_jsonl,
    "trello": read_trello,
}
SUFFIXES: dict[str, SourceFormat] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def format_for(path: Path, given: SourceFormat | None) -> SourceFormat | None:
    """The format to read ``path`` in: ``given`` (the mapping's), else by its extension."""
    return given or SUFFIXES.get(path.suffix.lower())


def read_source(
    path: Path, source_format: SourceFormat, *, shown_as: str | None = None
) -> SourceTable:
    """Every row of ``path``; ``shown_as`` is how messages name the file (default: the path).

    Raises :class:`InvalidRows` for a file that cannot be read, is not UTF-8, or is not in the
    format (naming the line and column where that shows)."""
    name = shown_as or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidRows(
            name,
            [Problem(name, message=f"cannot read the file: {error.strerror or error}")],
            hint="check the path",
        ) from None
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs write.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InvalidRows(
            name,
            [Problem(name, line, column, "not UTF-8 text")],
            hint="save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
        ) from None
    return READERS[source_format](name, text)
