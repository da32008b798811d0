"""Escaping for Confluence storage XHTML, which must stay well-formed XML."""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET

# XML 1.0 forbids most C0 control characters even as references; drop them from values.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NAMESPACES = {
    "ac": "http://atlassian.com/content",
    "ri": "http://atlassian.com/resource/identifier",
    "at": "http://atlassian.com/template",
}


def text(value: str) -> str:
    """``value`` as XML character data (``]]>`` cannot survive: ``>`` is always escaped)."""
    value = _FORBIDDEN.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(value: str) -> str:
    """``value`` as the inside of a double-quoted attribute."""
    return text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def cdata(value: str) -> str:
    """``value`` in a CDATA section; a ``]]>`` inside is split across two sections."""
    value = _FORBIDDEN.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wrap(storage: str) -> str:
    """A storage fragment inside one root element declaring the Confluence namespaces."""
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    return f"<root {declarations}>{storage}</root>"


_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)


def html_entities_as_characters(storage: str) -> str:
    """``storage`` with the HTML entities XML does not define (``&nbsp;``, ``&rsquo;``, which
    pages edited in Confluence carry) turned into their characters; CDATA is left alone."""

    def character(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        known = html.entities.html5.get(f"{name};")
        return text(known) if known is not None else match.group(0)

    parts = _CDATA.split(storage)
    return "".join(p if p.startswith("<![CDATA[") else _ENTITY.sub(character, p) for p in parts)


def storage_error(storage: str) -> tuple[int, str] | None:
    """Why ``storage`` is not well-formed XML: the 1-based line within it and the parser's
    message; ``None`` when it is."""
    try:
        ET.fromstring(wrap(html_entities_as_characters(storage)))  # noqa: S314
    except ET.ParseError as error:
        line = error.position[0] if error.position else 1
        return line, str(error).split(":")[0]
    return None


def parse_storage(storage: str) -> ET.Element | None:
    """A storage-format body as one ``root`` element (namespaces declared, HTML entities turned
    into characters), or ``None`` when it is not well-formed XML.

    A DOCTYPE cannot appear inside the root element, so no entity can be declared: the parser
    never expands anything it was not given.
    """
    try:
        return ET.fromstring(wrap(html_entities_as_characters(storage)))  # noqa: S314
    except ET.ParseError:
        return None
