"""apply keeps no more changes going at once than pay off (see
:mod:`teamcomms.engine.worker_gauge`), asking again each time one finishes, and a kind ordered
after another starts only once that kind is over."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, ClassVar

import pytest

from teamcomms.engine import runner
from teamcomms.engine.planner import plan_workspace
from teamcomms.engine.resource import Resource
from teamcomms.engine.workspace import load_workspace
from tests.engine.test_toy_resource import Notes, toy_site


class InlineExecutor:
    """Runs each change as it is submitted: the runner's decisions, without threads deciding
    the order. ``log`` notes when the runner asks how many may go and when a change starts."""

    log: ClassVar[list[str]] = []

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers

    def submit(self, fn: Callable[..., None], *args: Any) -> Future[None]:
        future: Future[None] = Future()
        fn(*args)
        future.set_result(None)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Nothing is left running."""


class LoggedNotes(Notes):
    """Notes that log when each starts being written."""

    def carry_out(self, change: Any, site: Any, applied: Any) -> str | None:
        InlineExecutor.log.append("start")
        return super().carry_out(change, site, applied)


def starts_per_turn(
    useful: int, workers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    """How many changes the runner started each time it asked the site, for 7 new notes."""
    monkeypatch.setattr(runner, "ThreadPoolExecutor", InlineExecutor)
    InlineExecutor.log = []
    (tmp_path / "teamcomms.yaml").write_text("name: Toy\n")
    registry: list[Resource] = [LoggedNotes({f"note{n}": "text" for n in range(7)})]
    site = toy_site()
    asked: list[int] = []

    class FixedGauge:
        """Says ``useful`` changes pay off, whatever the changes took."""

        def record(self, wall: float, cpu: float) -> None:
            """What the changes took does not matter here."""

        def useful(self, maximum: int) -> int:
            asked.append(maximum)
            InlineExecutor.log.append("ask")
            return min(useful, maximum)

    monkeypatch.setattr(runner, "WorkerGauge", FixedGauge)
    plan = plan_workspace(registry, load_workspace(tmp_path), site)  # type: ignore[arg-type]
    options = runner.ApplyOptions(workers=workers)
    report = runner.apply_plan(plan, site, registry, options)  # type: ignore[arg-type]
    assert [r.outcome for r in report.results] == ["done"] * 7
    assert set(asked) == {workers}
    turns = " ".join(InlineExecutor.log).split("ask")
    return [turn.count("start") for turn in turns[1:]]


def test_one_useful_worker_starts_one_change_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert starts_per_turn(1, 4, tmp_path, monkeypatch) == [1] * 7


def test_the_first_turn_fills_the_useful_workers_then_one_per_finished_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # All seven finish at once here, so every later turn refills what finished.
    counts = starts_per_turn(3, 4, tmp_path, monkeypatch)
    assert counts[0] == 3
    assert max(counts) == 3
    assert sum(counts) == 7


def test_never_more_than_the_workers_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = starts_per_turn(16, 2, tmp_path, monkeypatch)
    assert counts[0] == 2
    assert max(counts) == 2


class LateNotes(Notes):
    """A second toy kind that must wait for every note (as a workflow scheme waits for the
    workflows it names)."""

    kind = "late-note"
    after: tuple[str, ...] = ("note",)

    def diff(self, desired: Any, current: Any, options: Any) -> list[Any]:
        from dataclasses import replace

        return [
            replace(c, resource=self.kind, address=f"late-{c.address}")
            for c in super().diff(desired, {}, options)
        ]

    def carry_out(self, change: Any, site: Any, applied: Any) -> str | None:
        site.order.append(change.resource)
        return f"late-{change.after.name}"


class OrderedNotes(Notes):
    """Notes that note the order they are written in."""

    def carry_out(self, change: Any, site: Any, applied: Any) -> str | None:
        site.order.append(change.resource)
        return super().carry_out(change, site, applied)


def test_a_kind_that_comes_after_another_starts_only_when_all_of_that_kind_are_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "ThreadPoolExecutor", InlineExecutor)
    (tmp_path / "teamcomms.yaml").write_text("name: Toy\n")
    # The late kind is planned first, so only the runner's ordering can put it last.
    registry: list[Resource] = [
        LateNotes({f"late{n}": "text" for n in range(3)}),
        OrderedNotes({f"note{n}": "text" for n in range(3)}),
    ]
    site = toy_site()
    site.order = []
    plan = plan_workspace(registry, load_workspace(tmp_path), site)  # type: ignore[arg-type]
    assert next(c.resource for c in plan.changes if c.writes) == "late-note"
    report = runner.apply_plan(plan, site, registry, runner.ApplyOptions(workers=4))  # type: ignore[arg-type]
    assert report.ok
    assert site.order == ["note"] * 3 + ["late-note"] * 3


class InterruptingNotes(Notes):
    """Notes whose second one is being written when Ctrl-C is pressed."""

    def carry_out(self, change: Any, site: Any, applied: Any) -> str | None:
        site.started.append(change.after.name)
        if change.after.name == "note1":
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            # Still writing when apply has heard the Ctrl-C.
            assert applied.interrupted.wait(timeout=30)
        return super().carry_out(change, site, applied)


def test_ctrl_c_lets_the_running_change_finish_whole_and_starts_nothing_more(
    tmp_path: Path,
) -> None:
    assert threading.current_thread() is threading.main_thread()
    (tmp_path / "teamcomms.yaml").write_text("name: Toy\n")
    registry: list[Resource] = [InterruptingNotes({f"note{n}": "text" for n in range(4)})]
    site = toy_site()
    site.started = []
    plan = plan_workspace(registry, load_workspace(tmp_path), site)  # type: ignore[arg-type]
    with pytest.raises(runner.ApplyInterrupted) as caught:
        runner.apply_plan(plan, site, registry, runner.ApplyOptions(workers=1))  # type: ignore[arg-type]
    assert site.started == ["note0", "note1"]
    assert sorted(n["name"] for n in site.notes.values()) == ["lunch", "note0", "note1"]
    assert caught.value.format().startswith("interrupted: 2 of 4 change(s) were applied")
