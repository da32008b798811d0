"""A progress bar on stderr for applies long enough to need one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from teamcomms import console
from teamcomms.publish.report import ChangeResult

PROGRESS_THRESHOLD = 10
"""Fewer changes than this finish before a bar is worth drawing."""


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[ChangeResult], None]]:
    """Yield a callback that advances the bar by one finished change."""
    err = console.stderr()
    if total < PROGRESS_THRESHOLD or not err.is_terminal:
        yield lambda result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("applying"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task("apply", total=total)

        def advance(result: ChangeResult) -> None:
            progress.advance(task)

        yield advance
