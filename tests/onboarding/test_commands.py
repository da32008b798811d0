"""``teamcomms onboard``, ``onboard status`` and ``offboard`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from tests.conftest import SandboxHandle

BOB, ALICE, CAROL = (f"{n}@teamcomms.invalid" for n in ("bob", "alice", "carol"))
CSV = (
    "Employee Name,Work Email,Job,First Day,Manager,Buddy\n"
    f"Grace Hopper,{CAROL},Developer,2027-02-01,{BOB},{ALICE}\n"
    f"Alan Turing,{ALICE},Developer,2027-02-30,{BOB},\n"
)
COLUMNS = [
    "--column", "full_name=Employee Name", "--column", "email=Work Email",
    "--column", "role=Job", "--column", "start=First Day",
]  # fmt: skip


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def on_site(sandbox_site: SandboxHandle, unpaced: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEAMCOMMS_EMAIL", sandbox_site.email)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", sandbox_site.token)
    return sandbox_site.url


def test_a_csv_with_a_bad_row_names_row_and_column_and_writes_nothing(
    project: Path, tmp_path: Path, on_site: str, sandbox_site: SandboxHandle
) -> None:
    hires = tmp_path / "hires.csv"
    hires.write_text(CSV)
    code, _, err = run("onboard", "-p", str(project), "--site", on_site, "--from", str(hires),
                       *COLUMNS, "--yes")  # fmt: skip
    assert code == 1
    assert f"{hires}:3:4: error: hire: start: day value is out" in err
    assert not [m for m, _, _ in sandbox_site.requests if m != "GET"]


def test_onboard_from_a_csv_then_status_then_offboard(
    project: Path, tmp_path: Path, on_site: str, sandbox_site: SandboxHandle
) -> None:
    hires = tmp_path / "hires.csv"
    hires.write_text(CSV.replace("2027-02-30", "2027-02-08"))
    code, out, err = run("onboard", "-p", str(project), "--site", on_site, "--from", str(hires),
                         *COLUMNS, "--dry-run", "--format", "json")  # fmt: skip
    assert code == 0, err
    dry = json.loads(out)
    assert {c["address"] for c in dry["changes"]} >= {"hire/grace-hopper", "hire/alan-turing"}
    assert not [p for m, p, _ in sandbox_site.requests if m != "GET" and "search" not in p]
    code, out, err = run("onboard", "-p", str(project), "--site", on_site, "--from", str(hires),
                         *COLUMNS, "--yes", "--format", "json", "--unassigned")  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    grace = next(h for h in report["hires"] if h["hire"] == "grace-hopper")
    assert grace["epic"].startswith("PEOPLE-") and len(grace["tasks"]) == 4
    # Two of Grace's tasks are done, one of them overdue before that; Alan's are all open.
    first, second = grace["tasks"][:2]
    for key in (first, second):
        run_transition(sandbox_site, key)
    code, out, err = run("onboard", "status", "grace-hopper", "-p", str(project),
                         "--site", on_site, "--format", "json")  # fmt: skip
    assert code == 0, err
    (status,) = json.loads(out)
    assert (status["done"], status["open"]) == (2, 2)
    code, out, err = run("offboard", "grace-hopper", "-p", str(project), "--site", on_site,
                         "--yes", "--format", "json")  # fmt: skip
    assert code == 0, err
    closed = json.loads(out)
    assert len(closed["closed"]) == 3  # two open tasks and the epic
    assert first not in closed["closed"] and second not in closed["closed"]
    comments = [i for i in sandbox_site.state.table("issues").values() if i.get("comments")]
    assert {i["key"] for i in comments} == set(closed["closed"])
    code, out, _ = run("onboard", "status", "--all", "-p", str(project), "--site", on_site,
                       "--format", "json")  # fmt: skip
    assert [s["hire"] for s in json.loads(out)] == ["alan-turing"]


def run_transition(sandbox: SandboxHandle, key: str) -> None:
    import requests

    session = requests.Session()
    session.auth = (sandbox.email, sandbox.token)
    answer = session.post(
        f"{sandbox.url}/rest/api/3/issue/{key}/transitions", json={"transition": {"id": "31"}}
    )
    assert answer.status_code == 204
