"""Workflow and checklist texts: findings point into the YAML (plain, quoted, folded values)."""

from __future__ import annotations

from pathlib import Path

from teamcomms.lint import lint_paths
from tests.lint.support import make_project, position

WORKFLOW = """\
kind: workflow
name: Returns
description: Every return the warehouse gets back from a customer.
statuses:
  - {name: Requested, category: todo, description: "The customer asked for an RMA."}
  - name: Received
    category: in_progress
    description: >-
      The parcel is back at the dock and the team checks the items against the return
      before the refund; the 3PL counts them first.
  - {name: Refunded, category: done}
initial: Requested
transitions:
  - {name: Receive, from: Requested, to: Received, description: 'It''s scanned by the WMS.'}
  - {name: Refund, from: Received, to: Refunded}
used_by: [{project: OPS, issue_types: [Task]}]
"""

CHECKLIST = """\
kind: checklist
name: agent
role: Agent
jira: {project: OPS}
items:
  - title: Learn the SKU format
    owner: hire
    due: 1d
    description: |
      Read the guide. Each SKU has a colour code.
  - title: Read the returns guide
    owner: hire
    due: 2d
    description: Ask your buddy which SKU is the oldest.
"""


def _lint(tmp_path: Path, **files: str) -> list[tuple[str | None, str, int, int, str | None]]:
    root = make_project(tmp_path / "p", extra=files)
    validation, report = lint_paths([root])
    assert validation.errors == ()
    return [(p.rule, Path(p.file).name, p.line, p.column, p.path) for p in report.problems]


def test_workflow_texts_are_checked_in_flow_folded_and_quoted_values(tmp_path: Path) -> None:
    found = _lint(tmp_path, **{"workflow.yaml": WORKFLOW})
    rma = position(WORKFLOW, "RMA")
    third = position(WORKFLOW, "3PL")
    wms = position(WORKFLOW, "WMS")
    assert found == [
        ("undefined-acronym", "workflow.yaml", *rma, "statuses[0].description"),
        ("jargon", "workflow.yaml", *third, "statuses[1].description"),
        ("undefined-acronym", "workflow.yaml", *wms, "transitions[0].description"),
    ]


def test_each_checklist_item_is_read_on_its_own(tmp_path: Path) -> None:
    # An item becomes its own Jira task: spelling SKU out in one does not help the next.
    found = _lint(tmp_path, **{"checklist.yaml": CHECKLIST})
    first = position(CHECKLIST, "SKU")
    second = position(CHECKLIST, "SKU is the oldest")
    assert found == [
        ("jargon", "checklist.yaml", *first, "items[0].title"),
        ("jargon", "checklist.yaml", *second, "items[1].description"),
    ]


def test_passive_share_is_counted_over_the_whole_workflow(tmp_path: Path) -> None:
    one_passive = WORKFLOW.replace("RMA", "return").replace("3PL", "team").replace("WMS", "team")
    assert _lint(tmp_path / "a", **{"workflow.yaml": one_passive}) == []  # 1 of 4 sentences: 25%
    two = one_passive.replace("the warehouse gets back", "that is sent back")
    found = _lint(tmp_path / "b", **{"workflow.yaml": two})
    assert [(rule, path) for rule, *_, path in found] == [
        ("passive-voice", "description"),
        ("passive-voice", "transitions[0].description"),
    ]
    lines = two.split("\n")
    assert found[1][2:4] == (14, lines[13].index("It''s scanned") + 1)
