"""Prose extraction: what is left out of the text, and where each character came from."""

from __future__ import annotations

from teamcomms.lint.language import passive, sentences
from teamcomms.lint.prose import SourceText, Unit, align_value, markdown_units

MARKDOWN = """\
# Release {{ release }} notes

1. Run `make DEPLOY` and open [the dashboard](https://example.com/d).
   Then watch the CPU graph.

> Quoted **BOLD** text with jira:OPS-12 and {status:green|LIVE}.

| Step | Owner |
|------|-------|
| Ship | the ABC team |

```
CODE IN A FENCE
```
"""


def _where(text: str, unit: Unit, needle: str) -> tuple[int, int]:
    return SourceText.of(text).position(unit.file_offset(unit.text.index(needle)))


def test_code_urls_macros_and_markers_are_blanked_keeping_positions() -> None:
    units = markdown_units(MARKDOWN)
    texts = [" ".join(unit.text.split()) for unit in units]
    assert texts == [
        "Release notes",
        "Run and open the dashboard . Then watch the CPU graph.",
        "Quoted BOLD text with and .",
        "Step",
        "Owner",
        "Ship",
        "the ABC team",
    ]
    assert [len(u.text) for u in units] == [len(u.raw) for u in units]
    assert _where(MARKDOWN, units[1], "CPU") == (4, 19)
    assert _where(MARKDOWN, units[2], "BOLD") == (6, 12)
    assert _where(MARKDOWN, units[6], "ABC") == (10, 14)
    assert [(link.text, link.target) for link in units[1].links] == [
        ("the dashboard", "https://example.com/d")
    ]


def test_yaml_values_align_with_their_source() -> None:
    source = "a: >-\n  The quick\n  brown fox.\nb: 'It''s here'\nc: plain\n  continued\n"
    cases = [("The quick brown fox.", "fox", 3, 9), ("It's here", "here", 4, 11)]
    cases.append(("plain continued", "continued", 6, 3))
    starts = {
        "The": source.index(">-"),
        "It's": source.index("'It"),
        "plain": source.index("plain"),
    }
    table = SourceText.of(source)
    for value, needle, line, column in cases:
        segments = align_value(value, source, starts[value.split()[0]])
        unit = Unit(value, segments, frozenset())
        assert table.position(unit.file_offset(value.index(needle))) == (line, column), value


def test_sentences_split_at_end_punctuation_but_not_after_abbreviations() -> None:
    text = "Use e.g. the blue box. Then ship it! Is it done? Version 2.4 is out"
    assert [s.text for s in sentences(text)] == [
        "Use e.g. the blue box.",
        "Then ship it!",
        "Is it done?",
        "Version 2.4 is out",
    ]
    assert [s.words for s in sentences(text)] == [5, 3, 3, 4]  # e.g and 2.4 are one word


def test_passive_needs_a_form_of_be_and_a_lowercase_participle() -> None:
    assert passive("The box is shipped.") is not None
    assert passive("The box was given to Ada.") is not None
    assert passive("The order is Shipped.") is None  # a status name
    assert passive("The store is based in Reno.") is None
    assert passive("The team shipped the box.") is None
    found = passive("The refund was approved by the store manager.")
    assert found is not None and found.agent == "the store manager"
