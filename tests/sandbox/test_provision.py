"""Provisioning: the sandbox creates the spaces, projects, issue types and groups definitions name,
says what it created, and leaves what exists alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.api import provision_sandbox
from teamcomms.cli import app
from teamcomms.definitions import load_project
from teamcomms.sandbox import SiteState
from teamcomms.sandbox.provision import Provisioned, provision
from tests.conftest import SandboxHandle

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
runner = CliRunner()


def _type_names(state: SiteState, key: str) -> set[str]:
    project = state.project_by_key(key)
    assert project is not None
    types = state.table("issuetypes")
    return {types[t]["name"] for t in project["issueTypeIds"]}


def test_missing_things_are_created_and_reported_and_nothing_twice(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state = SiteState(state_file)
    made = provision(
        state,
        spaces=["SOCKS", "TEAM"],
        projects={"WEB": ["Return", "Epic"], "OPS": ["order", "Incident"]},
        issue_types=["Test", "Audit"],
        groups=["socks-team", "Warehouse", "Socks-Team"],
    )
    assert made == Provisioned(
        spaces=("SOCKS",),
        projects=("WEB",),
        issue_types=(("", "Audit"), ("OPS", "Incident"), ("WEB", "Return")),
        groups=("socks-team",),
    )
    assert made.describe() == [
        "spaces: SOCKS",
        "Jira projects: WEB",
        "issue types: Audit; Incident in OPS; Return in WEB",
        "groups: socks-team",
    ]
    space = state.space_by_key("SOCKS")
    assert space is not None and state.page_by_title("SOCKS", "SOCKS Home") is not None
    assert {"Task", "Epic", "Subtask", "Story", "Bug", "Return"} == _type_names(state, "WEB")
    assert {"Order", "Incident"} <= _type_names(state, "OPS")
    # Saved: a sandbox started on the file has them.
    reloaded = SiteState(state_file)
    assert reloaded.space_by_key("SOCKS") is not None
    assert "Return" in _type_names(reloaded, "WEB")
    assert any(g["name"] == "socks-team" for g in reloaded.table("groups").values())

    again = provision(
        reloaded,
        spaces=["SOCKS"],
        projects={"WEB": ["return"]},
        issue_types=["audit"],
        groups=["SOCKS-TEAM"],
    )
    assert again == Provisioned()
    assert not again
    assert again.describe() == []


def test_what_exists_is_left_as_it_is(tmp_path: Path) -> None:
    state = SiteState(tmp_path / "state.json")
    ops = state.project_by_key("OPS")
    assert ops is not None
    before = json.dumps(state.data, sort_keys=True)
    assert provision(state, spaces=["TEAM"], projects={"OPS": ["Order"]}, groups=["warehouse"]) == (
        Provisioned()
    )
    assert json.dumps(state.data, sort_keys=True) == before


def test_provisioned_as_json() -> None:
    made = Provisioned(spaces=("A",), issue_types=(("", "Audit"), ("WEB", "Return")))
    assert made.as_json() == {
        "spaces": ["A"],
        "projects": [],
        "issue_types": [{"project": None, "name": "Audit"}, {"project": "WEB", "name": "Return"}],
        "groups": [],
    }


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "ecommerce"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".teamcomms"))
    monkeypatch.setattr("teamcomms.site.settings.system_keyring", lambda service, user: None)
    return copy


def test_doctor_passes_after_provisioning_a_site_that_lacked_what_the_example_needs(
    example: Path, sandbox_site: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = sandbox_site.state
    projects = state.table("projects")
    [qa_id] = [pid for pid, p in projects.items() if p["key"] == "QA"]
    del projects[qa_id]
    [warehouse] = [gid for gid, g in state.table("groups").items() if g["name"] == "warehouse"]
    del state.table("groups")[warehouse]
    state.save()
    monkeypatch.setenv("TEAMCOMMS_EMAIL", sandbox_site.email)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", sandbox_site.token)
    failing = runner.invoke(app, ["doctor", str(example), "--site", sandbox_site.url])
    assert failing.exit_code == 1

    made = provision_sandbox(state, load_project(example))

    assert made.projects == ("QA",)
    assert made.groups == ("warehouse",)
    assert ("QA", "Test") in made.issue_types
    passing = runner.invoke(app, ["doctor", str(example), "--site", sandbox_site.url])
    assert passing.exit_code == 0, passing.stdout
