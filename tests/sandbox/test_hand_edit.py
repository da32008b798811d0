"""Hand edits on the sandbox: a colleague's new version of a page, on a state file or through a
running sandbox, so that drift can be tried in one command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.connect import sandbox_state_file
from teamcomms.errors import ExitCode
from teamcomms.sandbox import SiteState, start_sandbox
from teamcomms.sandbox.hand_edit import HAND_EDIT_PATH, PageNotFound, hand_edit
from tests.conftest import SandboxHandle

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
runner = CliRunner()


def test_a_hand_edit_is_a_new_version_by_a_colleague() -> None:
    state = SiteState()
    space = state.space_by_key("TEAM")
    assert space is not None
    page = state.create_page(space["id"], "Runbook", "<p>Step one.</p>", None)

    done = hand_edit(state, "Runbook", append="Step <two> & three.")

    assert (done.title, done.space, done.version, done.author) == (
        "Runbook",
        "TEAM",
        2,
        "Alice Example",
    )
    assert page["body"] == "<p>Step one.</p><p>Step &lt;two&gt; &amp; three.</p>"
    alice = next(u for u in state.table("users").values() if u["displayName"] == "Alice Example")
    assert page["version"]["authorId"] == alice["accountId"]
    hand_edit(state, page["id"], body="Only <this>.")
    assert page["body"] == "<p>Only &lt;this&gt;.</p>"
    assert page["version"]["number"] == 3
    hand_edit(state, "runbook")
    assert page["body"].endswith("<p>Edited by hand in the sandbox.</p>")


def test_a_page_is_found_by_id_title_or_title_in_a_space() -> None:
    state = SiteState()
    team, eng = state.space_by_key("TEAM"), state.space_by_key("ENG")
    assert team is not None and eng is not None
    state.create_page(team["id"], "Notes", "<p>team</p>", None)
    eng_notes = state.create_page(eng["id"], "Notes", "<p>eng</p>", None)

    with pytest.raises(PageNotFound) as ambiguous:
        hand_edit(state, "Notes")
    assert (ambiguous.value.message, ambiguous.value.hint) == (
        "2 pages are called 'Notes'",
        "add --space, one of ENG, TEAM",
    )
    assert hand_edit(state, "Notes", space="ENG").page_id == eng_notes["id"]
    with pytest.raises(PageNotFound) as missing:
        hand_edit(state, "Nots", space="ENG")
    assert (missing.value.message, missing.value.hint) == (
        "no page 'Nots' in space ENG on the sandbox",
        "did you mean 'Notes'?",
    )


def test_the_edit_route_is_journalled_and_survives_a_restart(sandbox_site: SandboxHandle) -> None:
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    page = sandbox_site.state.create_page(space["id"], "Runbook", "<p>one</p>", None)
    sandbox_site.state.save()
    auth = (sandbox_site.email, sandbox_site.token)
    url = sandbox_site.url + HAND_EDIT_PATH

    answer = requests.post(url, json={"page": "Runbook", "append": "two"}, auth=auth, timeout=10)
    refused = requests.post(url, json={"page": "Nope"}, auth=auth, timeout=10)
    anonymous = requests.post(url, json={"page": "Runbook"}, timeout=10)

    assert answer.status_code == 200
    assert answer.json() == {
        "id": page["id"],
        "title": "Runbook",
        "space": "TEAM",
        "version": 2,
        "author": "Alice Example",
    }
    assert refused.status_code == 404
    assert refused.json()["errorMessages"] == ["no page 'Nope' on the sandbox"]
    assert anonymous.status_code == 401
    # Not part of the emulated API: not in the request log the request budgets count.
    assert not any(path.startswith("/_sandbox") for _, path, _ in sandbox_site.requests)
    sandbox_site.restart()
    reloaded = sandbox_site.state.table("pages")[page["id"]]
    assert reloaded["body"] == "<p>one</p><p>two</p>"
    assert reloaded["version"]["number"] == 2


@pytest.fixture
def applied_example(tmp_path: Path) -> Path:
    project = tmp_path / "ecommerce"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".teamcomms"))
    result = runner.invoke(app, ["apply", str(project), "--site", "sandbox", "--yes"])
    assert result.exit_code == 0, result.output
    return project


def _plan_lines(project: Path) -> list[str]:
    result = runner.invoke(app, ["plan", str(project), "--site", "sandbox"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_sandbox_edit_then_plan_shows_the_page_as_drifted(applied_example: Path) -> None:
    state = sandbox_state_file(applied_example)
    edit = runner.invoke(
        app, ["sandbox", "edit", "Onboarding", "--append", "Ask Ada.", "--state", str(state)]
    )
    assert edit.exit_code == 0, edit.output
    [line] = edit.stdout.splitlines()
    assert line.startswith("edited 'Onboarding' (TEAM, page ")
    assert line.endswith(" as Alice Example: now version 2; `teamcomms plan` shows it as drifted")

    lines = _plan_lines(applied_example)
    assert "  ! drifted   page/onboarding-home  TEAM 'Onboarding' (body)" in lines
    assert [line for line in lines if line.startswith("  ! ")] == [
        "  ! drifted   page/onboarding-home  TEAM 'Onboarding' (body)"
    ]
    assert re.fullmatch(r"Plan: \d+ unchanged, 1 drifted\.", lines[-2])
    assert lines[-1] == "apply will refuse unless --force overwrites the hand edits"


def test_sandbox_edit_goes_to_the_running_sandbox_that_holds_the_state(
    applied_example: Path,
) -> None:
    state = sandbox_state_file(applied_example)
    with start_sandbox(state) as running:
        edit = runner.invoke(
            app, ["sandbox", "edit", "Onboarding", "--body", "Gone.", "--state", str(state)]
        )
        assert edit.exit_code == 0, edit.output
        [page] = [p for p in running.state.table("pages").values() if p["title"] == "Onboarding"]
        assert page["body"] == "<p>Gone.</p>"
        missing = runner.invoke(app, ["sandbox", "edit", "Onbording", "--state", str(state)])
    assert missing.exit_code == ExitCode.USAGE
    assert missing.stderr.splitlines() == [
        "no page 'Onbording' on the sandbox",
        "  hint: did you mean 'Onboarding'?",
    ]
    assert "  ! drifted   page/onboarding-home  TEAM 'Onboarding' (body)" in (
        _plan_lines(applied_example)
    )


def test_sandbox_edit_messages(tmp_path: Path) -> None:
    both = runner.invoke(app, ["sandbox", "edit", "X", "--body", "a", "--append", "b"])
    assert (both.exit_code, both.stderr) == (ExitCode.USAGE, "give --body or --append, not both\n")
    missing = tmp_path / "none.json"
    nothing = runner.invoke(app, ["sandbox", "edit", "X", "--state", str(missing)])
    assert nothing.exit_code == 1
    assert nothing.stderr.splitlines() == [
        f"there is no sandbox state file {missing}",
        "  hint: give --state the file `sandbox serve` printed, or PROJECT/.teamcomms/"
        "sandbox-state.json after `teamcomms apply PROJECT --site sandbox`",
    ]
