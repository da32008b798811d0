"""Confluence storage XHTML -> the Markdown dialect of ``docs/rendering.md``, block by block.

This module only translates: one top-level block of storage into Markdown, or
:class:`Inexpressible` saying what the dialect has no words for (a macro it has no syntax for, an
attachment image, a table without a header row). :mod:`teamcomms.render.markdown_export` decides
what to keep: it renders the Markdown back and keeps the original storage wherever the two differ.

Text is escaped so Markdown reads it as text (``*``, ``_``, ``[``, ``{``...), and so Jinja, which
runs over a body before Markdown does, never sees ``{{``, ``{%`` or ``{#`` it did not write: in
text a backslash splits them; in code and addresses, where a backslash would show, they are
written as Jinja expressions that print them (``{{ '{{' }}``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from teamcomms.render.markdown import JIRA_KEY
from teamcomms.render.storage import CODE_LANGUAGES, STATUS_COLOURS
from teamcomms.render.xml import NAMESPACES

AC, RI, AT = (f"{{{NAMESPACES[p]}}}" for p in ("ac", "ri", "at"))
_MACRO = f"{AC}structured-macro"
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~"}
_PANELS = ("info", "note", "tip", "warning", "expand")
_ITEM_BLOCKS = frozenset({"ul", "ol", f"{AC}task-list", "p", "blockquote", "table"})
_COLOURS = {value: key for key, value in reversed(STATUS_COLOURS.items())}
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_LINE_END = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
_SPACES = re.compile(r"[ \t\r]+")
# What Markdown would read as syntax: always a backslash, backquote, asterisk, bracket, bar or
# tilde; a brace only where it opens a lozenge, an ampersand only before an entity, an angle
# bracket only where it opens an autolink.
_SPECIAL = re.compile(r"[\\`*\[|~]|\{(?=status:)|&(?=#?\w+;)|<(?=[A-Za-z])")
_JINJA_OPENING = re.compile(r"\{[{%#]")
_LINE_START = re.compile(r"^(?:(#{1,6})(?:\s|$)|([-+=>])|(\d{1,9})([.)])|(:{3}))")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class Inexpressible(Exception):
    """The dialect cannot say this; ``what`` names it for the export report."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class Conversion:
    """What converting needs to know, and what it found."""

    pages: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """``(space key, title)`` -> the name of the page definition that will hold that page."""
    space: str = ""
    """The space the body is in (links without a space key point into it)."""
    template: bool = False
    """Whether ``<at:var>`` (a content template's variable) may become ``{{ name }}``."""
    variables: set[str] = field(default_factory=set)
    """The template variables the converted Markdown uses (``hire`` for ``{{ hire.name }}``)."""


def jinja_literal(text: str) -> str:
    """``text`` for a place where Markdown escapes do not work (code, addresses): every
    ``{{``, ``{%`` and ``{#`` written as a Jinja expression printing it."""
    return _JINJA_OPENING.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)


def escape_text(text: str, *, single_line: bool = False) -> str:
    """Plain text as Markdown that reads back as this text: runs of spaces are one space, and
    a line end stays one (a soft line break, shown as a space) unless ``single_line``."""
    if single_line:
        text = _WHITESPACE.sub(" ", text)
    else:
        text = _SPACES.sub(" ", _LINE_END.sub("\n", text))
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    # "{{" as "{\{": Markdown shows a brace, Jinja sees no delimiter ("{%", "{#" alike).
    escaped = _JINJA_OPENING.sub(lambda m: "{\\" + m.group(0)[1], escaped)
    # "_" only matters where it can open or close emphasis: snake_case stays readable.
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", escaped)


def block_markdown(element: ET.Element, conversion: Conversion, marker: str = "-") -> str:
    """One top-level block as Markdown; ``marker`` is the bullet a list uses (consecutive lists
    alternate ``-`` and ``*``, or ``.`` and ``)``, so Markdown does not join them)."""
    tag = element.tag
    if tag == "p":
        return _paragraph(element, conversion)
    if tag in _HEADINGS:
        text = _inline_children(element, conversion, cell=True)
        if not text:
            raise Inexpressible("an empty heading")
        if text.endswith("#"):
            text = text[:-1] + "\\#"  # not a closing sequence
        return "#" * _HEADINGS[tag] + " " + text
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
    if tag == _MACRO:
        return _block_macro(element, conversion)
    raise Inexpressible(_describe(element))


def _blocks(parent: ET.Element, conversion: Conversion) -> str:
    """The block children of ``parent`` (a quote, a panel), separated by blank lines."""
    if (parent.text or "").strip() or any((c.tail or "").strip() for c in parent):
        raise Inexpressible(f"text directly inside {_describe(parent)}")
    parts: list[str] = []
    previous = ""
    for child in parent:
        marker = _next_marker(previous, child.tag)
        parts.append(block_markdown(child, conversion, marker))
        previous = marker if child.tag in ("ul", "ol", f"{AC}task-list") else ""
    if not parts:
        raise Inexpressible(f"an empty {_describe(parent)}")
    return "\n\n".join(parts)


def _next_marker(previous: str, tag: str) -> str:
    if tag == "ol":
        return ")" if previous == "." else "."
    return "*" if previous == "-" else "-"


def _paragraph(element: ET.Element, conversion: Conversion) -> str:
    text = _line(_inline_children(element, conversion))
    if not text:
        raise Inexpressible("an empty paragraph")
    return text


def _line(text: str) -> str:
    """Inline Markdown with each line's start escaped where Markdown would read it as a block
    (``# x``, ``- x``, ``1. x``, ``:::``)."""
    lines = text.split("\n")
    return "\n".join(
        _line_start(line.strip() if i else line.lstrip()) for i, line in enumerate(lines)
    )


def _line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if match is None:
        return line
    if match.group(3):
        cut = match.end(3)
        return line[:cut] + "\\" + line[cut:]
    return "\\" + line


def _inline_children(element: ET.Element, conversion: Conversion, *, cell: bool = False) -> str:
    """The inline content of ``element``; with ``cell`` on one line (a table cell, a heading)."""
    parts = [escape_text(element.text or "", single_line=cell)]
    for child in element:
        parts.append(_inline(child, conversion, cell=cell))
        parts.append(escape_text(child.tail or "", single_line=cell))
    return "".join(parts).strip(" \n")


def _inline(element: ET.Element, conversion: Conversion, *, cell: bool) -> str:
    tag = element.tag
    if tag in _MARKS:
        return _marked(_MARKS[tag], _inline_children(element, conversion, cell=cell), element)
    if tag == "code":
        return _code_span(element)
    if tag == "br":
        if cell:
            raise Inexpressible("a line break in a table cell")
        return "\\\n"
    if tag == "a":
        href = element.get("href")
        if not href or len(element.attrib) != 1:
            raise Inexpressible(_describe(element))
        return f"[{_inline_children(element, conversion, cell=cell)}]({_address(href)})"
    if tag == f"{AC}link":
        return _ac_link(element, conversion, cell=cell)
    if tag == f"{AC}image":
        return _image(element)
    if tag == _MACRO:
        return _inline_macro(element, cell=cell)
    if tag == f"{AT}var" and conversion.template:
        name = element.get(f"{AT}name", "")
        if not _VARIABLE.fullmatch(name) or len(element):
            raise Inexpressible(f"the template variable {name!r}")
        conversion.variables.add(name.partition(".")[0])
        return "{{ " + name + " }}"
    raise Inexpressible(_describe(element))


def _marked(mark: str, text: str, element: ET.Element) -> str:
    if not text.strip():
        raise Inexpressible(f"an empty <{element.tag}>")
    return f"{mark}{text}{mark}"


def _code_span(element: ET.Element) -> str:
    if len(element):
        raise Inexpressible("formatting inside inline code")
    code = _WHITESPACE.sub(" ", element.text or "")
    if not code.strip():
        raise Inexpressible("empty inline code")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {code} " if code.startswith("`") or code.endswith("`") else code
    return fence + jinja_literal(padded) + fence


def _address(href: str) -> str:
    if any(c in href for c in "<>\n\r\t"):
        raise Inexpressible(f"the link address {href!r}")
    escaped = jinja_literal(href)
    return f"<{escaped}>" if any(c in href for c in " ()") else escaped


def _ac_link(element: ET.Element, conversion: Conversion, *, cell: bool) -> str:
    targets = [c for c in element if c.tag.startswith(RI)]
    body = element.find(f"{AC}link-body")
    if len(targets) != 1:
        raise Inexpressible("a link without one target")
    target = targets[0]
    if target.tag == f"{RI}user" and body is None and len(element) == 1:
        account = target.get(f"{RI}account-id", "")
        if not account or any(c in account for c in " ()[]\n"):
            raise Inexpressible("a mention without an account id")
        return f"@[user]({jinja_literal(account)})"
    if target.tag != f"{RI}page" or body is None or len(element) != 2:
        raise Inexpressible(_describe(target))
    space = target.get(f"{RI}space-key") or conversion.space
    title = target.get(f"{RI}content-title", "")
    name = conversion.pages.get((space, title))
    if name is None:
        raise Inexpressible(
            f"a link to page {title!r} in {space} (links become page:NAME only from one exported "
            "page to another)"
        )
    anchor = element.get(f"{AC}anchor")
    if anchor is not None and any(c in anchor for c in " ()<>\n"):
        raise Inexpressible(f"the link anchor {anchor!r}")
    destination = f"page:{name}" + (f"#{jinja_literal(anchor)}" if anchor else "")
    return f"[{_inline_children(body, conversion, cell=cell)}]({destination})"


def _image(element: ET.Element) -> str:
    sources = [c for c in element if c.tag.startswith(RI)]
    extras = set(element.attrib) - {f"{AC}alt"}
    if len(sources) != 1 or sources[0].tag != f"{RI}url" or extras:
        what = sources[0].get(f"{RI}filename") if sources else None
        raise Inexpressible(f"the attached image {what!r}" if what else "an image")
    alt = _WHITESPACE.sub(" ", element.get(f"{AC}alt", ""))
    return f"![{escape_text(alt)}]({_address(sources[0].get(f'{RI}value', ''))})"


def _parameters(element: ET.Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for parameter in element.findall(f"{AC}parameter"):
        if len(parameter):
            raise Inexpressible(f"macro {element.get(f'{AC}name')!r} with a rich parameter")
        found[parameter.get(f"{AC}name", "")] = parameter.text or ""
    return found


def _only(
    element: ET.Element, allowed: set[str], check: Callable[[dict[str, str]], bool]
) -> dict[str, str]:
    parameters = _parameters(element)
    if set(parameters) - allowed or not check(parameters):
        shown = ", ".join(sorted(parameters)) or "no parameters"
        raise Inexpressible(f"macro {element.get(f'{AC}name')!r} ({shown})")
    return parameters


def _inline_macro(element: ET.Element, *, cell: bool) -> str:
    name = element.get(f"{AC}name", "")
    if name == "status":
        parameters = _only(element, {"colour", "title"}, lambda p: p.get("colour") in _COLOURS)
        title = _WHITESPACE.sub(" ", parameters.get("title", "")).strip()
        if not title or any(c in title for c in "{}|"):
            raise Inexpressible(f"the status lozenge {title!r}")
        bar = "\\|" if cell else "|"
        return "{status:" + _COLOURS[parameters["colour"]] + bar + jinja_literal(title) + "}"
    if name == "jira":
        parameters = _only(element, {"key"}, lambda p: bool(re.fullmatch(JIRA_KEY, p["key"])))
        return f"[[jira:{parameters['key']}]]"
    raise Inexpressible(f"macro {name!r}")


def _block_macro(element: ET.Element, conversion: Conversion) -> str:
    name = element.get(f"{AC}name", "")
    others = [c for c in element if c.tag != f"{AC}parameter"]
    if name == "code":
        return _code_block(element, others)
    if name in _PANELS and len(others) == 1 and others[0].tag == f"{AC}rich-text-body":
        parameters = _only(element, {"title"}, lambda p: "\n" not in p.get("title", "x"))
        title = _WHITESPACE.sub(" ", parameters.get("title", "")).strip()
        if "title" in parameters and not title:
            raise Inexpressible(f"macro {name!r} with an empty title")
        inner = _blocks(others[0], conversion)
        colons = max([2, *(len(run) for run in re.findall(r"^:{3,}", inner, re.M))]) + 1
        head = ":" * colons + name + (f" {jinja_literal(title)}" if title else "")
        return f"{head}\n{inner}\n{':' * colons}"
    if others:
        raise Inexpressible(f"macro {name!r}")
    if name == "toc":
        _only(element, set(), lambda p: True)
        return "[[toc]]"
    if name == "jira":
        parameters = _only(element, {"jqlQuery"}, lambda p: bool(p.get("jqlQuery", "").strip()))
        query = parameters["jqlQuery"]
        if "]]" in query or "\n" in query or query != query.strip():
            raise Inexpressible(f"the Jira query {query!r}")
        return f"[[jql:{jinja_literal(query)}]]"
    raise Inexpressible(f"macro {name!r}")


def _code_block(element: ET.Element, others: list[ET.Element]) -> str:
    if len(others) != 1 or others[0].tag != f"{AC}plain-text-body":
        raise Inexpressible("macro 'code' without a plain body")
    parameters = _only(element, {"language"}, lambda p: True)
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
        raise Inexpressible(_describe(element))
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
    text = _line(_inline_children(inline, conversion))
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
    return element.tag == _MACRO and any(c.tag in bodies for c in element)


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
            raise Inexpressible(f"{_describe(child)} in a task list")
        status = (child.findtext(f"{AC}task-status") or "").strip()
        body = child.find(f"{AC}task-body")
        if status not in ("complete", "incomplete") or body is None:
            raise Inexpressible("a task without a status or body")
        text = _line(_inline_children(body, conversion))
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
            raise Inexpressible(f"a table with {_describe(part)}")
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
        return "| " + " | ".join(_inline_children(c, conversion, cell=True) for c in row) + " |"

    lines = [cells(header), "| " + " | ".join(alignments) + " |", *(cells(row) for row in body)]
    return "\n".join(lines)


def _describe(element: ET.Element) -> str:
    tag = element.tag
    for prefix, uri in NAMESPACES.items():
        tag = tag.replace(f"{{{uri}}}", f"{prefix}:")
    if element.tag == _MACRO:
        return f"macro {element.get(f'{AC}name')!r}"
    if element.tag == f"{RI}attachment":
        return f"a link to the attachment {element.get(f'{RI}filename')!r}"
    return f"<{tag}>"
