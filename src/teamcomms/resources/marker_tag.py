"""The ownership marker as a tag at the end of a description, for objects without properties.

Content templates, and the Jira statuses, workflows, workflow schemes, custom fields and
filters, have no entity properties a plain REST client can write, so teamcomms records what it
created in the object itself: ``[teamcomms <definition> <hash>]`` at the end of the description,
where ``hash`` is the first 16 hex digits of the hash of what teamcomms wrote. The tag says who
owns the object (so ``--prune`` only removes what teamcomms created, and a same-named object made
by hand is a conflict) and tells a hand edit from teamcomms' own write. Anyone can read it in the
product, which is deliberate: it says the object is managed as code.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

_TAG = re.compile(r"\s*\[teamcomms ([^\]]+?) ([0-9a-f]{16})\]\s*$")
SHORT_HASH = 16
"""Hex digits of the hash kept in a tag: 64 bits tell any two versions of one object apart."""


@dataclass(frozen=True)
class Tag:
    """The marker read from a description: the owning definition and the short hash."""

    definition: str
    short_hash: str


def spec_hash(value: Any) -> str:
    """``sha256:<hex>`` of a JSON-able value (keys sorted), the hash a tag records."""
    document = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(document.encode("utf-8")).hexdigest()


def short(digest: str) -> str:
    """The part of ``sha256:<hex>`` a tag keeps."""
    return digest.removeprefix("sha256:")[:SHORT_HASH]


def read_tag(description: str | None) -> Tag | None:
    """The tag at the end of ``description``, or ``None`` for an object teamcomms does not own."""
    match = _TAG.search(description or "")
    return None if match is None else Tag(match.group(1), match.group(2))


def strip_tag(description: str | None) -> str:
    """``description`` without its tag (what a person wrote)."""
    return _TAG.sub("", description or "").rstrip()


def with_tag(description: str, definition: str, digest: str, limit: int | None = None) -> str:
    """``description`` ending with the tag; cut with an ellipsis to fit ``limit`` characters."""
    tag = f"[teamcomms {definition} {short(digest)}]"
    text = " ".join(description.split())
    if limit is None:
        return f"{text} {tag}" if text else tag
    room = limit - len(tag) - 1
    if room <= 0 or not text:
        return tag[:limit]
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{text} {tag}"
