"""``--workers`` and ``TEAMCOMMS_WORKERS`` reach both the bulk reads and apply's writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine import planner, runner
from tests.resources.conftest import write_project


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """Records the worker counts plan/apply pass to the reads and to apply."""
    record: dict[str, list[int]] = {"read": [], "apply": []}
    real_read = planner.read_states
    real_apply = runner.apply_plan

    def read_states(*args: Any, workers: int, **kwargs: Any) -> Any:
        record["read"].append(workers)
        return real_read(*args, workers=workers, **kwargs)

    def apply_plan(plan: Any, site: Any, resources: Any, options: Any, **kwargs: Any) -> Any:
        record["apply"].append(options.workers)
        return real_apply(plan, site, resources, options, **kwargs)

    monkeypatch.setattr(planner, "read_states", read_states)
    monkeypatch.setattr(runner, "apply_plan", apply_plan)
    return record


def test_the_workers_option_is_used_for_reading_and_applying(
    tmp_path: Path, seen: dict[str, list[int]]
) -> None:
    project = write_project(tmp_path / "p")
    result = CliRunner().invoke(
        app, ["apply", str(project), "--site", "sandbox", "--yes", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert seen == {"read": [1], "apply": [1]}


def test_the_environment_variable_is_used_when_no_option_is_given(
    tmp_path: Path, seen: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAMCOMMS_WORKERS", "2")
    project = write_project(tmp_path / "p")
    result = CliRunner().invoke(app, ["plan", str(project), "--site", "sandbox"])
    assert result.exit_code == 0, result.output
    assert seen["read"] == [2]


def test_a_bad_environment_value_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAMCOMMS_WORKERS", "99")
    result = CliRunner().invoke(
        app, ["doctor", str(write_project(tmp_path / "p")), "--site", "sandbox"]
    )
    assert result.exit_code == 1
    assert "TEAMCOMMS_WORKERS must be between 1 and 16, not 99" in result.output
    assert "--workers" not in result.output
