"""What a parsed JQL query (:mod:`teamcomms.sandbox.jql`) means for the sandbox's issues.

Every clause is checked before anything is searched, and all problems are answered at once with
Jira's messages: an unknown field, an operator the field does not support, a value that does not
exist (projects, types, statuses, users, issue keys...), a malformed date, an unknown function.
What Jira has and the sandbox does not emulate (text search, history operators, sprints...) is
refused with a message saying so.

Semantics as on Jira: ``!=`` and ``NOT IN`` never match an empty field (``assignee != x`` leaves out
unassigned issues), ``= EMPTY`` is ``IS EMPTY``, ``resolution = Unresolved`` is ``IS EMPTY``, dates
compare to the millisecond in UTC (the sandbox user's zone), ``ORDER BY`` puts empty values last
(first when descending) and keeps creation order between equals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from teamcomms.sandbox import datacenter, jql
from teamcomms.sandbox.api import Context
from teamcomms.sandbox.jql_dates import DATE_FUNCTIONS, INVALID_DATE, date_function, parse_date
from teamcomms.sandbox.seed import DEFAULT_PRIORITY, SANDBOX_ACCOUNT_ID, STATUS_CATEGORIES

EQUALITY = frozenset({"=", "!=", "in", "not in", "is", "is not"})
ORDERED = frozenset({"<", "<=", ">", ">="})
_FIELDS: dict[str, tuple[str, frozenset[str]]] = {
    "project": ("project", EQUALITY),
    "issuetype": ("issuetype", EQUALITY),
    "type": ("issuetype", EQUALITY),
    "status": ("status", EQUALITY),
    "statuscategory": ("statuscategory", EQUALITY),
    "category": ("statuscategory", EQUALITY),
    "priority": ("priority", EQUALITY | ORDERED),
    "resolution": ("resolution", EQUALITY),
    "component": ("component", EQUALITY),
    "labels": ("labels", EQUALITY),
    "parent": ("parent", EQUALITY - {"is", "is not"}),
    "assignee": ("assignee", EQUALITY),
    "reporter": ("reporter", EQUALITY),
    "creator": ("creator", EQUALITY),
    "key": ("key", EQUALITY - {"is", "is not"} | ORDERED),
    "issuekey": ("key", EQUALITY - {"is", "is not"} | ORDERED),
    "id": ("key", EQUALITY - {"is", "is not"} | ORDERED),
    "created": ("created", EQUALITY | ORDERED),
    "createddate": ("created", EQUALITY | ORDERED),
    "updated": ("updated", EQUALITY | ORDERED),
    "updateddate": ("updated", EQUALITY | ORDERED),
    "resolved": ("resolutiondate", EQUALITY | ORDERED),
    "resolutiondate": ("resolutiondate", EQUALITY | ORDERED),
    "duedate": ("duedate", EQUALITY | ORDERED),
    "due": ("duedate", EQUALITY | ORDERED),
    "statuscategorychangeddate": ("statuscategorychangedate", EQUALITY | ORDERED),
}
DATE_FIELDS = {"created", "updated", "resolutiondate", "duedate", "statuscategorychangedate"}
USER_FIELDS = {"assignee", "reporter", "creator"}
NOT_EMULATED_FIELDS = {
    "summary", "description", "text", "comment", "environment", "sprint", "fixversion",
    "affectedversion", "epic link", "rank", "watcher", "voter", "team", "level", "attachments",
    "issuelinktype", "filter", "originalestimate", "remainingestimate", "timespent",
    "worklogauthor", "worklogcomment", "worklogdate", "lastviewed", "development",
}  # fmt: skip
NOT_EMULATED_FUNCTIONS = {
    "membersof", "issuehistory", "opensprints", "closedsprints", "futuresprints",
    "watchedissues", "votedissues", "linkedissues", "updatedby", "projectsleadbyuser",
    "projectswhereuserhasrole", "projectswhereuserhaspermission", "componentsleadbyuser",
    "releasedversions", "unreleasedversions", "latestreleasedversion", "earliestunreleasedversion",
    "standardissuetypes", "subtaskissuetypes", "lastlogin", "currentlogin", "issuewatchers",
}  # fmt: skip
ORDER_ONLY = {"rank": "rank", "summary": "summary"}
"""Fields the sandbox sorts by but does not search (Rank: creation order)."""
_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)-(\d+)$")

Atom = Any
"""A field value in canonical form: an id, a lower-cased text, a datetime or a number."""


@dataclass(frozen=True)
class Field:
    """A JQL field as the sandbox understands it."""

    written: str  # as the query names it (Jira's messages quote it so)
    canonical: str  # a system field id, or customfield_N
    operators: frozenset[str]
    custom_type: str = ""


class Evaluator:
    """Checks and evaluates queries against the site's issues at one moment."""

    def __init__(self, ctx: Context, now: datetime) -> None:
        self.ctx = ctx
        self.now = now
        self.problems: list[str] = []

    # ---- fields ------------------------------------------------------------------------------
    def field(self, written: str, *, sorting: bool = False) -> Field | None:
        name = written.lower()
        if name in _FIELDS:
            canonical, operators = _FIELDS[name]
            return Field(written, canonical, operators)
        custom = self._custom_field(written)
        if custom is not None:
            kind = custom["schema"].get("type", "string")
            ops = EQUALITY | ORDERED if kind in ("date", "datetime", "number") else EQUALITY
            return Field(written, custom["id"], ops, kind)
        if sorting and name in ORDER_ONLY:
            return Field(written, ORDER_ONLY[name], frozenset())
        if name in NOT_EMULATED_FIELDS:
            self.problems.append(
                f"The sandbox does not emulate the field '{written}' in JQL (see docs/sandbox.md)."
            )
        else:
            self.problems.append(
                f"Field '{written}' does not exist or you do not have permission to view it."
            )
        return None

    def _custom_field(self, written: str) -> dict[str, Any] | None:
        fields = self.ctx.state.table("fields")
        match = re.fullmatch(r"(?i)cf\[(\d+)\]", written)
        if match:
            found: dict[str, Any] | None = fields.get(f"customfield_{match.group(1)}")
            return found
        return next(
            (f for f in fields.values() if f["custom"] and f["name"].lower() == written.lower()),
            None,
        )

    # ---- values ------------------------------------------------------------------------------
    def atoms(self, issue: dict[str, Any], field: str) -> list[Atom]:
        """The issue's values of a field, canonical (empty list: the field is empty)."""
        stored = issue["fields"]
        if field == "project":
            return [issue["projectId"]]
        if field == "key":
            return [issue["id"]]
        if field == "statuscategory":
            return [self.ctx.state.table("statuses")[stored["status"]]["statusCategory"]]
        if field == "priority":
            return [stored.get("priority") or DEFAULT_PRIORITY]
        if field in ("created", "updated"):
            return [_moment(issue[field])]
        if field == "labels":
            return [label.lower() for label in stored.get("labels", [])]
        if field == "components":
            return list(stored.get("components", []))
        if field == "component":
            return list(stored.get("components", []))
        if field in ("reporter", "creator"):
            value = stored.get(field, SANDBOX_ACCOUNT_ID)
            return [value] if value else []
        value = stored.get(field)
        if field in DATE_FIELDS:
            return [_moment(value)] if value else []
        if field.startswith("customfield_"):
            return self._custom_atoms(field, value)
        return [value] if value not in (None, "") else []

    def _custom_atoms(self, field: str, value: Any) -> list[Atom]:
        kind = self.ctx.state.table("fields")[field]["schema"].get("type")
        values = value if isinstance(value, list) else [value]
        atoms: list[Atom] = []
        for item in values:
            if item is None:
                continue
            if kind in ("date", "datetime"):
                atoms.append(_moment(str(item)))
            elif kind == "number":
                atoms.append(float(item))
            elif isinstance(item, dict):
                atoms.extend(str(item[k]).lower() for k in ("value", "id", "name") if k in item)
            else:
                atoms.append(str(item).lower())
        return atoms

    def resolve(self, field: Field, operand: jql.Operand) -> list[Atom | None]:
        """The canonical values an operand stands for (None: EMPTY)."""
        if isinstance(operand, jql.ValueList):
            return [atom for item in operand.items for atom in self.resolve(field, item)]
        if isinstance(operand, jql.Empty):
            return [None]
        if isinstance(operand, jql.Function):
            return self._function(field, operand)
        return self._value(field, operand.text)

    def _missing(self, field: Field, text: str) -> list[Atom | None]:
        self.problems.append(f"The value '{text}' does not exist for the field '{field.written}'.")
        return []

    def _value(self, field: Field, text: str) -> list[Atom | None]:
        state = self.ctx.state
        lower = text.lower()
        kind = field.canonical
        if kind in DATE_FIELDS or field.custom_type in ("date", "datetime"):
            moment = parse_date(text, self.now)
            if moment is None:
                self.problems.append(INVALID_DATE.format(value=text, field=field.written))
                return []
            return [moment]
        if field.custom_type == "number":
            try:
                return [float(text)]
            except ValueError:
                self.problems.append(f"'{text}' is not a number for the field '{field.written}'.")
                return []
        lookups: dict[str, tuple[str, tuple[str, ...]]] = {
            "project": ("projects", ("key", "id", "name")),
            "issuetype": ("issuetypes", ("name", "id")),
            "status": ("statuses", ("name", "id")),
            "priority": ("priorities", ("name", "id")),
            "resolution": ("resolutions", ("name", "id")),
            "component": ("components", ("name", "id")),
        }
        if kind in lookups:
            if kind == "resolution" and lower == "unresolved":
                return [None]
            table, keys = lookups[kind]
            found = [
                k
                for k, v in state.table(table).items()
                if any(str(v.get(key, "")).lower() == lower for key in keys)
            ]
            return list(found) or self._missing(field, text)
        if kind == "statuscategory":
            found = [
                k
                for k, c in STATUS_CATEGORIES.items()
                if lower in (str(c["id"]), str(c["key"]), str(c["name"]).lower())
            ]
            return list(found) or self._missing(field, text)
        if kind in USER_FIELDS:
            found = [
                u["accountId"]
                for u in state.table("users").values()
                if lower in _user_names(self.ctx, u)
            ]
            return list(found) or self._missing(field, text)
        if kind in ("key", "parent"):
            return self._issue(field, text)
        return [lower]

    def _issue(self, field: Field, text: str) -> list[Atom | None]:
        issue = self.ctx.state.issue_by_key(text.upper() if _KEY.match(text) else text)
        if issue is not None:
            return [issue["id"]]
        if _KEY.match(text) or text.isdigit():
            self.problems.append(
                f"An issue with key '{text}' does not exist for field '{field.written}'."
            )
        else:
            self.problems.append(f"The issue key '{text}' for field '{field.written}' is invalid.")
        return []

    def _function(self, field: Field, function: jql.Function) -> list[Atom | None]:
        name = function.name.lower()
        dated = field.canonical in DATE_FIELDS or field.custom_type in ("date", "datetime")
        if name == "currentuser" and field.canonical in USER_FIELDS:
            return [SANDBOX_ACCOUNT_ID]
        if name in DATE_FUNCTIONS and dated:
            moment = date_function(name, function.args, self.now)
            if moment is None:
                self.problems.append(
                    f"The increment '{function.args[0]}' of '{function.name}()' is invalid."
                )
                return []
            return [moment]
        if name in DATE_FUNCTIONS or name == "currentuser":
            self.problems.append(
                f"The function '{function.name}' is not valid for the field '{field.written}'."
            )
        elif name in NOT_EMULATED_FUNCTIONS:
            self.problems.append(
                f"The sandbox does not emulate the JQL function '{function.name}()'."
            )
        else:
            self.problems.append(f"Unable to find JQL function '{function.name}()'.")
        return []

    # ---- clauses -----------------------------------------------------------------------------
    def compile(self, expression: jql.Expression) -> Callable[[dict[str, Any]], bool]:
        """A predicate for the expression; problems are collected in :attr:`problems`."""
        if isinstance(expression, jql.And):
            parts = [self.compile(p) for p in expression.parts]
            return lambda issue: all(p(issue) for p in parts)
        if isinstance(expression, jql.Or):
            parts = [self.compile(p) for p in expression.parts]
            return lambda issue: any(p(issue) for p in parts)
        if isinstance(expression, jql.Not):
            inner = self.compile(expression.inner)
            return lambda issue: not inner(issue)
        return self._clause(expression)

    def _clause(self, clause: jql.Clause) -> Callable[[dict[str, Any]], bool]:
        never: Callable[[dict[str, Any]], bool] = lambda issue: False  # noqa: E731
        field = self.field(clause.field)
        if field is None:
            return never
        operator = clause.operator
        if operator in ("was", "changed"):
            self.problems.append(
                f"The sandbox does not emulate the history operator '{operator.upper()}'."
            )
            return never
        if operator not in field.operators:
            shown = operator.upper() if operator[0].isalpha() else operator
            self.problems.append(
                f"The operator '{shown}' is not supported by the '{clause.field}' field."
            )
            return never
        if operator in ("is", "is not") and not isinstance(clause.operand, jql.Empty):
            self.problems.append(
                f"The operator '{operator.upper()}' only supports the EMPTY or NULL value "
                f"(field '{clause.field}')."
            )
            return never
        wanted = self.resolve(field, clause.operand)
        if operator in ORDERED:
            return self._ordered(field, operator, wanted)
        values = {w for w in wanted if w is not None}
        empty = None in wanted
        canonical = field.canonical

        def holds(issue: dict[str, Any]) -> bool:
            atoms = self.atoms(issue, canonical)
            if operator in ("is", "="):
                return (empty and not atoms) or any(a in values for a in atoms)
            if operator == "in":
                return (empty and not atoms) or any(a in values for a in atoms)
            if operator == "is not":
                return bool(atoms)
            return bool(atoms) and not any(a in values for a in atoms)  # != and not in

        return holds

    def _ordered(
        self, field: Field, operator: str, wanted: list[Atom | None]
    ) -> Callable[[dict[str, Any]], bool]:
        bounds = [self.order_value(field.canonical, w) for w in wanted if w is not None]
        compare: Callable[[Any, Any], bool] = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }[operator]

        def holds(issue: dict[str, Any]) -> bool:
            mine = [
                self.order_value(field.canonical, a) for a in self.atoms(issue, field.canonical)
            ]
            return any(
                compare(a, b)
                for a in mine
                for b in bounds
                if a is not None and b is not None and type(a) is type(b)
            )

        return holds

    def order_value(self, field: str, atom: Atom) -> Any:
        """A comparable form of a canonical value (keys by project and number, priorities by
        importance)."""
        if field == "key":
            issue = self.ctx.state.table("issues")[atom]
            project, number = issue["key"].rsplit("-", 1)
            return (project, int(number))
        if field == "priority":
            return -self.ctx.state.table("priorities")[atom]["position"]
        return atom


def _moment(stored: str) -> datetime:
    if len(stored) == 10:  # a date (due date, date custom fields): midnight in the user's zone
        return datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return datetime.fromisoformat(stored.replace("Z", "+00:00"))


def _user_names(ctx: Context, user: dict[str, Any]) -> set[str]:
    """What a JQL value may call a person: the account id, email or display name on Cloud; the
    user name or key on Data Center (which has no account ids)."""
    names = {user["emailAddress"].lower(), user["displayName"].lower()}
    if ctx.datacenter:
        account_id = user["accountId"]
        key = datacenter.jira_user_key(ctx, account_id)
        return names | {datacenter.user_name(ctx, account_id).lower(), key.lower()}
    return names | {user["accountId"].lower()}
