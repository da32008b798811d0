"""Small, safe edits of a JQL query: its ``ORDER BY`` clause apart, and clauses added to it."""

from __future__ import annotations

import re

_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


def split_order_by(jql: str) -> tuple[str, str]:
    """``(where, order)``: the query without its ``ORDER BY`` clause, and that clause (empty
    when there is none). ``ORDER BY`` inside a quoted value is not a clause."""
    quote: str | None = None
    position = 0
    while position < len(jql):
        char = jql[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        else:
            match = _ORDER_BY.match(jql, position)
            if match and (position == 0 or not (jql[position - 1].isalnum())):
                return jql[:position].strip(), jql[position:].strip()
        position += 1
    return jql.strip(), ""


def narrowed(jql: str, *clauses: str) -> str:
    """``jql`` with ``clauses`` AND-ed to it, its ordering kept at the end."""
    where, order = split_order_by(jql)
    parts = [f"({where})"] if where else []
    parts += [f"({clause})" for clause in clauses if clause]
    query = " AND ".join(parts)
    return f"{query} {order}".strip()


def quoted(value: str) -> str:
    """A JQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
