"""The small JQL/CQL subset the sandbox understands: ``field = value`` and ``field in (a, b)``
clauses (also ``!=``), joined by ``AND``, optionally followed by ``ORDER BY field [ASC|DESC]``.

Values may be bare words or double/single-quoted strings. Anything else (OR, functions, ``~``,
parentheses for grouping) is answered with a 400, the way the real site rejects a bad query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teamcomms.sandbox.api import ApiError

_TOKEN = re.compile(
    r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op>!=|=|\(|\)|,)|(?P<word>[^\s=!(),"']+))"""
)


@dataclass(frozen=True)
class Clause:
    """``field op values`` (``op`` is ``=``, ``!=`` or ``in``; field lower-cased)."""

    field: str
    op: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: clauses that must all hold, and the ordering."""

    clauses: tuple[Clause, ...]
    order_by: str | None = None
    descending: bool = False


def _tokens(text: str, language: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ApiError(400, f"Error in the {language} query near: {text[position:]!r}")
        position = match.end()
        if match.group("str") is not None:
            raw = match.group("str")[1:-1]
            tokens.append(("value", re.sub(r"\\(.)", r"\1", raw)))
        elif match.group("op") is not None:
            tokens.append(("op", match.group("op")))
        else:
            tokens.append(("word", match.group("word")))
    return tokens


def parse(text: str, language: str, fields: set[str]) -> Query:
    """Parse ``text``; ``fields`` are the field names this endpoint supports (lower-case)."""
    tokens = _tokens(text, language)
    clauses: list[Clause] = []
    index = 0

    def take() -> tuple[str, str]:
        nonlocal index
        if index >= len(tokens):
            raise ApiError(400, f"The {language} query ends unexpectedly: {text!r}")
        index += 1
        return tokens[index - 1]

    def value() -> str:
        kind, token = take()
        if kind == "op":
            raise ApiError(400, f"Expected a value in the {language} query, found {token!r}")
        return token

    while index < len(tokens):
        kind, word = take()
        if kind == "word" and word.lower() == "order":
            if take()[1].lower() != "by":
                raise ApiError(400, f"Expected 'BY' after 'ORDER' in {text!r}")
            order_field = value().lower()
            descending = index < len(tokens) and tokens[index][1].lower() == "desc"
            if index < len(tokens) and tokens[index][1].lower() in ("asc", "desc"):
                index += 1
            if index < len(tokens):
                raise ApiError(400, f"The sandbox supports one ORDER BY field: {text!r}")
            return Query(tuple(clauses), order_field, descending)
        if clauses:
            if kind != "word" or word.lower() != "and":
                raise ApiError(
                    400, f"The sandbox's {language} subset joins clauses with AND only: {text!r}"
                )
            kind, word = take()
        field = word.lower()
        if kind != "word" or field not in fields:
            raise ApiError(
                400,
                f"Field '{word}' is not supported by the sandbox's {language} subset "
                f"(supported: {', '.join(sorted(fields))})",
            )
        op_kind, op = take()
        if op_kind == "word" and op.lower() in ("in", "not"):
            negate = op.lower() == "not"
            if negate and take()[1].lower() != "in":
                raise ApiError(400, f"Expected 'IN' after 'NOT' in {text!r}")
            if take()[1] != "(":
                raise ApiError(400, f"Expected '(' after IN in {text!r}")
            values = [value()]
            while (sep := take()[1]) == ",":
                values.append(value())
            if sep != ")":
                raise ApiError(400, f"Expected ')' to close the IN list in {text!r}")
            clauses.append(Clause(field, "not in" if negate else "in", tuple(values)))
        elif op in ("=", "!="):
            clauses.append(Clause(field, op, (value(),)))
        else:
            raise ApiError(400, f"The sandbox supports only =, != and IN; found {op!r} in {text!r}")
    if not clauses:
        raise ApiError(400, f"The {language} query must have at least one condition")
    return Query(tuple(clauses))


def holds(clause: Clause, actual: set[str]) -> bool:
    """Whether a clause holds for an object whose field has the ``actual`` values (any case)."""
    wanted = {v.lower() for v in clause.values}
    present = {v.lower() for v in actual}
    if clause.op in ("=", "in"):
        return bool(wanted & present)
    return not wanted & present
