"""A standup or report naming a ``template`` definition gets its page from that template; without
one, from the built-in page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from teamcomms.definitions.due import WorkingDays
from teamcomms.engine.workspace import load_workspace
from teamcomms.progress.periods import window
from teamcomms.progress.report import report_figures
from teamcomms.progress.standup import StandupRules, standup_figures
from teamcomms.resources.reports import pick_report, render_report
from teamcomms.resources.standups import pick_standup, render_standup
from tests.standups.conftest import DEFINITIONS, write_project

TEMPLATES = """\
---
kind: template
name: our-standup
title: "Standup {{ team }} {{ date }}"
space: OPS
body: our-standup.md
variables:
  team: {required: true}
  date: {required: true}
---
kind: template
name: our-report
title: "Report {{ period }} {{ label }}"
space: OPS
body: our-report.md
variables:
  period: {required: true}
  label: {required: true}
"""


def _project(root: Path, *, with_templates: bool) -> Path:
    definitions = DEFINITIONS
    if with_templates:
        definitions = (
            definitions.replace('title: "Ops standup {{ date }}"\n',
                                'title: "Ops standup {{ date }}"\ntemplate: our-standup\n')
            .replace("index_title: Ops progress reports\n",
                     "index_title: Ops progress reports\ntemplate: our-report\n")
            + TEMPLATES
        )  # fmt: skip
    write_project(root, definitions)
    (root / "our-standup.md").write_text("Our own standup page for {{ team }} on {{ date }}.\n")
    (root / "our-report.md").write_text("Our own report page for the {{ period }} {{ label }}.\n")
    return root


def _pages(root: Path) -> tuple[str, str]:
    workspace = load_workspace(root)
    standup = pick_standup(workspace.project, "ops")
    day = standup_figures(
        "ops", "Operations", [], [], date(2026, 11, 27),
        calendar=WorkingDays("US"), zone=UTC, rules=StandupRules(),
    )  # fmt: skip
    report = pick_report(workspace.project, None)
    period = report_figures(
        "ops-progress", ["OPS"], [], window("month", date(2026, 11, 20)),
        workflow_of=lambda issue: "Delivery", zone=UTC, now=datetime(2026, 11, 24, tzinfo=UTC),
    )  # fmt: skip
    return render_standup(workspace, standup, day)[1], render_report(workspace, report, period)[1]


def test_a_named_template_makes_the_page(tmp_path: Path) -> None:
    standup_body, report_body = _pages(_project(tmp_path / "p", with_templates=True))
    assert standup_body == "<p>Our own standup page for Operations on 2026-11-27.</p>"
    assert report_body == "<p>Our own report page for the month 2026-11.</p>"


def test_without_a_template_the_built_in_page_is_used(tmp_path: Path) -> None:
    standup_body, report_body = _pages(_project(tmp_path / "p", with_templates=False))
    assert "Our own" not in standup_body + report_body
    assert "<table>" in standup_body or "<h" in standup_body
    assert "<h" in report_body
