"""Markdown to ADF for Jira descriptions: schema-valid, values literal, errors located."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from teamcomms.errors import DefinitionError
from teamcomms.render.adf import markdown_to_adf
from tests.render.support import assert_valid_adf

SOURCE = Path("/project/onboarding/laptop.md")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "text" else []
        return own + [t for child in node.get("content", []) for t in _texts(child)]
    return []


def test_without_variables_jinja_syntax_is_plain_text() -> None:
    document = markdown_to_adf("Use {{ name }} and {% raw %}")
    assert_valid_adf(document)
    assert _texts(document) == ["Use {{ name }} and {% raw %}"]


def test_values_appear_literally_not_as_markdown() -> None:
    value = "**bold** <b>x</b> {{ 7*7 }} [link](https://x.example)"
    document = markdown_to_adf("Hello {{ hire.name }}!", {"hire": {"name": value}})
    assert_valid_adf(document)
    assert _texts(document) == [f"Hello {value}!"]


def test_issue_keys_become_smart_links_when_the_site_is_known() -> None:
    document = markdown_to_adf("See jira:OPS-12.", site="https://acme.atlassian.net/")
    assert_valid_adf(document)
    card = document["content"][0]["content"][1]
    assert card == {
        "type": "inlineCard",
        "attrs": {"url": "https://acme.atlassian.net/browse/OPS-12"},
    }


def test_task_items_get_unique_local_ids_and_states() -> None:
    document = markdown_to_adf("- [ ] one\n- [x] two\n  - [ ] nested\n")
    assert_valid_adf(document)
    task_list = document["content"][0]
    items = [
        task_list["content"][0],
        task_list["content"][1],
        task_list["content"][2]["content"][0],
    ]
    assert [i["attrs"]["state"] for i in items] == ["TODO", "DONE", "TODO"]
    ids = [task_list["attrs"]["localId"], *(i["attrs"]["localId"] for i in items)]
    assert len(set(ids)) == len(ids)


def test_code_marks_drop_marks_adf_does_not_allow_with_code() -> None:
    document = markdown_to_adf("**bold `code` bold** and [`linked code`](https://x.example)")
    assert_valid_adf(document)
    marks = [n.get("marks") for n in document["content"][0]["content"]]
    assert [{"type": "code"}] in marks
    assert [{"type": "link", "attrs": {"href": "https://x.example"}}, {"type": "code"}] in marks


def test_blocks_adf_forbids_inside_list_items_are_flattened() -> None:
    document = markdown_to_adf("- # Heading in a list\n- > quoted\n\n  ```\n  code\n  ```\n")
    assert_valid_adf(document)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("ok\n\n{status:pink|Late}\n", "unknown status colour `pink`"),
        ("ok\n\n[[jira:{{ key }}]]\n", "`ops-1` is not a Jira issue key"),
    ],
)
def test_bad_macros_are_errors_naming_the_line(markdown: str, message: str) -> None:
    with pytest.raises(DefinitionError) as error:
        markdown_to_adf(markdown, {"key": "ops-1"}, source=SOURCE)
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.message) == (str(SOURCE), 3, message)


def test_a_jinja_error_names_the_source() -> None:
    with pytest.raises(DefinitionError) as error:
        markdown_to_adf("Hi {{ hire.nmae }}", {"hire": {"name": "Ada"}}, source=SOURCE)
    [problem] = error.value.problems
    assert (problem.file, problem.line) == (str(SOURCE), 1)
    assert "nmae" in problem.message
