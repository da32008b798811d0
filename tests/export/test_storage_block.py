"""A ```storage block: storage XHTML passed through as written, for what Markdown cannot say."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.errors import DefinitionError
from teamcomms.render.model import MappingLinkResolver
from teamcomms.render.storage import render_storage

GALLERY = (
    '<ac:structured-macro ac:name="gallery"><ac:parameter ac:name="columns">3</ac:parameter>'
    "</ac:structured-macro>"
)


def render(markdown: str, **values: object) -> str:
    page = render_storage(markdown, values, source=Path("page.md"), links=MappingLinkResolver())
    return page.storage


def test_a_storage_block_comes_out_exactly_as_written_between_markdown_blocks() -> None:
    storage = render(f"Before.\n\n```storage\n{GALLERY}\n```\n\nAfter.\n")
    assert storage == f"<p>Before.</p>\n{GALLERY}\n<p>After.</p>"


def test_a_value_inside_a_storage_block_is_escaped_text_never_markup() -> None:
    block = "```storage\n<p>Owner: {{ owner }}</p>\n```\n"
    storage = render(block, owner='<ac:structured-macro ac:name="html"/>&')
    assert storage == '<p>Owner: &lt;ac:structured-macro ac:name="html"/&gt;&amp;</p>'


def test_a_storage_block_that_is_not_xml_is_refused_at_its_line() -> None:
    with pytest.raises(DefinitionError) as raised:
        render("# Title\n\n```storage\n<p>fine</p>\n<p>unclosed\n</div>\n```\n")
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == ("page.md", 6)
    assert "not well-formed storage XHTML (mismatched tag)" in problem.message


def test_tasks_after_a_storage_block_are_numbered_after_its_own() -> None:
    tasks = (
        "<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>complete"
        "</ac:task-status><ac:task-body>a</ac:task-body></ac:task></ac:task-list>"
    )
    storage = render(f"- [ ] first\n\n```storage\n{tasks}\n```\n\n- [ ] later\n")
    assert "<ac:task-id>1</ac:task-id>" in storage
    assert (
        "<ac:task-id>8</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>later"
        in storage
    )


def test_another_fenced_language_is_still_a_code_block() -> None:
    assert render("```xml\n<p>x</p>\n```\n").startswith('<ac:structured-macro ac:name="code"')
