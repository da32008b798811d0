"""Onboarding hires through plan and apply on the contract-checked sandbox: the done-when list
of issue 11."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from teamcomms.api import apply_plan, plan_onboarding, plan_project
from teamcomms.definitions.due import RelativeDue, WorkingDays
from teamcomms.engine.change import Change, Plan
from teamcomms.engine.runner import ApplyOptions, PlanBlocked
from teamcomms.engine.workspace import load_workspace
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.onboarding.conftest import CHECKLIST, write_project

ADDRESS = "hire/ada-lovelace"


def plan(project: Path, site: Site, **kwargs: Any) -> Plan:
    return plan_onboarding(load_workspace(project), site, **kwargs)


def apply(the_plan: Plan, site: Site) -> list[Any]:
    report = apply_plan(the_plan, site, ApplyOptions(workers=4))
    return [r for r in report.results if r.outcome != "done"]


def issues(sandbox: SandboxHandle) -> list[dict[str, Any]]:
    return [i for i in sandbox.state.table("issues").values() if "teamcomms" in i["properties"]]


def by_summary(sandbox: SandboxHandle) -> dict[str, dict[str, Any]]:
    return {i["fields"]["summary"]: i for i in issues(sandbox)}


def change(the_plan: Plan, resource: str) -> Change:
    (found,) = [c for c in the_plan.changes if c.resource == resource]
    return found


def test_a_hire_gets_an_epic_a_task_per_item_and_a_welcome_page(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    the_plan = plan(project, site)
    assert change(the_plan, "onboarding-epic").action == "create"
    assert change(the_plan, "onboarding-tasks").requires == ("onboarding-epic:hire/ada-lovelace",)
    before = Counter((m, p) for m, p, _ in sandbox_site.requests)
    assert apply(the_plan, site) == []
    made = Counter((m, p) for m, p, _ in sandbox_site.requests) - before
    assert made[("POST", "/rest/api/3/issue/bulk")] == 1
    assert made[("POST", "/rest/api/3/issue")] == 1
    found = by_summary(sandbox_site)
    epic = found["Onboarding: Ada Lovelace"]
    tasks = [i for i in issues(sandbox_site) if i is not epic]
    assert len(tasks) == 4
    assert {t["fields"]["parent"] for t in tasks} == {epic["id"]}
    users = {u["emailAddress"]: u["accountId"] for u in sandbox_site.state.table("users").values()}
    assert found["Laptop ready"]["fields"]["assignee"] == users["alice@teamcomms.invalid"]
    assert found["First-week check-in"]["fields"]["assignee"] == users["bob@teamcomms.invalid"]
    assert set(found["Laptop ready"]["fields"]["labels"]) >= {
        "onboarding", "developer", "hire-ada-lovelace", "teamcomms-onboarding",
    }  # fmt: skip
    link = found["Read the handbook"]["fields"]["description"]["content"][-1]["content"][1]
    assert link["marks"][0]["attrs"]["href"].endswith("/wiki/display/TEAM/Team+Handbook")
    page = sandbox_site.state.page_by_title("TEAM", "Welcome, Ada Lovelace")
    assert page is not None
    assert "hire-ada-lovelace" in str(page)


def test_a_second_run_creates_nothing(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan(project, site), site)
    again = plan(project, site)
    assert not again.has_changes, [c for c in again.changes if c.action != "no-op"]
    assert apply(again, site) == []
    assert len(issues(sandbox_site)) == 5


def test_a_new_checklist_item_is_added_on_the_next_run(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan(project, site), site)
    write_project(project, CHECKLIST + "  - {title: Meet the team, owner: manager, due: 3bd}\n")
    tasks = change(plan(project, site), "onboarding-tasks")
    assert tasks.action == "create"
    assert [w.spec.summary for w in tasks.detail.writes] == ["Meet the team"]
    apply(plan(project, site), site)
    assert len(issues(sandbox_site)) == 6


def test_a_changed_item_updates_untouched_tasks_and_leaves_moved_on_ones_alone(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan(project, site), site)
    moved = by_summary(sandbox_site)["Laptop ready"]
    site.jira.edit_issue(moved["key"], {"summary": "Laptop ready (ordered)"})
    changed = CHECKLIST.replace("due: -2d", "due: -5d").replace("due: 1w", "due: 2w")
    write_project(project, changed)
    tasks = change(plan(project, site), "onboarding-tasks")
    assert tasks.action == "update"
    assert [w.spec.summary for w in tasks.detail.writes] == ["First-week check-in"]
    assert [left.key for left in tasks.detail.left_alone] == [moved["key"]]
    apply(plan(project, site), site)
    assert by_summary(sandbox_site)["First-week check-in"]["fields"]["duedate"] == "2027-01-25"
    assert moved["fields"]["duedate"] == "2027-01-08"
    assert moved["fields"]["summary"] == "Laptop ready (ordered)"


def test_a_run_cut_off_after_the_epic_converges_without_duplicates(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    sandbox_site.faults.inject("reset-after", method="POST", path="/rest/api/3/issue/bulk")
    failures = apply(plan(project, site), site)
    # The bulk create landed but its answer was lost: the tasks were looked up, not re-sent.
    assert failures == []
    assert len(issues(sandbox_site)) == 5
    sandbox_site.faults.inject("reset-after", method="POST", path="/rest/api/3/issue")
    write_project(project, hires=(project / "hires.yaml").read_text().replace("ada", "eva"))
    failures = apply(plan(project, site), site)
    assert failures == []
    assert len(issues(sandbox_site)) == 10
    assert not plan(project, site).has_changes


def test_a_bulk_create_with_three_refused_items_keeps_the_rest_and_names_them(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    checklist = CHECKLIST + "".join(
        f"  - {{title: Extra {n}, owner: dan@teamcomms.invalid, due: 3bd}}\n" for n in range(3)
    )
    write_project(project, checklist)
    dan = sandbox_site.state.add_user("dan@teamcomms.invalid", "Dan Example")
    the_plan = plan(project, site)
    # Dan leaves between plan and apply: Jira refuses exactly his three tasks.
    with sandbox_site.state.lock:
        sandbox_site.state._changed_by_helper()
        del sandbox_site.state.table("users")[dan["accountId"]]
    (failed,) = apply(the_plan, site)
    assert failed.resource == "onboarding-tasks"
    assert failed.message.startswith("3 of 7 task(s) refused")
    assert all(f"'Extra {n}'" in failed.message for n in range(3))
    assert len(issues(sandbox_site)) == 5
    sandbox_site.state.add_user("dan@teamcomms.invalid", "Dan Example")
    tasks = change(plan(project, site), "onboarding-tasks")
    assert sorted(w.spec.summary for w in tasks.detail.writes) == ["Extra 0", "Extra 1", "Extra 2"]


def test_an_unknown_email_stops_the_plan_unless_tasks_may_be_unassigned(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    hires = (project / "hires.yaml").read_text().replace("bob@", "nobody@")
    write_project(project, hires=hires)
    blocked = plan(project, site)
    tasks = change(blocked, "onboarding-tasks")
    assert tasks.action == "conflict"
    assert "no Jira user has the email nobody@teamcomms.invalid" in (tasks.reason or "")
    assert "'First-week check-in'" in (tasks.reason or "")
    with pytest.raises(PlanBlocked):
        apply_plan(blocked, site)
    assert issues(sandbox_site) == []
    assert apply(plan(project, site, unassigned=True), site) == []
    assert by_summary(sandbox_site)["First-week check-in"]["fields"].get("assignee") is None


def test_search_lag_does_not_cause_duplicates(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    sandbox_site.faults.configure("search-lag:20")
    apply(plan(project, site), site)
    again = plan(project, site)
    assert not again.has_changes, [c for c in again.changes if c.action != "no-op"]
    apply(again, site)
    assert len(issues(sandbox_site)) == 5


def test_due_dates_skip_weekends_holidays_and_days_off(project: Path) -> None:
    from teamcomms.resources.onboarding_desired import desired_onboarding

    (hire,) = desired_onboarding(load_workspace(project)).hires
    due = {t.summary: t.due for t in hire.tasks}
    # Start Monday 2027-01-11; Wednesday the 13th is a company day off.
    assert due["Laptop ready"] == "2027-01-08"  # -2d is Saturday: the Friday before
    assert due["Read the handbook"] == "2027-01-12"
    assert due["Pair on the first change"] == "2027-01-14"  # skips the day off
    # 1w is Monday 18 January, Martin Luther King Jr. Day in the US: the next working day.
    assert due["First-week check-in"] == "2027-01-19"
    assert date.fromisoformat(hire.epic.due) == date(2027, 1, 19)
    calendar = WorkingDays("US", "CA", frozenset({date(2027, 1, 13)}))
    # Counting three business days from Monday skips the day off itself, not only lands past it.
    assert RelativeDue.parse("3bd").on(date(2027, 1, 11), calendar) == date(2027, 1, 15)
    assert RelativeDue.parse("-1bd").on(date(2027, 1, 19), calendar) == date(2027, 1, 15)


def test_plan_and_apply_carry_out_the_project_hires_too(
    project: Path, site: Site, sandbox_site: SandboxHandle
) -> None:
    the_plan = plan_project(load_workspace(project), site)
    kinds = {(c.resource, c.address) for c in the_plan.changes}
    assert ("onboarding-epic", ADDRESS) in kinds
    assert ("page", ADDRESS) in kinds
    assert apply(the_plan, site) == []
    assert not plan_project(load_workspace(project), site).has_changes
