"""The rows of a source file read through an ``import`` mapping (pure, no site): each row's
fields by name, value maps and defaults applied, Markdown turned into ADF, dates read; every
problem with the file, the row and the column.

Markdown is turned into ADF only for the rows to create, with the site's checks. What only the
site can say (which issue types, priorities, options and people exist, which
fields are required, what type a custom field has) is checked later, by
:mod:`teamcomms.resources.imported_issues_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from teamcomms.definitions.common import EMAIL_PATTERN
from teamcomms.errors import Problem
from teamcomms.imports import Cell, SourceRow, SourceTable, row_problem
from teamcomms.imports.trello import PRESET_COLUMNS
from teamcomms.resources.imported_issues_state import WantedImport, WantedRow

if TYPE_CHECKING:
    from teamcomms.definitions import ColumnSpec, ImportDefinition

LIST_FIELDS = ("labels", "components")
DEFAULT_ISSUE_TYPE = "Task"
MAX_ID = 255
"""Characters an external id may have (it is kept in the issue's marker)."""


def spec_of(definition: ImportDefinition, field: str) -> ColumnSpec | None:
    """The column spec of a field (``summary``, ``status``, ...), the preset's column filled
    in where the mapping names none."""
    from teamcomms.definitions import ColumnSpec

    given = definition.status if field == "status" else getattr(definition.fields, field, None)
    preset = PRESET_COLUMNS.get(field) if definition.preset == "trello" else None
    if given is None:
        return ColumnSpec(column=preset) if preset else None
    if given.column is None and preset:
        return given.model_copy(update={"column": preset})
    return given


def id_column(definition: ImportDefinition) -> str:
    """The column holding each row's external id."""
    return definition.id or PRESET_COLUMNS["id"]


def cell_values(spec: ColumnSpec, raw: Cell, *, many: bool) -> tuple[str, ...]:
    """The values of a cell of ``spec``'s column: split when ``many`` (a list field), each
    mapped through ``values``, the default for an empty cell, then what ``add`` adds."""
    if isinstance(raw, tuple):
        items = list(raw)
    elif raw is None:
        items = []
    elif many:
        items = [part.strip() for part in raw.split(spec.split or ",")]
    else:
        items = [raw]
    mapped = [value for value in (map_value(spec, item) for item in items if item) if value]
    if not mapped and spec.default is not None:
        mapped = [spec.default] if isinstance(spec.default, str) else list(spec.default)
    if many:
        mapped = list(dict.fromkeys([*mapped, *spec.add]))
    return tuple(mapped)


def cell(row: SourceRow, spec: ColumnSpec) -> Cell:
    """The cell of ``spec``'s column (empty when it names no column: its default applies)."""
    return row.values.get(spec.column) if spec.column else None


def map_value(spec: ColumnSpec, value: str) -> str | None:
    """``value`` through the value map: exactly as written, else ignoring case."""
    if value in spec.values:
        return spec.values[value]
    folded = {k.casefold(): v for k, v in spec.values.items()}
    return folded.get(value.casefold(), value)


def desired_import(
    definition: ImportDefinition, table: SourceTable, *, skip_invalid: bool = False
) -> WantedImport:
    """Every row of ``table`` read through ``definition``, with every problem found."""
    columns = _columns(definition)
    problems: list[tuple[int, Problem]] = [
        (0, problem) for problem in _missing_columns(definition, table, columns)
    ]
    if problems:  # the wrong file, or the mapping of another: its rows would all be wrong too
        return WantedImport(definition.identity, definition.name, definition.project,
                            definition, table, (), tuple(problems), columns)  # fmt: skip
    rows: list[WantedRow] = []
    left_out = 0
    seen: dict[str, int] = {}
    for source in table.rows:
        archived = definition.preset == "trello" and source.text("archived") == "true"
        if archived and not definition.include_archived:
            left_out += 1
            continue
        row, found = _row(definition, table, source, columns)
        if row is not None and row.ext_id in seen:
            found.append(
                row_problem(table, source, columns["id"],
                            f"id '{row.ext_id}' is also row {seen[row.ext_id]}'s",
                            "give every row its own id")
            )  # fmt: skip
            row = None  # the first row with the id is the one imported
        problems.extend((source.number, problem) for problem in found)
        if row is not None:
            seen[row.ext_id] = source.number
            rows.append(row)
    return WantedImport(
        address=definition.identity,
        name=definition.name,
        project=definition.project,
        definition=definition,
        table=table,
        rows=tuple(rows),
        problems=tuple(problems),
        columns=columns,
        left_out=left_out,
        skip_invalid=skip_invalid,
    )


def _columns(definition: ImportDefinition) -> dict[str, str]:
    columns = {"id": id_column(definition)}
    for field in (*type(definition.fields).model_fields, "status"):
        spec = spec_of(definition, field)
        if spec is not None and spec.column:
            columns[field] = spec.column
    for name, spec in definition.custom.items():
        if spec.column:
            columns[f"custom:{name}"] = spec.column
    if definition.parent:
        columns["parent"] = definition.parent
    for number, link in enumerate(definition.links):
        columns[f"links:{number}"] = link.column
    return columns


def _missing_columns(
    definition: ImportDefinition, table: SourceTable, columns: Mapping[str, str]
) -> Iterable[Problem]:
    """A mapping that names a column the file does not have (a typo, or the wrong file)."""
    known = set(table.columns)
    if not table.rows:
        return []
    return [
        Problem(
            table.file,
            message=f"the mapping reads column '{column}' ({what}), which the file does not have",
            definition=f"{definition.label}",
            hint=f"the file's columns: {', '.join(table.columns) or 'none'}",
        )
        for what, column in columns.items()
        if column not in known
    ]


def _row(
    definition: ImportDefinition,
    table: SourceTable,
    source: SourceRow,
    columns: Mapping[str, str],
) -> tuple[WantedRow | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(field: str, message: str, hint: str | None = None) -> None:
        problems.append(row_problem(table, source, columns.get(field), message, hint))

    def one(field: str) -> str | None:
        spec = spec_of(definition, field)
        values = cell_values(spec, cell(source, spec), many=False) if spec else ()
        return values[0].strip() if values else None

    def many(field: str) -> tuple[str, ...]:
        spec = spec_of(definition, field)
        return cell_values(spec, cell(source, spec), many=True) if spec else ()

    ext_id = source.text(columns["id"]).strip()
    if not ext_id:
        problem("id", "no id", "every row needs its own id: it is what makes a re-run safe")
        return None, problems
    if len(ext_id) > MAX_ID:
        problem("id", f"the id is {len(ext_id)} characters long; at most {MAX_ID}")
    description = one("description") or ""
    labels = tuple(_label(label) for label in many("labels"))
    links = tuple(
        (number, other)
        for number, link in enumerate(definition.links)
        for other in _split(source.text(link.column), link.split)
    )
    row = WantedRow(
        ext_id=ext_id,
        number=source.number,
        summary=" ".join((one("summary") or "").split()),
        issue_type=one("issue_type") or DEFAULT_ISSUE_TYPE,
        description=description,
        priority=one("priority"),
        labels=labels,
        components=many("components"),
        due=_due(definition, one("due_date"), problem),
        assignee=_email(one("assignee"), problem),
        custom=tuple((name, cell(source, spec)) for name, spec in definition.custom.items()),
        parent=source.text(definition.parent).strip() or None if definition.parent else None,
        links=links,
        status=one("status"),
    )
    if row.parent == ext_id:
        problem("parent", "the row is its own parent")
    return row, problems


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _label(text: str) -> str:
    """A Jira label: no spaces (Jira refuses them), so words are joined with dashes."""
    return re.sub(r"\s+", "-", text.strip())


Report = Callable[..., None]


def _due(definition: ImportDefinition, text: str | None, problem: Report) -> str | None:
    if not text:
        return None
    spec = spec_of(definition, "due_date")
    pattern = spec.format if spec is not None else None
    try:
        if pattern:
            return datetime.strptime(text, pattern).date().isoformat()
        # ISO 8601: a date, or a date and time (Trello's due dates) whose date is taken.
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        problem(
            "due_date",
            f"'{text}' is not a date" + (f" in the format {pattern}" if pattern else ""),
            "write YYYY-MM-DD, or give the column's format: fields.due_date.format: '%d/%m/%Y'",
        )
        return None


def _email(text: str | None, problem: Report) -> str | None:
    if not text:
        return None
    if re.fullmatch(EMAIL_PATTERN, text):
        return text.lower()
    problem(
        "assignee",
        f"'{text}' is not an email",
        f"Jira finds people by email: map it, e.g. fields.assignee.values: {{{text}: "
        "name@example.com}",
    )
    return None
