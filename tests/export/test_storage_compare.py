"""Bodies compare as Confluence shows them: what a reader cannot see is ignored, everything they
can see counts."""

from __future__ import annotations

import pytest

from teamcomms.render.storage_compare import canonical_storage, same_storage

TEAMCOMMS = (
    "<h2>Steps</h2>\n<p>Ship <strong>today</strong>.</p>\n"
    '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:parameter ac:name="title">'
    "Note</ac:parameter><ac:rich-text-body><p>Careful</p></ac:rich-text-body>"
    "</ac:structured-macro>\n"
    "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
    "</ac:task-status><ac:task-body>Pick</ac:task-body></ac:task></ac:task-list>\n"
    '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">'
    "python</ac:parameter><ac:plain-text-body><![CDATA[print(1)\n  x = 2\n]]>"
    "</ac:plain-text-body></ac:structured-macro>"
)
# The same page as Confluence's editor stores it: no line ends between blocks, its own macro and
# task ids, attributes in another order, an entity for a character, the code body without its
# last line end.
EDITOR = (
    "<h2>Steps</h2><p>Ship\n  <strong>today</strong>. </p>"
    '<ac:structured-macro ac:macro-id="1f2e" ac:name="info">'
    '\n  <ac:parameter ac:name="title">Note</ac:parameter>\n'
    "  <ac:rich-text-body>\n<p>Careful</p>\n</ac:rich-text-body></ac:structured-macro>"
    "<ac:task-list>\n<ac:task>\n<ac:task-id>77</ac:task-id>\n"
    "<ac:task-status>incomplete</ac:task-status>\n<ac:task-body>Pick</ac:task-body>\n</ac:task>"
    "\n</ac:task-list>"
    '<ac:structured-macro ac:schema-version="1" ac:name="code" ac:local-id="9">'
    '<ac:parameter ac:name="language">python</ac:parameter>'
    "<ac:plain-text-body>print(1)\n  x = 2</ac:plain-text-body></ac:structured-macro>"
)


def test_a_page_from_the_editor_is_the_same_as_teamcomms_rendering_of_it() -> None:
    assert same_storage(TEAMCOMMS, EDITOR)
    assert canonical_storage(TEAMCOMMS) == canonical_storage(EDITOR)


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("a word", "<strong>today</strong>", "<strong>tomorrow</strong>"),
        ("a mark", "<strong>today</strong>", "<em>today</em>"),
        ("a space between words", "Ship\n  <strong>", "Ship<strong>"),
        ("a panel title", ">Note<", ">Warning<"),
        ("a macro name", 'ac:name="info"', 'ac:name="note"'),
        ("a task state", "<ac:task-status>incomplete", "<ac:task-status>complete"),
        ("indentation inside code", "\n  x = 2", "\nx = 2"),
        ("a code language", ">python<", ">ruby<"),
        ("a heading level", "<h2>Steps</h2>", "<h3>Steps</h3>"),
    ],
)
def test_what_a_reader_sees_counts(what: str, old: str, new: str) -> None:
    assert old in EDITOR, what
    assert not same_storage(TEAMCOMMS, EDITOR.replace(old, new, 1))


def test_entities_and_characters_are_the_same_and_a_non_breaking_space_is_not_a_space() -> None:
    assert same_storage("<p>a&nbsp;b &rsquo;</p>", "<p>a\u00a0b \u2019</p>")
    assert not same_storage("<p>a&nbsp;b</p>", "<p>a b</p>")


def test_a_body_that_is_not_xml_is_only_the_same_as_itself() -> None:
    assert canonical_storage("<p>open") is None
    assert same_storage("<p>open", " <p>open\n")
    assert not same_storage("<p>open", "<p>open</p>")


def test_text_after_a_block_starts_where_the_block_ends() -> None:
    assert same_storage("<ul><li>a</li></ul> more", "<ul><li>a</li></ul>more")
    assert same_storage("<p>a<br/>\n  b</p>", "<p>a<br/>b</p>")
    assert not same_storage("<p>a <strong>b</strong></p>", "<p>a<strong>b</strong></p>")
