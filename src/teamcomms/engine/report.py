"""What ``apply`` did: one result per change, and the request counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from teamcomms.engine.change import Action

Outcome = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class ChangeResult:
    """The outcome of one change."""

    address: str
    resource: str
    action: Action
    title: str
    outcome: Outcome
    target_id: str | None = None
    """Id of the page or template written (for a create: the new one)."""
    message: str | None = None
    """Why it failed or was skipped; for a done change, what to know about it (an archive
    Confluence is still carrying out)."""
    key: str = ""
    """The change's key in the plan (:attr:`teamcomms.engine.change.Change.key`)."""


@dataclass(frozen=True)
class ApplyReport:
    """Every change of the plan that writes, and what became of it."""

    results: tuple[ChangeResult, ...]
    reads: int = 0
    writes: int = 0
    seconds: float = 0.0
    retries: int = 0
    """Requests sent again after a 429, a 503 or a dropped connection."""
    waited: float = 0.0
    """Seconds spent waiting before those retries, summed over requests sent in parallel."""

    def count(self, outcome: Outcome) -> int:
        """How many changes ended with ``outcome``."""
        return Counter(r.outcome for r in self.results)[outcome]

    @property
    def ok(self) -> bool:
        """Whether every change was carried out."""
        return all(r.outcome == "done" for r in self.results)

    def summary(self) -> str:
        """``5 done, 1 failed, 2 skipped; 12 requests (4 reads, 8 writes) in 1.3 s``, and when
        the site made teamcomms retry: ``; 3 retries (4.0 s of waiting, summed over parallel
        requests)``."""
        text = (
            f"{self.count('done')} done, {self.count('failed')} failed, "
            f"{self.count('skipped')} skipped; {self.reads + self.writes} requests "
            f"({self.reads} reads, {self.writes} writes) in {self.seconds:.1f} s"
        )
        if self.retries:
            # Summed: four workers waiting out the same 10 s rate limit count 40 s.
            text += (
                f"; {self.retries} retries ({self.waited:.1f} s of waiting, "
                "summed over parallel requests)"
            )
        return text
