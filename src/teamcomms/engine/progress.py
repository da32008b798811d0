"""Progress of a long apply on stderr: a bar with the rate and the time left on a terminal,
plain lines elsewhere (a CI log).

Without a terminal a line ``applying: 40/200 done (12.5/s, about 13 s left)`` is printed at most
every :data:`LINE_INTERVAL` seconds, and once at the end, so a long CI run never looks hung.
Progress counts changes, or whatever ``weight`` says a finished change is worth (an import counts
rows: a change creating 50 issues advances by 50).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from teamcomms import console
from teamcomms.engine.report import ChangeResult

PROGRESS_THRESHOLD = 10
"""Fewer units than this finish before a bar is worth drawing."""
LINE_INTERVAL = 5.0
"""Seconds between progress lines without a terminal: often enough that a CI log never goes
quiet for long, rarely enough that it stays readable."""
Weight = Callable[[ChangeResult], int]


@contextmanager
def progress_bar(
    total: int,
    *,
    clock: Callable[[], float] = time.monotonic,
    weight: Weight | None = None,
    label: str = "applying",
) -> Iterator[Callable[[ChangeResult], None]]:
    """Yield a callback that advances the progress by one finished change (``weight`` of it)."""
    err = console.stderr()
    units = weight or (lambda result: 1)
    if total < PROGRESS_THRESHOLD:
        yield lambda result: None
        return
    if not err.is_terminal:
        with _progress_lines(total, clock, units, label) as advance:
            yield advance
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total, rate="")

        def advance(result: ChangeResult) -> None:
            progress.advance(task, units(result))
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:.1f}/s" if speed else "")

        yield advance


def rate_line(label: str, done: int, total: int, elapsed: float) -> str:
    """``applying: 40/200 done (12.5/s, about 13 s left)``."""
    rate = done / max(elapsed, 1e-9)
    line = f"{label}: {done}/{total} done ({rate:.1f}/s"
    if 0 < done < total and rate > 0:
        line += f", about {_duration((total - done) / rate)} left"
    return line + ")"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


@contextmanager
def _progress_lines(
    total: int, clock: Callable[[], float], units: Weight, label: str
) -> Iterator[Callable[[ChangeResult], None]]:
    started = clock()
    state = {"done": 0, "printed_at": started}

    def line() -> str:
        return rate_line(label, int(state["done"]), total, clock() - started)

    def advance(result: ChangeResult) -> None:
        state["done"] += units(result)
        if clock() - state["printed_at"] >= LINE_INTERVAL:
            state["printed_at"] = clock()
            console.stderr().print(line(), markup=False, highlight=False)

    yield advance
    console.stderr().print(line(), markup=False, highlight=False)
