"""The CLI frame: version, help, usage errors and the single error handler."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from teamcomms import __version__
from teamcomms.cli import app

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"teamcomms {__version__}"


def test_unknown_option_is_a_usage_error_with_exit_code_2() -> None:
    result = runner.invoke(app, ["--no-such-option"])
    assert result.exit_code == 2


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "teamcomms", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


@pytest.mark.parametrize("command", ["--help"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command])
    assert result.exit_code == 0
    assert "Example:" in result.output
