"""Readability per page: textstat's Flesch reading ease, a finding under the project's minimum."""

from __future__ import annotations

from pathlib import Path

from teamcomms.lint import lint_paths
from tests.lint.support import PROJECT_FILE, make_project

DENSE = (
    "# Quarterly considerations\n\n"
    + " ".join(
        [
            "Organisational prioritisation of multichannel merchandising initiatives "
            "necessitates comprehensive evaluation of interdependencies, operational "
            "capabilities, infrastructural limitations and administrative considerations."
        ]
        * 6
    )
    + "\n"
)
PLAIN = "# Packing\n\n" + " ".join(
    ["We pack the box. We tape it shut. We put the label on top."] * 8
)


def _scores(root: Path) -> tuple[list[tuple[str | None, str, int, int]], dict[str, float]]:
    validation, report = lint_paths([root])
    assert validation.errors == ()
    found = [(p.rule, Path(p.file).stem, p.line, p.column) for p in report.problems]
    scores = {Path(s.file).stem: s.reading_ease for s in report.scores}
    return found, scores


def test_a_hard_page_is_flagged_at_its_first_line_and_a_plain_one_is_not(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"dense": DENSE, "plain": PLAIN})
    found, scores = _scores(root)
    assert ("readability", "dense", 1, 3) in found
    assert [f for f in found if f[1] == "plain"] == []
    assert scores["dense"] < 50 <= scores["plain"]


def test_a_short_page_gets_a_score_but_no_finding(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"short": DENSE.split(". ")[0] + "."})
    found, scores = _scores(root)
    assert [f for f in found if f[0] == "readability"] == []
    assert scores["short"] < 50


def test_the_minimum_comes_from_the_project_file(tmp_path: Path) -> None:
    project_file = PROJECT_FILE + "lint: {min_reading_ease: -200}\n"
    root = make_project(tmp_path / "p", {"dense": DENSE}, project_file=project_file)
    found, _ = _scores(root)
    assert [f for f in found if f[0] == "readability"] == []
