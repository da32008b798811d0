"""Storage rendering: values stay literal, the sandbox holds, errors say where and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.errors import DefinitionError
from teamcomms.render.storage import render_storage
from tests.render.support import LINKS, parse_storage, storage_text

SOURCE = Path("/project/docs/welcome.md")
HOSTILE = [
    '<ac:structured-macro ac:name="html"><ac:plain-text-body>x</ac:plain-text-body>',
    "]]>",
    "{{ 7*7 }}",
    "{% if true %}yes{% endif %}",
    "*not emphasis* [not a link](https://evil.example) <b>not bold</b>",
    "&amp; &nbsp; &#x3C;",
]


def _render(markdown: str, **variables: object) -> str:
    return render_storage(markdown, variables, source=SOURCE, links=LINKS).storage


def _problem(error: pytest.ExceptionInfo[DefinitionError]) -> tuple[int, str, str]:
    [problem] = error.value.problems
    assert problem.file == str(SOURCE)
    return problem.line, problem.message, problem.hint or ""


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_appears_as_literal_text_in_every_position(value: str) -> None:
    markdown = (
        "# {{ name }}\n\nHi **{{ name }}**\n\n- {{ name }}\n\n| a |\n|---|\n| {{ name }} |\n\n"
        ":::info {{ name }}\n{{ name }}\n:::\n\n{status:green|{{ name }}}\n"
    )
    storage = _render(markdown, name=value)
    root = parse_storage(storage)
    texts = [element.text or "" for element in root.iter()]
    for tag in ("h1", "strong", "li", "td", "p"):
        element = root.find(f".//{tag}")
        assert element is not None
        assert "".join(element.itertext()).strip().endswith(value.strip())
    assert texts.count(value) >= 3
    macros = root.findall(".//{http://atlassian.com/content}structured-macro")
    names = [m.get("{http://atlassian.com/content}name") for m in macros]
    assert "html" not in names
    assert not root.findall(".//b") and not root.findall(".//em")


def test_a_value_with_cdata_terminator_survives_in_a_code_block() -> None:
    value = "a ]]> b ]]]]> c"
    storage = _render("```\nbefore ]]> {{ v }}\n```\n", v=value)
    code = parse_storage(storage).find(".//{http://atlassian.com/content}plain-text-body")
    assert code is not None
    assert code.text == f"before ]]> {value}\n"


def test_control_characters_in_a_value_do_not_break_the_xml() -> None:
    storage = _render("{{ v }}", v="tab\there\x00nul\x1bescape")
    assert storage_text(storage) == "tab\therenulescape"


def test_a_value_in_an_attribute_keeps_its_quotes_newlines_and_tabs() -> None:
    # An XML parser turns a raw newline or tab inside an attribute into a space.
    storage = _render("![{{ v }}](https://x.example/a.png)\n", v='say "hi"\nthen\tleave\x01')
    image = parse_storage(storage).find(".//{http://atlassian.com/content}image")
    assert image is not None
    assert image.get("{http://atlassian.com/content}alt") == 'say "hi"\nthen\tleave'


def test_control_characters_in_a_code_block_value_do_not_break_the_xml() -> None:
    storage = _render("```\n{{ v }}\n```\n", v="a\x00b\x1bc ]]> d")
    code = parse_storage(storage).find(".//{http://atlassian.com/content}plain-text-body")
    assert code is not None
    assert code.text == "abc ]]> d\n"


def test_a_value_cannot_turn_a_link_into_javascript() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("Line one\n\n[click]({{ url }})\n", url="javascript:alert(1)")
    _, message, hint = _problem(error)
    assert "javascript" in message
    assert "http" in hint


@pytest.mark.parametrize(
    "expression",
    ["''.__class__", "''.__class__.__mro__", "cycler.__init__.__globals__", "range.__self__"],
)
def test_the_sandbox_refuses_internal_attributes(expression: str) -> None:
    with pytest.raises(DefinitionError) as error:
        _render(f"Hello\n\n{{{{ {expression} }}}}\n")
    line, message, _ = _problem(error)
    assert line == 3
    assert "attribute '__" in message
    assert "unsafe" in message or "no attribute" in message


@pytest.mark.parametrize(
    "tag",
    [
        '{% include "/etc/hostname" %}',
        '{% import "../secrets.md" as secrets %}',
        '{% from "other.md" import block %}',
        '{% extends "base.md" %}',
    ],
)
def test_tags_that_read_other_files_are_refused_with_their_line(tag: str) -> None:
    with pytest.raises(DefinitionError) as error:
        _render(f"# Runbook\n\n{tag}\n")
    line, message, hint = _problem(error)
    assert line == 3
    assert "is not supported: templates cannot read other files" in message
    assert "macro" in hint


def test_a_misspelt_variable_names_the_line_and_the_nearest_declared_name() -> None:
    with pytest.raises(DefinitionError) as error:
        render_storage(
            "# Release\n\nShip {{ relase }} today.\n",
            {},
            source=SOURCE,
            links=LINKS,
            placeholders=("release",),
        )
    line, message, hint = _problem(error)
    assert (line, message) == (3, "variable `relase` has no value")
    assert "did you mean `release`?" in hint
    assert f"{SOURCE}:3" in error.value.format()


def test_a_variable_nobody_declared_says_how_to_give_it() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("{{ quarter }}")
    _, message, hint = _problem(error)
    assert "quarter" in message
    assert "--var" in hint


def test_a_missing_attribute_of_a_value_names_the_line() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("Intro\n\nWelcome {{ hire.nmae }}\n", hire={"name": "Ada"})
    line, message, _ = _problem(error)
    assert line == 3
    assert "nmae" in message


def test_a_jinja_syntax_error_names_the_line() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("ok\n\n{% if ready %}\nunclosed\n", ready=True)
    line, message, hint = _problem(error)
    assert line == 4
    assert "Jinja syntax error" in message
    assert "{%" in hint


def test_a_link_to_an_unknown_page_names_its_line_in_the_markdown() -> None:
    markdown = (
        "{% for x in items %}\n- {{ x }}\n{% endfor %}\n\nSee [the guide](page:styel-guide).\n"
    )
    with pytest.raises(DefinitionError) as error:
        _render(markdown, items=["a", "b", "c"])
    line, message, hint = _problem(error)
    assert (line, message) == (5, "link to unknown page `styel-guide`")
    assert "kind: page" in hint
    assert error.value.problems[0].column == 17
    assert error.value.format().startswith(f"{SOURCE}:5:17: error: link to unknown page")


def test_an_unknown_status_colour_is_an_error() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("a\n\n{status:pink|Done}\n")
    line, message, hint = _problem(error)
    assert (line, message) == (3, "unknown status colour `pink`")
    assert "green" in hint


def test_a_bad_jira_key_from_a_value_is_an_error() -> None:
    with pytest.raises(DefinitionError) as error:
        _render("[[jira:{{ key }}]]", key="not a key")
    _, message, _ = _problem(error)
    assert "not a Jira issue key" in message


def test_a_jira_key_from_a_value_becomes_the_macro() -> None:
    root = parse_storage(_render("[[jira:{{ key }}]]", key="OPS-7"))
    parameter = root.find(".//{http://atlassian.com/content}parameter")
    assert parameter is not None
    assert (parameter.get("{http://atlassian.com/content}name"), parameter.text) == ("key", "OPS-7")


def test_a_missing_image_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "page.md"
    with pytest.raises(DefinitionError) as error:
        render_storage("![diagram](img/missing.png)", {}, source=source, links=LINKS)
    [problem] = error.value.problems
    assert "img/missing.png" in problem.message
    assert str(tmp_path / "img" / "missing.png") in (problem.hint or "")


def test_images_with_the_same_name_in_two_folders_get_distinct_attachments(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "logo.png").write_bytes(b"\x89PNG" + folder.encode())
    page = render_storage(
        "![a](a/logo.png) ![b](b/logo.png) ![a again](a/logo.png)",
        {},
        source=tmp_path / "page.md",
        links=LINKS,
    )
    assert [a.filename for a in page.attachments] == ["logo.png", "logo-2.png"]
    assert [a.read() for a in page.attachments] == [b"\x89PNGa", b"\x89PNGb"]
    assert page.attachments[0].media_type == "image/png"


def test_placeholders_become_declared_confluence_template_variables() -> None:
    page = render_storage(
        "Owner: {{ owner }}, release {{ release | upper }}",
        {"owner": "Grace"},
        source=SOURCE,
        links=LINKS,
        placeholders=("release",),
    )
    root = parse_storage(page.storage)
    at = "{http://atlassian.com/template}"
    declared = [e.get(f"{at}name") for e in root.iter(f"{at}string")]
    used = [e.get(f"{at}name") for e in root.iter(f"{at}var")]
    assert (declared, used, page.placeholders) == (["release"], ["release"], ("release",))
    assert "Owner: Grace" in storage_text(page.storage)


def test_raw_html_in_the_markdown_is_shown_as_text() -> None:
    storage = _render("<script>alert(1)</script>\n\nText <b>x</b>")
    assert "<script>alert(1)</script>" in storage_text(storage)
    assert parse_storage(storage).find(".//script") is None


def test_nesting_the_parser_would_cut_off_is_an_error_not_lost_text() -> None:
    deep_list = "".join("  " * level + f"- level {level}\n" for level in range(30))
    with pytest.raises(DefinitionError) as error:
        _render(f"# Plan\n\n{deep_list}")
    line, message, _ = _problem(error)
    assert message == "lists, quotes and containers nested 24 or more levels deep"
    assert 20 < line <= 32
    ten_levels = "".join("  " * level + f"- level {level}\n" for level in range(10))
    assert "level 9" in storage_text(_render(ten_levels))


@pytest.mark.parametrize(
    "expression",
    ['"ab" * 100000000', "100000000 * [1, 2]", "2 ** 100000"],
    ids=["repeat-text", "repeat-list", "huge-power"],
)
def test_an_expression_that_builds_more_than_a_page_holds_is_stopped(expression: str) -> None:
    with pytest.raises(DefinitionError) as error:
        _render("# Title\n\n{{ " + expression + " }}\n")
    line, message, hint = _problem(error)
    assert line == 3
    assert "more than a page may hold" in message or "10,000 bits" in message
    assert "5 MB" in hint


def test_repeating_a_little_text_still_works() -> None:
    assert "-----" in storage_text(_render("{{ '-' * 5 }}\n"))
