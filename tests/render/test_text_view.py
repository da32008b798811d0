"""The Markdown-like text view of storage XHTML that page diffs are made of."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from teamcomms.definitions import load_project
from teamcomms.render.project import render_project
from teamcomms.render.text_view import storage_to_text
from teamcomms.render.workflow_page import workflow_page
from tests.render.support import GOLDEN
from tests.render.workflows import ORDER_FULFILLMENT

TEXT = GOLDEN / "text"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
STORAGE_SAMPLES = sorted(p.stem for p in GOLDEN.glob("*.xml"))


def _golden(name: str, lines: list[str]) -> None:
    path = TEXT / f"{name}.txt"
    actual = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        TEXT.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", STORAGE_SAMPLES)
def test_each_storage_sample_reads_as_its_golden_text(name: str) -> None:
    _golden(name, storage_to_text((GOLDEN / f"{name}.xml").read_text(encoding="utf-8")))


def test_the_workflow_page_reads_as_its_golden_text() -> None:
    _golden("workflow-page", storage_to_text(workflow_page(ORDER_FULFILLMENT, image="png").storage))


def test_every_example_page_reads_as_text_with_its_tasks_as_checkboxes() -> None:
    pages = render_project(load_project(EXAMPLE), {"release": "2027.03.2"})
    for page in pages:
        lines = storage_to_text(page.storage)
        assert lines, page.definition
        assert not any(line.startswith("<") for line in lines), page.definition  # all parsed
        tasks = page.storage.count("<ac:task>")
        checkboxes = [line for line in lines if line.lstrip().startswith(("- [ ] ", "- [x] "))]
        assert len(checkboxes) == tasks, page.definition


def _diff(before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(storage_to_text(before), storage_to_text(after), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]


TASKS = (
    "<h2>Before the release</h2><ac:task-list>"
    "<ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status>"
    "<ac:task-body>Changelog written by the release manager</ac:task-body></ac:task>"
    "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>complete</ac:task-status>"
    "<ac:task-body>Staging deploy green</ac:task-body></ac:task></ac:task-list>"
)


def test_a_one_word_change_in_a_task_list_is_a_one_line_change() -> None:
    after = TASKS.replace("release manager", "on-call manager")
    assert _diff(TASKS, after) == [
        "-- [ ] Changelog written by the release manager",
        "+- [ ] Changelog written by the on-call manager",
    ]


def test_ticking_a_task_is_a_one_line_change() -> None:
    after = TASKS.replace("incomplete", "complete")
    assert _diff(TASKS, after) == [
        "-- [ ] Changelog written by the release manager",
        "+- [x] Changelog written by the release manager",
    ]


def test_what_a_reader_cannot_see_is_no_change() -> None:
    # Confluence renumbers tasks, adds macro ids and may send parameters in another order.
    before = (
        '<ac:structured-macro ac:name="info" ac:schema-version="1">'
        '<ac:parameter ac:name="title">Heads up</ac:parameter>'
        '<ac:parameter ac:name="icon">true</ac:parameter>'
        "<ac:rich-text-body><p>Freeze on <strong>Monday</strong>.</p></ac:rich-text-body>"
        "</ac:structured-macro>" + TASKS
    )
    after = (
        '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="7c1e">'
        '<ac:parameter ac:name="icon">true</ac:parameter>'
        '<ac:parameter ac:name="title">Heads up</ac:parameter>'
        "<ac:rich-text-body><p>Freeze  on\n<strong>Monday</strong>.</p></ac:rich-text-body>"
        "</ac:structured-macro>" + TASKS.replace("task-id>1<", "task-id>17<")
    )
    assert storage_to_text(before) == storage_to_text(after)
    assert storage_to_text(before)[:3] == [
        '[macro info icon=true title="Heads up"]',
        "Freeze on **Monday**.",
        "[/macro info]",
    ]


def test_what_a_reader_can_see_is_a_change() -> None:
    base = (
        '<p><ac:image ac:alt="logo" ac:width="200"><ri:attachment ri:filename="a.png"/>'
        "</ac:image></p>"
    )
    assert storage_to_text(base) == ["![logo](attachment: a.png){width=200}"]
    assert storage_to_text(base.replace('"200"', '"300"')) != storage_to_text(base)
    lozenge = (
        '<p><ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green'
        '</ac:parameter><ac:parameter ac:name="title">Done</ac:parameter></ac:structured-macro></p>'
    )
    assert storage_to_text(lozenge) == ["[macro status colour=Green title=Done]"]
    assert storage_to_text(lozenge.replace("Green", "Red")) == [
        "[macro status colour=Red title=Done]"
    ]


def test_html_entities_from_the_confluence_editor_become_characters() -> None:
    storage = (
        "<p>Don&rsquo;t&nbsp;ship &amp; forget&hellip;</p>"
        '<ac:structured-macro ac:name="code"><ac:plain-text-body>'
        "<![CDATA[echo '&nbsp;' && true]]></ac:plain-text-body></ac:structured-macro>"
    )
    assert storage_to_text(storage) == [
        "Don\u2019t ship & forget\u2026",
        "",
        "```",
        "echo '&nbsp;' && true",
        "```",
    ]


def test_a_body_that_is_not_xml_is_shown_as_markup_one_block_a_line() -> None:
    storage = "<p>one</p><p>two &unknownentity; <b>bold</p><p>three</p>"
    assert storage_to_text(storage) == [
        "<p>one</p>",
        "<p>two &unknownentity; <b>bold</p>",
        "<p>three</p>",
    ]


def test_links_users_layouts_and_nested_structures() -> None:
    storage = (
        '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell>'
        '<ul><li><p>Ask <ac:link><ri:user ri:account-id="557058:abc"/></ac:link></p>'
        "<ac:task-list><ac:task><ac:task-status>complete</ac:task-status>"
        "<ac:task-body>nested task</ac:task-body></ac:task></ac:task-list></li></ul>"
        "</ac:layout-cell><ac:layout-cell>"
        '<p><ac:link><ri:page ri:content-title="Runbook"/></ac:link> '
        '<ac:link><ri:attachment ri:filename="plan.pdf"/>'
        "<ac:plain-text-link-body><![CDATA[the plan]]></ac:plain-text-link-body></ac:link> "
        '<ac:emoticon ac:name="smile"/><br/>second line</p>'
        "<table><thead><tr><th>A | B</th><th>C</th></tr></thead>"
        "<tbody><tr><td><p>one</p><p>two</p></td><td></td></tr></tbody></table>"
        "</ac:layout-cell></ac:layout-section></ac:layout>"
    )
    assert storage_to_text(storage) == [
        "- Ask @557058:abc",
        "  - [x] nested task",
        "",
        "[Runbook](page: Runbook) [the plan](attachment: plan.pdf) :smile:",
        "second line",
        "",
        "| A \\| B | C |",
        "| --- | --- |",
        "| one<br>two |  |",
    ]


def test_bodyless_macros_between_blocks_are_lines_of_their_own() -> None:
    storage = (
        '<ac:structured-macro ac:name="toc"/><ac:structured-macro ac:name="jira">'
        '<ac:parameter ac:name="jqlQuery">project = OPS</ac:parameter></ac:structured-macro>'
        '<p>Inline <ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">OPS-1'
        "</ac:parameter></ac:structured-macro> stays inline.</p>"
    )
    assert storage_to_text(storage) == [
        "[macro toc]",
        "",
        '[macro jira jqlQuery="project = OPS"]',
        "",
        "Inline [macro jira key=OPS-1] stays inline.",
    ]


def test_only_a_first_row_of_header_cells_gets_a_header_rule() -> None:
    row_headers = (
        "<table><tbody><tr><th>Owner</th><td>Ada</td></tr>"
        "<tr><th>Due</th><td>Friday</td></tr></tbody></table>"
    )
    assert storage_to_text(row_headers) == ["| Owner | Ada |", "| Due | Friday |"]
