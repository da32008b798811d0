"""The desired Confluence state: what the definitions say the site should hold.

Plain frozen values, so the planner can be tested without YAML files or a site. Use
:func:`teamcomms.publish.from_project.desired_state` to build them from a loaded project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teamcomms.publish.marker import bytes_digest, content_hash, template_hash


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

    def addresses(self) -> set[str]:
        """Every definition address in the desired state."""
        return {p.address for p in self.pages} | {t.address for t in self.templates}
