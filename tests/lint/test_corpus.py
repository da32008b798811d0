"""The corpus of bad and clean sentences (tests/data/lint/corpus.yaml): each bad one is flagged
once, by the right rule, at the right line and column of its Markdown; no clean one is flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from teamcomms.lint import lint_paths
from tests.lint.support import DATA, make_project, position

CORPUS: dict[str, Any] = yaml.safe_load((DATA / "corpus.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """Every corpus text as one page of one project, linted once; findings by page name."""
    pages = {f"bad-{i}": case["text"] for i, case in enumerate(CORPUS["bad"])}
    pages.update({f"clean-{i}": text for i, text in enumerate(CORPUS["clean"])})
    root = make_project(tmp_path_factory.mktemp("corpus") / "project", pages)
    validation, report = lint_paths([root])
    assert validation.errors == ()
    found: dict[str, list[Any]] = {name: [] for name in pages}
    for problem in report.problems:
        found[Path(problem.file).stem].append(problem)
    return found


@pytest.mark.parametrize(
    "index", range(len(CORPUS["bad"])), ids=[c["text"][:40] for c in CORPUS["bad"]]
)
def test_bad_sentence_is_flagged_by_its_rule_where_it_is(
    findings: dict[str, list[Any]], index: int
) -> None:
    case = CORPUS["bad"][index]
    line, column = position(case["text"], case["at"], case.get("line", 0))
    got = [(p.rule, p.line, p.column) for p in findings[f"bad-{index}"]]
    assert got == [(case["rule"], line, column)]
    problem = findings[f"bad-{index}"][0]
    assert problem.severity == "warning"
    assert problem.definition == f"page 'bad-{index}'"


@pytest.mark.parametrize(
    "index", range(len(CORPUS["clean"])), ids=[t[:40] for t in CORPUS["clean"]]
)
def test_clean_sentence_is_not_flagged(findings: dict[str, list[Any]], index: int) -> None:
    assert [p.format() for p in findings[f"clean-{index}"]] == []
