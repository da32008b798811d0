"""Rules switched off per project, per definition and per line; a misspelt rule name is reported."""

from __future__ import annotations

from pathlib import Path

from teamcomms.lint import lint_paths
from teamcomms.render import MappingLinkResolver, render_storage
from tests.lint.support import PROJECT_FILE, make_project

BODY = "Our AOV is up.\n\nThe NPS is down.\n"


def _rules(root: Path) -> list[tuple[str | None, int]]:
    validation, report = lint_paths([root])
    assert validation.errors == ()
    return [(p.rule, p.line) for p in report.problems]


def test_without_settings_both_are_flagged(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"page": BODY})
    assert _rules(root) == [("jargon", 1), ("undefined-acronym", 3)]


def test_project_file_switches_a_rule_off(tmp_path: Path) -> None:
    project_file = PROJECT_FILE + "lint: {disable: [jargon]}\n"
    root = make_project(tmp_path / "p", {"page": BODY}, project_file=project_file)
    assert _rules(root) == [("undefined-acronym", 3)]


def test_a_definition_switches_a_rule_off_for_itself(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {"page": BODY, "other": BODY},
        page_keys={"page": "lint: {disable: [undefined-acronym]}\n"},
    )
    _, report = lint_paths([root])
    assert [(Path(p.file).stem, p.rule) for p in report.problems] == [
        ("other", "jargon"),
        ("other", "undefined-acronym"),
        ("page", "jargon"),
    ]


def test_project_limits_change_what_is_long(tmp_path: Path) -> None:
    body = "One two three four five six seven eight nine ten eleven twelve.\n"
    root = make_project(tmp_path / "a", {"page": body})
    assert _rules(root) == []
    project_file = PROJECT_FILE + "lint: {max_sentence_words: 11}\n"
    root = make_project(tmp_path / "b", {"page": body}, project_file=project_file)
    assert _rules(root) == [("long-sentence", 1)]
    project_file = PROJECT_FILE + "lint: {max_sentence_words: 12}\n"  # exactly at the limit
    root = make_project(tmp_path / "c", {"page": body}, project_file=project_file)
    assert _rules(root) == []


def test_markdown_comment_on_the_line_or_before_it_exempts_that_line(tmp_path: Path) -> None:
    body = (
        "Our AOV is up. <!-- teamcomms-lint: disable=jargon -->\n"
        "\n"
        "<!-- teamcomms-lint: disable=undefined-acronym -->\n"
        "The NPS is down.\n"
        "\n"
        "The CSAT is flat and the LTV too.\n"
        "\n"
        "<!-- teamcomms-lint: disable -->\n"
        "The ROAS is up.\n"
    )
    root = make_project(tmp_path / "p", {"page": body})
    assert _rules(root) == [("undefined-acronym", 6), ("undefined-acronym", 6)]


def test_a_comment_for_another_rule_exempts_nothing(tmp_path: Path) -> None:
    body = "<!-- teamcomms-lint: disable=long-sentence -->\nOur AOV is up.\n"
    root = make_project(tmp_path / "p", {"page": body})
    assert _rules(root) == [("jargon", 2)]


def test_yaml_comment_exempts_the_value_below_it(tmp_path: Path) -> None:
    checklist = (
        "kind: checklist\nname: agent\nrole: Agent\njira: {project: OPS}\nitems:\n"
        "  - title: Check the NPS  # teamcomms-lint: disable=undefined-acronym\n"
        "    owner: hire\n    due: 1d\n"
        "    # teamcomms-lint: disable=undefined-acronym\n"
        "    description: >-\n      Read the guide.\n      Then the CSAT page.\n"
        "  - title: Read the CSAT page\n    owner: hire\n    due: 2d\n"
    )
    root = make_project(tmp_path / "p", extra={"checklist.yaml": checklist})
    assert _rules(root) == [("undefined-acronym", 13)]


def test_a_misspelt_rule_in_a_comment_is_reported(tmp_path: Path) -> None:
    body = "<!-- teamcomms-lint: disable=jargonn -->\nOur AOV is up.\n"
    root = make_project(tmp_path / "p", {"page": body})
    _, report = lint_paths([root])
    messages = [(p.rule, p.line, p.column, p.message) for p in report.problems]
    assert messages == [
        (None, 1, 1, "'jargonn' is not a lint rule: did you mean 'jargon'?"),
        ("jargon", 2, 5, "'AOV' is used before it is spelled out"),
    ]


def test_a_misspelt_rule_in_the_project_file_is_a_located_error(tmp_path: Path) -> None:
    project_file = PROJECT_FILE + "lint:\n  disable: [pasive-voice]\n"
    root = make_project(tmp_path / "p", {"page": BODY}, project_file=project_file)
    validation, report = lint_paths([root])
    in_project_file = [p for p in validation.errors if p.file.endswith("teamcomms.yaml")]
    assert [(p.line, p.column, p.message) for p in in_project_file] == [
        (4, 13, "'pasive-voice' is not a lint rule: did you mean 'passive-voice'?")
    ]
    assert report.problems == ()


def test_the_rendered_page_leaves_the_lint_comment_out(tmp_path: Path) -> None:
    body = (
        "Our AOV is up. <!-- teamcomms-lint: disable=jargon -->\n\n"
        "<!-- teamcomms-lint: disable -->\nNext.\n"
    )
    page = render_storage(body, {}, source=tmp_path / "x.md", links=MappingLinkResolver())
    assert "teamcomms-lint" not in page.storage
    assert page.storage == "<p>Our AOV is up. </p>\n<p>Next.</p>"
