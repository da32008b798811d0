"""Reading the files ``teamcomms import`` takes: CSV (any delimiter, UTF-8 with or without a
BOM, quoted newlines), JSON lines, and Trello's board export (a named preset).

Pure: a file in, a :class:`SourceTable` of rows out (every cell as text, a list of texts, or
empty), with where each row and column is in the file so that problems name file, line and
column. What the columns mean is the mapping's business
(:mod:`teamcomms.resources.imported_issues_desired`).
"""

from __future__ import annotations

from teamcomms.imports.problems import InvalidRows, row_problem
from teamcomms.imports.read import FORMATS, SourceFormat, format_for, read_source
from teamcomms.imports.rows import Cell, SourceRow, SourceTable

__all__ = [
    "FORMATS",
    "Cell",
    "InvalidRows",
    "SourceFormat",
    "SourceRow",
    "SourceTable",
    "format_for",
    "read_source",
    "row_problem",
]
