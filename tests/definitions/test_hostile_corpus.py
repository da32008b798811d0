"""The hostile corpus (``tests/data/hostile``): every case fails cleanly, within bounds.

Each case is a small project a careless or malicious author could write: files outside the
project, template bombs, script links, names and titles Confluence refuses, inputs that used to
end in "internal error". ``validate`` and ``render`` must both exit 1 with the error at the
expected file, line and column, with no traceback, without showing a byte of the files outside
the project, and without writing anything. They run in one child process with a hard
address-space limit, so a bomb that slipped past the bounds fails the test instead of the
machine; the peak memory of that process is checked too. ``plan``/``apply`` share the same
loading and rendering, and a few cases are applied to the sandbox to show nothing is sent.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from tests.conftest import SandboxHandle
from tests.definitions.hostile_runner import SECRET, case_names, expectations, prepare

REPOSITORY = Path(__file__).resolve().parents[2]
ADDRESS_SPACE_BYTES = 1024 * 1024 * 1024
"""The child's hard limit: a bomb that got past the bounds ends in MemoryError."""
PEAK_RSS_KIB = 300 * 1024
"""The whole corpus stays far below this (about 60-120 MiB measured, see bench_hostile.py)."""
RUNNER_TIMEOUT_SECONDS = 900
"""Only a guard against a hang: the corpus takes well under a minute (figures in bench/)."""


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """What validate and render did on each case, run once for the module."""
    work = tmp_path_factory.mktemp("hostile")
    done = subprocess.run(
        [sys.executable, "-m", "tests.definitions.hostile_runner", str(work)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
        timeout=RUNNER_TIMEOUT_SECONDS,
        preexec_fn=_limit_address_space,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in done.stdout.splitlines():
        outcome = json.loads(line)
        found[outcome["case"]].append(outcome)
    return found


def test_the_corpus_has_at_least_forty_cases() -> None:
    assert len(case_names()) >= 40


@pytest.mark.parametrize("name", case_names())
def test_a_hostile_case_fails_at_its_location_and_writes_nothing(
    name: str, outcomes: dict[str, list[dict[str, Any]]]
) -> None:
    location, *texts = expectations(name)
    results = outcomes[name]
    assert [r["command"] for r in results] == ["validate", "render"]
    for result in results:
        output = result["stderr"] + result["stdout"]
        assert result["exit_code"] == 1, output
        assert result["exception"].startswith("SystemExit"), result["exception"]
        assert "Traceback" not in output
        assert "internal error" not in output
        errors = [line for line in result["stderr"].splitlines() if ": error: " in line]
        assert errors, output
        assert errors[0].startswith(location), errors[0]
        for text in texts:
            assert text in output, f"{text!r} not in {output!r}"
        assert SECRET not in output
        assert not result["wrote"]


def test_the_corpus_runs_in_bounded_memory(outcomes: dict[str, list[dict[str, Any]]]) -> None:
    peak = max(result["peak_rss_kib"] for results in outcomes.values() for result in results)
    assert peak < PEAK_RSS_KIB


@pytest.mark.parametrize(
    "name", ["body-symlink-out", "namespace-doubling", "label-with-space", "parent-cycle"]
)
def test_apply_of_a_hostile_case_sends_no_write_to_the_site(
    name: str, tmp_path: Path, sandbox_site: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = prepare(name, tmp_path)
    monkeypatch.chdir(project)
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}
    for command in (["plan", "."], ["apply", ".", "--yes"]):
        result = CliRunner().invoke(app, [*command, "--site", sandbox_site.url], env=env)
        assert result.exit_code == 1, result.output
        assert "nothing was sent to the site" in result.stderr
        assert result.stderr.startswith(expectations(name)[0])
        assert SECRET not in result.output
    writes = [r for r in sandbox_site.requests if r[0] in ("POST", "PUT", "DELETE", "PATCH")]
    assert writes == []
