"""The Confluence state as the page and template resources see it: what the definitions ask
for (``Desired*``) and what the site holds (``Current*``), as plain frozen values.

:mod:`teamcomms.resources.confluence_read` fills the current values from the site in a few bulk
requests and :mod:`teamcomms.resources.confluence_pages` the desired ones from a project; tests
build both by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from teamcomms.engine.change import Change
from teamcomms.resources.confluence_marker import (
    Marker,
    bytes_digest,
    content_hash,
    template_hash,
)

Field = Literal["title", "body", "parent", "labels", "attachments", "marker"]
"""The parts of a page or template a change can touch (``Change.fields``)."""


@dataclass(frozen=True)
class Content:
    """What a page or template holds (or will hold): the parts teamcomms writes."""

    title: str
    body: str
    labels: tuple[str, ...] = ()
    parent_title: str | None = None
    version: int | None = None
    """The page version (``before`` only; templates have none)."""


@dataclass(frozen=True)
class DesiredAttachment:
    """A file attached to a page (for example a workflow diagram)."""

    name: str
    data: bytes = field(repr=False)
    media_type: str = "application/octet-stream"

    @property
    def digest(self) -> str:
        """:func:`~teamcomms.publish.marker.bytes_digest` of the bytes."""
        return bytes_digest(self.data)


@dataclass(frozen=True)
class DesiredPage:
    """One page teamcomms publishes, rendered and ready to write."""

    address: str
    """``kind/name`` of the definition that yields the page, e.g. ``page/onboarding-home``."""
    space: str
    """Space key."""
    title: str
    body: str
    """Confluence storage format (XHTML)."""
    parent_title: str | None = None
    """Title of the parent page in the same space; ``None`` puts the page under the space home."""
    labels: tuple[str, ...] = ()
    attachments: tuple[DesiredAttachment, ...] = ()
    adopt: bool = False
    """Take over an unmanaged page with the same title instead of reporting a conflict."""
    generated: str | None = None
    """For a page whose ``body`` merges hand edits into what teamcomms generated (a standup's
    day): the generated body, kept in the marker as the base of the next merge."""

    @property
    def hash(self) -> str:
        """:func:`~teamcomms.publish.marker.content_hash` of title, body, labels and parent."""
        return content_hash(self.title, self.body, self.labels, self.parent_title)

    @property
    def attachment_digests(self) -> dict[str, str]:
        """Attachment name -> digest, as recorded in the marker."""
        return {a.name: a.digest for a in self.attachments}


@dataclass(frozen=True)
class DesiredTemplate:
    """One Confluence content template (space template) teamcomms publishes."""

    address: str
    """``template/<name>``."""
    space: str
    name: str
    """The template's name as Confluence shows it in the template picker."""
    body: str
    """Confluence storage format, with the template's variables left as placeholders."""
    description: str = ""
    labels: tuple[str, ...] = ()
    adopt: bool = False

    @property
    def hash(self) -> str:
        """Hash of name, body and labels (templates have no parent)."""
        return template_hash(self.name, self.body, self.labels)


@dataclass(frozen=True)
class DesiredState:
    """Everything the definitions ask for in Confluence."""

    pages: tuple[DesiredPage, ...] = ()
    templates: tuple[DesiredTemplate, ...] = ()
    spaces: tuple[str, ...] = ()
    """Every space key to read, including spaces that only hold orphans (the default space)."""

    @property
    def all_spaces(self) -> tuple[str, ...]:
        """The spaces named anywhere in the desired state, sorted."""
        named = {p.space for p in self.pages} | {t.space for t in self.templates}
        return tuple(sorted(named | set(self.spaces)))


@dataclass(frozen=True)
class CurrentPage:
    """A page as it is on the site now."""

    id: str
    space: str
    title: str
    version: int
    body: str
    parent_id: str | None = None
    parent_title: str | None = None
    """Title of the parent page; ``None`` under the space home (or at the root)."""
    labels: tuple[str, ...] = ()
    marker: Marker | None = None
    marker_property: tuple[str, int] | None = None
    """Id and version of the property holding the marker, so updating it needs no read."""
    author: str | None = None
    """Who made the current version (account id or display name)."""
    modified_at: str | None = None
    """When the current version was made (ISO 8601)."""

    @property
    def hash(self) -> str:
        """:func:`~teamcomms.publish.marker.content_hash` of what the page holds now."""
        return content_hash(self.title, self.body, self.labels, self.parent_title)


@dataclass(frozen=True)
class CurrentTemplate:
    """A content template of a space."""

    id: str
    space: str
    name: str
    body: str
    description: str = ""
    labels: tuple[str, ...] = ()
    marker: Marker | None = None

    @property
    def hash(self) -> str:
        """Hash of name, body and labels, comparable with ``DesiredTemplate.hash``."""
        return template_hash(self.name, self.body, self.labels)


@dataclass(frozen=True)
class CurrentSpace:
    """One space: its pages and content templates."""

    key: str
    id: str
    homepage_id: str | None = None
    pages: tuple[CurrentPage, ...] = ()
    templates: tuple[CurrentTemplate, ...] = ()
    exists: bool = True


@dataclass(frozen=True)
class CurrentState:
    """Every space the desired state names, as read from the site."""

    spaces: tuple[CurrentSpace, ...] = ()
    archive_supported: bool = True
    """Whether the site can archive pages (Cloud); Data Center's REST API cannot."""

    def space(self, key: str) -> CurrentSpace | None:
        """The space with this key, or ``None`` when it was not read or does not exist."""
        for space in self.spaces:
            if space.key == key:
                return space
        return None

    def pages(self) -> tuple[CurrentPage, ...]:
        """Every page of every space."""
        return tuple(page for space in self.spaces for page in space.pages)

    def templates(self) -> tuple[CurrentTemplate, ...]:
        """Every content template of every space."""
        return tuple(t for space in self.spaces for t in space.templates)


@dataclass(frozen=True)
class PageDetail:
    """What carrying out a page change needs beyond the content (``Change.detail``)."""

    parent_id: str | None = None
    """Id of the parent page when it exists already."""
    parent: str | None = None
    """Address of the page definition whose create this page waits for (its parent)."""
    attachments: tuple[DesiredAttachment, ...] = ()
    """Attachments to upload (only those that are new or changed)."""
    marker: Marker | None = None
    """The marker to write; its version is the one the write is expected to produce."""
    marker_property: tuple[str, int] | None = None
    """Id and version of the page's existing marker property (``None``: create it)."""


@dataclass(frozen=True)
class TemplateDetail:
    """What carrying out a content-template change needs beyond the content."""

    description: str = ""
    """The description, before the marker tag is added."""
    marker: Marker | None = None


def missing_space(change: Change) -> Change:
    """``change`` refused because its space does not exist (or cannot be seen)."""
    reason = f"space {change.scope!r} does not exist or cannot be seen"
    return replace(change, action="conflict", reason=reason)
