"""Running a JQL query: the issues its clauses find (``jql_eval.Evaluator``), in the order its
``ORDER BY`` keys say. Empty values sort last (first when descending); equals keep creation order,
which is also the order without ``ORDER BY``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from teamcomms.sandbox import jql
from teamcomms.sandbox.api import ApiError, Context
from teamcomms.sandbox.jql_eval import Atom, Evaluator

_CATEGORY_ORDER = {"TODO": 0, "IN_PROGRESS": 1, "DONE": 2}


def sort_key(evaluator: Evaluator, field: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    """The sort key of ``ORDER BY field`` (empty values sort after all others)."""
    state = evaluator.ctx.state
    names: dict[str, Callable[[Atom], Any]] = {
        "project": lambda a: state.table("projects")[a]["name"].lower(),
        "issuetype": lambda a: state.table("issuetypes")[a]["name"].lower(),
        "status": lambda a: state.table("statuses")[a]["name"].lower(),
        "statuscategory": lambda a: _CATEGORY_ORDER[a],
        "resolution": lambda a: state.table("resolutions")[a]["name"].lower(),
        "component": lambda a: state.table("components")[a]["name"].lower(),
        "assignee": lambda a: state.table("users")[a]["displayName"].lower(),
        "reporter": lambda a: state.table("users")[a]["displayName"].lower(),
        "creator": lambda a: state.table("users")[a]["displayName"].lower(),
        "parent": lambda a: evaluator.order_value("key", a),
    }

    def key(issue: dict[str, Any]) -> tuple[bool, Any]:
        if field == "rank":
            return (False, int(issue["id"]))
        if field == "summary":
            return (False, issue["fields"]["summary"].lower())
        atoms = evaluator.atoms(issue, field)
        if not atoms:
            return (True, 0)
        atom = atoms[0]
        return (False, names[field](atom) if field in names else evaluator.order_value(field, atom))

    return key


def search(ctx: Context, query: jql.Query, issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issues (in creation order) the query finds, ordered as it says."""
    evaluator = Evaluator(ctx, ctx.state.clock())
    predicate = evaluator.compile(query.where) if query.where is not None else (lambda i: True)
    sorts = []
    for sort in query.order:
        field = evaluator.field(sort.field, sorting=True)
        if field is None:
            continue
        if field.canonical == "labels":
            evaluator.problems.append(f"Field '{sort.field}' does not support sorting.")
            continue
        sorts.append((sort_key(evaluator, field.canonical), sort.descending))
    if evaluator.problems:
        raise ApiError(400, evaluator.problems[0], messages=list(dict.fromkeys(evaluator.problems)))
    found = [issue for issue in issues if predicate(issue)]
    for key, descending in reversed(sorts):
        found.sort(key=key, reverse=descending)
    return found
