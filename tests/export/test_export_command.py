"""``teamcomms export`` from the command line: progress and a summary, the report, no file
overwritten without --force, and choices checked before anything is read or written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.errors import ExitCode
from tests.conftest import SandboxHandle
from tests.export.site_by_hand import set_up_by_hand

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(sandbox_site: SandboxHandle) -> Cli:
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, ["export", *args, "--site", sandbox_site.url], env=env)
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.mark.usefixtures("unpaced")
def test_export_prints_progress_the_notes_and_a_summary_then_plan_adopts(
    tmp_path: Path, sandbox_site: SandboxHandle, cli: Cli
) -> None:
    set_up_by_hand(sandbox_site)
    folder = tmp_path / "site"
    code, out, err = cli(str(folder), "--space", "TEAM", "--project", "OPS")
    assert code == 0, err
    assert "reading Confluence pages (TEAM)" in err
    assert "Jira workflows: 2 definitions" in err
    assert "exported 3 field, 2 workflow, 2 filter, 1 board, 4 page, 1 template" in err
    assert "kept as storage: macro 'children'" in out
    assert f"site: {sandbox_site.url}" in (folder / "teamcomms.yaml").read_text()
    assert "next: `teamcomms plan" in err
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}
    plan = CliRunner().invoke(app, ["plan", str(folder), "--detailed-exitcode"], env=env)
    assert plan.exit_code == ExitCode.CHANGES, plan.stderr
    assert "13 to adopt" in plan.stdout


def test_an_earlier_export_is_not_overwritten_without_force(
    tmp_path: Path, sandbox_site: SandboxHandle, cli: Cli
) -> None:
    folder = tmp_path / "site"
    assert cli(str(folder), "--kinds", "filter")[0] == 0
    (folder / "teamcomms.yaml").write_text("name: edited by hand\n")
    code, _, err = cli(str(folder), "--kinds", "filter")
    assert code == ExitCode.FAILED
    assert "already holds export-report.md, teamcomms.yaml; nothing was written" in err
    assert "--force" in err
    assert (folder / "teamcomms.yaml").read_text() == "name: edited by hand\n"
    assert cli(str(folder), "--kinds", "filter", "--force")[0] == 0
    assert "edited by hand" not in (folder / "teamcomms.yaml").read_text()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--kinds", "workflow,hire"), ExitCode.USAGE, "--kinds: hire cannot be exported"),
        (("--space", "NOT A KEY"), ExitCode.USAGE, "--space 'NOT A KEY' is not a key"),
        (("--space", "NOPE", "--project", "NONE"), ExitCode.FAILED, "space NOPE, project NONE"),
    ],
)
def test_bad_choices_are_refused_before_anything_is_written(
    tmp_path: Path, cli: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    folder = tmp_path / "site"
    result = cli(str(folder), *args)
    assert result[0] == code
    assert message in result[2]
    assert not folder.exists() or not any(folder.iterdir())
