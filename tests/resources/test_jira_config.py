"""Jira configuration through plan and apply on the contract-checked sandbox: statuses, workflows
and their schemes, custom fields with contexts and options, boards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.change import Change, Plan
from teamcomms.engine.runner import ApplyOptions
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources.jira_describe import describe
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle

PROJECT = "name: T\ndefaults: {project: OPS, space: TEAM}\n"
WORKFLOW = """\
kind: workflow
name: Returns
description: A returned parcel, from request to refund.
statuses:
  - {name: Requested, category: todo}
  - {name: Received, category: in_progress}
  - {name: Refunded, category: done}
initial: Requested
transitions:
  - {name: Receive, from: Requested, to: Received}
  - {name: Refund, from: Received, to: Refunded}
used_by: [{project: OPS, issue_types: [Return]}]
"""
FIELD = """\
kind: field
name: Return Channel
type: select
options: [Store, Post, Courier]
contexts: [{name: Operations, projects: [OPS], issue_types: [Return]}]
"""


def write(root: Path, *documents: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text(PROJECT)
    (root / "jira.yaml").write_text("---\n".join(documents))
    return root


def plan_for(project: Path, site: Site) -> Plan:
    return plan_project(load_workspace(project), site)


def apply(plan: Plan, site: Site, *, force: bool = False) -> None:
    report = apply_plan(plan, site, ApplyOptions(force=force))
    assert report.ok, [r for r in report.results if r.outcome != "done"]


def only(plan: Plan, resource: str, address: str) -> Change:
    (change,) = [c for c in plan.changes if c.resource == resource and c.address == address]
    return change


def workflow(sandbox: SandboxHandle, name: str) -> dict[str, Any]:
    return next(w for w in sandbox.state.table("workflows").values() if w["name"] == name)


def rest(sandbox: SandboxHandle) -> requests.Session:
    session = requests.Session()
    session.auth = (sandbox.email, sandbox.token)
    return session


def test_a_workflow_with_its_statuses_and_scheme_is_created_then_unchanged(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p", WORKFLOW)
    plan = plan_for(project, confluence)
    assert only(plan, "workflow", "workflow/Returns").action == "create"
    assert only(plan, "workflow-scheme", "workflow-scheme/OPS").action == "create"
    assert {c.title for c in plan.changes if c.resource == "status"} == {
        "Requested",
        "Received",
        "Refunded",
    }
    apply(plan, confluence)
    made = workflow(sandbox_site, "Returns")
    assert "[teamcomms workflow/Returns" in made["description"]
    ops = sandbox_site.state.project_by_key("OPS")
    assert ops is not None
    scheme = sandbox_site.state.table("workflowschemes")[ops["workflowSchemeId"]]
    assert scheme["name"] == "OPS workflows"
    assert "Returns" in scheme["issueTypeMappings"].values()
    assert not plan_for(project, confluence).has_changes


def test_adding_a_transition_updates_the_workflow_in_place(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p", WORKFLOW)
    apply(plan_for(project, confluence), confluence)
    before = workflow(sandbox_site, "Returns")
    number = before["version"]["versionNumber"]
    reopen = "  - {name: Reopen, from: Refunded, to: Received}\n"
    write(project, WORKFLOW.replace("used_by:", reopen + "used_by:"))
    change = only(plan_for(project, confluence), "workflow", "workflow/Returns")
    assert change.action == "update"
    assert describe(change) == ["transition 'Reopen' added"]
    apply(plan_for(project, confluence), confluence)
    after = workflow(sandbox_site, "Returns")
    assert after["id"] == before["id"]
    assert after["version"]["versionNumber"] == number + 1
    assert "Reopen" in {t["name"] for t in after["transitions"]}
    assert not plan_for(project, confluence).has_changes


def test_a_transition_rule_is_written_with_jiras_rule_keys(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    text = WORKFLOW.replace(
        "  - {name: Refund, from: Received, to: Refunded}",
        "  - {name: Refund, from: Received, to: Refunded, requires: [Return Channel],"
        " groups: [warehouse]}",
    )
    project = write(tmp_path / "p", text, FIELD)
    apply(plan_for(project, confluence), confluence)
    refund = next(
        t for t in workflow(sandbox_site, "Returns")["transitions"] if t["name"] == "Refund"
    )
    assert [v["ruleKey"] for v in refund["validators"]] == ["system:validate-field-value"]
    assert [c["ruleKey"] for c in refund["conditions"]["conditions"]] == [
        "system:restrict-issue-transition"
    ]
    assert [a["ruleKey"] for a in refund["actions"]] == ["system:update-field"]
    assert not plan_for(project, confluence).has_changes


def test_removing_a_status_issues_are_in_asks_for_a_mapping_then_uses_it(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p", WORKFLOW)
    apply(plan_for(project, confluence), confluence)
    ops = sandbox_site.state.project_by_key("OPS")
    assert ops is not None
    session = rest(sandbox_site)
    created = session.post(
        f"{sandbox_site.url}/rest/api/3/issue",
        json={
            "fields": {
                "project": {"key": "OPS"},
                "issuetype": {"name": "Return"},
                "summary": "Parcel back from Leeds",
            }
        },
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    moves = session.get(f"{sandbox_site.url}/rest/api/3/issue/{key}/transitions").json()
    receive = next(t for t in moves["transitions"] if t["name"] == "Receive")
    session.post(
        f"{sandbox_site.url}/rest/api/3/issue/{key}/transitions",
        json={"transition": {"id": receive["id"]}},
    )
    without = WORKFLOW.replace("  - {name: Received, category: in_progress}\n", "").replace(
        "  - {name: Receive, from: Requested, to: Received}\n"
        "  - {name: Refund, from: Received, to: Refunded}\n",
        "  - {name: Refund, from: Requested, to: Refunded}\n",
    )
    write(project, without)
    refused = only(plan_for(project, confluence), "workflow", "workflow/Returns")
    assert refused.action == "conflict"
    assert "jira.yaml:1:1" in (refused.reason or "")
    assert "Received" in (refused.reason or "")
    assert "status_mapping" in (refused.reason or "")
    write(project, without + "status_mapping: {Received: Requested}\n")
    mapped = plan_for(project, confluence)
    assert only(mapped, "workflow", "workflow/Returns").action == "update"
    apply(mapped, confluence)
    issue = session.get(f"{sandbox_site.url}/rest/api/3/issue/{key}?fields=status").json()
    assert issue["fields"]["status"]["name"] == "Requested"


def test_a_validation_error_from_jira_shows_in_plan_at_the_definition(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(
        tmp_path / "p",
        "kind: page\nname: intro\ntitle: Intro\nbody: intro.md\n",
        WORKFLOW.replace("{name: Refund, from: Received, to: Refunded}",
                         "{name: Refund, from: Received, to: Refunded, requires: [No Such Field]}"),
    )  # fmt: skip
    (project / "intro.md").write_text("Hello\n")
    plan = plan_for(project, confluence)
    refused = only(plan, "workflow", "workflow/Returns")
    assert refused.action == "conflict"
    assert (refused.reason or "").startswith(f"{project / 'jira.yaml'}:6:1: Jira refuses")
    assert "'No Such Field'" in (refused.reason or "")
    writes = sum(1 for method, _, _ in sandbox_site.requests if method not in ("GET",))
    assert writes == sum(
        1 for _, path, _ in sandbox_site.requests if path.endswith("/validation")
    )  # planning sent only validations


def test_a_project_with_issues_is_switched_to_its_scheme_through_a_task(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    session = rest(sandbox_site)
    created = session.post(
        f"{sandbox_site.url}/rest/api/3/issue",
        json={
            "fields": {
                "project": {"key": "OPS"},
                "issuetype": {"name": "Task"},
                "summary": "Count the stock",
            }
        },
    )
    assert created.status_code == 201, created.text
    sandbox_site.state.set_task_timing(polls=3)
    project = write(tmp_path / "p", WORKFLOW)
    apply(plan_for(project, confluence), confluence)
    paths = [path for method, path, _ in sandbox_site.requests if method in ("POST", "PUT")]
    assert any(p.endswith("/workflowscheme/project/switch") for p in paths)
    polls = sum(1 for _, path, _ in sandbox_site.requests if "/rest/api/3/task/" in path)
    assert polls >= 3
    ops = sandbox_site.state.project_by_key("OPS")
    assert ops is not None
    assert sandbox_site.state.table("workflowschemes")[ops["workflowSchemeId"]]["name"] == (
        "OPS workflows"
    )
    assert not plan_for(project, confluence).has_changes


def test_options_are_added_reordered_renamed_and_disabled_never_deleted(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p", FIELD)
    apply(plan_for(project, confluence), confluence)
    changed = FIELD.replace(
        "options: [Store, Post, Courier]",
        "options: [Courier, Royal Mail, Parcel locker]\nrenamed_options: {Post: Royal Mail}",
    )
    write(project, changed)
    change = only(plan_for(project, confluence), "field", "field/Return Channel")
    assert change.action == "update"
    assert any("options" in line for line in describe(change))
    apply(plan_for(project, confluence), confluence)
    field = next(
        f for f in sandbox_site.state.table("fields").values() if f["name"] == "Return Channel"
    )
    session = rest(sandbox_site)
    base = f"{sandbox_site.url}/rest/api/3/field/{field['id']}/context"
    context = next(c for c in session.get(base).json()["values"] if c["name"] == "Operations")
    options = session.get(f"{base}/{context['id']}/option").json()["values"]
    enabled = [o["value"] for o in options if not o.get("disabled")]
    assert enabled == ["Courier", "Royal Mail", "Parcel locker"]
    assert [o["value"] for o in options if o.get("disabled")] == ["Store"]
    assert not plan_for(project, confluence).has_changes


@pytest.mark.parametrize("kind", ["filter", "field"])
def test_an_owned_object_edited_by_hand_is_drift(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle, kind: str
) -> None:
    text = FIELD if kind == "field" else "kind: filter\nname: Returns waiting\njql: project = OPS\n"
    project = write(tmp_path / "p", text)
    apply(plan_for(project, confluence), confluence)
    session = rest(sandbox_site)
    if kind == "field":
        field = next(
            f for f in sandbox_site.state.table("fields").values() if f["name"] == "Return Channel"
        )
        base = f"{sandbox_site.url}/rest/api/3/field/{field['id']}/context"
        context = next(c for c in session.get(base).json()["values"] if c["name"] == "Operations")
        session.post(f"{base}/{context['id']}/option", json={"options": [{"value": "Drone"}]})
        write(project, FIELD.replace("Courier]", "Courier, Van]"))
    else:
        found = next(iter(sandbox_site.state.table("filters").values()))
        body = {"name": found["name"], "jql": "project = OPS AND status = Done",
                "description": found["description"]}  # fmt: skip
        session.put(f"{sandbox_site.url}/rest/api/3/filter/{found['id']}", json=body)
        write(project, text.replace("project = OPS", "project = OPS ORDER BY created"))
    change = next(c for c in plan_for(project, confluence).changes if c.resource == kind)
    assert change.action == "drifted"


def test_declared_board_columns_that_differ_are_warnings_with_steps(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    board = """\
kind: filter
name: Returns board
jql: project = OPS ORDER BY Rank
---
kind: board
name: Returns
type: kanban
filter: Returns board
project: OPS
columns: [{name: Waiting, statuses: [To Do]}, {name: Done, statuses: [Done]}]
swimlanes: assignees
quick_filters: [{name: Mine, jql: assignee = currentUser()}]
"""
    project = write(tmp_path / "p", board)
    apply(plan_for(project, confluence), confluence)
    plan = plan_for(project, confluence)
    assert not plan.has_changes
    warnings = plan.all_warnings()
    assert any("columns differ" in w and "Board settings > Columns" in w for w in warnings)
    assert any("swimlanes" in w and "assignees" in w for w in warnings)
    assert any("quick filter 'Mine'" in w for w in warnings)
    made = next(b for b in sandbox_site.state.table("boards").values() if b["name"] == "Returns")
    props = rest(sandbox_site).get(
        f"{sandbox_site.url}/rest/agile/1.0/board/{made['id']}/properties/teamcomms"
    )
    assert props.json()["value"]["definition"] == "board/Returns"


def test_another_configuration_task_running_is_waited_out(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    from tests.resources.conftest import connect_to

    project = write(tmp_path / "p", WORKFLOW)
    for path in ("/rest/api/3/workflows/create", "/rest/api/3/workflows/create"):
        sandbox_site.faults.inject("conflict409", method="POST", path=path)
    with connect_to(sandbox_site) as site:
        apply(plan_for(project, site), site)
        assert not plan_for(project, site).has_changes
    kinds = [kind for kind, _, _ in sandbox_site.faults.injected]
    assert kinds.count("conflict409") == 2
    creates = [s for m, p, s in sandbox_site.requests if p == "/rest/api/3/workflows/create"]
    assert creates == [409, 409, 200]
    assert (
        len([w for w in sandbox_site.state.table("workflows").values() if w["name"] == "Returns"])
        == 1
    )
