"""Hires given outside a project's ``hires/`` folder: from command-line flags, a ``hire`` file, or
a CSV or YAML list as HR systems export them (one row per hire, header names mappable).

Every problem names the file, the row's line and the column, and nothing is onboarded until the
whole list is clean.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from teamcomms.definitions.common import Location
from teamcomms.definitions.kinds.hire import HireDefinition
from teamcomms.errors import DefinitionError, Problem

if TYPE_CHECKING:
    from teamcomms.definitions.project import Project

FIELDS = ("name", "full_name", "email", "checklist", "start", "manager", "buddy")
"""What a row may give; ``role`` is accepted for ``checklist`` (a checklist's name or role)."""


def slug(text: str) -> str:
    """``Maya Chen`` -> ``maya-chen``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "hire"


def parse_columns(pairs: Sequence[str]) -> dict[str, str]:
    """``["full_name=Employee Name"]`` -> ``{"full_name": "Employee Name"}``."""
    from teamcomms.errors import UsageError

    mapping: dict[str, str] = {}
    for pair in pairs:
        field, equals, header = pair.partition("=")
        field = field.strip()
        if not equals or field not in (*FIELDS, "role") or not header.strip():
            raise UsageError(
                f"--column {pair!r} is not FIELD=HEADER",
                hint=f"FIELD is one of {', '.join((*FIELDS, 'role'))}, e.g. "
                "--column full_name='Employee Name'",
            )
        mapping[field] = header.strip()
    return mapping


def checklist_for(project: Project, value: str) -> str | None:
    """The checklist a row names, by name or by role (case ignored)."""
    wanted = value.strip().lower()
    for checklist in project.checklists:
        if wanted in (checklist.name.lower(), checklist.role.lower()):
            return checklist.name
    return None


def hire_from_values(
    values: Mapping[str, Any], project: Project, where: Location, columns: Mapping[str, int]
) -> HireDefinition:
    """One hire from ``values`` (field -> text); problems point at ``where`` and the column
    of the field (``columns``: field -> 1-based column)."""
    data: dict[str, Any] = {k: v for k, v in values.items() if v not in (None, "")}
    data.setdefault("name", slug(str(data.get("full_name") or data.get("email") or "")))
    problems: list[Problem] = []
    given = data.get("checklist") or data.pop("role", None)
    data.pop("role", None)
    if given is not None:
        found = checklist_for(project, str(given))
        if found is None:
            problems.append(
                _problem(
                    where, columns, "checklist", f"no checklist named or for the role {given!r}",
                    "name a checklist of the project, or a role one of them is for: "
                    + ", ".join(c.name for c in project.checklists),
                )
            )  # fmt: skip
        data["checklist"] = found or str(given)
    if isinstance(data.get("start"), str):
        data["start"] = data["start"].strip()
    data = {"kind": "hire", **data}
    try:
        hire = HireDefinition.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else ""
            cause = (item.get("ctx") or {}).get("error")
            message = str(cause) if cause else item["msg"]
            if item["type"] == "missing":
                message = "missing"
            problems.append(_problem(where, columns, field, message, None))
        raise DefinitionError(problems) from None
    if problems:
        raise DefinitionError(problems)
    return hire.model_copy(update={"source": where})


def _problem(
    where: Location, columns: Mapping[str, int], field: str, message: str, hint: str | None
) -> Problem:
    return Problem(
        str(where.file),
        where.line,
        columns.get(field, 0),
        f"{field or 'row'}: {message}",
        definition="hire",
        hint=hint,
    )


def read_hires(path: Path, project: Project, columns: Mapping[str, str] | None = None) -> list[Any]:
    """The hires of a CSV file, a YAML list of mappings, or YAML ``kind: hire`` documents.
    Raises :class:`DefinitionError` with every bad row (file:line:col)."""
    from teamcomms.errors import UsageError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"cannot read {path}: {error}", hint="pass a UTF-8 CSV or YAML file"
        ) from None
    if path.suffix.lower() == ".csv":
        return _csv_hires(path, text, project, columns or {})
    return _yaml_hires(path, text, project, columns or {})


def _csv_hires(
    path: Path, text: str, project: Project, columns: Mapping[str, str]
) -> list[HireDefinition]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DefinitionError([Problem(str(path), 1, 1, "the file has no header row")])
    header = [h.strip() for h in rows[0]]
    by_header = {h.lower(): n for n, h in enumerate(header)}
    positions: dict[str, int] = {}
    for field in (*FIELDS, "role"):
        wanted = columns.get(field, field).lower()
        if wanted in by_header:
            positions[field] = by_header[wanted]
    problems: list[Problem] = []
    hires: list[HireDefinition] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {f: row[i].strip() if i < len(row) else "" for f, i in positions.items()}
        where = Location(file=path, line=number, column=1)
        try:
            hires.append(
                hire_from_values(values, project, where, {f: i + 1 for f, i in positions.items()})
            )
        except DefinitionError as error:
            problems.extend(error.problems)
    if problems:
        raise DefinitionError(problems)
    return hires


def _yaml_hires(
    path: Path, text: str, project: Project, columns: Mapping[str, str]
) -> list[HireDefinition]:
    from teamcomms.definitions.project import validate_project

    if re.search(r"^kind:\s*hire\s*$", text, re.M):
        validation = validate_project([path])
        if validation.errors:
            raise DefinitionError(validation.problems)
        return list(validation.project.hires)
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError([Problem(str(path), 1, 1, f"not YAML: {error}")]) from None
    if not isinstance(document, list):
        raise DefinitionError(
            [Problem(str(path), 1, 1, "expected a list of hires (one mapping per hire)")]
        )
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith("- ")]
    renamed = {header.lower(): field for field, header in columns.items()}
    problems: list[Problem] = []
    hires: list[HireDefinition] = []
    for index, entry in enumerate(document):
        line = lines[index] if index < len(lines) else 1
        where = Location(file=path, line=line, column=3)
        if not isinstance(entry, dict):
            problems.append(Problem(str(path), line, 3, "each hire is a mapping of fields"))
            continue
        values = {renamed.get(str(k).lower(), str(k)): _text(v) for k, v in entry.items()}
        try:
            hires.append(hire_from_values(values, project, where, {}))
        except DefinitionError as error:
            problems.extend(error.problems)
    if problems:
        raise DefinitionError(problems)
    return hires


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
