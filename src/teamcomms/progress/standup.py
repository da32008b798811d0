"""A standup's figures: per person, what was done since the previous working day, what is in
progress, blocked and overdue; and the team's deployments due.

Rules (see docs/standups-and-reports.md):
- *done*: in a done status now, and entered it since the start of the previous working day
  (in the standup's time zone) and before the end of the standup's date;
- *blocked*: not done, and flagged or in one of the definition's blocked statuses;
- *in progress*: in an in-progress status and not blocked;
- *overdue*: not done, due before the standup's date;
- *deployments due*: not done, marked with the definition's fix version or label, due (the
  version's release date, else the issue's due date) by the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from teamcomms.definitions.due import WorkingDays
from teamcomms.progress.facts import IssueFacts

UNASSIGNED = "Unassigned"
OTHERS = "Others"


@dataclass(frozen=True)
class Member:
    """Someone in the standup: the email the definition names, and the account it belongs to."""

    email: str
    account_id: str | None = None
    """``None`` when the site has no active user with this email."""
    name: str | None = None


@dataclass(frozen=True)
class IssueLine:
    """An issue as a standup lists it."""

    key: str
    summary: str
    status: str
    due: date | None = None
    assignee: str | None = None
    flagged: bool = False

    def to_json(self) -> dict[str, Any]:
        """The issue's entry in the standup JSON."""
        return {
            "key": self.key,
            "summary": self.summary,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
            "assignee": self.assignee,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class PersonFigures:
    """One person's part of the standup."""

    name: str
    email: str | None = None
    done: tuple[IssueLine, ...] = ()
    in_progress: tuple[IssueLine, ...] = ()
    blocked: tuple[IssueLine, ...] = ()
    overdue: tuple[IssueLine, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The person's entry in the standup JSON."""
        return {
            "name": self.name,
            "email": self.email,
            **{
                part: [line.to_json() for line in getattr(self, part)]
                for part in ("done", "in_progress", "blocked", "overdue")
            },
        }


@dataclass(frozen=True)
class Deployment:
    """A deployment due: an open issue with the standup's fix version or label."""

    key: str
    summary: str
    status: str
    due: date
    assignee: str | None = None
    version: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The deployment's entry in the standup JSON."""
        return {
            "key": self.key,
            "summary": self.summary,
            "status": self.status,
            "due": self.due.isoformat(),
            "assignee": self.assignee,
            "version": self.version,
        }


@dataclass(frozen=True)
class StandupRules:
    """What the definition says about reading the issues."""

    blocked_statuses: tuple[str, ...] = ("Blocked",)
    fix_version: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class StandupFigures:
    """Everything a standup shows."""

    name: str
    team: str
    day: date
    since: date
    """The previous working day: done counts from its start."""
    people: tuple[PersonFigures, ...]
    deployments: tuple[Deployment, ...] = ()
    action_items: tuple[str, ...] = field(default=())
    """One suggested action per blocked or overdue issue (the page's task list)."""

    def totals(self) -> dict[str, int]:
        """How many issues in each part, over everyone."""
        return {
            part: sum(len(getattr(p, part)) for p in self.people)
            for part in ("done", "in_progress", "blocked", "overdue")
        } | {"deployments": len(self.deployments)}

    def to_json(self) -> dict[str, Any]:
        """The standup's JSON (``format_version`` is added by the command)."""
        return {
            "standup": self.name,
            "team": self.team,
            "date": self.day.isoformat(),
            "since": self.since.isoformat(),
            "totals": self.totals(),
            "people": [p.to_json() for p in self.people],
            "deployments": [d.to_json() for d in self.deployments],
            "action_items": list(self.action_items),
        }


def previous_working_day(day: date, calendar: WorkingDays) -> date:
    """The last working day before ``day``."""
    before = day - timedelta(days=1)
    while not calendar.is_working(before):
        before -= timedelta(days=1)
    return before


def next_working_day(day: date, calendar: WorkingDays) -> date:
    """The first working day after ``day``."""
    after = day + timedelta(days=1)
    while not calendar.is_working(after):
        after += timedelta(days=1)
    return after


def standup_figures(
    name: str,
    team: str,
    issues: Iterable[IssueFacts],
    members: Sequence[Member],
    day: date,
    *,
    calendar: WorkingDays,
    zone: tzinfo,
    rules: StandupRules = StandupRules(),
) -> StandupFigures:
    """The figures of the standup held on ``day`` (see the module docstring)."""
    since = previous_working_day(day, calendar)
    start = datetime.combine(since, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    blocked_names = {s.casefold() for s in rules.blocked_statuses}
    parts: dict[str, dict[str, list[IssueLine]]] = {}
    names: dict[str, str] = {}
    by_account = {m.account_id: m for m in members if m.account_id}
    issues = sorted(issues, key=lambda i: _key_order(i.key))
    for issue in issues:
        owner = _owner(issue, by_account, bool(members))
        names.setdefault(owner, _display(issue, by_account, owner))
        line = IssueLine(
            issue.key,
            issue.summary,
            issue.status,
            issue.due,
            issue.assignee_name,
            issue.flagged,
        )
        bucket = parts.setdefault(owner, {})
        done_at = issue.done_at
        if done_at is not None:
            if start <= done_at < end:
                bucket.setdefault("done", []).append(line)
            continue
        blocked = issue.flagged or issue.status.casefold() in blocked_names
        if blocked:
            bucket.setdefault("blocked", []).append(line)
        elif issue.category == "in_progress":
            bucket.setdefault("in_progress", []).append(line)
        if issue.due is not None and issue.due < day:
            bucket.setdefault("overdue", []).append(line)
    people = [
        _person(
            names.get(m.account_id or m.email) or m.name or m.email,
            m.email,
            parts.get(m.account_id or m.email, {}),
        )
        for m in members
    ]
    for extra in (OTHERS, UNASSIGNED) if members else ():
        if parts.get(extra):
            people.append(_person(extra, None, parts[extra]))
    if not members:
        owners = sorted((o for o in parts if o != UNASSIGNED), key=lambda o: names[o].casefold())
        people = [_person(names[o], None, parts[o]) for o in owners]
        if parts.get(UNASSIGNED):
            people.append(_person(UNASSIGNED, None, parts[UNASSIGNED]))
    deployments = _deployments(issues, rules, next_working_day(day, calendar))
    return StandupFigures(
        name=name,
        team=team,
        day=day,
        since=since,
        people=tuple(people),
        deployments=deployments,
        action_items=_action_items(people, day),
    )


def _owner(issue: IssueFacts, members: Mapping[str, Member], listed: bool) -> str:
    if issue.assignee is None:
        return UNASSIGNED
    if listed and issue.assignee not in members:
        return OTHERS
    return issue.assignee


def _display(issue: IssueFacts, members: Mapping[str, Member], owner: str) -> str:
    if owner in (UNASSIGNED, OTHERS):
        return owner
    member = members.get(owner)
    return (member.name if member else None) or issue.assignee_name or owner


def _person(name: str, email: str | None, parts: Mapping[str, list[IssueLine]]) -> PersonFigures:
    return PersonFigures(
        name=name,
        email=email,
        done=tuple(parts.get("done", ())),
        in_progress=tuple(parts.get("in_progress", ())),
        blocked=tuple(parts.get("blocked", ())),
        overdue=tuple(parts.get("overdue", ())),
    )


def _deployments(
    issues: Iterable[IssueFacts], rules: StandupRules, by: date
) -> tuple[Deployment, ...]:
    found: list[Deployment] = []
    for issue in issues:
        if issue.category == "done":
            continue
        due: date | None = None
        version: str | None = None
        if rules.fix_version is not None:
            versions = [v for v in issue.fix_versions if v.name == rules.fix_version]
            if not versions:
                continue
            version = versions[0].name
            due = versions[0].release_date or issue.due
        elif rules.label is not None:
            if rules.label not in issue.labels:
                continue
            due = issue.due
        else:
            return ()
        if due is not None and due <= by:
            found.append(
                Deployment(
                    issue.key, issue.summary, issue.status, due, issue.assignee_name, version
                )
            )
    return tuple(sorted(found, key=lambda d: (d.due, _key_order(d.key))))


def _action_items(people: Sequence[PersonFigures], day: date) -> tuple[str, ...]:
    items: list[str] = []
    for person in people:
        for line in person.blocked:
            items.append(f"{line.key}: unblock {line.summary!r} ({person.name})")
        for line in person.overdue:
            was = line.due.isoformat() if line.due else "?"
            items.append(f"{line.key}: agree a new due date (was {was}) ({person.name})")
    return tuple(items)


def _key_order(key: str) -> tuple[str, int]:
    project, _, number = key.rpartition("-")
    return (project, int(number) if number.isdigit() else 0)
