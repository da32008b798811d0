"""Storage XHTML -> Markdown for the blocks of a body: paragraphs, headings, lists and task
lists, tables, quotes, panels and code (their inline content:
:mod:`teamcomms.render.storage_markdown`)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from teamcomms.render.storage import CODE_LANGUAGES
from teamcomms.render.storage_markdown import (
    AC,
    HEADINGS,
    MACRO,
    WHITESPACE,
    Conversion,
    Inexpressible,
    describe,
    inline_children,
    jinja_literal,
    line,
    only_parameters,
)

_PANELS = ("info", "note", "tip", "warning", "expand")
_ITEM_BLOCKS = frozenset({"ul", "ol", f"{AC}task-list", "p", "blockquote", "table"})


def block_markdown(element: ET.Element, conversion: Conversion, marker: str = "-") -> str:
    """One top-level block as Markdown; ``marker`` is the bullet a list uses (consecutive lists
    alternate ``-`` and ``*``, or ``.`` and ``)``, so Markdown does not join them)."""
    tag = element.tag
    if tag == "p":
        return _paragraph(element, conversion)
    if tag in HEADINGS:
        text = inline_children(element, conversion, cell=True)
        if not text:
            raise Inexpressible("an empty heading")
        if text.endswith("#"):
            text = text[:-1] + "\\#"  # not a closing sequence
        return "#" * HEADINGS[tag] + " " + text
    if tag in ("ul", "ol"):
        return _list(element, conversion, marker)
    if tag == f"{AC}task-list":
        return _tasks(element, conversion, "*" if marker == "*" else "-")
    if tag == "table":
        return _table(element, conversion)
    if tag == "blockquote":
        inner = _blocks(element, conversion)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if tag == "hr":
        return "---"
    if tag == MACRO:
        return _block_macro(element, conversion)
    raise Inexpressible(describe(element))


def _blocks(parent: ET.Element, conversion: Conversion) -> str:
    """The block children of ``parent`` (a quote, a panel), separated by blank lines."""
    if (parent.text or "").strip() or any((c.tail or "").strip() for c in parent):
        raise Inexpressible(f"text directly inside {describe(parent)}")
    parts: list[str] = []
    previous = ""
    for child in parent:
        marker = _next_marker(previous, child.tag)
        parts.append(block_markdown(child, conversion, marker))
        previous = marker if child.tag in ("ul", "ol", f"{AC}task-list") else ""
    if not parts:
        raise Inexpressible(f"an empty {describe(parent)}")
    return "\n\n".join(parts)


def _next_marker(previous: str, tag: str) -> str:
    if tag == "ol":
        return ")" if previous == "." else "."
    return "*" if previous == "-" else "-"


def _paragraph(element: ET.Element, conversion: Conversion) -> str:
    text = line(inline_children(element, conversion))
    if not text:
        raise Inexpressible("an empty paragraph")
    return text


def _block_macro(element: ET.Element, conversion: Conversion) -> str:
    name = element.get(f"{AC}name", "")
    others = [c for c in element if c.tag != f"{AC}parameter"]
    if name == "code":
        return _code_block(element, others)
    if name in _PANELS and len(others) == 1 and others[0].tag == f"{AC}rich-text-body":
        parameters = only_parameters(element, {"title"}, lambda p: "\n" not in p.get("title", "x"))
        title = WHITESPACE.sub(" ", parameters.get("title", "")).strip()
        if "title" in parameters and not title:
            raise Inexpressible(f"macro {name!r} with an empty title")
        inner = _blocks(others[0], conversion)
        colons = max([2, *(len(run) for run in re.findall(r"^:{3,}", inner, re.M))]) + 1
        head = ":" * colons + name + (f" {jinja_literal(title)}" if title else "")
        return f"{head}\n{inner}\n{':' * colons}"
    if others:
        raise Inexpressible(f"macro {name!r}")
    if name == "toc":
        only_parameters(element, set(), lambda p: True)
        return "[[toc]]"
    if name == "jira":
        parameters = only_parameters(
            element, {"jqlQuery"}, lambda p: bool(p.get("jqlQuery", "").strip())
        )
        query = parameters["jqlQuery"]
        if "]]" in query or "\n" in query or query != query.strip():
            raise Inexpressible(f"the Jira query {query!r}")
        return f"[[jql:{jinja_literal(query)}]]"
    raise Inexpressible(f"macro {name!r}")


def _code_block(element: ET.Element, others: list[ET.Element]) -> str:
    if len(others) != 1 or others[0].tag != f"{AC}plain-text-body":
        raise Inexpressible("macro 'code' without a plain body")
    parameters = only_parameters(element, {"language"}, lambda p: True)
    language = parameters.get("language", "")
    if not re.fullmatch(r"[A-Za-z0-9_+#-]*", language) or language in CODE_LANGUAGES:
        raise Inexpressible(f"macro 'code' in language {language!r}")
    code = (others[0].text or "").rstrip("\n")
    longest = max((len(run) for run in re.findall(r"^ *(`{3,})", code, re.M)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{jinja_literal(code)}\n{fence}"


def _list(element: ET.Element, conversion: Conversion, marker: str) -> str:
    ordered = element.tag == "ol"
    start = element.get("start", "1")
    if set(element.attrib) - {"start"} or not start.isdigit() or len(start) > 9:
        raise Inexpressible(describe(element))
    items = list(element)
    if not items or any(item.tag != "li" or item.attrib for item in items):
        raise Inexpressible(f"an unusual <{element.tag}>")
    loose = any(child.tag == "p" for item in items for child in item)
    number = int(start)
    converted = []
    for item in items:
        bullet = f"{number}{marker} " if ordered else f"{marker} "
        number += 1
        converted.append(_item(bullet, _item_body(item, conversion, loose)))
    return ("\n\n" if loose else "\n").join(converted)


def _item_body(item: ET.Element, conversion: Conversion, loose: bool) -> str:
    """A list item's content: its text, then its nested lists (tight), or its blocks (loose)."""
    inline = ET.Element("span")
    inline.text = item.text
    blocks: list[ET.Element] = []
    for child in item:
        if _item_block(child) or blocks:
            if not _item_block(child) or (child.tail or "").strip():
                raise Inexpressible("text after a nested block in a list item")
            blocks.append(child)
        else:
            inline.append(child)
    text = line(inline_children(inline, conversion))
    parts = [text] if text else []
    previous = ""
    for block in blocks:
        marker = _next_marker(previous, block.tag)
        parts.append(block_markdown(block, conversion, marker))
        previous = marker if block.tag in ("ul", "ol", f"{AC}task-list") else ""
    if not parts:
        raise Inexpressible("an empty list item")
    return ("\n\n" if loose else "\n").join(parts)


def _item_block(element: ET.Element) -> bool:
    if element.tag in _ITEM_BLOCKS:
        return True
    bodies = (f"{AC}rich-text-body", f"{AC}plain-text-body")
    return element.tag == MACRO and any(c.tag in bodies for c in element)


def _item(bullet: str, body: str) -> str:
    pad = " " * len(bullet)
    first, *rest = body.split("\n")
    return bullet + first + "".join("\n" + (pad + line if line else "") for line in rest)


def _tasks(element: ET.Element, conversion: Conversion, marker: str) -> str:
    lines: list[str] = []
    for child in element:
        if child.tag == f"{AC}task-list" and lines:
            nested = _tasks(child, conversion, "-")
            lines.extend("  " + line if line else "" for line in nested.split("\n"))
            continue
        if child.tag != f"{AC}task":
            raise Inexpressible(f"{describe(child)} in a task list")
        status = (child.findtext(f"{AC}task-status") or "").strip()
        body = child.find(f"{AC}task-body")
        if status not in ("complete", "incomplete") or body is None:
            raise Inexpressible("a task without a status or body")
        text = line(inline_children(body, conversion))
        if not text:
            raise Inexpressible("a task without text")
        lines.append(_item(f"{marker} [{'x' if status == 'complete' else ' '}] ", text))
    if not lines:
        raise Inexpressible("an empty task list")
    return "\n".join(lines)


def _table(element: ET.Element, conversion: Conversion) -> str:
    rows: list[ET.Element] = []
    for part in element:
        if part.tag in ("tbody", "thead") and not part.attrib:
            rows.extend(part)
        else:
            raise Inexpressible(f"a table with {describe(part)}")
    if element.attrib or not rows or any(r.tag != "tr" or r.attrib for r in rows):
        raise Inexpressible("a table with attributes or odd rows")
    header, *body = rows
    width = len(header)
    if width == 0 or any(c.tag != "th" for c in header) or any(len(r) != width for r in body):
        raise Inexpressible("a table without a header row, or with rows of other widths")
    if any(c.tag != "td" for row in body for c in row):
        raise Inexpressible("a table with header cells below its first row")
    alignments = []
    for column in range(width):
        styles = {row[column].get("style", "") for row in rows}
        if len(styles) != 1 or any(set(row[column].attrib) - {"style"} for row in rows):
            raise Inexpressible("a table whose columns are not aligned alike")
        style = styles.pop().replace(" ", "")
        align = {"": "---", "text-align:left;": ":--", "text-align:right;": "--:"}
        align["text-align:center;"] = ":-:"
        if style not in align:
            raise Inexpressible(f"a table cell styled {style!r}")
        alignments.append(align[style])

    def cells(row: ET.Element) -> str:
        return "| " + " | ".join(inline_children(c, conversion, cell=True) for c in row) + " |"

    lines = [cells(header), "| " + " | ".join(alignments) + " |", *(cells(row) for row in body)]
    return "\n".join(lines)
