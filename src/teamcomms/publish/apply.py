"""Carry out exactly the changes of a :class:`~teamcomms.publish.changes.Plan`.

Order: pages level by level (a parent before its children; the pages of one level in
parallel), then templates, then prunes (deepest pages first). Failure policy: a failed change
does not stop the others, but the children of a page that could not be created are skipped;
credentials rejected, rate limits exhausted or an unreachable site stop the run. Each write is
convergent (see :mod:`teamcomms.publish.site_ops`), so running again after an interruption
finishes the job without duplicates.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from teamcomms.errors import ExitCode, OperationFailed, SiteError, TeamcommsError
from teamcomms.publish import site_ops
from teamcomms.publish.changes import Change, Plan
from teamcomms.publish.marker import template_description
from teamcomms.publish.report import ApplyReport, ChangeResult, Outcome

if TYPE_CHECKING:
    from teamcomms.site.confluence import ConfluenceSite
    from teamcomms.site.http import RequestStats

ResultCallback = Callable[[ChangeResult], None]
_PAGE_WRITES = frozenset({"title", "body", "parent"})
_PRUNES = frozenset({"archive", "delete"})
_ORPHANED = _PRUNES | {"orphan"}


class PlanBlocked(TeamcommsError):
    """The plan has conflicts (or drifted pages without ``--force``); nothing was written."""


class ApplyInterrupted(TeamcommsError):
    """Ctrl-C during apply: the changes in progress were finished, the rest were not started."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, done: int, total: int) -> None:
        super().__init__(
            f"interrupted: {done} of {total} change(s) were applied, the rest were not started",
            hint="run apply again to finish: finished changes are not repeated",
        )
        self.done = done
        self.total = total


@dataclass(frozen=True)
class ApplyOptions:
    """How to carry out a plan."""

    force: bool = False
    """Overwrite drifted (hand-edited) pages and templates."""
    workers: int = 4
    """Pages of one level written side by side (the site layer paces the writes)."""


def check_applicable(plan: Plan, *, force: bool) -> None:
    """Refuse a plan with conflicts, or with drift unless ``force``; say what to do."""
    blocked = [
        c for c in plan.changes if c.action == "conflict" or (c.action == "drifted" and not force)
    ]
    if not blocked:
        return
    lines = [f"  {c.action} {c.address} {c.title!r}: {c.reason}" for c in blocked]
    drifted_only = all(c.action == "drifted" for c in blocked)
    raise PlanBlocked(
        "apply refused, nothing was written:\n" + "\n".join(lines),
        hint="--force overwrites the hand edits (copy them into the definitions first)"
        if drifted_only
        else "resolve the conflicts (rename, or `adopt: true` to take a page over), or leave "
        "them out with --target",
    )


def writing_changes(plan: Plan, *, force: bool) -> list[Change]:
    """The changes apply carries out, in order."""
    return [c for c in plan.changes if c.writes or (force and c.action == "drifted")]


def apply_plan(
    plan: Plan,
    site: ConfluenceSite,
    options: ApplyOptions = ApplyOptions(),
    *,
    on_result: ResultCallback | None = None,
    stats: Callable[[], RequestStats] | None = None,
) -> ApplyReport:
    """Carry out the plan's changes and report each one. Raises :class:`PlanBlocked` first if
    the plan has conflicts or (without ``force``) drift."""
    check_applicable(plan, force=options.force)
    runner = _Runner(plan, site, on_result)
    started, before = time.monotonic(), stats() if stats else None
    todo = writing_changes(plan, force=options.force)
    try:
        _run_in_order(runner, todo, options)
    except KeyboardInterrupt:
        # Leaving the pool cancelled the queued changes and waited for the running ones; each
        # finishes whole (page, labels, attachments, marker), so no half-written page is left
        # that the next plan could not recognise.
        raise ApplyInterrupted(runner.count_done(), len(todo)) from None
    after = stats() if stats else None
    order: dict[tuple[str, str], int] = {}
    for number, change in enumerate(todo):
        order.setdefault((change.resource, change.address), number)
    results = sorted(runner.results, key=lambda r: order.get((r.resource, r.address), 0))
    return ApplyReport(
        results=tuple(results),
        reads=after.reads - before.reads if after and before else 0,
        writes=after.writes - before.writes if after and before else 0,
        seconds=time.monotonic() - started,
    )


def _run_in_order(runner: _Runner, todo: list[Change], options: ApplyOptions) -> None:
    pending = [c for c in todo if c.action not in _PRUNES and c.resource == "page"]
    while pending:
        waiting = {c.address for c in pending}
        # A page runs once its parent is done (or failed: then it is skipped), never beside it.
        ready = [c for c in pending if c.depends_on is None or c.depends_on not in waiting]
        if not ready:  # a dependency cycle: compute_plan never makes one
            ready = pending
        with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
            list(pool.map(runner.run, ready))
        ran = {id(c) for c in ready}  # a set: list membership would be quadratic
        pending = [c for c in pending if id(c) not in ran]
    for change in todo:
        if change.resource == "template" and change.action not in _PRUNES:
            runner.run(change)
    for change in todo:
        if change.action in _PRUNES:
            runner.run(change)


def raise_for_failures(report: ApplyReport) -> None:
    """Exit non-zero when any change failed or was skipped."""
    if not report.ok:
        raise OperationFailed(
            f"{report.count('failed')} change(s) failed and {report.count('skipped')} were "
            "skipped; everything else was applied",
            hint="fix the cause shown above and run apply again: finished changes are not repeated",
        )


class _Runner:
    def __init__(self, plan: Plan, site: ConfluenceSite, on_result: ResultCallback | None):
        self.site = site
        self.on_result = on_result
        self.results: list[ChangeResult] = []
        self.finished: set[str] = set()
        self.failed: set[str] = set()
        self.page_ids = {
            c.address: c.target_id
            for c in plan.changes
            if c.resource == "page" and c.target_id and c.action not in _ORPHANED
        }
        self.stop_reason: str | None = None
        self._lock = threading.Lock()

    def count_done(self) -> int:
        """Changes finished so far."""
        with self._lock:
            return len(self.finished)

    def run(self, change: Change) -> None:
        skip = self.stop_reason
        parent_missing = change.depends_on is not None and change.depends_on not in self.finished
        if skip is None and parent_missing and change.parent_id is None:
            skip = f"its parent {change.depends_on} could not be written"
        if skip is not None:
            self._record(change, "skipped", None, skip)
            return
        try:
            target_id = self._carry_out(change)
        except SiteError as error:
            self._stop_if_fatal(error)
            self._record(change, "failed", change.target_id, error.format().splitlines()[0])
            return
        self._record(change, "done", target_id, None)

    def _carry_out(self, change: Change) -> str | None:
        site = self.site
        if change.action == "archive":
            return self._ignore_missing(lambda: site.archive_page(_id(change)), change)
        if change.action == "delete" and change.resource == "page":
            return self._ignore_missing(lambda: site.delete_page(_id(change)), change)
        if change.action == "delete":
            site_ops.delete_template(site, change)
            return change.target_id
        if change.resource == "template":
            return self._template(change)
        return self._page(change)

    def _page(self, change: Change) -> str:
        site = self.site
        assert change.after is not None and change.marker is not None
        parent_id = change.parent_id
        if parent_id is None and change.depends_on:
            parent_id = self.page_ids.get(change.depends_on)
        if change.action == "create":
            page = site_ops.create_page(site, change, parent_id)
            page_id, version, had = page.id, page.version, set(page.labels)
        else:
            page_id = _id(change)
            assert change.before is not None and change.before.version is not None
            version, had = change.before.version, set(change.before.labels)
            if _PAGE_WRITES & set(change.fields):
                version = site_ops.update_page(site, change, parent_id).version
        with self._lock:
            self.page_ids[change.address] = page_id
        wanted = set(change.after.labels)
        if wanted - had:
            site.add_labels(page_id, wanted - had)
        for label in sorted(had - wanted):
            site.remove_label(page_id, label)
        for attachment in change.attachments:
            site.upload_attachment(
                page_id, attachment.name, attachment.data, media_type=attachment.media_type
            )
        if "marker" in change.fields or change.action in ("create", "adopt", "drifted"):
            marker = replace(change.marker, version=version)
            site_ops.write_marker(site, page_id, marker.to_json(), change.marker_property)
        return page_id

    def _template(self, change: Change) -> str:
        assert change.after is not None and change.marker is not None
        description = template_description(change.description, change.marker)
        if change.action == "create":
            return site_ops.create_template(self.site, change, description).id
        after = change.after
        updated = self.site.update_template(
            _id(change), change.space, after.title, after.body,
            description=description, labels=after.labels,
        )  # fmt: skip
        return updated.id

    def _ignore_missing(self, write: Callable[[], None], change: Change) -> str | None:
        from teamcomms.site.errors import NotFound

        # Already gone: an earlier run, or archived together with its parent.
        with contextlib.suppress(NotFound):
            write()
        return change.target_id

    def _stop_if_fatal(self, error: SiteError) -> None:
        from teamcomms.site.errors import (
            AuthenticationFailed,
            RateLimitExhausted,
            SiteUnreachable,
        )

        if isinstance(error, AuthenticationFailed | RateLimitExhausted | SiteUnreachable):
            self.stop_reason = f"stopped after: {error.message}"

    def _record(
        self, change: Change, outcome: Outcome, target_id: str | None, message: str | None
    ) -> None:
        result = ChangeResult(
            address=change.address,
            resource=change.resource,
            action=change.action,
            title=change.title,
            outcome=outcome,
            target_id=target_id,
            message=message,
        )
        with self._lock:
            self.results.append(result)
            (self.finished if outcome == "done" else self.failed).add(change.address)
        if self.on_result is not None:
            self.on_result(result)


def _id(change: Change) -> str:
    assert change.target_id is not None
    return change.target_id
