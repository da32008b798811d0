"""The current Confluence state as the planner sees it: plain frozen values read from the site.

:mod:`teamcomms.publish.current` fills these from the site in a few bulk requests; tests build
them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from teamcomms.publish.marker import Marker, content_hash, template_hash


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
