"""The CLI frame: version, help, usage errors and the single error handler."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from teamcomms import __version__
from teamcomms.cli import app
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"teamcomms {__version__}"


def test_unknown_option_is_a_usage_error_with_exit_code_2() -> None:
    result = runner.invoke(app, ["validate", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option: --no-such-option" in result.output
    assert "Try 'teamcomms validate -h' for help." in result.output


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "teamcomms", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def _command_paths() -> list[list[str]]:
    """Every command and subcommand, as the words a user types before ``--help``."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            paths.append([*prefix, name])
            walk(command, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("words", _command_paths(), ids=lambda w: " ".join(w) or "teamcomms")
def test_every_command_has_help_with_an_example(words: list[str]) -> None:
    result = runner.invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


@pytest.mark.usefixtures("debug_logging_undone")
def test_global_flags_work_after_the_command_too(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\n")
    (tmp_path / "w.yaml").write_text("kind: workflow\nname: W\n")
    before = runner.invoke(app, ["--debug", "validate", str(tmp_path)])
    after = runner.invoke(app, ["validate", str(tmp_path), "--debug", "--no-color"])
    assert before.exit_code == after.exit_code == 1
    # --debug shows the traceback of the reported error; without it there is none.
    assert "Traceback" in before.output
    assert "Traceback" in after.output
    plain = runner.invoke(app, ["validate", str(tmp_path)])
    assert "Traceback" not in plain.output


def test_ctrl_c_in_any_command_is_exit_130_with_a_short_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teamcomms.definitions

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", interrupted)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert "Traceback" not in result.output


def test_an_error_message_is_shown_verbatim_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teamcomms.definitions
    from teamcomms.errors import ConfigError
    from teamcomms.redaction import register_secret

    register_secret("tok-frame-161803")

    def failing(*_: object, **__: object) -> None:
        # Square brackets must not be taken for rich markup (file names and YAML messages).
        raise ConfigError("token tok-frame-161803 rejected for [bold]notes[/bold].yaml", hint="x")

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", failing)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "token **** rejected for [bold]notes[/bold].yaml" in result.stderr
    assert "tok-frame-161803" not in result.output
    assert "Traceback" not in result.output


def test_a_bug_is_an_internal_error_with_exit_1_masked_and_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teamcomms.definitions
    from teamcomms.redaction import register_secret

    register_secret("tok-frame-314159")

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom near tok-frame-314159 in items[/0]")

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", broken)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom near **** in items[/0]" in result.stderr
    assert "re-run with --debug" in result.stderr
    assert isinstance(result.exception, SystemExit)  # handled, not escaping to the interpreter
    assert "tok-frame-314159" not in result.output
    assert "Traceback" not in result.output
