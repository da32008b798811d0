"""The facts about an issue that standups and reports use, as plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Category = Literal["todo", "in_progress", "done"]
"""A status category, as workflow definitions name them."""
JIRA_CATEGORIES: dict[str, Category] = {
    "new": "todo",
    "indeterminate": "in_progress",
    "done": "done",
    "TODO": "todo",
    "IN_PROGRESS": "in_progress",
    "DONE": "done",
}
"""Jira's status category keys (search answers) and names (the statuses API) as categories."""


@dataclass(frozen=True)
class StatusChange:
    """One move between statuses, from the issue's changelog."""

    at: datetime
    from_status: str | None
    to_status: str
    to_category: Category


@dataclass(frozen=True)
class FixVersion:
    """A fix version of an issue."""

    name: str
    release_date: date | None = None
    released: bool = False


@dataclass(frozen=True)
class IssueFacts:
    """An issue as a standup or report sees it."""

    key: str
    summary: str
    project: str
    issue_type: str
    status: str
    category: Category
    created: datetime
    category_changed: datetime | None = None
    """When the issue last entered its current status category (Jira's
    ``statuscategorychangedate``): for a done issue, when it was done."""
    assignee: str | None = None
    """The assignee's account id."""
    assignee_name: str | None = None
    due: date | None = None
    labels: tuple[str, ...] = ()
    fix_versions: tuple[FixVersion, ...] = ()
    flagged: bool = False
    history: tuple[StatusChange, ...] = ()
    """Status changes, oldest first (read only where a figure needs them)."""

    @property
    def done_at(self) -> datetime | None:
        """When the issue was done: the last time it entered a done status (``None`` while
        it is not done)."""
        if self.category != "done":
            return None
        entries = [c.at for c in self.history if c.to_category == "done"]
        return max(entries) if entries else (self.category_changed or self.created)

    @property
    def started_at(self) -> datetime | None:
        """When work started: the first time the issue entered an in-progress status."""
        entries = [c.at for c in self.history if c.to_category == "in_progress"]
        return min(entries) if entries else None
