"""The ownership marker teamcomms leaves on every page and content template it writes.

On a page the marker is the content property ``teamcomms``; content templates have no
properties in Confluence, so their marker is a short tag at the end of the template's
description. The marker says which definition owns the object (identity comes from here, never
from the title), the hash of what teamcomms wrote, and the page version that write produced.
Comparing those with what the site holds now tells a hand edit ("drift") from our own write.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from teamcomms.resources.marker_tag import read_tag, short, with_tag
from teamcomms.version import tool_version

MARKER_KEY = "teamcomms"
"""Key of the content property that holds a page's marker."""

TEMPLATE_DESCRIPTION_LIMIT = 100
"""Confluence rejects longer template descriptions on update (v1 ``ContentTemplateUpdate``)."""


def content_hash(title: str, body: str, labels: Iterable[str], parent_title: str | None) -> str:
    """``sha256:<hex>`` of what teamcomms writes to a page: title, body, labels and parent.

    Labels are sorted and de-duplicated, so their order in a definition does not matter.
    """
    document = json.dumps(
        {"title": title, "body": body, "labels": sorted(set(labels)), "parent": parent_title},
        sort_keys=True,
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(document.encode("utf-8")).hexdigest()


def bytes_digest(data: bytes) -> str:
    """``sha256:<hex>`` of an attachment's bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Marker:
    """Who owns a page or template and what teamcomms last wrote to it."""

    definition: str
    """The owning definition, ``kind/name``, for example ``page/onboarding-home``."""
    hash: str
    """:func:`content_hash` of what was written."""
    version: int = 0
    """The page version that write produced (0 for content templates, which have none)."""
    attachments: Mapping[str, str] = field(default_factory=dict)
    """Attachment file name -> :func:`bytes_digest` of the bytes uploaded."""
    tool_version: str = field(default_factory=tool_version)
    generated: str | None = None
    """For a page merged with hand edits (a standup's day): the body teamcomms generated,
    before the merge; the base of the next three-way merge."""

    def to_json(self) -> dict[str, Any]:
        """The property value stored on the page."""
        value: dict[str, Any] = {
            "definition": self.definition,
            "hash": self.hash,
            "version": self.version,
            "tool_version": self.tool_version,
        }
        if self.attachments:
            value["attachments"] = dict(sorted(self.attachments.items()))
        if self.generated is not None:
            value["generated"] = packed(self.generated)
        return value

    @classmethod
    def from_json(cls, value: object) -> Marker | None:
        """Read a property value; anything that is not a well-formed marker gives ``None``.

        A malformed marker is treated as no marker at all, so a page whose property someone
        mangled is protected like any unmanaged page instead of being overwritten.
        """
        if not isinstance(value, Mapping):
            return None
        definition = value.get("definition")
        digest = value.get("hash")
        version = value.get("version", 0)
        attachments = value.get("attachments", {})
        if not isinstance(definition, str) or not isinstance(digest, str):
            return None
        if not isinstance(version, int) or isinstance(version, bool):
            return None
        if not isinstance(attachments, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in attachments.items()
        ):
            return None
        tool_version = value.get("tool_version")
        return cls(
            definition=definition,
            hash=digest,
            version=version,
            attachments=dict(attachments),
            tool_version=tool_version if isinstance(tool_version, str) else "unknown",
            generated=unpacked(value.get("generated")),
        )


GENERATED_LIMIT = 24_000
"""Characters of packed generated body a marker may hold: Confluence content properties take
32 KB of JSON; a larger body is not kept (the next merge then lets hand edits win)."""


def packed(text: str) -> str:
    """``text`` compressed for a property value (``zlib:`` + base64)."""
    return "zlib:" + base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def unpacked(value: object) -> str | None:
    """The text :func:`packed` made, or ``None`` for anything else."""
    if not isinstance(value, str) or not value.startswith("zlib:"):
        return None
    try:
        return zlib.decompress(base64.b64decode(value[5:], validate=True)).decode("utf-8")
    except (ValueError, zlib.error):
        return None


def kept_generated(generated: str | None) -> str | None:
    """The generated body a marker keeps: ``None`` when there is none or it is too large."""
    if generated is None or len(packed(generated)) > GENERATED_LIMIT:
        return None
    return generated


def template_description(description: str, marker: Marker) -> str:
    """A template description that ends with the marker tag, cut to Confluence's limit."""
    return with_tag(description, marker.definition, marker.hash, TEMPLATE_DESCRIPTION_LIMIT)


def template_marker(description: str | None) -> Marker | None:
    """The marker in a template description, or ``None`` for an unmanaged template.

    The tag holds the first 16 hex digits of the hash only (the description is short), so
    compare template hashes with :func:`same_template_hash`.
    """
    tag = read_tag(description)
    if tag is None:
        return None
    return Marker(definition=tag.definition, hash=tag.short_hash, tool_version="unknown")


def template_hash(name: str, body: str, labels: Iterable[str]) -> str:
    """:func:`content_hash` of a content template (no parent), the one rule for both sides.

    Bodies are compared without surrounding whitespace (see ``template_plan``), so they are
    hashed so too: a body read back with a trailing newline must not look like a hand edit.
    """
    return content_hash(name, body.strip(), labels, None)


def same_template_hash(marker_hash: str, full_hash: str) -> bool:
    """Whether a template tag's short hash is the one of ``full_hash``."""
    return short(marker_hash) == short(full_hash)
