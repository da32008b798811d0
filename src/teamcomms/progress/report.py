"""A progress report's figures for one period.

- *created* / *resolved*: issues created in the period, and issues done in it (the last time
  they entered a done status), in total and per ISO week;
- *throughput*: issues done per week;
- *cycle time*, per workflow: for each issue done in the period, the days from the first time
  it entered an in-progress status to when it was done (issues that never were in progress are
  left out), with the workflow's status categories deciding what counts as which;
- *work in progress*: open issues in an in-progress status, per status and per person;
- *oldest open*: the open issues created longest ago.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from teamcomms.progress.facts import IssueFacts
from teamcomms.progress.periods import Window

UNASSIGNED = "Unassigned"


@dataclass(frozen=True)
class WeekFigures:
    """One ISO week of the period."""

    monday: date
    created: int
    resolved: int

    @property
    def label(self) -> str:
        """``2026-W47``."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class CycleTime:
    """Cycle times of the issues of one workflow done in the period, in days."""

    workflow: str
    count: int
    median: float
    mean: float
    longest: float


@dataclass(frozen=True)
class OpenIssue:
    """An open issue and how long ago it was created."""

    key: str
    summary: str
    status: str
    assignee: str | None
    created: date
    age_days: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything a progress report shows for one period."""

    name: str
    window: Window
    projects: tuple[str, ...]
    created: int
    resolved: int
    weeks: tuple[WeekFigures, ...]
    cycle_times: tuple[CycleTime, ...]
    wip_by_status: tuple[tuple[str, int], ...]
    wip_by_person: tuple[tuple[str, int], ...]
    oldest_open: tuple[OpenIssue, ...]
    as_of: datetime

    def to_json(self) -> dict[str, Any]:
        """The report's JSON (``format_version`` is added by the command)."""
        return {
            "report": self.name,
            "period": self.window.period,
            "label": self.window.label,
            "start": self.window.start.isoformat(),
            "end": self.window.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "projects": list(self.projects),
            "created": self.created,
            "resolved": self.resolved,
            "weeks": [
                {
                    "week": w.label,
                    "monday": w.monday.isoformat(),
                    "created": w.created,
                    "resolved": w.resolved,
                }
                for w in self.weeks
            ],
            "cycle_time_days": [
                {
                    "workflow": c.workflow,
                    "count": c.count,
                    "median": c.median,
                    "mean": c.mean,
                    "longest": c.longest,
                }
                for c in self.cycle_times
            ],
            "wip_by_status": dict(self.wip_by_status),
            "wip_by_person": dict(self.wip_by_person),
            "oldest_open": [
                {
                    "key": o.key,
                    "summary": o.summary,
                    "status": o.status,
                    "assignee": o.assignee,
                    "created": o.created.isoformat(),
                    "age_days": o.age_days,
                }
                for o in self.oldest_open
            ],
        }


def report_figures(
    name: str,
    projects: Sequence[str],
    issues: Iterable[IssueFacts],
    period: Window,
    *,
    workflow_of: Callable[[IssueFacts], str],
    zone: tzinfo,
    now: datetime,
    oldest: int = 10,
) -> ReportFigures:
    """The figures of ``period`` (see the module docstring). ``workflow_of`` names the workflow
    an issue follows; ``now`` is when the report is made (ages and work in progress)."""
    issues = list(issues)
    start = _at(period.start, zone)
    end = _at(period.end, zone)
    created = [i for i in issues if start <= i.created < end]
    resolved = [i for i in issues if (d := i.done_at) is not None and start <= d < end]
    weeks = []
    for monday in period.weeks():
        # Weeks are cut to the period, so the weekly figures add up to the period's.
        low, high = max(_at(monday, zone), start), min(_at(monday + timedelta(weeks=1), zone), end)
        weeks.append(
            WeekFigures(
                monday,
                created=sum(1 for i in created if low <= i.created < high),
                resolved=sum(1 for i in resolved if low <= (i.done_at or high) < high),
            )
        )
    open_issues = [i for i in issues if i.category != "done"]
    in_progress = [i for i in open_issues if i.category == "in_progress"]
    by_status = Counter(i.status for i in in_progress)
    by_person = Counter(i.assignee_name or UNASSIGNED for i in in_progress)
    oldest_open = sorted(open_issues, key=lambda i: (i.created, i.key))[:oldest]
    return ReportFigures(
        name=name,
        window=period,
        projects=tuple(projects),
        created=len(created),
        resolved=len(resolved),
        weeks=tuple(weeks),
        cycle_times=_cycle_times(resolved, workflow_of),
        wip_by_status=tuple(sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
        wip_by_person=tuple(sorted(by_person.items(), key=lambda kv: (-kv[1], kv[0]))),
        oldest_open=tuple(
            OpenIssue(
                i.key,
                i.summary,
                i.status,
                i.assignee_name,
                i.created.astimezone(zone).date(),
                (now - i.created).days,
            )
            for i in oldest_open
        ),
        as_of=now,
    )


def _cycle_times(
    resolved: Sequence[IssueFacts], workflow_of: Callable[[IssueFacts], str]
) -> tuple[CycleTime, ...]:
    days: dict[str, list[float]] = {}
    for issue in resolved:
        started, done = issue.started_at, issue.done_at
        if started is None or done is None or done < started:
            continue
        days.setdefault(workflow_of(issue), []).append((done - started).total_seconds() / 86400)
    return tuple(
        CycleTime(
            workflow=name,
            count=len(values),
            median=round(statistics.median(values), 1),
            mean=round(statistics.fmean(values), 1),
            longest=round(max(values), 1),
        )
        for name, values in sorted(days.items())
    )


def _at(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), zone)
