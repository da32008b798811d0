"""Where each hire stands (``onboard status``) and closing what is left when a hire leaves or an
onboarding is cancelled (``offboard``), read from Jira.

Offboarding writes only comments and transitions: nothing is deleted, and only issues that carry
the hire's marker and are not done are touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from teamcomms.resources.onboarding_state import (
    MARKER_KEY,
    ONBOARDING_LABEL,
    Marker,
    hire_label,
)

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import RemoteIssue, Transition

DEFAULT_COMMENT = "Onboarding cancelled: this task is closed by teamcomms offboard."


@dataclass(frozen=True)
class ItemStatus:
    """One task of a hire, as Jira has it."""

    key: str
    summary: str
    status: str
    done: bool
    due: str | None
    overdue: bool
    assignee: str | None


@dataclass(frozen=True)
class HireStatus:
    """A hire's epic and how many of its tasks are done, open and overdue."""

    hire: str
    epic: str | None
    epic_summary: str
    items: tuple[ItemStatus, ...] = field(default=())

    @property
    def done(self) -> int:
        """Tasks in a Done-category status."""
        return sum(1 for i in self.items if i.done)

    @property
    def open(self) -> int:
        """Tasks not done."""
        return len(self.items) - self.done

    @property
    def overdue(self) -> int:
        """Open tasks whose due date has passed."""
        return sum(1 for i in self.items if i.overdue)

    def to_json(self) -> dict[str, object]:
        """As ``onboard status --format json`` prints it."""
        return {
            "hire": self.hire,
            "epic": self.epic,
            "epic_summary": self.epic_summary,
            "done": self.done,
            "open": self.open,
            "overdue": self.overdue,
            "items": [item.__dict__ for item in self.items],
        }


def _issues(site: Site, projects: Sequence[str], hires: Sequence[str]) -> list[RemoteIssue]:
    labels = ", ".join(f'"{hire_label(h)}"' for h in hires)
    jql = f"project in ({', '.join(projects)}) AND labels in ({labels}) ORDER BY key ASC"
    return site.jira.search(jql, properties=[MARKER_KEY])


def _owner(issue: RemoteIssue) -> Marker | None:
    return Marker.from_json(issue.properties.get(MARKER_KEY))


def hires_in_progress(site: Site, projects: Sequence[str]) -> list[str]:
    """Hires whose onboarding epic is not done."""
    jql = (
        f"project in ({', '.join(projects)}) AND labels = {ONBOARDING_LABEL} "
        "AND issuetype = Epic AND statusCategory != Done ORDER BY key ASC"
    )
    names = []
    for issue in site.jira.search(jql, properties=[MARKER_KEY]):
        marker = _owner(issue)
        if marker is not None and marker.definition.startswith("hire/"):
            names.append(marker.definition.removeprefix("hire/"))
    return list(dict.fromkeys(names))


def onboarding_status(
    site: Site, projects: Sequence[str], hires: Sequence[str], *, today: date
) -> list[HireStatus]:
    """Each hire's epic and tasks (only issues with the hire's marker count)."""
    if not hires or not projects:
        return []
    by_hire: dict[str, list[RemoteIssue]] = {h: [] for h in hires}
    for issue in _issues(site, projects, hires):
        marker = _owner(issue)
        name = marker.definition.removeprefix("hire/") if marker else ""
        if name in by_hire:
            by_hire[name].append(issue)
    found = []
    for hire, issues in by_hire.items():
        epic = next((i for i in issues if not (_owner(i) or Marker("", "", "", "")).item), None)
        items = tuple(
            _item(issue, today)
            for issue in issues
            if (_owner(issue) or Marker("", "", "", "")).item
        )
        found.append(
            HireStatus(
                hire=hire,
                epic=epic.key if epic else None,
                epic_summary=epic.summary if epic else "",
                items=tuple(sorted(items, key=lambda i: (i.due or "9999", i.key))),
            )
        )
    return found


def _item(issue: RemoteIssue, today: date) -> ItemStatus:
    done = issue.status_category == "done"
    overdue = not done and issue.due is not None and issue.due < today.isoformat()
    return ItemStatus(
        key=issue.key,
        summary=issue.summary,
        status=issue.status,
        done=done,
        due=issue.due,
        overdue=overdue,
        assignee=issue.assignee_name,
    )


@dataclass(frozen=True)
class ToClose:
    """An open issue of a hire that offboarding closes, and how."""

    key: str
    summary: str
    status: str
    transition: Transition | None
    """The transition into a Done-category status (None: the workflow offers none)."""


def open_items(site: Site, projects: Sequence[str], hire: str) -> list[ToClose]:
    """The hire's issues that are not done, tasks first and the epic last, each with the
    transition that closes it (transitions are read once per status and issue type)."""
    chosen: dict[tuple[str, str], Transition | None] = {}
    closing: list[ToClose] = []
    issues = [i for i in _issues(site, projects, [hire]) if i.status_category != "done"]
    mine = [i for i in issues if (m := _owner(i)) is not None and m.definition == f"hire/{hire}"]
    for issue in sorted(
        mine, key=lambda i: (not (_owner(i) or Marker("", "", "", "")).item, i.key)
    ):
        place = (issue.status, issue.issue_type)
        if place not in chosen:
            done = [t for t in site.jira.transitions(issue.key) if t.to_category == "done"]
            chosen[place] = done[0] if done else None
        closing.append(ToClose(issue.key, issue.summary, issue.status, chosen[place]))
    return closing


def close_items(site: Site, items: Sequence[ToClose], comment: str) -> list[str]:
    """Comment on and close each item that has a closing transition; returns the keys closed."""
    from teamcomms.render import markdown_to_adf

    body = markdown_to_adf(comment)
    closed = []
    for item in items:
        if item.transition is None:
            continue
        site.jira.add_comment(item.key, body)
        site.jira.transition(item.key, item.transition.id)
        closed.append(item.key)
    return closed
