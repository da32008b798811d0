"""Jira saved filters through plan and apply, on the contract-checked sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.change import Change, Plan
from teamcomms.engine.resource import Prune
from teamcomms.engine.runner import ApplyOptions, PlanBlocked
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources import jira_describe
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle

FILTERS = """\
kind: filter
name: Orders on hold
description: Orders waiting for stock or payment.
jql: project = OPS AND status = "To Do" ORDER BY created ASC
favourite: true
share:
  - {type: project, project: OPS}
  - {type: group, group: warehouse}
---
kind: filter
name: My work
jql: assignee = currentUser() ORDER BY updated DESC
"""


def write(root: Path, filters: str = FILTERS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text("name: T\ndefaults: {project: OPS}\n")
    (root / "filters.yaml").write_text(filters)
    return root


def plan_for(project: Path, site: Site, prune: Prune | None = None) -> Plan:
    return plan_project(load_workspace(project), site, prune=prune)


def apply(plan: Plan, site: Site, *, force: bool = False) -> None:
    report = apply_plan(plan, site, ApplyOptions(force=force))
    assert report.ok, [r for r in report.results if r.outcome != "done"]


def filters(sandbox: SandboxHandle) -> dict[str, dict[str, object]]:
    return {f["name"]: f for f in sandbox.state.table("filters").values()}


def only(plan: Plan, address: str) -> Change:
    (change,) = [c for c in plan.changes if c.address == address]
    return change


def test_filters_are_created_shared_and_then_unchanged(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p")
    plan = plan_for(project, confluence)
    assert {c.action for c in plan.changes if c.resource == "filter"} == {"create"}
    apply(plan, confluence)
    made = filters(sandbox_site)["Orders on hold"]
    assert made["favourite"] is True
    assert made["jql"] == 'project = OPS AND status = "To Do" ORDER BY created ASC'
    assert str(made["description"]).startswith("Orders waiting for stock or payment. [teamcomms")
    shares = {s["type"]: s for s in made["sharePermissions"]}  # type: ignore[attr-defined]
    ops = sandbox_site.state.project_by_key("OPS")
    assert ops is not None and shares["project"]["projectId"] == ops["id"]
    assert shares["group"]["group"] == "warehouse"
    again = plan_for(project, confluence)
    assert not again.has_changes, [c for c in again.changes if c.action != "no-op"]


def test_a_changed_jql_updates_the_same_filter_and_says_what_changed(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p")
    apply(plan_for(project, confluence), confluence)
    before = filters(sandbox_site)["My work"]["id"]
    write(project, FILTERS.replace("ORDER BY updated DESC", "ORDER BY priority DESC"))
    change = only(plan_for(project, confluence), "filter/My work")
    assert change.action == "update"
    assert jira_describe.describe(change) == [
        "jql: 'assignee = currentUser() ORDER BY updated DESC' -> "
        "'assignee = currentUser() ORDER BY priority DESC'"
    ]
    apply(plan_for(project, confluence), confluence)
    assert filters(sandbox_site)["My work"]["id"] == before
    assert "priority" in str(filters(sandbox_site)["My work"]["jql"])


def test_a_hand_made_filter_with_a_managed_name_is_a_conflict_until_adopted(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p")
    confluence.jira.create_filter(
        "My work", "project = OPS", description="mine", favourite=False, shares=()
    )
    plan = plan_for(project, confluence)
    conflict = only(plan, "filter/My work")
    assert conflict.action == "conflict"
    assert "adopt: true" in (conflict.reason or "")
    with pytest.raises(PlanBlocked):
        apply_plan(plan, confluence)
    assert filters(sandbox_site)["My work"]["jql"] == "project = OPS"
    write(project, FILTERS.replace("name: My work\n", "name: My work\nadopt: true\n"))
    adopting = plan_for(project, confluence)
    assert only(adopting, "filter/My work").action == "adopt"
    apply(adopting, confluence)
    assert "currentUser()" in str(filters(sandbox_site)["My work"]["jql"])
    assert not plan_for(project, confluence).has_changes


def test_a_filter_edited_by_hand_is_drift_and_needs_force(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p")
    apply(plan_for(project, confluence), confluence)
    filters(sandbox_site)["My work"]["jql"] = "assignee = currentUser() AND status != Done"
    write(project, FILTERS.replace("ORDER BY updated DESC", "ORDER BY priority DESC"))
    plan = plan_for(project, confluence)
    assert only(plan, "filter/My work").action == "drifted"
    with pytest.raises(PlanBlocked, match="drifted filter/My work"):
        apply_plan(plan, confluence)
    apply(plan, confluence, force=True)
    assert "priority" in str(filters(sandbox_site)["My work"]["jql"])


def test_prune_deletes_only_filters_teamcomms_created(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = write(tmp_path / "p")
    apply(plan_for(project, confluence), confluence)
    confluence.jira.create_filter(
        "Someone's filter", "project = OPS", description="", favourite=False, shares=()
    )
    write(project, FILTERS.split("---\n")[0])
    orphan = only(plan_for(project, confluence), "filter/My work")
    assert orphan.action == "orphan"
    pruning = plan_for(project, confluence, prune="delete")
    assert only(pruning, "filter/My work").action == "delete"
    apply(pruning, confluence)
    assert set(filters(sandbox_site)) == {"Orders on hold", "Someone's filter"}
    assert not plan_for(project, confluence, prune="delete").has_changes


def test_a_project_that_uses_no_jira_reads_no_filters(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "teamcomms.yaml").write_text("name: Docs\ndefaults: {space: TEAM}\n")
    plan_for(root, confluence)
    assert sandbox_site.count("GET", "/rest/api/3/filter") == 0


def test_a_filter_shared_with_a_project_role_is_not_read_as_shared_with_the_project(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    ops = confluence.jira.project("OPS")
    assert ops is not None
    made = confluence.jira._post(
        "filter",
        {
            "name": "Orders on hold",
            "jql": "project = OPS",
            "sharePermissions": [
                {"type": "projectRole", "project": {"id": ops.id}, "role": {"id": 10005}}
            ],
        },
    )
    assert made["sharePermissions"][0]["type"] == "project"  # as Jira answers it
    (found,) = [f for f in confluence.jira.list_filters() if f.name == "Orders on hold"]
    assert found.shares == ("project-role:OPS:Viewer",)
    # Adopting it with a project share is a visible widening, not a silent one.
    write(tmp_path / "p", FILTERS.split("---\n")[0] + "adopt: true\n")
    change = only(plan_for(tmp_path / "p", confluence), "filter/Orders on hold")
    assert change.action == "adopt"
    assert change.before is not None and change.after is not None
    assert change.before.values["share"] == ["project-role:OPS:Viewer"]
    assert change.after.values["share"] == ["group:warehouse", "project:OPS"]
