"""Carry out exactly the changes of a :class:`~teamcomms.engine.change.Plan`: one library call.

:func:`apply_plan` checks the plan (a saved plan against the site first), asks the caller's
confirmation callback, writes, and returns one :class:`~teamcomms.engine.report.ApplyReport`.

Order: a change runs as soon as every change it requires has been carried out, independent
changes side by side (at most ``workers`` at a time, and only as many as pay off: see
:mod:`teamcomms.engine.worker_gauge`); changes that remove objects (archive, delete) run after
all others. Failure policy: a failed change does not stop the others, but the changes
that require it are skipped; credentials rejected, rate limits exhausted or an unreachable site
stop the run. Each resource's writes converge, so running again after an interruption finishes
the job without duplicates.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from queue import SimpleQueue
from typing import TYPE_CHECKING

from teamcomms.engine.change import LEFTOVER_ACTIONS, PRUNE_ACTIONS, Change, Plan
from teamcomms.engine.report import ApplyReport, ChangeResult, Outcome
from teamcomms.engine.resource import Resource, index_by_kind
from teamcomms.engine.worker_gauge import WorkerGauge
from teamcomms.errors import ExitCode, OperationFailed, SiteError, TeamcommsError

if TYPE_CHECKING:
    from teamcomms.site.connection import Site

ResultCallback = Callable[[ChangeResult], None]
Confirm = Callable[[Plan, int], bool]
"""Asked with the plan and the number of changes to write; False writes nothing."""


class PlanBlocked(TeamcommsError):
    """The plan has conflicts (or drifted objects without ``--force``); nothing was written."""


class NotConfirmed(TeamcommsError):
    """The confirmation callback said no; nothing was written."""


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
    """Overwrite drifted (hand-edited) objects."""
    workers: int = 4
    """Changes carried out side by side (the site layer paces the writes)."""


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
        else "resolve the conflicts (rename, or `adopt: true` to take an object over), or "
        "leave them out with --target",
    )


def writing_changes(plan: Plan, *, force: bool) -> list[Change]:
    """The changes apply carries out, in plan order."""
    return [c for c in plan.changes if c.writes or (force and c.action == "drifted")]


def apply_plan(
    plan: Plan,
    site: Site,
    resources: Sequence[Resource],
    options: ApplyOptions = ApplyOptions(),
    *,
    confirm: Confirm | None = None,
    on_result: ResultCallback | None = None,
) -> ApplyReport:
    """Check, confirm, write and report: the one call ``apply`` makes.

    A plan loaded from a file is first checked against the site (see
    :func:`teamcomms.engine.saved_plan.verify_saved_plan`). Raises :class:`PlanBlocked` when
    the plan has conflicts or (without ``force``) drift, :class:`NotConfirmed` when ``confirm``
    says no, and :class:`ApplyInterrupted` on Ctrl-C. The report's request figures and time
    cover the whole run on ``site``: reading for the plan, checks and writes.
    """
    from teamcomms.engine.saved_plan import verify_saved_plan

    if plan.source is not None:
        verify_saved_plan(plan, site, resources, workers=options.workers)
    check_applicable(plan, force=options.force)
    todo = writing_changes(plan, force=options.force)
    results: tuple[ChangeResult, ...] = ()
    if todo:
        if confirm is not None and not confirm(plan, len(todo)):
            raise NotConfirmed("nothing was written", hint="run apply again when ready")
        by_kind = index_by_kind(resources)
        runner = _Runner(plan, site, by_kind, on_result)
        comes_after = {kind: set(resource.after) for kind, resource in by_kind.items()}
        goes_before = {kind: {k for k, a in comes_after.items() if kind in a} for kind in by_kind}
        try:
            writes = [c for c in todo if c.action not in PRUNE_ACTIONS]
            runner.run(writes, options.workers, comes_after)
            # Removals in the opposite order: what uses an object goes before the object.
            runner.run([c for c in todo if c.action in PRUNE_ACTIONS], options.workers, goes_before)
        except KeyboardInterrupt:
            # The runner let the running changes finish; each finishes whole (a page with its
            # labels, attachments and marker), so the next plan recognises everything written.
            raise ApplyInterrupted(runner.count_done(), len(todo)) from None
        order = {change.key: number for number, change in enumerate(todo)}
        results = tuple(sorted(runner.results, key=lambda r: order.get(r.key, 0)))
    stats = site.stats
    return ApplyReport(
        results=results,
        reads=stats.reads,
        writes=stats.writes,
        retries=stats.retries,
        waited=stats.wait_seconds,
        seconds=time.monotonic() - site.opened_at,
    )


def raise_for_failures(report: ApplyReport) -> None:
    """Exit non-zero when any change failed or was skipped."""
    if not report.ok:
        raise OperationFailed(
            f"{report.count('failed')} change(s) failed and {report.count('skipped')} were "
            "skipped; everything else was applied",
            hint="fix the cause shown above and run apply again: finished changes are not repeated",
        )


class _Runner:
    """Carries out changes in dependency order and answers :class:`Applied` questions."""

    def __init__(
        self,
        plan: Plan,
        site: Site,
        resources: dict[str, Resource],
        on_result: ResultCallback | None,
    ) -> None:
        self.site = site
        self.resources = resources
        self.on_result = on_result
        self.results: list[ChangeResult] = []
        self.outcomes: dict[str, Outcome] = {}
        self.ids = {
            c.key: c.target_id
            for c in plan.changes
            if c.target_id and c.action not in LEFTOVER_ACTIONS
        }
        self.stop_reason: str | None = None
        self.notes: dict[str, str] = {}
        self._lock = threading.Lock()
        self.gauge = WorkerGauge()
        self.interrupted = threading.Event()
        """Set on Ctrl-C: start nothing more, let what runs finish."""

    def id_of(self, key: str) -> str | None:
        """The id the change ``key`` wrote (or already had)."""
        with self._lock:
            return self.ids.get(key)

    def note(self, key: str, message: str) -> None:
        """Keep ``message`` for the result of the change ``key``."""
        with self._lock:
            self.notes[key] = message

    def count_done(self) -> int:
        """Changes finished so far."""
        with self._lock:
            return sum(1 for outcome in self.outcomes.values() if outcome == "done")

    def run(self, changes: list[Change], workers: int, waits_for: dict[str, set[str]]) -> None:
        """Carry out ``changes``, each once every change it requires (among them) is over and
        no change of a kind it ``waits_for`` is left.

        The changes are started from a thread of their own while this one waits: Ctrl-C, which
        Python delivers to the main thread, lands here and never inside a change, so nothing new
        starts and every running change finishes whole (a page with its labels and marker).
        """
        failures: list[BaseException] = []
        # The conductor starts once this thread is ready to hear Ctrl-C (which could otherwise
        # arrive while Thread.start still waits). Its end is an event, not Thread.join: joining,
        # interrupted by Ctrl-C, Python 3.11 can mark a running thread as stopped.
        go, over = threading.Event(), threading.Event()

        def conduct() -> None:
            go.wait()
            try:
                self._conduct(changes, workers, waits_for)
            except BaseException as error:  # raised again on the waiting thread
                failures.append(error)
            finally:
                over.set()

        conductor = threading.Thread(target=conduct, name="teamcomms-apply", daemon=True)
        try:
            conductor.start()
            go.set()
            over.wait()
        except KeyboardInterrupt:
            self.interrupted.set()
            go.set()
            if conductor.is_alive():
                over.wait()
            raise
        if failures:
            raise failures[0]

    def _conduct(self, changes: list[Change], workers: int, waits_for: dict[str, set[str]]) -> None:
        pending = {change.key: change for change in changes}
        among = set(pending)
        # Changes of each kind not over yet: what waits for a kind waits while this is nonzero.
        left = Counter(change.resource for change in changes)
        pool = ThreadPoolExecutor(max_workers=max(1, workers))
        running: dict[Future[None], Change] = {}
        # Finished futures arrive here: concurrent.futures.wait would install a waiter on every
        # running future each time, quadratic in the changes of a large apply.
        finished: SimpleQueue[Future[None]] = SimpleQueue()
        try:
            while pending or running:
                if self.interrupted.is_set():
                    pending.clear()
                    if not running:
                        return
                room = self.gauge.useful(workers) - len(running)
                unfinished = {kind for kind, count in left.items() if count}
                starting: list[Change] = []
                for change in pending.values():
                    if len(starting) >= room:
                        break
                    kinds_first = waits_for.get(change.resource, set()) & unfinished
                    ready = all(r not in among or r in self.outcomes for r in change.requires)
                    if ready and not kinds_first:
                        starting.append(change)
                if len(starting) == 1 and not running:
                    # One change at a time: carried out on this thread, as a pool would only
                    # hand it over and back.
                    change = pending.pop(starting[0].key)
                    self._one(change)
                    left[change.resource] -= 1
                    continue
                for change in starting:
                    future = pool.submit(self._one, change)
                    running[future] = pending.pop(change.key)
                    future.add_done_callback(finished.put)
                if not running:
                    # A cycle of requirements: no resource makes one, but never hang on it.
                    for change in pending.values():
                        self._record(change, "skipped", None, "its requirements form a cycle")
                    return
                done = [finished.get()]
                while not finished.empty():
                    done.append(finished.get())
                for future in done:
                    left[running.pop(future).resource] -= 1
                    future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)

    def _one(self, change: Change) -> None:
        skip = self.stop_reason
        with self._lock:
            failed = [r for r in change.requires if self.outcomes.get(r) in ("failed", "skipped")]
        if skip is None and failed:
            skip = f"it needs {failed[0]}, which could not be written"
        if skip is not None:
            self._record(change, "skipped", None, skip)
            return
        started, worked = time.perf_counter(), time.thread_time()
        try:
            target_id = self.resources[change.resource].carry_out(change, self.site, self)
        except SiteError as error:
            self._stop_if_fatal(error)
            self._record(change, "failed", change.target_id, error.format().splitlines()[0])
            return
        except TeamcommsError as error:
            self._record(change, "failed", change.target_id, error.format().splitlines()[0])
            return
        self.gauge.record(time.perf_counter() - started, time.thread_time() - worked)
        with self._lock:
            note = self.notes.get(change.key)
        self._record(change, "done", target_id, note)

    def _stop_if_fatal(self, error: TeamcommsError) -> None:
        from teamcomms.site.errors import AuthenticationFailed, RateLimitExhausted, SiteUnreachable

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
            key=change.key,
        )
        with self._lock:
            self.results.append(result)
            self.outcomes[change.key] = outcome
            if target_id and outcome == "done":
                self.ids[change.key] = target_id
        if self.on_result is not None:
            self.on_result(result)
