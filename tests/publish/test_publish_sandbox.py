"""Plan and apply over HTTP against the contract-checked sandbox."""

from __future__ import annotations

from pathlib import Path

from teamcomms.definitions import load_project
from teamcomms.publish.apply import apply_plan
from teamcomms.publish.changes import Plan
from teamcomms.publish.current import read_current
from teamcomms.publish.from_project import desired_state
from teamcomms.publish.plan import PlanOptions, compute_plan
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle


def plan_for(project: Path, confluence: Site, **options: object) -> Plan:
    desired = desired_state(load_project(project))
    current = read_current(confluence.confluence, desired.all_spaces)
    return compute_plan(desired, current, PlanOptions(**options))  # type: ignore[arg-type]


def test_first_apply_creates_pages_and_template_then_nothing_changes(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    plan = plan_for(project, confluence)
    assert plan.counts() == {"create": 3}
    report = apply_plan(plan, confluence.confluence, stats=lambda: confluence.stats)
    assert report.ok, report.results
    handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
    promise = sandbox_site.state.page_by_title("TEAM", "Our customer promise")
    assert handbook is not None and promise is not None
    assert promise["parentId"] == handbook["id"]
    assert "Northwind" in promise["body"]
    again = plan_for(project, confluence)
    assert again.counts() == {"no-op": 3}
    assert not again.has_changes
