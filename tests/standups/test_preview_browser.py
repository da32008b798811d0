"""Standup and report pages as the HTML preview shows them, loaded in a real headless
Chromium: the figures, the action items as checkboxes (a ticked one checked), and the report's
charts drawn as SVG above their data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from teamcomms.definitions.due import WorkingDays
from teamcomms.engine.workspace import load_workspace
from teamcomms.progress.facts import IssueFacts, StatusChange
from teamcomms.progress.periods import window
from teamcomms.progress.report import report_figures
from teamcomms.progress.standup import Member, StandupRules, standup_figures
from teamcomms.render.model import RenderedPage
from teamcomms.render.preview import page_html
from teamcomms.render.storage_merge import merge_storage
from teamcomms.resources.reports import pick_report, render_report
from teamcomms.resources.standups import pick_standup, render_standup
from tests.browser_support import needs_chromium, run_chromium
from tests.standups.conftest import write_project

pytestmark = needs_chromium
AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _load(page: RenderedPage, tmp_path: Path) -> _Dom:
    file = tmp_path / "page.html"
    file.write_text(page_html(page, index_href=None), encoding="utf-8")
    dom = _Dom()
    dom.feed(run_chromium(file.as_uri(), tmp_path / "profile", "--dump-dom"))
    return dom


def _issue(key: str, status: str, category: str, **extra: object) -> IssueFacts:
    return IssueFacts(key, f"Summary of {key} <&>", "OPS", "Task", status, category,  # type: ignore[arg-type]
                      created=AT, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_a_standup_page_shows_figures_and_ticked_action_items(tmp_path: Path) -> None:
    workspace = load_workspace(write_project(tmp_path / "project"))
    standup = pick_standup(workspace.project, "ops")
    issues = [
        _issue("OPS-1", "Closed", "done", assignee="a", assignee_name="Alice",
               category_changed=datetime(2026, 11, 26, 12, tzinfo=UTC)),
        _issue("OPS-2", "Blocked", "in_progress", assignee="b", assignee_name="Bob"),
    ]  # fmt: skip
    figures = standup_figures(
        "ops", "Operations", issues, [Member("alice@x.invalid", "a", "Alice")],
        date(2026, 11, 27), calendar=WorkingDays("US"), zone=UTC, rules=StandupRules(),
    )  # fmt: skip
    title, body = render_standup(workspace, standup, figures)
    ticked = body.replace("incomplete", "complete", 1)
    merged = merge_storage(body, ticked, body).body
    dom = _load(RenderedPage(title, merged, space="OPS", parent="Standups"), tmp_path)
    text = " ".join(" ".join(dom.text).split())
    assert "Ops standup 2026-11-27" in text
    # Values are escaped: a summary with markup characters shows as typed.
    assert "Done: OPS-1 Summary of OPS-1 <&>" in text
    assert "Blocked: OPS-2 Summary of OPS-2 <&>" in text
    boxes = [a for tag, a in dom.elements if tag == "input" and a.get("type") == "checkbox"]
    assert len(boxes) == 1 and "checked" in boxes[0]
    assert "OPS-2: unblock 'Summary of OPS-2 <&>' (Others)" in text


def test_a_report_page_draws_its_charts(tmp_path: Path) -> None:
    pytest.importorskip("pygal")
    workspace = load_workspace(write_project(tmp_path / "project"))
    report = pick_report(workspace.project, None)
    started = StatusChange(datetime(2026, 11, 17, 9, tzinfo=UTC), "Open", "Doing", "in_progress")
    closed = StatusChange(datetime(2026, 11, 19, 9, tzinfo=UTC), "Doing", "Closed", "done")
    issues = [
        _issue("OPS-1", "Closed", "done", history=(started, closed)),
        _issue("OPS-2", "Doing", "in_progress", assignee_name="Bob"),
    ]
    figures = report_figures(
        "ops-progress", ["OPS"], issues, window("month", date(2026, 11, 20)),
        workflow_of=lambda issue: "Delivery", zone=UTC, now=AT,
    )  # fmt: skip
    title, body = render_report(workspace, report, figures)
    dom = _load(RenderedPage(title, body, space="OPS"), tmp_path)
    text = " ".join(" ".join(dom.text).split())
    assert "Progress month 2026-11" in text
    charts = [a for tag, a in dom.elements if tag == "figure"]
    assert [c.get("aria-label") for c in charts] == [
        "Created and resolved per week",
        "Issues done per week",
        "Work in progress per person",
    ]
    svgs = [a for t, a in dom.elements if t == "svg" and "pygal-chart" in (a.get("class") or "")]
    assert len(svgs) == 3
    assert not [a for tag, a in dom.elements if tag == "script" and a.get("src")]
    assert "Delivery 1 2.0 2.0 2.0" in text  # the cycle time table: 48 hours
