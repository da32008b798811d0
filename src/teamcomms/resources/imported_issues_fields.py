"""A row's fields checked against the project's create metadata, and turned into the create
request's fields by id (pure: the metadata was read before).

Checked: the issue type exists in the project; each field the row sets is on that type's create
screen; values a field lists (priorities, components, select options) are among them; custom
fields are read as their type says (number, date, date and time, option, labels, user by email,
text, paragraph as Markdown); every field Jira requires without a default is given; the status
is one of the type's workflow; parents and links name rows that exist. Each problem names the
row and the column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from teamcomms.errors import DefinitionError, Problem
from teamcomms.imports import row_problem
from teamcomms.resources.imported_issues_desired import cell_values
from teamcomms.resources.imported_issues_state import CurrentImport, WantedImport, WantedRow

if TYPE_CHECKING:
    from teamcomms.definitions import ColumnSpec
    from teamcomms.imports import Cell
    from teamcomms.site.jira_issue_meta import AllowedValue, CreateMetaField

SET_BY_IMPORT = frozenset({"project", "issuetype", "reporter"})
"""Required fields the import fills itself (the reporter defaults to whoever imports)."""
MAX_SUMMARY = 255
"""Characters Jira takes in a summary."""
SYSTEM_FIELDS = {
    "description": "description",
    "priority": "priority",
    "labels": "labels",
    "components": "components",
    "due_date": "duedate",
    "assignee": "assignee",
}
"""The mapping's field names -> Jira's field ids."""


@dataclass(frozen=True)
class CheckedRow:
    """A row's create fields (by id, parent left out) and status, or the problems that stop it."""

    fields: Mapping[str, Any] = field(default_factory=dict)
    type_id: str = ""
    level: int = 0
    status: str | None = None
    problems: tuple[Problem, ...] = ()


class RowChecker:
    """Checks rows against the create metadata of one project."""

    def __init__(self, wanted: WantedImport, current: CurrentImport) -> None:
        self.wanted = wanted
        self.current = current
        self.types = {t.name.casefold(): t for t in current.types}
        self.statuses = dict(current.statuses)

    def problem(
        self, row: WantedRow | None, field: str | None, message: str, hint: str | None = None
    ) -> Problem:
        """A problem at ``row`` (``None``: the mapping) in the column ``field`` is read from."""
        table = self.wanted.table
        source = None if row is None else table.rows[row.number - 1]
        column = self.wanted.columns.get(field) if field else None
        return row_problem(table, source, column, message, hint)

    def link_types(self) -> tuple[dict[int, tuple[str, bool]], list[Problem]]:
        """Each of the mapping's links (by position) as ``(link type name, whether the row is
        the link's source)``, and a problem per link type the site does not have. A link type
        is named by its name or either of its directions (``blocks``, ``is blocked by``)."""
        found: dict[int, tuple[str, bool]] = {}
        problems: list[Problem] = []
        kinds = self.current.link_types
        for number, link in enumerate(self.wanted.definition.links):
            wanted = link.type.casefold()
            for kind in kinds:
                if wanted in (kind.name.casefold(), kind.outward.casefold()):
                    found[number] = (kind.name, True)
                    break
                if wanted == kind.inward.casefold():
                    found[number] = (kind.name, False)
                    break
            else:
                names = ", ".join(f"{k.name} ({k.outward} / {k.inward})" for k in kinds)
                message = f"no link type is called '{link.type}'"
                hint = f"the site's link types: {names}"
                problems.append(self.problem(None, f"links:{number}", message, hint))
        return found, problems

    def check(self, row: WantedRow) -> CheckedRow:
        """The row's fields by id, or why it cannot be created."""
        found: list[Problem] = []

        def problem(name: str | None, message: str, hint: str | None = None) -> None:
            found.append(self.problem(row, name, message, hint))

        issue_type = self.types.get(row.issue_type.casefold())
        project = self.wanted.project
        if issue_type is None:
            names = ", ".join(t.name for t in self.current.types)
            problem(
                "issue_type",
                f"'{row.issue_type}' is not an issue type of {project} (it has {names})",
                "map the value: fields.issue_type.values: {" + row.issue_type + ": Task}",
            )
            return CheckedRow(problems=tuple(found))
        screen = {f.id: f for f in self.current.fields_of(issue_type.id)}
        where = f"{issue_type.name} in {project}"
        fields: dict[str, Any] = {
            "project": {"id": self.current.project_id},
            "issuetype": {"id": issue_type.id},
        }
        if not row.summary:
            problem("summary", "no summary", "every Jira issue needs a summary")
        elif len(row.summary) > MAX_SUMMARY:
            problem(
                "summary",
                f"the summary is {len(row.summary)} characters long; Jira takes {MAX_SUMMARY}",
                "shorten it (the rest can go in the description)",
            )
        else:
            fields["summary"] = row.summary
        values: dict[str, Any] = {
            "description": self._adf(row, problem),
            "priority": row.priority,
            "labels": list(row.labels) or None,
            "components": list(row.components) or None,
            "due_date": row.due,
            "assignee": row.assignee,
        }
        for name, value in values.items():
            if value is None:
                continue
            meta = screen.get(SYSTEM_FIELDS[name])
            if meta is None:
                problem(name, f"{where} has no field {name} on its create screen",
                        "leave the column empty for these rows, or add the field to the "
                        "screen in Jira")  # fmt: skip
                continue
            converted = self._system(name, value, meta, row, problem)
            if converted is not None:
                fields[meta.id] = converted
        for name, cell in row.custom:
            self._custom(name, cell, screen, where, row, fields, problem)
        if row.parent is not None and "parent" not in screen:
            problem("parent", f"{where} cannot have a parent")
        self._required(screen, fields, row, where, problem)
        status = None
        if row.status is not None:
            known = self.statuses.get(issue_type.id, ())
            status = next((s for s in known if s.casefold() == row.status.casefold()), None)
            if status is None:
                problem(
                    "status",
                    f"'{row.status}' is not a status of {where} (it has {', '.join(known)})",
                    "map the value: status.values: {" + row.status + ": To Do}",
                )
        return CheckedRow(fields, issue_type.id, issue_type.hierarchy_level, status, tuple(found))

    def _adf(self, row: WantedRow, problem: Callable[..., None]) -> Any:
        """The description in Atlassian Document Format (``None`` when empty)."""
        from teamcomms.render import markdown_to_adf

        if not row.description:
            return None
        try:
            return markdown_to_adf(row.description)
        except DefinitionError as error:
            message = "; ".join(p.message for p in error.problems)
            problem("description", message, "write the description as Markdown")
            return None

    def _system(
        self,
        name: str,
        value: Any,
        meta: CreateMetaField,
        row: WantedRow,
        problem: Callable[..., None],
    ) -> Any:
        if name == "priority":
            return _by_name(meta.allowed, value, name, problem, "fields.priority.values")
        if name == "components":
            found = [
                _by_name(meta.allowed, v, name, problem, "fields.components.values") for v in value
            ]
            return None if None in found else found
        if name == "assignee":
            account = self.current.account(value)
            if account is None:
                problem(name, f"no Jira user has the email {value}",
                        "add the person to Jira, or map the email to someone who is")  # fmt: skip
                return None
            return {"accountId": account}
        return value

    def _custom(
        self,
        name: str,
        cell: Cell,
        screen: Mapping[str, CreateMetaField],
        where: str,
        row: WantedRow,
        fields: dict[str, Any],
        problem: Callable[..., None],
    ) -> None:
        spec = self.wanted.definition.custom[name]
        key = f"custom:{name}"
        meta = next((f for f in screen.values() if f.name.casefold() == name.casefold()), None)
        values = cell_values(spec, cell, many=meta is not None and meta.type == "array")
        if not values:
            return
        if meta is None:
            problem(
                key,
                f"{where} has no field '{name}' on its create screen",
                "check the field's name in Jira, or leave the column empty for these rows",
            )
            return
        value = convert(meta, spec, values, self.current, lambda m, h=None: problem(key, m, h))
        if value is not None:
            fields[meta.id] = value

    def _required(
        self,
        screen: Mapping[str, CreateMetaField],
        fields: Mapping[str, Any],
        row: WantedRow,
        where: str,
        problem: Callable[..., None],
    ) -> None:
        for meta in screen.values():
            if not meta.required or meta.has_default or meta.id in SET_BY_IMPORT:
                continue
            if meta.id in fields or meta.id == "summary":
                continue
            if meta.id == "parent":
                if row.parent is None:
                    problem("parent", f"{where} needs a parent", "map the parent column")
                continue
            column = next(
                (k for k, v in SYSTEM_FIELDS.items() if v == meta.id),
                f"custom:{meta.name}",
            )
            problem(
                column if column in self.wanted.columns else None,
                f"Jira requires {meta.name} for {where}, and the row has none",
                f"map a column to it (custom: {{{meta.name}: COLUMN}}) or give it a default",
            )


def _by_name(
    allowed: tuple[AllowedValue, ...] | None,
    value: str,
    field: str,
    problem: Callable[..., None],
    where: str,
) -> dict[str, str] | None:
    choices = allowed or ()
    chosen = next((a for a in choices if a.name.casefold() == value.casefold()), None)
    if chosen is None:
        problem(
            field,
            f"'{value}' is not one of {', '.join(a.name for a in choices) or 'no values'}",
            f"map the value: {where}: {{{value}: {choices[0].name if choices else '...'}}}",
        )
        return None
    return {"id": chosen.id}


def convert(
    meta: CreateMetaField,
    spec: ColumnSpec,
    values: tuple[str, ...],
    current: CurrentImport,
    problem: Callable[..., None],
) -> Any:
    """A custom field's value in the create request, read as the field's type."""
    kind, items = meta.type, meta.items
    custom = meta.custom.rsplit(":", 1)[-1]
    where = f"custom.{meta.name}.values"
    if kind == "array" and items == "option":
        found = [_by_name(meta.allowed, v, meta.name, _as(problem), where) for v in values]
        return None if None in found else found
    if kind == "array" and items == "string":
        return [" ".join(v.split()).replace(" ", "-") for v in values]
    if kind == "array" and items == "user":
        users = [_user(v, current, problem) for v in values]
        return None if None in users else users
    value = values[0]
    if kind == "option":
        return _by_name(meta.allowed, value, meta.name, _as(problem), where)
    if kind == "user":
        return _user(value, current, problem)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            problem(f"'{value}' is not a number")
            return None
        return int(number) if number.is_integer() else number
    if kind in ("date", "datetime"):
        return _when(value, spec.format, kind == "datetime", problem)
    if kind == "string" and custom == "textarea":
        from teamcomms.render import markdown_to_adf

        return markdown_to_adf(value)
    if kind == "string":
        return value
    problem(
        f"{meta.name} is a {meta.custom or kind} field, which import cannot fill yet",
        "leave it out of the mapping",
    )
    return None


def _as(problem: Callable[..., None]) -> Callable[..., None]:
    """``_by_name`` names the field first; custom problems are already at their column."""
    return lambda field, message, hint=None: problem(message, hint)


def _user(email: str, current: CurrentImport, problem: Callable[..., None]) -> Any:
    account = current.account(email) if "@" in email else None
    if account is None:
        problem(f"no Jira user has the email {email}" if "@" in email else
                f"'{email}' is not an email", "map it to the email of a Jira user")  # fmt: skip
        return None
    return {"accountId": account}


def _when(text: str, pattern: str | None, with_time: bool, problem: Callable[..., None]) -> Any:
    try:
        moment = (
            datetime.strptime(text, pattern)
            if pattern
            else datetime.fromisoformat(text.replace("Z", "+00:00"))
        )
    except ValueError:
        problem(f"'{text}' is not a date" + (f" in the format {pattern}" if pattern else ""),
                "write YYYY-MM-DD, or give the column's format")  # fmt: skip
        return None
    if not with_time:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
