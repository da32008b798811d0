"""How ``teamcomms lint`` prints its report: rich text, JSON or GitHub Actions annotations."""

from __future__ import annotations

from typing import Any

from teamcomms.errors import Problem
from teamcomms.lint.project import LintReport

FORMAT_VERSION = 1
"""Bumped when a key of the JSON report changes meaning or goes away (new keys do not bump it)."""


def summary(report: LintReport) -> str:
    """``3 warnings in 2 files (29 definitions checked)``."""
    files = len({problem.file for problem in report.problems})
    count = len(report.problems)
    noun = "warning" if count == 1 else "warnings"
    where = f" in {files} file{'' if files == 1 else 's'}" if count else ""
    return f"{count} {noun}{where} ({report.checked} definitions checked)"


def report_json(report: LintReport) -> dict[str, Any]:
    """The report as a JSON object (``teamcomms lint --format json``)."""
    return {
        "format_version": FORMAT_VERSION,
        "ok": not report.problems,
        "checked": report.checked,
        "warnings": len(report.problems),
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "rule": p.rule,
                "definition": p.definition,
                "path": p.path,
                "message": p.message,
                "suggestion": p.suggestion,
                "hint": p.hint,
            }
            for p in report.problems
        ],
        "readability": [
            {
                "file": score.file,
                "definition": score.definition,
                "reading_ease": score.reading_ease,
                "grade": score.grade,
                "words": score.words,
            }
            for score in report.scores
        ],
    }


def _escape_data(value: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts): data escapes %, CR, LF.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    # Properties additionally escape ':' and ',', which separate them.
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """``::warning file=F,line=L,col=C,title=RULE::message`` for a GitHub Actions log."""
    properties = [f"file={_escape_property(problem.file)}"]
    if problem.line > 0:
        properties.append(f"line={problem.line}")
    if problem.column > 0:
        properties.append(f"col={problem.column}")
    title = f"teamcomms lint: {problem.rule or 'comment'}"
    properties.append(f"title={_escape_property(title)}")
    message = problem.message
    if problem.definition:
        message = f"{problem.definition}: {message}"
    if problem.suggestion:
        message += f"\nsuggestion: {problem.suggestion}"
    if problem.hint:
        message += f"\nhint: {problem.hint}"
    severity = "error" if problem.severity == "error" else "warning"
    return f"::{severity} {','.join(properties)}::{_escape_data(message)}"
