"""A small project with one standup, one report and one workflow, and a sandbox whose Jira
holds a known history, seeded through the REST API with the site's clock moved by hand.

The workflow "Delivery" (Open: todo, Doing and Blocked: in progress, Closed: done) is created
through Jira's REST API and used by OPS Tasks. Times are UTC; Thursday 26 November 2026 is
Thanksgiving (a US public holiday), so the standup on Friday 27 counts done work from
Wednesday 25.

    Mon 16 09:00-09:08  OPS-1..OPS-9 created (see ISSUES), all Open
    Tue 17 10:00        OPS-1 -> Doing            Thu 19 10:00  OPS-2 -> Doing
    Wed 18 12:00        OPS-1 -> Closed           Fri 20 10:00  OPS-2 -> Closed
    Mon 23 09:00        OPS-3 -> Doing, OPS-5 -> Doing, OPS-6 -> Doing
    Tue 24 10:00        OPS-4 -> Doing            Tue 24 15:00  OPS-8 -> Closed
    Wed 25 10:00        OPS-3 flagged             Wed 25 11:00  OPS-4 -> Blocked
    Wed 25 16:00        OPS-9 -> Doing            Thu 26 12:00  OPS-9 -> Closed
    Fri 27 08:00        now
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.resources.conftest import connect_to, unpaced
from tests.sandbox.clients import forgive_numeric_transition_ids, jira, jira_cloud
from tests.sandbox.jira_rest import API, Api

__all__ = ["unpaced"]

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)

PROJECT_FILE = """\
name: Test store
defaults: {space: OPS, project: OPS}
calendar: {country: US}
"""
DEFINITIONS = """\
kind: workflow
name: Delivery
statuses:
  - {name: Open, category: todo}
  - {name: Doing, category: in_progress}
  - {name: Blocked, category: in_progress}
  - {name: Closed, category: done}
initial: Open
transitions:
  - {name: Start, from: any, to: Doing}
  - {name: Block, from: any, to: Blocked}
  - {name: Close, from: any, to: Closed}
used_by: [{project: OPS, issue_types: [Task]}]
---
kind: standup
name: ops
team: Operations
jql: project = OPS ORDER BY key
members: [alice@teamcomms.invalid, bob@teamcomms.invalid]
deployments: {label: deploy}
space: OPS
parent: Standups
title: "Ops standup {{ date }}"
---
kind: report
name: ops-progress
description: Operations progress
projects: [OPS]
space: OPS
parent: Standups
index_title: Ops progress reports
---
kind: page
name: standups
title: Standups
space: OPS
body: standups.md
"""


@dataclass(frozen=True)
class Seed:
    """One issue of the known history."""

    summary: str
    assignee: str | None = None
    due: str | None = None
    labels: tuple[str, ...] = ()


ISSUES = (
    Seed("Pack orders", "alice"),  # OPS-1
    Seed("Label printer", "alice"),  # OPS-2
    Seed("Carrier API", "bob"),  # OPS-3
    Seed("Returns cage", "bob"),  # OPS-4
    Seed("Restock", "bob", due="2026-11-25"),  # OPS-5
    Seed("Peak prep", "carol"),  # OPS-6
    Seed("Deploy v2", None, due="2026-11-30", labels=("deploy",)),  # OPS-7
    Seed("Deploy v3", "alice", due="2026-11-24", labels=("deploy",)),  # OPS-8
    Seed("Gift wrap", "alice"),  # OPS-9
)
# (day after MONDAY, hour, minute, issue number, status or "flag")
HISTORY = (
    (1, 10, 0, 1, "Doing"),
    (2, 12, 0, 1, "Closed"),
    (3, 10, 0, 2, "Doing"),
    (4, 10, 0, 2, "Closed"),
    (7, 9, 0, 3, "Doing"),
    (7, 9, 0, 5, "Doing"),
    (7, 9, 0, 6, "Doing"),
    (8, 10, 0, 4, "Doing"),
    (8, 15, 0, 8, "Closed"),
    (9, 10, 0, 3, "flag"),
    (9, 11, 0, 4, "Blocked"),
    (9, 16, 0, 9, "Doing"),
    (10, 12, 0, 9, "Closed"),
)


def write_project(root: Path, definitions: str = DEFINITIONS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text(PROJECT_FILE)
    (root / "definitions.yaml").write_text(definitions)
    (root / "standups.md").write_text("The daily standups of the operations team.\n")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def _at(site: SandboxHandle, day: int, hour: int, minute: int) -> None:
    target = MONDAY.replace(hour=hour, minute=minute).timestamp() + day * 86400
    site.clock.advance(target - site.clock().timestamp())


def _delivery_workflow(api: Api) -> None:
    names = {"Open": "TODO", "Doing": "IN_PROGRESS", "Blocked": "IN_PROGRESS", "Closed": "DONE"}
    refs = {name: str(uuid.uuid4()) for name in names}
    transitions: list[dict[str, Any]] = [
        {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": refs["Open"],
         "links": []},
    ]  # fmt: skip
    for number, name in enumerate(names, start=1):
        transitions.append(
            {"id": str(10 * number + 1), "name": name, "type": "GLOBAL",
             "toStatusReference": refs[name], "links": []}
        )  # fmt: skip
    api.ok(
        "POST",
        API + "/workflows/create",
        json={
            "scope": {"type": "GLOBAL"},
            "statuses": [
                {"name": n, "statusCategory": c, "statusReference": refs[n]}
                for n, c in names.items()
            ],
            "workflows": [
                {
                    "name": "Delivery",
                    "description": "",
                    "statuses": [{"statusReference": r, "properties": {}} for r in refs.values()],
                    "transitions": transitions,
                }
            ],
        },
    )
    task = next(t["id"] for t in api.ok("GET", API + "/issuetype") if t["name"] == "Task")
    scheme = api.ok(
        "POST",
        API + "/workflowscheme",
        json={"name": "Ops", "defaultWorkflow": "jira", "issueTypeMappings": {task: "Delivery"}},
    )
    ops = api.ok("GET", API + "/project/OPS")
    switch = {"projectId": str(ops["id"]), "targetSchemeId": str(scheme["id"])}
    api.call("POST", API + "/workflowscheme/project/switch", json=switch, allow_redirects=False)


@pytest.fixture
def seeded(sandbox_site: SandboxHandle) -> SandboxHandle:
    """The sandbox with the history of the module docstring, its clock at NOW."""
    site = sandbox_site
    site.clock.start_at(MONDAY)
    api = Api(site)
    _delivery_workflow(api)
    flag = api.ok(
        "POST",
        API + "/field",
        json={
            "name": "Flagged",
            "type": "com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes",
            "searcherKey": "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher",
        },
    )
    # Jira's Flagged field offers the one option "Impediment"; a new field's default context
    # has no options until they are added.
    (context,) = api.ok("GET", f"{API}/field/{flag['id']}/context")["values"]
    api.ok(
        "POST",
        f"{API}/field/{flag['id']}/context/{context['id']}/option",
        json={"options": [{"value": "Impediment"}]},
    )
    users = {
        u["emailAddress"].split("@")[0]: u["accountId"] for u in site.state.table("users").values()
    }
    client = jira(site)
    for number, seed in enumerate(ISSUES):
        _at(site, 0, 9, number)
        fields: dict[str, Any] = {
            "project": {"key": "OPS"},
            "issuetype": {"name": "Task"},
            "summary": seed.summary,
            "labels": list(seed.labels),
        }
        if seed.assignee:
            fields["assignee"] = {"accountId": users[seed.assignee]}
        if seed.due:
            fields["duedate"] = seed.due
        client.create_issue(fields=fields)
    rest = jira_cloud(site)
    for day, hour, minute, number, change in HISTORY:
        _at(site, day, hour, minute)
        if change == "flag":
            client.issue(f"OPS-{number}").update(fields={flag["id"]: [{"value": "Impediment"}]})
        else:
            rest.set_issue_status(f"OPS-{number}", change)
    site.clock.advance((NOW - site.clock()).total_seconds())
    forgive_numeric_transition_ids(site)
    return site


@pytest.fixture
def site(seeded: SandboxHandle) -> Iterator[Site]:
    connection = connect_to(seeded)
    yield connection
    connection.close()
