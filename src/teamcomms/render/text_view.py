"""Confluence storage XHTML as Markdown-like text lines, for diffs people can review.

A page body is one long line of markup; a diff of it shows a one-word change in a task list as
two lines of ``<ac:task>`` soup. :func:`storage_to_text` turns it into what a reader sees, one
line per paragraph, heading, list item, task (``- [ ] text`` / ``- [x] text``) and table row
(``| a | b |``), with code blocks fenced, macros as ``[macro NAME param=value]`` (panels open and
close around their body: ``[/macro NAME]``), links as ``[text](target)`` and images as
``![alt](target)``. So a one-word change is a one-line change.

Decisions:

- It is a view for diffs, not a converter: it never has to round-trip. What does not change what
  a reader sees is left out (task ids, ``ac:macro-id``, ``ac:schema-version``); what does is kept
  (a lozenge's colour, a link's target, an image's width).
- Macro parameters are sorted by name: Confluence may hand them back in another order than they
  were written, and that is no change to review.
- Real pages (edited in the Confluence editor) carry HTML entities such as ``&nbsp;`` that XML
  does not define; they are turned into their characters first. A body that still is not
  well-formed XML is shown as markup broken after each block, as before.
"""

from __future__ import annotations

import html.entities
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from teamcomms.render import xml
from teamcomms.render.xml import NAMESPACES, wrap

AC, RI, AT = (f"{{{NAMESPACES[p]}}}" for p in ("ac", "ri", "at"))
_BREAK = "\x00"
"""A ``<br/>`` inside inline text (XML text can never contain NUL)."""
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_CONTAINERS = {"div", "section", f"{AC}layout", f"{AC}layout-section", f"{AC}layout-cell"}
_CONTAINERS |= {f"{AC}rich-text-body", "thead", "tbody", "tfoot"}
_BLOCKS = {"p", "ul", "ol", "table", "blockquote", "pre", "hr", f"{AC}task-list"}
_BLOCKS |= {f"{AT}declarations", *_HEADINGS, *_CONTAINERS}
# Where a macro stands as a block of its own even without a body (a Jira query, a table of
# contents); inside a paragraph, list item or table cell it is inline, like a status lozenge.
_DOCUMENT_LEVEL = {"root", f"{AC}rich-text-body", "blockquote", *_CONTAINERS}
_INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~", "del": "~~"}
_INLINE_MARKS |= {"strike": "~~", "code": "`"}
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_BLOCK_ENDS: tuple[str, ...] = (
    "</p>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</h5>",
    "</h6>",
    "</li>",
    "</tr>",
)
_BLOCK_ENDS += ("</table>", "</ac:task>", "</ac:structured-macro>")

Lines = list[str]


def storage_to_text(storage: str) -> list[str]:
    """The lines a reader sees in a storage-format body (see the module docstring)."""
    try:
        root = ET.fromstring(wrap(_xml_entities(storage)))  # noqa: S314 (no DTDs, no entities)
    except ET.ParseError:
        return _markup_lines(storage)
    return _tidy(_join(_chunks(root)))


def _xml_entities(storage: str) -> str:
    def character(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        known = html.entities.html5.get(f"{name};")
        return xml.text(known) if known is not None else match.group(0)

    parts = _CDATA.split(storage)
    return "".join(p if p.startswith("<![CDATA[") else _ENTITY.sub(character, p) for p in parts)


def _markup_lines(storage: str) -> list[str]:
    for end in _BLOCK_ENDS:
        storage = storage.replace(end + "<", end + "\n<")
    return storage.splitlines()


def _tidy(lines: Lines) -> list[str]:
    tidy: Lines = []
    for line in lines:
        line = line.rstrip()
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def _join(chunks: Iterable[Lines], *, blank: bool = True) -> Lines:
    """The chunks' lines, with an empty line between chunks when ``blank``."""
    lines: Lines = []
    for chunk in chunks:
        if not chunk:
            continue
        if blank and lines:
            lines.append("")
        lines.extend(chunk)
    return lines


def _is_block(element: ET.Element, parent: ET.Element) -> bool:
    if element.tag in _BLOCKS:
        return True
    if element.tag != f"{AC}structured-macro":
        return False
    has_body = any(c.tag in (f"{AC}rich-text-body", f"{AC}plain-text-body") for c in element)
    return has_body or parent.tag in _DOCUMENT_LEVEL


def _chunks(element: ET.Element) -> list[Lines]:
    """The children of a block container: each block, and each run of inline content between
    blocks, as one chunk of lines."""
    chunks: list[Lines] = []
    inline = [element.text or ""]
    for child in element:
        if _is_block(child, element):
            chunks.append(_paragraph("".join(inline)))
            inline = []
            chunks.append(_block(child))
        else:
            inline.append(_inline(child))
        inline.append(child.tail or "")
    chunks.append(_paragraph("".join(inline)))
    return [chunk for chunk in chunks if chunk]


def _paragraph(text: str) -> Lines:
    """Inline text as lines: one per ``<br/>``, whitespace collapsed as a browser does."""
    lines = (" ".join(part.split()) for part in text.split(_BREAK))
    return [line for line in lines if line]


def _block(element: ET.Element) -> Lines:
    tag = element.tag
    if tag == "p":
        return _paragraph(_inner(element))
    if tag in _HEADINGS:
        text = " ".join(_inner(element).replace(_BREAK, " ").split())
        return ["#" * _HEADINGS[tag] + " " + text]
    if tag in ("ul", "ol"):
        return _list(element, ordered=tag == "ol")
    if tag == f"{AC}task-list":
        return _tasks(element)
    if tag == "table":
        return _table(element)
    if tag == "blockquote":
        return [f"> {line}" if line else ">" for line in _join(_chunks(element))]
    if tag == "pre":
        return _fenced("".join(element.itertext()), "")
    if tag == "hr":
        return ["---"]
    if tag == f"{AC}structured-macro":
        return _macro(element)
    if tag == f"{AT}declarations":
        names = [child.get(f"{AT}name", "") for child in element]
        return [f"[template variables: {', '.join(names)}]"]
    return _join(_chunks(element))


def _list(element: ET.Element, *, ordered: bool) -> Lines:
    lines: Lines = []
    number = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
    for item in element:
        marker = f"{number}. " if ordered else "- "
        lines.extend(_item(marker, _join(_chunks(item), blank=False)))
        number += 1
    return lines


def _item(marker: str, body: Lines) -> Lines:
    """A list item: the marker before its first line, the rest indented under its text."""
    first, *rest = body or [""]
    pad = " " * min(len(marker), 4)
    return [marker + first, *(pad + line if line else line for line in rest)]


def _tasks(element: ET.Element) -> Lines:
    lines: Lines = []
    for child in element:
        if child.tag == f"{AC}task":
            done = (child.findtext(f"{AC}task-status") or "").strip() == "complete"
            body = child.find(f"{AC}task-body")
            text = _join(_chunks(body), blank=False) if body is not None else []
            lines.extend(_item("- [x] " if done else "- [ ] ", text))
        elif child.tag == f"{AC}task-list":
            # Confluence nests a sub-list as a sibling after the task it belongs to.
            lines.extend(f"  {line}" for line in _tasks(child))
    return lines


def _table(element: ET.Element) -> Lines:
    rows = [
        row
        for part in (element, *(c for c in element if c.tag in ("thead", "tbody", "tfoot")))
        for row in part
        if row.tag == "tr"
    ]
    lines: Lines = []
    for number, row in enumerate(rows):
        cells = [cell for cell in row if cell.tag in ("th", "td")]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        if number == 0 and cells and all(cell.tag == "th" for cell in cells):
            lines.append("|" + "|".join(" --- " for _ in cells) + "|")
    return lines


def _cell(cell: ET.Element) -> str:
    lines = [line.strip() for line in _join(_chunks(cell), blank=False)]
    return "<br>".join(line for line in lines if line).replace("|", "\\|")


def _fenced(code: str, info: str) -> Lines:
    fence = "````" if "```" in code else "```"
    return [fence + info, *code.rstrip("\n").split("\n"), fence]


def _macro(element: ET.Element) -> Lines:
    name = element.get(f"{AC}name", "")
    parameters = _parameters(element)
    plain = element.find(f"{AC}plain-text-body")
    if name == "code" and plain is not None:
        language = next((v for k, v in parameters if k == "language"), "")
        rest = _parameter_text((k, v) for k, v in parameters if k != "language")
        return _fenced(plain.text or "", language + rest)
    opening = f"[macro {name}{_parameter_text(parameters)}]"
    body = element.find(f"{AC}rich-text-body")
    if body is not None:
        return [opening, *_join(_chunks(body)), f"[/macro {name}]"]
    if plain is not None:
        return [opening, *(plain.text or "").rstrip("\n").split("\n"), f"[/macro {name}]"]
    return [opening]


def _parameters(element: ET.Element) -> list[tuple[str, str]]:
    found = element.findall(f"{AC}parameter")
    values = ((p.get(f"{AC}name", ""), " ".join(_inner(p).split())) for p in found)
    return sorted(values)


def _parameter_text(parameters: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f" {_quoted(value)}" if not name else f" {name}={_quoted(value)}"
        for name, value in parameters
    )


def _quoted(value: str) -> str:
    plain = value and not any(c.isspace() or c in '"]=[' for c in value)
    return value if plain else json.dumps(value, ensure_ascii=False)


def _inner(element: ET.Element) -> str:
    return (element.text or "") + "".join(_inline(c) + (c.tail or "") for c in element)


def _marked(mark: str, text: str) -> str:
    """``**text**``, with the surrounding spaces kept outside the marks."""
    core = text.strip()
    if not core:
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{mark}{core}{mark}{end}"


def _inline(element: ET.Element) -> str:
    tag = element.tag
    if tag in _INLINE_MARKS:
        return _marked(_INLINE_MARKS[tag], _inner(element))
    if tag == "br":
        return _BREAK
    if tag == "a":
        href = element.get("href")
        text = _inner(element)
        return _marked_link(text, href) if href else text
    if tag == f"{AC}link":
        return _link(element)
    if tag == f"{AC}image":
        return _image(element)
    if tag == f"{AC}structured-macro":
        return f"[macro {element.get(f'{AC}name', '')}{_parameter_text(_parameters(element))}]"
    if tag == f"{AT}var":
        return "{" + element.get(f"{AT}name", "") + "}"
    if tag == f"{AC}emoticon":
        return f":{element.get(f'{AC}name', '')}:"
    if tag == f"{AC}placeholder":
        return f"[placeholder: {' '.join(_inner(element).split())}]"
    if tag == "time":
        return element.get("datetime") or _inner(element)
    if tag.startswith(RI):
        return _reference(element)
    if tag in _BLOCKS or tag in ("li", "tr", "td", "th"):
        return _BREAK + _inner(element) + _BREAK
    return _inner(element)


def _marked_link(text: str, target: str) -> str:
    core = " ".join(text.split())
    start = text[: len(text) - len(text.lstrip())] if core else ""
    end = text[len(text.rstrip()) :] if core else ""
    return f"{start}[{core}]({target}){end}"


def _reference(element: ET.Element) -> str:
    """What an ``ri:`` resource identifier points at, as a link target."""
    kind = element.tag.removeprefix(RI)
    get = element.get
    if kind in ("page", "blog-post"):
        title = get(f"{RI}content-title", "")
        space = get(f"{RI}space-key")
        return f"{kind.replace('-', ' ')}: {space + ':' if space else ''}{title}"
    if kind == "user":
        account = get(f"{RI}account-id") or get(f"{RI}userkey") or get(f"{RI}username") or ""
        return f"user: {account}"
    if kind == "attachment":
        container = next((_reference(c) for c in element if c.tag.startswith(RI)), "")
        return f"attachment: {get(f'{RI}filename', '')}" + (f" on {container}" if container else "")
    if kind == "url":
        return get(f"{RI}value", "")
    if kind == "space":
        return f"space: {get(f'{RI}space-key', '')}"
    values = " ".join(f"{k.split('}')[-1]}={v}" for k, v in sorted(element.attrib.items()))
    return f"{kind}: {values}" if values else kind


def _link(element: ET.Element) -> str:
    body = element.find(f"{AC}link-body")
    plain = element.find(f"{AC}plain-text-link-body")
    text = _inner(body) if body is not None else (plain.text or "" if plain is not None else "")
    target = next((c for c in element if c.tag.startswith(RI)), None)
    if target is None:
        return text
    if target.tag == f"{RI}user":
        return "@" + (" ".join(text.split()) or _reference(target).removeprefix("user: "))
    anchor = element.get(f"{AC}anchor")
    destination = _reference(target) + (f"#{anchor}" if anchor else "")
    shown = text if text.strip() else target.get(f"{RI}content-title", "") or destination
    return _marked_link(shown, destination)


def _image(element: ET.Element) -> str:
    alt = " ".join(element.get(f"{AC}alt", "").split())
    source = next((c for c in element if c.tag.startswith(RI)), None)
    target = _reference(source) if source is not None else ""
    extras = sorted((k.removeprefix(AC), v) for k, v in element.attrib.items() if k != f"{AC}alt")
    shown = "{" + " ".join(f"{k}={_quoted(v)}" for k, v in extras) + "}" if extras else ""
    return f"![{alt}]({target}){shown}"
