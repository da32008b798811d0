"""Progress of a long apply on stderr: a bar on a terminal, plain lines elsewhere (a CI log).

Without a terminal a line ``applying: 40/200 done (12.5/s)`` is printed at most every
:data:`LINE_INTERVAL` seconds, and once at the end, so a long CI run never looks hung.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from teamcomms import console
from teamcomms.engine.report import ChangeResult

PROGRESS_THRESHOLD = 10
"""Fewer changes than this finish before a bar is worth drawing."""
LINE_INTERVAL = 5.0
"""Seconds between progress lines without a terminal: often enough that a CI log never goes
quiet for long, rarely enough that it stays readable."""


@contextmanager
def progress_bar(
    total: int, *, clock: Callable[[], float] = time.monotonic
) -> Iterator[Callable[[ChangeResult], None]]:
    """Yield a callback that advances the progress by one finished change."""
    err = console.stderr()
    if total < PROGRESS_THRESHOLD:
        yield lambda result: None
        return
    if not err.is_terminal:
        with _progress_lines(total, clock) as advance:
            yield advance
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("applying"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task("apply", total=total)

        def advance(result: ChangeResult) -> None:
            progress.advance(task)

        yield advance


@contextmanager
def _progress_lines(
    total: int, clock: Callable[[], float]
) -> Iterator[Callable[[ChangeResult], None]]:
    started = clock()
    state = {"done": 0, "printed_at": started}

    def line() -> str:
        elapsed = max(clock() - started, 1e-9)
        return f"applying: {state['done']}/{total} done ({state['done'] / elapsed:.1f}/s)"

    def advance(result: ChangeResult) -> None:
        state["done"] += 1
        if clock() - state["printed_at"] >= LINE_INTERVAL:
            state["printed_at"] = clock()
            console.stderr().print(line(), markup=False, highlight=False)

    yield advance
    console.stderr().print(line(), markup=False, highlight=False)
