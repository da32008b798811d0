"""Standup and report figures over the known history of conftest.py, compared with values
worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from teamcomms.engine.workspace import load_workspace
from teamcomms.resources.reports import compute_report, pick_report
from teamcomms.resources.standups import compute_standup, pick_standup
from teamcomms.site import jira_history
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.standups.conftest import NOW


def keys(lines: object) -> list[str]:
    return [line.key for line in lines]  # type: ignore[attr-defined]


def test_standup_figures_match_the_history(
    seeded: SandboxHandle, site: Site, project: Path
) -> None:
    loaded = load_workspace(project).project
    figures = compute_standup(site, loaded, pick_standup(loaded, None), date(2026, 11, 27))
    # Thursday 26 is Thanksgiving: the previous working day is Wednesday 25.
    assert figures.since == date(2026, 11, 25)
    people = {p.name: p for p in figures.people}
    assert list(people) == ["Alice Example", "Bob Example", "Others"]
    alice, bob, others = people["Alice Example"], people["Bob Example"], people["Others"]
    # OPS-1 closed Wed 18 and OPS-8 Tue 24: before the window; OPS-9 closed on the holiday.
    assert (keys(alice.done), keys(alice.in_progress)) == (["OPS-9"], [])
    assert (keys(alice.blocked), keys(alice.overdue)) == ([], [])
    # OPS-3 is flagged, OPS-4 in the Blocked status; OPS-5 was due Wednesday 25.
    assert keys(bob.blocked) == ["OPS-3", "OPS-4"]
    assert keys(bob.in_progress) == ["OPS-5"]
    assert keys(bob.overdue) == ["OPS-5"]
    assert keys(bob.done) == []
    # Carol is not in the standup; her issue is not hidden.
    assert keys(others.in_progress) == ["OPS-6"]
    # OPS-7 (unassigned, label deploy) is due Monday 30, the next working day; OPS-8 is done.
    assert [(d.key, d.due) for d in figures.deployments] == [("OPS-7", date(2026, 11, 30))]
    assert figures.totals() == {
        "done": 1,
        "in_progress": 2,
        "blocked": 2,
        "overdue": 1,
        "deployments": 1,
    }
    assert figures.action_items == (
        "OPS-3: unblock 'Carrier API' (Bob Example)",
        "OPS-4: unblock 'Returns cage' (Bob Example)",
        "OPS-5: agree a new due date (was 2026-11-25) (Bob Example)",
    )


def test_the_monday_standup_counts_from_friday(
    seeded: SandboxHandle, site: Site, project: Path
) -> None:
    loaded = load_workspace(project).project
    figures = compute_standup(site, loaded, pick_standup(loaded, "ops"), date(2026, 11, 23))
    assert figures.since == date(2026, 11, 20)
    alice = next(p for p in figures.people if p.name == "Alice Example")
    # OPS-2 closed Friday 20 10:00; OPS-1 on Wednesday 18 is too early.
    assert keys(alice.done) == ["OPS-2"]


def test_report_figures_for_the_week_match_the_history(
    seeded: SandboxHandle, site: Site, project: Path
) -> None:
    loaded = load_workspace(project).project
    report = pick_report(loaded, None)
    figures = compute_report(site, loaded, report, "week", date(2026, 11, 25), NOW)
    assert (figures.window.start, figures.window.end) == (date(2026, 11, 23), date(2026, 11, 30))
    # Nothing was created in the week of the 23rd; OPS-8 (Tue 24) and OPS-9 (Thu 26) were done.
    assert (figures.created, figures.resolved) == (0, 2)
    assert [(w.label, w.created, w.resolved) for w in figures.weeks] == [("2026-W48", 0, 2)]
    # OPS-9: Doing Wed 25 16:00 -> Closed Thu 26 12:00 = 20 h; OPS-8 was never in progress.
    (cycle,) = figures.cycle_times
    assert (cycle.workflow, cycle.count, cycle.median, cycle.longest) == ("Delivery", 1, 0.8, 0.8)
    assert dict(figures.wip_by_status) == {"Doing": 3, "Blocked": 1}
    assert dict(figures.wip_by_person) == {"Bob Example": 3, "Carol Example": 1}
    assert [o.key for o in figures.oldest_open] == ["OPS-3", "OPS-4", "OPS-5", "OPS-6", "OPS-7"]
    # OPS-3 was created Mon 16 09:02; the report is made Fri 27 08:00: 10 whole days.
    assert figures.oldest_open[0].age_days == 10


def test_report_figures_for_the_month(seeded: SandboxHandle, site: Site, project: Path) -> None:
    loaded = load_workspace(project).project
    figures = compute_report(
        site, loaded, pick_report(loaded, None), "month", date(2026, 11, 27), NOW
    )
    assert (figures.created, figures.resolved) == (9, 4)
    # Every ISO week touching November (Sunday 1 is in W44, Monday 30 in W49), cut to the
    # month: W47 holds the creates and OPS-1, OPS-2 done; W48 OPS-8 and OPS-9.
    assert [(w.label, w.created, w.resolved) for w in figures.weeks] == [
        ("2026-W44", 0, 0),
        ("2026-W45", 0, 0),
        ("2026-W46", 0, 0),
        ("2026-W47", 9, 2),
        ("2026-W48", 0, 2),
        ("2026-W49", 0, 0),
    ]
    # Cycle times: OPS-1 26 h (1.08 d), OPS-2 24 h (1.0 d), OPS-9 20 h (0.83 d).
    (cycle,) = figures.cycle_times
    assert (cycle.count, cycle.median, cycle.mean, cycle.longest) == (3, 1.0, 1.0, 1.1)


def test_bulk_changelogs_follow_the_next_page_token(
    seeded: SandboxHandle, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [f"OPS-{n}" for n in range(1, 10)]
    whole = site.jira.changelogs(keys, field_ids=["status"])
    monkeypatch.setattr(jira_history, "BULK_RESULTS", 2)
    before = seeded.count("POST", "/rest/api/3/changelog/bulkfetch")
    paged = site.jira.changelogs(keys, field_ids=["status"])
    assert paged == whole
    assert sum(len(logs) for logs in whole.values()) == 12  # the status moves of HISTORY
    assert seeded.count("POST", "/rest/api/3/changelog/bulkfetch") - before == 6
