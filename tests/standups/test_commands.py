"""``teamcomms standup`` and ``teamcomms report`` as a user runs them: bad input, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from tests.conftest import SandboxHandle
from tests.standups.conftest import DEFINITIONS, write_project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def on_site(seeded: SandboxHandle, unpaced: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEAMCOMMS_EMAIL", seeded.email)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", seeded.token)
    return seeded.url


def test_a_bad_time_zone_is_named_by_file_line_and_column(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    bad = DEFINITIONS.replace('title: "Ops standup {{ date }}"', "timezone: Mars/Olympus")
    project = write_project(tmp_path / "bad", bad)
    code, _, err = run("standup", "ops", "-p", str(project), "--site", sandbox_site.url)
    assert code == 1
    line = bad.splitlines().index("timezone: Mars/Olympus") + 1
    assert (
        f"definitions.yaml:{line}:11: error: standup 'ops' timezone: 'Mars/Olympus' is not a "
        "time zone\n  hint: write an IANA name such as America/Los_Angeles" in err
    )
    assert "Traceback" not in err
    assert sandbox_site.requests == []


def test_an_unknown_standup_or_period_says_what_exists(project: Path) -> None:
    code, _, err = run("standup", "daily", "-p", str(project))
    assert code == 64
    assert "no standup called 'daily'" in err and "standups in this project: ops" in err
    code, _, err = run("report", "-p", str(project), "--period", "fortnight")
    assert code == 64 and "use day, week, month, quarter, year" in err
    code, _, err = run("standup", "-p", str(project), "--date", "27/11/2026")
    assert code == 64 and "write it as YYYY-MM-DD" in err


def test_text_markdown_and_json_say_the_same(project: Path, on_site: str) -> None:
    common = ("standup", "-p", str(project), "--site", on_site, "--date", "2026-11-27")
    code, text, err = run(*common)
    assert code == 0, err
    assert "Operations standup 2026-11-27" in text
    assert "OPS-3 Carrier API" in text and "[ ] OPS-5: agree a new due date" in text
    code, markdown, _ = run(*common, "--format", "markdown")
    assert "### Bob Example" in markdown
    assert "- **Blocked:** OPS-3 Carrier API; OPS-4 Returns cage" in markdown
    code, document, _ = run(*common, "--format", "json")
    figures = json.loads(document)
    assert figures["format_version"] == 1 and "published" not in figures
    assert figures["totals"]["blocked"] == 2
    code, report, err = run("report", "-p", str(project), "--site", on_site, "--period", "week",
                            "--date", "2026-11-27", "--previous", "--format", "json")  # fmt: skip
    assert code == 0, err
    assert (json.loads(report)["label"], json.loads(report)["created"]) == ("2026-W47", 9)


def test_working_days_only_does_nothing_on_a_holiday(project: Path, on_site: str) -> None:
    code, out, err = run("standup", "-p", str(project), "--site", on_site, "--date",
                         "2026-11-26", "--publish", "--working-days-only")  # fmt: skip
    assert (code, out) == (0, "")
    assert "2026-11-26 is not a working day: nothing to do." in err
