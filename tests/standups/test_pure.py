"""Periods, JQL edits and the standup rules that the sandbox cannot show (fix versions)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from teamcomms.definitions.due import WorkingDays
from teamcomms.progress.facts import FixVersion, IssueFacts, StatusChange
from teamcomms.progress.jql import narrowed, split_order_by
from teamcomms.progress.periods import window
from teamcomms.progress.report import report_figures
from teamcomms.progress.standup import StandupRules, previous_working_day, standup_figures
from teamcomms.resources.progress_read import issue_facts, jira_time
from teamcomms.site.jira_issues import issue_from_json


@pytest.mark.parametrize(
    ("jql", "where", "order"),
    [
        ("project = OPS ORDER BY key", "project = OPS", "ORDER BY key"),
        ('summary ~ "order by" order  by created', 'summary ~ "order by"', "order  by created"),
        ("project = OPS", "project = OPS", ""),
        ("ORDER BY rank", "", "ORDER BY rank"),
        ("reorder by = 1", "reorder by = 1", ""),
    ],
)
def test_order_by_is_split_off_outside_quotes(jql: str, where: str, order: str) -> None:
    assert split_order_by(jql) == (where, order)


def test_clauses_are_and_ed_before_the_ordering() -> None:
    assert (
        narrowed("a = 1 OR b = 2 ORDER BY key", "c = 3")
        == "(a = 1 OR b = 2) AND (c = 3) ORDER BY key"
    )


@pytest.mark.parametrize(
    ("period", "day", "start", "end", "label"),
    [
        ("day", date(2026, 11, 27), date(2026, 11, 27), date(2026, 11, 28), "2026-11-27"),
        ("week", date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 30), "2026-W48"),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("quarter", date(2026, 11, 27), date(2026, 10, 1), date(2027, 1, 1), "2026-Q4"),
        ("year", date(2026, 2, 1), date(2026, 1, 1), date(2027, 1, 1), "2026"),
        ("week", date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 4), "2026-W53"),
    ],
)
def test_periods(period: str, day: date, start: date, end: date, label: str) -> None:
    span = window(period, day)  # type: ignore[arg-type]
    assert (span.start, span.end, span.label) == (start, end, label)


def test_the_previous_working_day_skips_weekends_holidays_and_days_off() -> None:
    us = WorkingDays("US", days_off=frozenset({date(2026, 12, 24)}))
    assert previous_working_day(date(2026, 11, 30), us) == date(2026, 11, 27)  # Monday
    assert previous_working_day(date(2026, 11, 27), us) == date(2026, 11, 25)  # Thanksgiving
    assert previous_working_day(date(2026, 12, 28), us) == date(2026, 12, 23)  # 24th, 25th off


def test_deployments_by_fix_version_use_the_release_date() -> None:
    at = datetime(2026, 11, 2, tzinfo=UTC)
    version = FixVersion("2026.12", release_date=date(2026, 11, 30))
    issues = [
        IssueFacts("OPS-1", "Ship", "OPS", "Task", "Open", "todo", at, fix_versions=(version,)),
        IssueFacts("OPS-2", "Later", "OPS", "Task", "Open", "todo", at, due=date(2026, 11, 28),
                   fix_versions=(FixVersion("2027.01"),)),
        IssueFacts("OPS-3", "Done", "OPS", "Task", "Closed", "done", at, fix_versions=(version,)),
    ]  # fmt: skip
    figures = standup_figures(
        "s", "T", issues, [], date(2026, 11, 27), calendar=WorkingDays("US"), zone=UTC,
        rules=StandupRules(fix_version="2026.12"),
    )  # fmt: skip
    assert [(d.key, d.due, d.version) for d in figures.deployments] == [
        ("OPS-1", date(2026, 11, 30), "2026.12")
    ]


def test_a_searched_issue_becomes_facts() -> None:
    bean = {
        "id": "10001",
        "key": "OPS-1",
        "fields": {
            "summary": "Ship",
            "status": {"name": "Doing", "statusCategory": {"key": "indeterminate"}},
            "created": "2026-11-16T09:05:00.000+0000",
            "statuscategorychangedate": "2026-11-17T10:00:00.000-0800",
            "fixVersions": [{"name": "2026.12", "releaseDate": "2026-11-30", "released": False}],
            "customfield_10021": [{"value": "Impediment"}],
            "duedate": "2026-11-20",
        },
    }
    facts = issue_facts(issue_from_json(bean), "customfield_10021")
    assert facts.category == "in_progress" and facts.flagged
    assert facts.category_changed == datetime(2026, 11, 17, 18, 0, tzinfo=UTC)
    assert facts.fix_versions == (FixVersion("2026.12", date(2026, 11, 30), False),)
    assert facts.due == date(2026, 11, 20)
    assert jira_time("2026-11-16T09:05:00+00:00") == datetime(2026, 11, 16, 9, 5, tzinfo=UTC)


def test_overdue_means_due_before_the_standup_day() -> None:
    at = datetime(2026, 11, 2, tzinfo=UTC)
    issues = [
        IssueFacts("OPS-1", "Today", "OPS", "Task", "Doing", "in_progress", at, assignee="a",
                   due=date(2026, 11, 27)),
        IssueFacts("OPS-2", "Yesterday", "OPS", "Task", "Open", "todo", at, assignee="a",
                   due=date(2026, 11, 26)),
    ]  # fmt: skip
    figures = standup_figures(
        "s", "T", issues, [], date(2026, 11, 27), calendar=WorkingDays("US"), zone=UTC
    )
    (person,) = figures.people
    assert [i.key for i in person.overdue] == ["OPS-2"]
    assert [i.key for i in person.in_progress] == ["OPS-1"]


def test_cycle_time_starts_at_the_first_start_and_counts_only_the_period() -> None:
    def moved(day: int, to: str, category: str) -> StatusChange:
        return StatusChange(datetime(2026, 11, day, 9, tzinfo=UTC), None, to, category)  # type: ignore[arg-type]

    history = (
        moved(2, "Doing", "in_progress"),
        moved(3, "Open", "todo"),
        moved(5, "Doing", "in_progress"),
        moved(6, "Closed", "done"),
    )
    created = datetime(2026, 11, 1, tzinfo=UTC)
    issues = [
        IssueFacts("OPS-1", "s", "OPS", "Task", "Closed", "done", created, history=history),
        IssueFacts(
            "OPS-2", "late", "OPS", "Task", "Open", "todo", datetime(2026, 11, 9, tzinfo=UTC)
        ),
    ]
    figures = report_figures(
        "r", ["OPS"], issues, window("week", date(2026, 11, 4)), workflow_of=lambda i: "W",
        zone=UTC, now=datetime(2026, 11, 9, tzinfo=UTC),
    )  # fmt: skip
    (cycle,) = figures.cycle_times
    assert (cycle.count, cycle.median) == (1, 4.0)  # from the first start, 2 November
    assert (figures.created, figures.resolved) == (0, 1)  # OPS-2 was made after the week
