"""Confluence long tasks: following an archive to its end, within a bound.

Confluence Cloud archives pages in the background: ``POST /wiki/rest/api/content/archive``
answers 202 with a long task, and ``GET /wiki/rest/api/longtask/{id}`` reports its progress
(``percentageComplete``, ``finished``, ``successful``). Polling uses the HTTP policy's clock and
sleeper, so tests never wait for real.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from teamcomms.errors import SiteError
from teamcomms.site.http import ANNOUNCED_WAIT

if TYPE_CHECKING:
    from teamcomms.site.http import HttpPolicy

log = logging.getLogger(__name__)

LONG_TASK_WAIT = 60.0
"""Seconds an archive is waited for. Archiving a page takes Confluence a second or two; a task
still running after a minute is queued behind others, and the run should go on rather than stall
(the page is archived when the task ends, which the next plan shows)."""
FIRST_POLL = 0.5
"""Seconds before the first poll; the gaps double up to :data:`POLL_CAP`."""
POLL_CAP = 5.0


@dataclass(frozen=True)
class ArchiveOutcome:
    """What became of an archive request."""

    page_id: str
    task_id: str
    finished: bool
    percentage: int = 100
    waited: float = 0.0
    """Seconds spent polling."""

    def still_running(self) -> str | None:
        """What to tell the user when the task was still running at the bound, else None."""
        if self.finished:
            return None
        return (
            f"Confluence is still archiving it (long task {self.task_id}, "
            f"{self.percentage}% after {self.waited:.0f} s); it needs nothing more from "
            "teamcomms, and the next plan shows it archived once the task ends"
        )


class ArchiveUnsupported(SiteError):
    """Data Center has no page archiving in its REST API."""

    def __init__(self, page_id: str) -> None:
        super().__init__(
            f"page {page_id} cannot be archived: Confluence Data Center has no REST API for "
            "archiving pages",
            hint="use --prune=delete to move such pages to the trash, or archive them in "
            "Confluence",
        )


class ArchiveFailed(SiteError):
    """The archive task ended without success."""


def wait_for_archive(
    client: Any, policy: HttpPolicy, page_id: str, task_id: str, *, bound: float = LONG_TASK_WAIT
) -> ArchiveOutcome:
    """Poll the long task until it is finished or ``bound`` seconds of waiting have passed."""
    waited, delay, announced = 0.0, FIRST_POLL, False
    percentage = 0
    while True:
        status = client.get(f"rest/api/longtask/{task_id}")
        percentage = int(status.get("percentageComplete") or 0)
        if status.get("finished"):
            if status.get("successful") is False:
                raise ArchiveFailed(
                    f"Confluence could not archive page {page_id}: {_messages(status)}",
                    hint="look at the page in Confluence, then run apply again",
                )
            return ArchiveOutcome(page_id, task_id, True, 100, waited)
        if waited + delay > bound:
            return ArchiveOutcome(page_id, task_id, False, percentage, waited)
        log.info("archiving page %s: %d%% after %.1f s", page_id, percentage, waited)
        if not announced and waited + delay >= ANNOUNCED_WAIT:
            announced = True
            log.warning(
                "archiving page %s is still running (%d%% after %.0f s); waiting up to %.0f s",
                page_id, percentage, waited, bound,
            )  # fmt: skip
        started = policy.clock()
        policy.sleeper(delay)
        # The injected clock says how long the sleep took (a fake one advances with the sleeper).
        waited += max(policy.clock() - started, delay)
        delay = min(delay * 2, POLL_CAP)


def _messages(status: dict[str, Any]) -> str:
    texts = [
        str(m.get("translation") or m.get("key") or "")
        for m in status.get("messages") or []
        if isinstance(m, dict)
    ]
    return "; ".join(t for t in texts if t) or "no reason given"
