"""Link and image addresses, read the way a browser reads them before their scheme is checked.

A page is HTML in the end, and a browser's URL parser (WHATWG URL standard) forgives a lot:
it decodes HTML entities in the attribute (``&#106;avascript:``), strips leading and trailing
spaces and control characters (``" javascript:"``), removes tabs and newlines anywhere
(``"java\\tscript:"``) and ignores case (``JaVaScRiPt:``). So the scheme is checked on the
address as the browser will see it, never on the text as written.
"""

from __future__ import annotations

import html
import re

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_TABS_AND_NEWLINES = re.compile("[\t\n\r]")
_EDGES = "".join(chr(code) for code in range(0x21))
"""C0 control characters and the space, which the URL parser strips from both ends."""
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_DECODE_ROUNDS = 3
"""Entity decoding applied until nothing changes, at most this often (``&amp;#106;``)."""


def normalised(address: str) -> str:
    """``address`` as a browser parses it: entities decoded, the ends stripped of spaces and
    control characters, tabs and newlines removed."""
    text = address
    for _ in range(_DECODE_ROUNDS):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return _TABS_AND_NEWLINES.sub("", text).strip(_EDGES)


def cleaned(address: str) -> str:
    """``address`` with what the URL parser would drop removed, entities left as written (they
    are escaped where the address is written into the page, so they stay text)."""
    return _TABS_AND_NEWLINES.sub("", address).strip(_EDGES)


def scheme(address: str) -> str:
    """The lower-case scheme a browser would use for ``address`` (``""`` when relative)."""
    match = _SCHEME.match(normalised(address))
    return match.group(1).lower() if match else ""


def has_control_characters(address: str) -> bool:
    """Whether control characters remain inside ``address`` once the browser's clean-up ran."""
    return _CONTROL.search(normalised(address)) is not None


def printable(address: str) -> str:
    """``address`` for a message: control characters shown as escapes (``\\t``, ``\\x01``)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), address)
