"""How ``validate`` reports a project: a one-line summary, or a JSON document."""

from __future__ import annotations

from typing import Any

from teamcomms.definitions.project import Validation
from teamcomms.errors import Problem

_PLURAL = {"hire": "hires", "field": "fields", "glossary": "glossaries"}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun if number == 1 else _PLURAL.get(noun, noun + 's')}"


def summary(validation: Validation) -> str:
    """``12 workflows, 3 fields, ... (40 definitions); 0 errors, 2 warnings``."""
    counts = validation.project.counts()
    kinds = ", ".join(_count(number, kind) for kind, number in counts.items())
    errors = len(validation.errors)
    warnings = len(validation.problems) - errors
    return (
        f"{kinds} ({_count(sum(counts.values()), 'definition')}); "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    )


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem as a JSON object."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "definition": problem.definition,
        "path": problem.path,
        "message": problem.message,
        "hint": problem.hint,
        "rule": problem.rule,
        "suggestion": problem.suggestion,
    }


def validation_json(validation: Validation) -> dict[str, Any]:
    """The whole report as a JSON object (``teamcomms validate --format json``)."""
    errors = len(validation.errors)
    return {
        "ok": errors == 0,
        "root": str(validation.project.root),
        "counts": validation.project.counts(),
        "errors": errors,
        "warnings": len(validation.problems) - errors,
        "problems": [problem_json(problem) for problem in validation.problems],
    }
