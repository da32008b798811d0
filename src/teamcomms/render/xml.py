"""Escaping for Confluence storage XHTML, which must stay well-formed XML."""

from __future__ import annotations

import re

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
