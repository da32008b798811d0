"""What one run of an import did, row by row: the issues it created (their ids are what later
changes need: children name their parent, links both ends, moves the issue), and every row,
move or link that failed. The resource keeps one per run; the report CSV is made from it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from teamcomms.site.jira_issues import CreatedIssue


@dataclass
class ImportRun:
    """Thread-safe: changes run side by side."""

    created: dict[str, CreatedIssue] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    """External id -> why its issue was not created (or not moved to its status)."""
    link_failures: list[str] = field(default_factory=list)
    moved: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record_created(self, ext_id: str, issue: CreatedIssue) -> None:
        """``ext_id``'s issue was created (or found after a lost answer)."""
        with self._lock:
            self.created[ext_id] = issue

    def record_failed(self, ext_id: str, reason: str) -> None:
        """``ext_id``'s row could not be carried out."""
        with self._lock:
            self.failed.setdefault(ext_id, reason)

    def record_link_failure(self, line: str) -> None:
        """A link that could not be made."""
        with self._lock:
            self.link_failures.append(line)

    def record_moved(self, ext_id: str) -> None:
        """``ext_id``'s issue reached its status."""
        with self._lock:
            self.moved.add(ext_id)

    def issue(self, ext_id: str) -> CreatedIssue | None:
        """The issue this run created for ``ext_id``."""
        with self._lock:
            return self.created.get(ext_id)

    @property
    def failures(self) -> int:
        """Rows and links that failed."""
        with self._lock:
            return len(self.failed) + len(self.link_failures)
