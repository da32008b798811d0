"""A page or template body in storage format -> Markdown that renders back to the same body.

Used by ``teamcomms export``. Each top-level block becomes Markdown where the dialect can say it
(:mod:`teamcomms.render.storage_markdown`); what it cannot say is kept as a ```` ```storage ````
block, which the renderer passes through as written. The result is then checked the only way
that counts: it is rendered again, and compared with the original as Confluence shows it
(:func:`~teamcomms.render.storage_compare.same_storage`). A block that does not come back the
same is kept as storage too; if the whole still differs, the whole body is one storage block.
So the Markdown always renders to the page it came from, and every storage block is listed with
its line and what it holds, for the export's report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from teamcomms.errors import DefinitionError
from teamcomms.render import xml
from teamcomms.render.model import MappingLinkResolver, PageRef
from teamcomms.render.storage import RAW_STORAGE, render_storage
from teamcomms.render.storage_compare import canonical_storage, same_storage
from teamcomms.render.storage_markdown import AC, AT, Conversion, Inexpressible, jinja_literal
from teamcomms.render.storage_markdown_blocks import block_markdown
from teamcomms.render.xml import NAMESPACES, parse_storage

_PREFIXES = {f"{{{uri}}}": f"{prefix}:" for prefix, uri in NAMESPACES.items()}
# What stands inside a line: at the top of a body, such content is kept as storage (Markdown
# would wrap it in a paragraph). Every other element is a block of its own.
_INLINE = frozenset(
    {"strong", "b", "em", "i", "s", "u", "del", "code", "a", "span", "br", "sub", "sup", "time"}
    | {f"{AC}link", f"{AC}image", f"{AC}emoticon", f"{AT}var"}
)
_CDATA_BODIES = frozenset({f"{AC}plain-text-body", f"{AC}plain-text-link-body"})


class NotStorage(ValueError):
    """The body is not well-formed storage XHTML, so it cannot be kept even as storage."""


@dataclass(frozen=True)
class RawBlock:
    """A ```` ```storage ```` block of the Markdown, and why it is there."""

    line: int
    """The line of the Markdown where the block opens (1-based)."""
    what: tuple[str, ...]
    """What it holds that the Markdown dialect could not say (``macro 'gallery'``...)."""


@dataclass(frozen=True)
class MarkdownBody:
    """A body as Markdown, with its storage blocks and the template variables it uses."""

    markdown: str
    raw: tuple[RawBlock, ...] = ()
    variables: tuple[str, ...] = ()


@dataclass
class _Part:
    items: list[ET.Element | str]
    markdown: str | None = None
    what: str | None = None
    variables: frozenset[str] = frozenset()


def storage_to_markdown(
    storage: str,
    *,
    pages: Mapping[tuple[str, str], str] | None = None,
    space: str = "",
    template: bool = False,
) -> MarkdownBody:
    """``storage`` as Markdown (see the module docstring). ``pages`` maps ``(space, title)`` of
    the pages being exported to their definition names, so links between them become
    ``page:NAME``; with ``template`` the body's ``<at:var>`` become ``{{ name }}`` variables.
    Raises :class:`NotStorage` for a body that is not XML."""
    root = parse_storage(storage)
    if root is None:
        raise NotStorage("the body is not well-formed storage XHTML")
    pages = dict(pages or {})
    links = MappingLinkResolver(
        {("page", name): PageRef(title, key) for (key, title), name in pages.items()}
    )
    parts = _parts(root, Conversion(pages=pages, space=space, template=template))

    def renders_back(candidate: list[_Part]) -> bool:
        body = _assemble(candidate)
        rendered = _rendered(body.markdown, links, body.variables)
        return rendered is not None and same_storage(storage, rendered)

    if not renders_back(parts):
        for part in parts:
            if part.markdown is not None and not _part_renders_back(part, links):
                part.markdown, part.what = None, "a block that renders differently as Markdown"
        parts = _merged(parts)
        if not renders_back(parts):
            parts = [_Part(items=_items(root), what="the whole body")]
    return _assemble(parts)


def _parts(root: ET.Element, conversion: Conversion) -> list[_Part]:
    """The top-level blocks, each converted or kept raw (runs of text between blocks, which
    Markdown would wrap in a paragraph, are kept raw)."""
    parts: list[_Part] = []
    inline: list[ET.Element | str] = []
    previous = ""
    for item in _items(root):
        if isinstance(item, str) or item.tag in _INLINE:
            if inline or not isinstance(item, str) or item.strip():
                inline.append(item)
            continue
        if item.tag == f"{AT}declarations" and conversion.template:
            continue  # the renderer writes the declarations of the variables it meets
        if inline:
            parts.append(_Part(items=inline, what="text outside a paragraph"))
            inline = []
        marker = _marker(previous, item.tag)
        conversion.variables = set()
        try:
            markdown = block_markdown(item, conversion, marker)
            parts.append(_Part([item], markdown, variables=frozenset(conversion.variables)))
            previous = marker if item.tag in ("ul", "ol", f"{AC}task-list") else ""
        except Inexpressible as reason:
            parts.append(_Part([item], what=reason.what))
            previous = ""
    if inline and any(not isinstance(i, str) or i.strip() for i in inline):
        parts.append(_Part(items=inline, what="text outside a paragraph"))
    return _merged(parts)


def _items(root: ET.Element) -> list[ET.Element | str]:
    """The top level of a body: its elements and the text between them."""
    items: list[ET.Element | str] = [root.text or ""]
    for child in root:
        items.extend([child, child.tail or ""])
    return items


def _marker(previous: str, tag: str) -> str:
    if tag == "ol":
        return ")" if previous == "." else "."
    return "*" if previous == "-" else "-"


def _merged(parts: list[_Part]) -> list[_Part]:
    """Neighbouring raw parts as one (one storage block instead of several in a row)."""
    merged: list[_Part] = []
    for part in parts:
        if merged and part.markdown is None and merged[-1].markdown is None:
            last = merged[-1]
            reasons = [r for r in (last.what, part.what) if r]
            last.items = [*last.items, *part.items]
            last.what = "; ".join(dict.fromkeys("; ".join(reasons).split("; ")))
        else:
            merged.append(_Part(list(part.items), part.markdown, part.what, part.variables))
    return merged


def _assemble(parts: list[_Part]) -> MarkdownBody:
    chunks: list[str] = []
    raw: list[RawBlock] = []
    variables: set[str] = set()
    line = 1
    for part in parts:
        if part.markdown is not None:
            chunk = part.markdown
            variables |= part.variables
        else:
            chunk = _storage_block("".join(_serialised(i) for i in part.items))
            raw.append(RawBlock(line, tuple((part.what or "storage").split("; "))))
        chunks.append(chunk)
        line += chunk.count("\n") + 2
    markdown = "\n\n".join(chunks)
    return MarkdownBody(markdown + "\n" if markdown else "", tuple(raw), tuple(sorted(variables)))


def _storage_block(storage: str) -> str:
    longest = max((len(run) for run in re.findall(r"^ *(`{3,}|~{3,})", storage, re.M)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{RAW_STORAGE}\n{jinja_literal(storage)}\n{fence}"


def _serialised(item: ET.Element | str) -> str:
    """Storage text for an element of the parsed body (namespace prefixes as Confluence
    writes them; code bodies as CDATA)."""
    if isinstance(item, str):
        return xml.text(item)
    tag = _prefixed(item.tag)
    attributes = "".join(f' {_prefixed(k)}="{xml.attribute(v)}"' for k, v in item.attrib.items())
    if item.tag in _CDATA_BODIES:
        inner = xml.cdata(item.text or "")
    else:
        inner = xml.text(item.text or "") + "".join(
            _serialised(child) + xml.text(child.tail or "") for child in item
        )
    return f"<{tag}{attributes}>{inner}</{tag}>" if inner else f"<{tag}{attributes}/>"


def _prefixed(name: str) -> str:
    for uri, prefix in _PREFIXES.items():
        if name.startswith(uri):
            return prefix + name[len(uri) :]
    return name


def _rendered(
    markdown: str, links: MappingLinkResolver, variables: tuple[str, ...] | frozenset[str]
) -> str | None:
    names = tuple(sorted(variables))
    try:
        page = render_storage(
            markdown,
            {},
            source=Path("exported.md"),
            links=links,
            placeholders=names,
            declared=names,
        )
    except DefinitionError:
        return None
    return page.storage


def _part_renders_back(part: _Part, links: MappingLinkResolver) -> bool:
    rendered = _rendered(part.markdown or "", links, part.variables)
    if rendered is None:
        return False
    mine = canonical_storage("".join(_serialised(i) for i in part.items))
    theirs = canonical_storage(rendered)
    if mine is None or theirs is None:
        return False
    declarations = f"{AT}declarations"
    kept = tuple(c for c in theirs[2] if not (isinstance(c, tuple) and c[0] == declarations))
    return mine[2] == kept
