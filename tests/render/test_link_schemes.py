"""Link and image schemes are checked on the address a browser would follow (issue 8).

``href=" javascript:alert(1)"`` passed the old check because of its leading space; a browser
strips it and runs the script. Every variant below is refused, in links and images, whether it
comes from a variable or is written in the Markdown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.errors import DefinitionError
from teamcomms.render.adf import markdown_to_adf
from teamcomms.render.storage import render_storage
from teamcomms.render.urls import normalised, scheme
from tests.render.support import LINKS, parse_storage

SOURCE = Path("/project/docs/page.md")
HOSTILE = {
    "leading-space": " javascript:alert(1)",
    "leading-tab": "\tjavascript:alert(1)",
    "leading-newline": "\njavascript:alert(1)",
    "trailing-and-leading-controls": "\x01\x1f javascript:alert(1)\x00",
    "tab-inside-scheme": "java\tscript:alert(1)",
    "newline-inside-scheme": "java\nscript:alert(1)",
    "carriage-return-inside-scheme": "java\rscript:alert(1)",
    "mixed-case": "JaVaScRiPt:alert(1)",
    "decimal-entity": "&#106;avascript:alert(1)",
    "hex-entity": "&#x6A;avascript:alert(1)",
    "named-colon-entity": "javascript&colon;alert(1)",
    "entity-encoded-twice": "&amp;#106;avascript:alert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "data-url": "data:text/html,<script>alert(1)</script>",
    "file-url": "file:///etc/passwd",
    "null-inside": "http://exa\x00mple.com/",
}


def _render(markdown: str, **variables: object) -> str:
    return render_storage(markdown, variables, source=SOURCE, links=LINKS).storage


@pytest.mark.parametrize("href", HOSTILE.values(), ids=list(HOSTILE))
def test_a_link_from_a_value_is_refused_after_browser_normalisation(href: str) -> None:
    with pytest.raises(DefinitionError) as error:
        _render("Intro\n\n[click]({{ url }})\n", url=href)
    [problem] = error.value.problems
    assert problem.line == 3
    assert "which pages may not link to" in problem.message
    assert "http(s)" in (problem.hint or "")


@pytest.mark.parametrize("src", HOSTILE.values(), ids=list(HOSTILE))
def test_an_image_from_a_value_is_refused_after_browser_normalisation(src: str) -> None:
    with pytest.raises(DefinitionError) as error:
        _render("Intro\n\n![logo]({{ src }})\n", src=src)
    [problem] = error.value.problems
    assert problem.line == 3
    assert "not an image file" in problem.message


@pytest.mark.parametrize(
    "markdown",
    ["[x](<java\tscript:alert(1)>)", "[x](JAVASCRIPT:alert(1))", "[x](&#106;avascript:alert(1))"],
    ids=["tab", "upper-case", "entity"],
)
def test_a_link_written_in_the_markdown_never_becomes_a_script_link(markdown: str) -> None:
    # markdown-it keeps some of these as text and percent-encodes the tab (`java%09script:` is
    # a relative address to a browser); whatever is left is refused.
    try:
        storage = _render(markdown + "\n")
    except DefinitionError as error:
        assert "which pages may not link to" in error.problems[0].message
        return
    for link in parse_storage(storage).findall(".//a"):
        assert scheme(link.get("href", "")) == ""


@pytest.mark.parametrize(
    ("href", "written"),
    [
        (" https://example.com/a b ", "https://example.com/a b"),
        ("\thttps://example.com/x\n", "https://example.com/x"),
        ("HTTPS://EXAMPLE.COM/", "HTTPS://EXAMPLE.COM/"),
        ("mailto:team@example.com", "mailto:team@example.com"),
        ("tel:+441234", "tel:+441234"),
        ("docs/guide.html#part", "docs/guide.html#part"),
        ("a&b=c", "a&b=c"),
    ],
)
def test_safe_links_are_kept_without_what_the_browser_would_drop(href: str, written: str) -> None:
    link = parse_storage(_render("[x]({{ url }})\n", url=href)).find(".//a")
    assert link is not None
    assert link.get("href") == written


def test_a_web_image_from_a_value_is_kept_cleaned() -> None:
    storage = _render("![logo]({{ src }})\n", src="  https://example.com/logo.png ")
    assert 'ri:value="https://example.com/logo.png"' in storage


@pytest.mark.parametrize("href", HOSTILE.values(), ids=list(HOSTILE))
def test_jira_descriptions_never_link_a_hostile_address(href: str) -> None:
    document = markdown_to_adf("[click]({{ url }}) ![i]({{ url }})\n", {"url": href})
    assert "'link'" not in str(document)


def test_jira_descriptions_keep_web_and_mail_links() -> None:
    document = markdown_to_adf("[a]({{ u }}) [b](mailto:x@example.com)\n", {"u": " https://x.y "})
    text = str(document)
    assert "'href': 'https://x.y'" in text
    assert "'href': 'mailto:x@example.com'" in text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (" javascript:x", "javascript"),
        ("&#74;avascript:x", "javascript"),
        ("java\tscript:x", "javascript"),
        ("HTTP://x", "http"),
        ("page:home", "page"),
        ("docs/a:b", ""),
        ("//example.com", ""),
    ],
)
def test_the_scheme_is_the_one_a_browser_would_use(address: str, expected: str) -> None:
    assert scheme(address) == expected


def test_normalisation_stops_after_a_few_rounds_of_entities() -> None:
    assert normalised("&amp;amp;amp;amp;#106;") == "&amp;#106;"
