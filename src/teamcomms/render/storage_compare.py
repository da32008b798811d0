"""Whether two storage-format bodies say the same thing, the way Confluence shows them.

Bodies come back from Confluence in another shape than they were written: a page made in the
editor has no newlines between its blocks while teamcomms writes one, macros carry ids the editor
gave them (``ac:macro-id``), tasks are numbered by Confluence, attributes come in any order, and
``&nbsp;`` may be an entity or a character. None of that changes what a reader sees, so comparing
the strings would call such a page changed forever. :func:`canonical_storage` reduces a body to a
value in which those differences are gone, and :func:`same_storage` compares two bodies so.

What is ignored, and why it is safe:

- ids that Confluence assigns and that no reader sees: ``ac:macro-id``, ``ac:local-id`` and
  ``local-id``, ``ac:schema-version``, ``ri:version-at-save``, and ``<ac:task-id>``;
- the order of attributes (XML gives it no meaning), entities versus characters, empty elements
  written as ``<x/>`` or ``<x></x>``, CDATA versus escaped text;
- whitespace as a browser ignores it: runs of spaces and newlines in text are one space (except in
  code bodies and ``<pre>``, kept exactly but for a code body's last line ends), whitespace
  between blocks and at the start and end of a block is dropped.

Everything else counts: text, marks, links, macro names and parameters, task states, table cells.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Union

from teamcomms.render.xml import NAMESPACES, parse_storage

AC, RI, AT = (f"{{{NAMESPACES[p]}}}" for p in ("ac", "ri", "at"))

Canonical = tuple[str, tuple[tuple[str, str], ...], tuple[Union[str, "Canonical"], ...]]
"""``(tag, sorted attributes, children)``; a child is a text or another such value."""

IGNORED_ATTRIBUTES = frozenset(
    {f"{AC}macro-id", f"{AC}local-id", "local-id", f"{AC}schema-version", f"{RI}version-at-save"}
)
IGNORED_ELEMENTS = frozenset({f"{AC}task-id"})
_VERBATIM = frozenset({"pre", f"{AC}plain-text-body"})
_HEADINGS = {f"h{level}" for level in range(1, 7)}
# Elements whose own text is layout only: whitespace directly inside them means nothing.
_STRUCTURAL = frozenset(
    {
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "colgroup",
        f"{AC}task-list",
        f"{AC}task",
        f"{AC}structured-macro",
        f"{AT}declarations",
        f"{AC}layout",
        f"{AC}layout-section",
        f"{AC}image",
        f"{AC}link",
    }
)
# Elements that start and end a line of their own: whitespace next to them or at their edges is
# not shown.
_BLOCKS = frozenset(
    {
        "root",
        "p",
        "li",
        "td",
        "th",
        "blockquote",
        "div",
        "section",
        "hr",
        "br",
        "col",
        f"{AC}task-body",
        f"{AC}task-status",
        f"{AC}rich-text-body",
        f"{AC}parameter",
        f"{AC}layout-cell",
        *_HEADINGS,
    }
    | (_STRUCTURAL - {f"{AC}image", f"{AC}link", f"{AC}structured-macro"})
)
_WHITESPACE = re.compile(r"[ \t\r\n]+")


def canonical_storage(storage: str) -> Canonical | None:
    """``storage`` reduced as described in the module docstring; ``None`` when it is not
    well-formed XML (such a body can only be compared as text)."""
    root = parse_storage(storage)
    return None if root is None else _canonical(root, verbatim=False)


def same_storage(first: str, second: str) -> bool:
    """Whether two bodies show the same page (see the module docstring). Bodies that are not
    XML are the same only when equal as text, surrounding whitespace aside."""
    if first.strip() == second.strip():
        return True
    one = canonical_storage(first)
    return one is not None and one == canonical_storage(second)


def _canonical(element: ET.Element, *, verbatim: bool) -> Canonical:
    verbatim = verbatim or element.tag in _VERBATIM
    items: list[str | ET.Element] = []

    def add_text(text: str | None) -> None:
        if not text:
            return
        if items and isinstance(items[-1], str):
            items[-1] += text
        else:
            items.append(text)

    add_text(element.text)
    for child in element:
        if child.tag not in IGNORED_ELEMENTS:
            items.append(child)
        add_text(child.tail)
    children: list[str | Canonical] = []
    for index, item in enumerate(items):
        if isinstance(item, ET.Element):
            children.append(_canonical(item, verbatim=verbatim))
            continue
        if verbatim:
            # A code body's last line end is not shown (Markdown fences always end with one).
            last = element.tag == f"{AC}plain-text-body" and index == len(items) - 1
            text = item.rstrip("\n") if last else item
        else:
            text = _trimmed(element, items, index)
        if text:
            children.append(text)
    attributes = tuple(
        sorted((k, v) for k, v in element.attrib.items() if k not in IGNORED_ATTRIBUTES)
    )
    return (element.tag, attributes, tuple(children))


def _trimmed(parent: ET.Element, items: list[str | ET.Element], index: int) -> str:
    text = _WHITESPACE.sub(" ", str(items[index]))
    if parent.tag in _STRUCTURAL and not text.strip():
        return ""
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    at_edge = parent.tag in _BLOCKS or parent.tag in _STRUCTURAL
    if (before is None and at_edge) or _is_block(before):
        text = text.lstrip(" ")
    if (after is None and at_edge) or _is_block(after):
        text = text.rstrip(" ")
    return text


def _is_block(item: str | ET.Element | None) -> bool:
    if not isinstance(item, ET.Element):
        return False
    if item.tag in _BLOCKS:
        return True
    if item.tag != f"{AC}structured-macro":
        return False
    # A macro with a body (a panel, code) stands on its own; a lozenge sits inside a line.
    return any(c.tag in (f"{AC}rich-text-body", f"{AC}plain-text-body") for c in item)
