"""Every bad-input case in tests/data/invalid gives exit code 1 and exactly its expected message.

Each case is a folder: the project files, ``expected.txt`` (what ``validate`` prints on stderr),
optionally ``args.txt`` (the paths to validate, default ``.``) and ``oversize.txt`` (names a file
the test inflates past 1 MiB, so the repository does not carry one). Run with
``UPDATE_GOLDEN=1`` to rewrite the expected files after an intended change of wording.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app

CASES = Path(__file__).resolve().parents[1] / "data" / "invalid"
CASE_NAMES = sorted(path.name for path in CASES.iterdir() if path.is_dir())
CONTROL_FILES = {"expected.txt", "args.txt", "oversize.txt"}


def _prepare(name: str, tmp_path: Path) -> tuple[Path, list[str]]:
    """Copy the case into a temporary folder and return it with the validate arguments."""
    source = CASES / name
    target = tmp_path / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*CONTROL_FILES))
    oversize = source / "oversize.txt"
    if oversize.exists():
        big = target / oversize.read_text().strip()
        line = "# " + "x" * 98 + "\n"
        big.write_text("kind: page\n" + line * (1024 * 1024 // len(line) + 1))
    args_file = source / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else ["."]
    return target, args


def _check_golden(name: str, actual: str) -> None:
    expected_file = CASES / name / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(actual)
    assert expected_file.exists(), f"no expected.txt for {name}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text()


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASE_NAMES) >= 30


@pytest.mark.parametrize("name", CASE_NAMES)
def test_invalid_case_reports_its_expected_message(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, args = _prepare(name, tmp_path)
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, ["validate", *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    _check_golden(name, result.stderr)


@pytest.mark.parametrize("name", ["alias-bomb", "duplicate-names", "undeclared-variable"])
def test_invalid_case_fails_the_same_way_in_a_real_process(name: str, tmp_path: Path) -> None:
    folder, args = _prepare(name, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "teamcomms", "validate", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr == (CASES / name / "expected.txt").read_text()
