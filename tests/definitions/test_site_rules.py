"""``validate`` refuses what Confluence would refuse part-way through an apply (issue 8).

Before, invalid or empty labels, blank or over-long titles and parent cycles passed validate:
apply then created a page and failed on its labels, or skipped pages without saying why. Each is
now found by validate, at the key that causes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.workspace import validate_project

PROJECT = "name: T\ndefaults: {space: TEAM, project: OPS}\n"
WORKFLOW = """\
kind: workflow
name: Order Flow
statuses: [{name: Open, category: todo}, {name: Done, category: done}]
initial: Open
transitions: [{name: Finish, from: Open, to: Done}]
"""


def _project(tmp_path: Path, documents: str) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "teamcomms.yaml").write_text(PROJECT)
    (root / "docs.yaml").write_text(documents)
    (root / "body.md").write_text("Hello\n")
    return root


def _page(name: str, title: str, extra: str = "") -> str:
    return f"kind: page\nname: {name}\ntitle: {title}\nbody: body.md\n{extra}"


def _errors(root: Path) -> list[str]:
    """``file:line:col: message`` of each error, the file relative to the project."""
    validation = validate_project(root)
    return [
        f"{Path(p.file).name}:{p.line}:{p.column}: {p.path}: {p.message}" for p in validation.errors
    ]


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ('"two words"', "label 'two words' contains a space, which Confluence refuses"),
        ('""', "a label cannot be empty"),
        ('"  "', "a label cannot be empty"),
        ("a" * 256, "label is 256 characters; Confluence allows at most 255"),
        ("Deploy", "label 'Deploy' has capitals; Confluence stores labels in lower case"),
        ('"a&b"', "label 'a&b' contains '&'"),
        ('"v1.2"', "label 'v1.2' contains '.'"),
        ('"x:y"', "label 'x:y' contains ':'"),
        ('"don\'t"', "label 'don't' contains '''"),
        ('"tab\\there"', "contains a space"),
    ],
)
def test_a_label_confluence_would_refuse_is_an_error_at_the_label(
    tmp_path: Path, label: str, message: str
) -> None:
    root = _project(tmp_path, _page("home", "Home", f"labels: [ok, {label}]\n"))
    [error] = _errors(root)
    assert error.startswith("docs.yaml:5:")
    assert error.split(": ", 1)[1].startswith("labels[1]: ")
    assert message in error


@pytest.mark.parametrize("label", ["a" * 255, "release-notes", "q3_2026", "déploiement", '"+1"'])
def test_labels_confluence_accepts_pass(tmp_path: Path, label: str) -> None:
    root = _project(tmp_path, _page("home", "Home", f"labels: [{label}]\n"))
    assert _errors(root) == []


def test_a_jira_label_with_a_space_is_an_error(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "kind: checklist\nname: dev\nrole: Developer\njira: {labels: [onboarding, new hire]}\n"
        "items: [{title: Laptop, owner: it, due: -1d}]\n",
    )
    [error] = _errors(root)
    assert error.startswith("docs.yaml:4:")
    assert "label 'new hire' contains a space, which Jira refuses in labels" in error


@pytest.mark.parametrize(
    ("title", "vars_", "message"),
    [
        ('"   "', "", "title: the title is blank"),
        ('"{{ t }}"', "vars: {t: '  '}\n", "title: the page's title is blank once rendered"),
        ('"{{ t * 256 }}"', "vars: {t: x}\n", "the page's title is 256 characters once rendered"),
        ('"{{ t }}"', 'vars: {t: "a\\u0007b"}\n', "the page's title holds the control character"),
    ],
    ids=["blank", "blank-once-rendered", "too-long-once-rendered", "control-character"],
)
def test_a_title_confluence_would_refuse_is_an_error_at_the_title(
    tmp_path: Path, title: str, vars_: str, message: str
) -> None:
    root = _project(tmp_path, _page("home", title, vars_))
    [error] = _errors(root)
    assert error.startswith("docs.yaml:3:")
    assert message in error


def test_a_title_of_exactly_255_characters_passes(tmp_path: Path) -> None:
    root = _project(tmp_path, _page("home", '"{{ t * 255 }}"', "vars: {t: x}\n"))
    assert _errors(root) == []


def test_a_content_template_name_over_255_characters_is_an_error(tmp_path: Path) -> None:
    long = "x" * 250
    root = _project(
        tmp_path,
        f'kind: template\nname: t\ntitle: "{long} {{{{ release }}}}"\nbody: body.md\n'
        "variables: {release: {}}\nconfluence_template: true\n",
    )
    [error] = _errors(root)
    assert "content template name's title is 260 characters" in error


def test_two_pages_with_one_title_in_a_space_are_both_errors(tmp_path: Path) -> None:
    documents = "---\n".join([_page("a", "Runbook"), _page("b", "runbook")])
    root = _project(tmp_path, documents)
    errors = _errors(root)
    assert [e.split(": ")[0] for e in errors] == ["docs.yaml:3:1", "docs.yaml:8:1"]
    assert "a page titled 'Runbook' in space TEAM would also come from page 'b'" in errors[0]
    assert "Confluence titles are unique per space" in errors[0]


def test_the_same_title_in_two_spaces_is_fine(tmp_path: Path) -> None:
    documents = "---\n".join([_page("a", "Runbook"), _page("b", "Runbook", "space: OPS\n")])
    assert _errors(_project(tmp_path, documents)) == []


def test_a_page_with_the_title_of_a_workflow_page_is_an_error(tmp_path: Path) -> None:
    documents = "---\n".join([_page("a", "How the Order Flow workflow works"), WORKFLOW])
    errors = _errors(_project(tmp_path, documents))
    assert len(errors) == 2
    assert "workflow 'Order Flow' (explanation page)" in errors[0]
    assert errors[1].startswith("docs.yaml:7:1: name: ")


def test_a_page_with_the_title_of_a_template_page_is_an_error(tmp_path: Path) -> None:
    template = "kind: template\nname: notes\ntitle: Standup notes\nbody: body.md\n"
    documents = "---\n".join([_page("a", "Standup notes"), template])
    errors = _errors(_project(tmp_path, documents))
    assert "would also come from template 'notes' (page it makes)" in errors[0]
    assert len(errors) == 2


def test_a_template_whose_title_varies_does_not_collide(tmp_path: Path) -> None:
    template = (
        'kind: template\nname: notes\ntitle: "Standup {{ day }}"\nbody: body.md\n'
        "variables: {day: {}}\n"
    )
    documents = "---\n".join([_page("a", "Standup {day}"), template])
    assert _errors(_project(tmp_path, documents)) == []


def test_two_content_templates_with_one_name_are_errors(tmp_path: Path) -> None:
    template = (
        'kind: template\nname: {name}\ntitle: "Release {{{{ v }}}}"\nbody: body.md\n'
        "variables: {{v: {{}}}}\nconfluence_template: true\n"
    )
    documents = "---\n".join([template.format(name="one"), template.format(name="two")])
    errors = _errors(_project(tmp_path, documents))
    assert len(errors) == 2
    assert "a content template titled 'Release {v}' in space TEAM" in errors[0]


@pytest.mark.parametrize(
    ("pages", "cycle", "lines"),
    [
        ([("a", "A", "B"), ("b", "B", "A")], "'A' -> 'B' -> 'A'", [5, 11]),
        ([("a", "A", "A")], "'A' -> 'A'", [5]),
        (
            [("a", "A", "B"), ("b", "B", "C"), ("c", "C", "a")],
            "'A' -> 'B' -> 'C' -> 'A'",
            [5, 11, 17],
        ),
    ],
    ids=["two", "itself", "three-and-case"],
)
def test_parents_that_form_a_cycle_are_errors_at_each_parent(
    tmp_path: Path, pages: list[tuple[str, str, str]], cycle: str, lines: list[int]
) -> None:
    documents = "---\n".join(_page(n, t, f"parent: {p}\n") for n, t, p in pages)
    errors = _errors(_project(tmp_path, documents))
    assert [e.split(": ")[0] for e in errors] == [f"docs.yaml:{n}:1" for n in lines]
    assert all(f"parent: the parents form a cycle: {cycle}" in e for e in errors)


def test_a_chain_of_parents_without_a_cycle_is_fine(tmp_path: Path) -> None:
    documents = "---\n".join(
        [_page("a", "A", "parent: B\n"), _page("b", "B", "parent: C\n"), _page("c", "C")]
    )
    assert _errors(_project(tmp_path, documents)) == []


def test_site_problems_stop_render_plan_and_apply_before_the_site(tmp_path: Path) -> None:
    root = _project(tmp_path, _page("a", "A", "parent: A\n"))
    for command in (["render", str(root), "--out", str(tmp_path / "out")], ["plan", str(root)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 1
        assert "docs.yaml:5:1: error: page 'a' parent: the parents form a cycle" in result.stderr
    assert not (tmp_path / "out").exists()
