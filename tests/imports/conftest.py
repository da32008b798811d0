"""An import project on the contract-checked sandbox: a project file (Jira project SHOP), the
custom fields the example backlog fills (a number, a select with options, a date), and the
command line run in-process with write pacing off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.resources.conftest import connect_to, unpaced

__all__ = ["unpaced"]

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
CHANNELS = ("Web shop", "Marketplace", "Retail store")
PROJECT_FILE = "name: Import test\ndefaults: {project: SHOP}\n"
BACKLOG_MAPPING = """\
kind: import
name: backlog
description: The storefront backlog from the old tracker.
id: Key
fields:
  summary: Title
  description: Details
  issue_type: {column: Type, values: {Feature: Story, Defect: Bug}, default: Task}
  priority: {column: Priority, values: {Urgent: Highest, Normal: Medium}}
  labels: {column: Tags, split: ",", add: [imported]}
  components: Area
  due_date: {column: Due, format: "%d/%m/%Y"}
  assignee: Owner
custom:
  Story Points: Points
  Sales Channel: {column: Channel, values: {web: Web shop, mkt: Marketplace}}
  Launch Date: Launch
parent: Epic
links:
  - {column: Blocks, type: blocks}
status: {column: State, values: {Open: To Do, WIP: In Progress, Closed: Done}}
"""
HEADER = (
    "Key;Title;Details;Type;Priority;Tags;Area;Due;Owner;Points;Channel;Launch;Epic;Blocks;State"
)


class SiteApi:
    """Plain HTTP against the sandbox, for setting a site up as an administrator would."""

    def __init__(self, site: SandboxHandle) -> None:
        self.site = site
        self.session = requests.Session()
        self.session.auth = (site.email, site.token)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.session.request(method, self.site.url + path, timeout=10, **kwargs)
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    def custom_field(self, name: str, kind: str, options: tuple[str, ...] = ()) -> str:
        """A custom field with its global context (the one Jira gives it) and options; returns
        its id."""
        field = self.ok("POST", "/rest/api/3/field", json={"name": name, "type": CUSTOM + kind})
        base = f"/rest/api/3/field/{field['id']}/context"
        (context,) = self.ok("GET", base)["values"]
        if options:
            values = [{"value": value} for value in options]
            self.ok("POST", f"{base}/{context['id']}/option", json={"options": values})
        return str(field["id"])

    def component(self, project: str, name: str) -> None:
        self.ok("POST", "/rest/api/3/component", json={"project": project, "name": name})


@pytest.fixture
def fields(sandbox_site: SandboxHandle) -> dict[str, str]:
    """The custom fields the backlog mapping names, and the SHOP components: name -> id."""
    api = SiteApi(sandbox_site)
    for area in ("Checkout", "Search", "Catalog"):
        api.component("SHOP", area)
    return {
        "Story Points": api.custom_field("Story Points", "float"),
        "Sales Channel": api.custom_field("Sales Channel", "select", CHANNELS),
        "Launch Date": api.custom_field("Launch Date", "datepicker"),
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "teamcomms.yaml").write_text(PROJECT_FILE)
    (root / "backlog-import.yaml").write_text(BACKLOG_MAPPING)
    return root


@pytest.fixture
def on_site(sandbox_site: SandboxHandle, unpaced: None, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sandbox's URL, with its credentials in the environment."""
    monkeypatch.setenv("TEAMCOMMS_EMAIL", sandbox_site.email)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", sandbox_site.token)
    return sandbox_site.url


@pytest.fixture
def site(sandbox_site: SandboxHandle) -> Iterator[Site]:
    connection = connect_to(sandbox_site)
    yield connection
    connection.close()


def run(*args: str) -> tuple[int, str, str]:
    """``teamcomms ARGS`` in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def issues_of(state: Any, label: str = "import-backlog") -> list[dict[str, Any]]:
    """The sandbox's issues with an import's label, oldest first."""
    found = [i for i in state.table("issues").values() if label in i["fields"].get("labels", [])]
    return sorted(found, key=lambda i: int(i["id"]))


def writes(sandbox: SandboxHandle, *, since: int = 0) -> list[tuple[str, str]]:
    """Requests that changed the site (searches are POSTs that read)."""
    return [
        (method, path)
        for method, path, _ in sandbox.requests[since:]
        if method != "GET" and not path.endswith("/search/jql")
    ]
