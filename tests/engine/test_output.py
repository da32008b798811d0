from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

from rich.console import Console

from teamcomms.engine.change import Plan
from teamcomms.engine.output import plan_to_json, print_report, report_to_json
from teamcomms.engine.output import print_plan as print_plan_of
from teamcomms.engine.report import ApplyReport, ChangeResult
from teamcomms.resources import RESOURCES
from tests.resources.factories import (
    compute_plan,
    desired,
    hand_edit,
    site,
    unmanaged,
    want,
    written,
)


def print_plan(plan: Plan, console: Console, **options: Any) -> None:
    print_plan_of(plan, RESOURCES, console, **options)


def _text(render: object, *args: object, **kwargs: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, no_color=True, width=200)
    render(*args, console, **kwargs)  # type: ignore[operator]
    return buffer.getvalue()


def _mixed_plan() -> Plan:
    changed = want("changed", body="<p>one</p><p>two</p>")
    edited = want("edited", body="<p>new</p>")
    return compute_plan(
        desired(want("fresh", "Fresh [bold]"), changed, edited, want("clash", "Clash")),
        site(
            written(replace(changed, body="<p>one</p><p>2</p>"), "10"),
            hand_edit(written(replace(edited, body="<p>old</p>"), "11"), "<p>x</p>"),
            unmanaged("12", "Clash"),
        ),
    )


def test_text_lists_changes_and_a_summary_line() -> None:
    text = _text(print_plan, _mixed_plan())
    assert "+ create    page/fresh  TEAM 'Fresh [bold]'" in text
    assert "~ update    page/changed" in text
    assert "! drifted   page/edited" in text
    assert "edited by grace" in text
    assert "! conflict  page/clash" in text
    assert "Plan: 1 to create, 1 to update, 1 in conflict, 1 drifted." in text
    assert "apply will refuse" in text


def test_diff_shows_the_changed_paragraph_only() -> None:
    text = _text(print_plan, _mixed_plan(), diff="storage")
    assert "-<p>2</p>" in text
    assert "+<p>two</p>" in text
    assert " <p>one</p>" in text


def test_json_shape() -> None:
    document = plan_to_json(_mixed_plan(), RESOURCES)
    json.dumps(document)
    assert document["format_version"] == 2
    assert document["summary"] == {"create": 1, "update": 1, "conflict": 1, "drifted": 1}
    assert document["has_changes"] is True
    drifted = next(c for c in document["changes"] if c["action"] == "drifted")
    assert drifted["drift"]["author"] == "grace"
    assert drifted["id"] == "11"
    assert set(drifted) >= {"address", "resource", "space", "title", "fields", "before", "after"}


def test_report_names_failures_and_counts_requests() -> None:
    report = ApplyReport(
        results=(
            ChangeResult("page/a", "page", "create", "A", "done", "5"),
            ChangeResult("page/b", "page", "update", "B", "failed", "6", "HTTP 500"),
        ),
        reads=3,
        writes=4,
        seconds=1.25,
    )
    text = _text(print_report, report)
    assert "failed  update page/b 'B': HTTP 500" in text
    assert "Apply: 1 done, 1 failed, 0 skipped; 7 requests (3 reads, 4 writes) in 1.2 s." in text
    assert report_to_json(report)["requests"] == {"reads": 3, "writes": 4, "retries": 0}
    assert "retries" not in text


def test_report_says_how_long_the_site_made_it_wait() -> None:
    report = ApplyReport(results=(), reads=3, writes=4, seconds=9.0, retries=5, waited=7.5)
    text = _text(print_report, report)
    assert "in 9.0 s; 5 retries (7.5 s of waiting, summed over parallel requests)." in text
    as_json = report_to_json(report)
    assert as_json["requests"]["retries"] == 5
    assert as_json["waited_seconds"] == 7.5


def test_relabel_names_the_labels_and_hides_the_marker() -> None:
    page = want("a", labels=("docs", "how-to"))
    current = replace(written(replace(page, labels=("how-to", "old")), "10"))
    text = _text(print_plan, compute_plan(desired(page), site(current)))
    assert "~ relabel   page/a  TEAM 'A' (labels)" in text
    assert "labels: +docs -old" in text


def test_orphans_come_with_how_to_prune_them() -> None:
    gone = want("gone", "Gone")
    text = _text(print_plan, compute_plan(desired(), site(written(gone, "10"))))
    assert "? orphan    page/gone  TEAM 'Gone'" in text
    assert "--prune archives them" in text


def test_markdown_is_a_pull_request_comment_with_rows_and_folded_diffs() -> None:
    from teamcomms.engine.output_markdown import plan_markdown

    text = plan_markdown(_mixed_plan(), RESOURCES, diff="storage")
    assert "**1 to create, 1 to update, 1 in conflict, 1 drifted**" in text
    assert "| ➕ create | `page/fresh` (TEAM): Fresh [bold] |  |" in text
    assert "| ⛔ conflict | `page/clash` (TEAM): Clash |" in text
    assert "<details><summary><code>page/changed</code> body</summary>" in text
    assert "\n+<p>two</p>\n" in text
    assert "**apply will refuse**" in text
    page = want("a")
    unchanged = plan_markdown(compute_plan(desired(page), site(written(page, "9"))), RESOURCES)
    assert "<details>" not in unchanged and "| |" not in unchanged


def test_a_pipe_in_a_title_cannot_break_the_markdown_table() -> None:
    from teamcomms.engine.output_markdown import plan_markdown

    text = plan_markdown(compute_plan(desired(want("p", "A | B")), site()), RESOURCES)
    assert "`page/p` (TEAM): A \\| B |" in text
