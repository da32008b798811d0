"""The JSON Schema matches what the loader accepts, and `init` produces a valid project."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.definitions import KINDS, json_schema, validate_project
from teamcomms.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]
STARTER_KIT = REPO / "templates" / "ecommerce"
EXAMPLE = REPO / "examples" / "ecommerce"
runner = CliRunner()


def _yaml_files() -> list[Path]:
    return sorted(
        path
        for folder in (REPO / "templates", REPO / "examples")
        for pattern in ("*.yaml", "*.yml")
        for path in folder.rglob(pattern)
        # CI job examples are GitHub/GitLab files, not teamcomms definitions.
        if not path.is_relative_to(REPO / "examples" / "ci")
    )


def _documents(path: Path) -> Iterator[Any]:
    # Dates become strings, as they are for an editor's YAML language server.
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        if document is not None:
            yield json.loads(json.dumps(document, default=str))


def _errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(document)]


def test_the_starter_kit_and_example_have_yaml_files() -> None:
    assert any(path.is_relative_to(REPO / "templates") for path in _yaml_files())
    assert any(path.is_relative_to(REPO / "examples") for path in _yaml_files())


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_shipped_yaml_file_matches_the_schema(path: Path) -> None:
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    for document in _documents(path):
        assert _errors(schema, document) == []


def test_the_example_project_validates() -> None:
    validation = validate_project(EXAMPLE)
    assert validation.errors == ()
    assert validation.project.counts()["workflow"] >= 5


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    schema = json_schema()
    typo = {"kind": "board", "name": "Fulfillment", "type": "kanban", "filtr": "x"}
    assert _errors(schema, typo)
    bad_due = {
        "kind": "checklist",
        "name": "dev",
        "role": "Developer",
        "jira": {"project": "PEOPLE"},
        "items": [{"title": "Laptop", "owner": "it", "due": "3 days"}],
    }
    assert _errors(schema, bad_due)
    for wrong in ("in 3d", "3d later", "3dd", "+3d"):  # editors must flag what the loader refuses
        item = {"title": "Laptop", "owner": "it", "due": wrong}
        assert _errors(schema, {**bad_due, "items": [item]}), wrong
    assert (
        _errors(schema, {**bad_due, "items": [{"title": "Laptop", "owner": "it", "due": "3d"}]})
        == []
    )


@pytest.mark.parametrize("kind", [*KINDS, "project"])
def test_each_kind_has_its_own_schema(kind: str) -> None:
    result = runner.invoke(app, ["schema", "--kind", kind])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert "source" not in schema["properties"]
    if kind != "project":
        assert schema["properties"]["kind"]["const"] == kind
        assert "kind" in schema["required"]


def test_schema_unknown_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "--kind", "workflw"])
    assert result.exit_code == ExitCode.USAGE
    assert "did you mean 'workflow'?" in result.stderr


def test_schema_out_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / ".teamcomms" / "schema.json"
    result = runner.invoke(app, ["schema", "--out", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["oneOf"]


def test_schema_out_below_a_file_names_the_path_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file\n")
    out = tmp_path / "notes.txt" / "schema.json"
    result = runner.invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 1
    assert f"cannot write {tmp_path / 'notes.txt'}" in result.stderr
    assert "internal error" not in result.stderr


def test_init_into_an_empty_folder_gives_a_valid_project(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    result = runner.invoke(app, ["init", str(target), "--preset", "ecommerce"])
    assert result.exit_code == 0, result.output
    assert "next steps" in result.stderr
    copied = sorted(p.relative_to(STARTER_KIT) for p in STARTER_KIT.rglob("*") if p.is_file())
    assert copied and all((target / relative).is_file() for relative in copied)
    validation = validate_project(target)
    assert validation.errors == ()
    schema = json.loads((target / ".teamcomms" / "schema.json").read_text())
    assert schema == json_schema()
    for path in target.rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        reference = first.split("$schema=", 1)[1]
        assert (path.parent / reference).resolve() == (target / ".teamcomms" / "schema.json")


def test_init_refuses_to_overwrite_and_lists_the_files(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: mine\n")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "teamcomms.yaml" in result.stderr and "--force" in result.stderr
    assert (tmp_path / "teamcomms.yaml").read_text() == "name: mine\n"
    assert not (tmp_path / "workflows").exists()
    forced = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "overwritten" in forced.stderr
    assert (tmp_path / "teamcomms.yaml").read_text() != "name: mine\n"


def test_init_where_no_folder_can_be_made_names_the_path_without_a_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    target = tmp_path / "notes.txt" / "project"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 1
    assert f"cannot write {target}" in result.stderr
    assert "internal error" not in result.stderr


def test_init_next_steps_can_be_pasted_for_a_folder_with_a_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "my shop"])
    assert result.exit_code == 0, result.output
    assert "teamcomms validate 'my shop'" in result.stderr
    assert "edit 'my shop/teamcomms.yaml'" in result.stderr


def test_init_unknown_preset_names_the_available_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--preset", "bakery"])
    assert result.exit_code == ExitCode.USAGE
    assert "ecommerce" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["validate", "schema", "init"])
def test_every_command_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: teamcomms " + command in result.output
