"""Progress of an import without a terminal (a CI log): plain lines counting rows, with the rate
and the time left, at most every few seconds and once at the end."""

from __future__ import annotations

import pytest

from teamcomms import console
from teamcomms.engine.progress import LINE_INTERVAL, progress_bar, rate_line
from teamcomms.engine.report import ChangeResult


def result(key: str) -> ChangeResult:
    return ChangeResult(address="import/x", resource="imported-issues", action="create",
                        title="", outcome="done", key=key)  # fmt: skip


def test_rate_and_time_left() -> None:
    assert rate_line("importing", 250, 1000, 10.0) == (
        "importing: 250/1000 done (25.0/s, about 30 s left)"
    )
    assert rate_line("importing", 100, 10000, 10.0).endswith("(10.0/s, about 16 min 30 s left)")
    assert rate_line("importing", 10, 100000, 10.0).endswith("about 27 h 46 min left)")
    assert rate_line("importing", 1000, 1000, 40.0) == "importing: 1000/1000 done (25.0/s)"


def test_lines_count_rows_by_each_changes_weight(capsys: pytest.CaptureFixture[str]) -> None:
    console.stderr.cache_clear()
    now = [0.0]
    sizes = {"a": 50, "b": 50, "c": 20}
    with progress_bar(120, clock=lambda: now[0], weight=lambda r: sizes[r.key],
                      label="importing") as advance:  # fmt: skip
        advance(result("a"))  # 1 s in: too soon for a line
        now[0] = LINE_INTERVAL
        advance(result("b"))
        now[0] = LINE_INTERVAL + 1
        advance(result("c"))
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "importing: 100/120 done (20.0/s, about 1 s left)",
        "importing: 120/120 done (20.0/s)",
    ]
