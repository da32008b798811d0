"""Confluence storage XHTML -> the Markdown dialect of ``docs/rendering.md``, block by block.

This module and :mod:`teamcomms.render.storage_markdown_blocks` only translate: inline content
here, blocks there; one top-level block of storage into Markdown, or
:class:`Inexpressible` saying what the dialect has no words for (a macro it has no syntax for, an
attachment image, a table without a header row). :mod:`teamcomms.render.markdown_export` decides
what to keep: it renders the Markdown back and keeps the original storage wherever the two differ.

Text is escaped so Markdown reads it as text (``*``, ``_``, ``[``, ``{``...), and so Jinja, which
runs over a body before Markdown does, never sees ``{{``, ``{%`` or ``{#`` it did not write: in
text a backslash goes between the two characters (``{\\{``); in code and addresses, where a
backslash would show, they are written as Jinja expressions that print them (``{{ '{{' }}``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from teamcomms.render.markdown import JIRA_KEY
from teamcomms.render.storage import STATUS_COLOURS
from teamcomms.render.xml import NAMESPACES

AC, RI, AT = (f"{{{NAMESPACES[p]}}}" for p in ("ac", "ri", "at"))
MACRO = f"{AC}structured-macro"
HEADINGS = {f"h{level}": level for level in range(1, 7)}
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~"}
_COLOURS = {value: key for key, value in reversed(STATUS_COLOURS.items())}
WHITESPACE = re.compile(r"[ \t\r\n]+")
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
    one_line = WHITESPACE.sub(" ", text)
    text = one_line if single_line else _SPACES.sub(" ", _LINE_END.sub("\n", text))
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    # "{{" as "{\{": Markdown shows a brace, Jinja sees no delimiter ("{%", "{#" alike).
    escaped = _JINJA_OPENING.sub(lambda m: "{\\" + m.group(0)[1], escaped)
    # "_" only matters where it can open or close emphasis: snake_case stays readable.
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", escaped)


def line(text: str) -> str:
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


def inline_children(element: ET.Element, conversion: Conversion, *, cell: bool = False) -> str:
    """The inline content of ``element``; with ``cell`` on one line (a table cell, a heading)."""
    parts = [escape_text(element.text or "", single_line=cell)]
    for child in element:
        parts.append(_inline(child, conversion, cell=cell))
        parts.append(escape_text(child.tail or "", single_line=cell))
    return "".join(parts).strip(" \n")


def _inline(element: ET.Element, conversion: Conversion, *, cell: bool) -> str:
    tag = element.tag
    if tag in _MARKS:
        return _marked(_MARKS[tag], inline_children(element, conversion, cell=cell), element)
    if tag == "code":
        return _code_span(element)
    if tag == "br":
        if cell:
            raise Inexpressible("a line break in a table cell")
        return "\\\n"
    if tag == "a":
        href = element.get("href")
        if not href or len(element.attrib) != 1:
            raise Inexpressible(describe(element))
        return f"[{inline_children(element, conversion, cell=cell)}]({_address(href)})"
    if tag == f"{AC}link":
        return _ac_link(element, conversion, cell=cell)
    if tag == f"{AC}image":
        return _image(element)
    if tag == MACRO:
        return _inline_macro(element, cell=cell)
    if tag == f"{AT}var" and conversion.template:
        name = element.get(f"{AT}name", "")
        if not _VARIABLE.fullmatch(name) or len(element):
            raise Inexpressible(f"the template variable {name!r}")
        conversion.variables.add(name.partition(".")[0])
        return "{{ " + name + " }}"
    raise Inexpressible(describe(element))


def _marked(mark: str, text: str, element: ET.Element) -> str:
    if not text.strip():
        raise Inexpressible(f"an empty <{element.tag}>")
    return f"{mark}{text}{mark}"


def _code_span(element: ET.Element) -> str:
    if len(element):
        raise Inexpressible("formatting inside inline code")
    code = WHITESPACE.sub(" ", element.text or "")
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
        raise Inexpressible(describe(target))
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
    return f"[{inline_children(body, conversion, cell=cell)}]({destination})"


def _image(element: ET.Element) -> str:
    sources = [c for c in element if c.tag.startswith(RI)]
    extras = set(element.attrib) - {f"{AC}alt"}
    if len(sources) != 1 or sources[0].tag != f"{RI}url" or extras:
        what = sources[0].get(f"{RI}filename") if sources else None
        raise Inexpressible(f"the attached image {what!r}" if what else "an image")
    alt = WHITESPACE.sub(" ", element.get(f"{AC}alt", ""))
    return f"![{escape_text(alt)}]({_address(sources[0].get(f'{RI}value', ''))})"


def _parameters(element: ET.Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for parameter in element.findall(f"{AC}parameter"):
        if len(parameter):
            raise Inexpressible(f"macro {element.get(f'{AC}name')!r} with a rich parameter")
        found[parameter.get(f"{AC}name", "")] = parameter.text or ""
    return found


def only_parameters(
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
        parameters = only_parameters(
            element, {"colour", "title"}, lambda p: p.get("colour") in _COLOURS
        )
        title = WHITESPACE.sub(" ", parameters.get("title", "")).strip()
        if not title or any(c in title for c in "{}|"):
            raise Inexpressible(f"the status lozenge {title!r}")
        bar = "\\|" if cell else "|"
        return "{status:" + _COLOURS[parameters["colour"]] + bar + jinja_literal(title) + "}"
    if name == "jira":
        parameters = only_parameters(
            element, {"key"}, lambda p: bool(re.fullmatch(JIRA_KEY, p["key"]))
        )
        return f"[[jira:{parameters['key']}]]"
    raise Inexpressible(f"macro {name!r}")


def describe(element: ET.Element) -> str:
    tag = element.tag
    for prefix, uri in NAMESPACES.items():
        tag = tag.replace(f"{{{uri}}}", f"{prefix}:")
    if element.tag == MACRO:
        return f"macro {element.get(f'{AC}name')!r}"
    if element.tag == f"{RI}attachment":
        return f"a link to the attachment {element.get(f'{RI}filename')!r}"
    return f"<{tag}>"
