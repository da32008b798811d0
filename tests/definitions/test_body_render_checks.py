"""``validate`` reports what only rendering finds in bodies, so render and plan never surprise."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.definitions import validate_project


def _project(root: Path, body: str) -> Path:
    (root / "teamcomms.yaml").write_text("name: T\ndefaults: {space: TEAM}\n")
    (root / "pages.yaml").write_text(
        "kind: page\nname: promise\ntitle: Our promise\nbody: promise.md\nvars: {store: N}\n"
    )
    (root / "promise.md").write_text(body)
    return root


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("# {{ store }}\n\nState: {status:pink|Done}\n", "pink"),
        ("# {{ store }}\n\nSee [[jira:not-a-key]]\n", "not-a-key"),
    ],
    ids=["status-colour", "jira-key"],
)
def test_validate_reports_body_errors_that_render_would_refuse(
    tmp_path: Path, body: str, message: str
) -> None:
    root = _project(tmp_path, body)
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.exit_code == 1
    assert f"{root / 'promise.md'}:3" in result.stderr or "promise.md:3" in result.stderr
    assert message in result.stderr
    # render agrees: the same definitions fail there too, so validate's verdict is the one to trust
    rendered = CliRunner().invoke(app, ["render", str(root), "--out", str(tmp_path / "out")])
    assert rendered.exit_code == 1


def test_a_clean_body_adds_no_problem(tmp_path: Path) -> None:
    root = _project(tmp_path, "# {{ store }}\n\nState: {status:green|Done}\n")
    assert validate_project(root).problems == ()


def test_body_checks_wait_until_the_definitions_are_otherwise_clean(tmp_path: Path) -> None:
    root = _project(tmp_path, "# {{ store }}\n\nState: {status:pink|Done}\n")
    (root / "pages.yaml").write_text(
        "kind: page\nname: promise\ntitle: Our promise\nbody: promise.md\nvars: {store: N}\n"
        "labelz: [x]\n"
    )
    messages = [p.message for p in validate_project(root).problems]
    assert len(messages) == 1
    assert "labelz" in messages[0]
