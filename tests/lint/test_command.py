"""`teamcomms lint` and `validate` as a user and a CI job run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.lint.output import FORMAT_VERSION
from tests.lint.support import make_project

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
BODY = "# Weekly numbers\n\nOur AOV is up, see [here](page:returns-policy).\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path / "shop", {"numbers": BODY})


@pytest.mark.parametrize("kit", ["templates/ecommerce", "examples/ecommerce"])
def test_the_starter_kit_passes_lint_strict(kit: str) -> None:
    result = runner.invoke(app, ["lint", str(REPO / kit), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("0 warnings (29 definitions checked)")


def test_text_output_names_file_line_col_rule_and_suggestion(project: Path) -> None:
    result = runner.invoke(app, ["lint", "shop"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "shop/bodies/numbers.md:3:5: warning: page 'numbers': 'AOV' is used before it is spelled "
        "out [jargon]",
        "  suggestion: average order value (AOV)",
        "  hint: spell it out the first time; after that the short form is fine",
        "shop/bodies/numbers.md:3:20: warning: page 'numbers': link text 'here' does not say where "
        "the link goes [vague-link]",
    ]
    assert "  suggestion: [Returns policy](page:returns-policy)" in lines
    assert lines[-1] == "2 warnings in 1 file (2 definitions checked)"


def test_strict_exits_1_on_any_finding(project: Path) -> None:
    result = runner.invoke(app, ["lint", "shop", "--strict"])
    assert result.exit_code == 1
    assert "2 lint findings (--strict)" in result.stderr


def test_json_has_a_format_version_findings_and_scores(project: Path) -> None:
    result = runner.invoke(app, ["lint", "shop", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format_version"] == FORMAT_VERSION == 1
    assert report["ok"] is False
    assert [(p["rule"], p["file"], p["line"], p["column"]) for p in report["problems"]] == [
        ("jargon", "shop/bodies/numbers.md", 3, 5),
        ("vague-link", "shop/bodies/numbers.md", 3, 20),
    ]
    assert report["problems"][0]["suggestion"] == "average order value (AOV)"
    assert {s["definition"] for s in report["readability"]} == {
        "page 'numbers'",
        "page 'returns-policy'",
    }


def test_github_format_prints_workflow_annotations(project: Path) -> None:
    result = runner.invoke(app, ["lint", "shop", "--format", "github"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == (
        "::warning file=shop/bodies/numbers.md,line=3,col=5,title=teamcomms lint%3A jargon::"
        "page 'numbers': 'AOV' is used before it is spelled out"
        "%0Asuggestion: average order value (AOV)"
        "%0Ahint: spell it out the first time; after that the short form is fine"
    )


def test_a_markdown_file_lints_the_definitions_using_it(project: Path) -> None:
    (project / "bodies" / "other.md").write_text("The NPS is up.\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", "shop/bodies/numbers.md", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["checked"] == 1
    assert {p["file"] for p in report["problems"]} == {"shop/bodies/numbers.md"}


def test_one_definition_file_uses_the_glossary_of_its_project(project: Path) -> None:
    result = runner.invoke(app, ["lint", "shop/pages.yaml", "--format", "json"])
    report = json.loads(result.stdout)
    assert [p["rule"] for p in report["problems"]] == ["jargon", "vague-link"]


def test_definition_errors_stop_lint_with_exit_1(project: Path) -> None:
    (project / "broken.yaml").write_text("kind: page\nname: x\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", "shop"])
    assert result.exit_code == 1
    assert "broken.yaml:1:1: error" in result.stderr


def test_validate_shows_lint_findings_as_warnings_and_strict_fails(project: Path) -> None:
    result = runner.invoke(app, ["validate", "shop"])
    assert result.exit_code == 0, result.output
    assert "shop/bodies/numbers.md:3:5: warning: page 'numbers': 'AOV'" in result.stderr
    assert result.stdout.strip().endswith("0 errors, 2 warnings")
    strict = runner.invoke(app, ["validate", "shop", "--strict"])
    assert strict.exit_code == 1
    assert "2 warnings (--strict)" in strict.stderr


def test_validate_json_carries_rule_and_suggestion(project: Path) -> None:
    result = runner.invoke(app, ["validate", "shop", "--format", "json"])
    problems = json.loads(result.stdout)["problems"]
    assert [(p["rule"], p["suggestion"]) for p in problems] == [
        ("jargon", "average order value (AOV)"),
        ("vague-link", "[Returns policy](page:returns-policy)"),
    ]


def test_pre_commit_hook_runs_lint_strict() -> None:
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "teamcomms-lint")
    assert hook["entry"] == "teamcomms lint --strict"
    assert hook["language"] == "python"
