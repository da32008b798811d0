"""Read the current Confluence state in bulk, space by space in parallel.

Per space: the space itself (cached by the site, one request for all spaces on Cloud), then for
the page resource one page listing with bodies, versions, labels and the marker property (250
pages a request on Cloud, plus the CQL search that carries properties and labels; Data Center's
content listing expands them all), and for the template resource one template listing.

The marker never depends on the property expansion alone: a page whose bulk read came back
without its properties (Cloud's v1 search may drop ``metadata.properties`` once Atlassian
retires that expansion) has its marker read on its own (``GET /wiki/api/v2/pages/{id}/
properties?key=teamcomms``, ``GET /rest/api/content/{id}/property/teamcomms`` on Data Center),
side by side with at most ``workers`` reads at a time, and only for those pages. Without the
fallback such pages would look unowned, and apply would create them again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from teamcomms.engine.resource import Observed
from teamcomms.resources.confluence_marker import MARKER_KEY, Marker, template_marker
from teamcomms.resources.confluence_state import (
    CurrentPage,
    CurrentSpace,
    CurrentState,
    CurrentTemplate,
)

if TYPE_CHECKING:
    from teamcomms.site.confluence import ConfluenceSite
    from teamcomms.site.confluence_model import (
        RemotePage,
        RemoteProperty,
        RemoteSpace,
        RemoteTemplate,
    )

T = TypeVar("T")


def read_pages(site: ConfluenceSite, spaces: Sequence[str], *, workers: int = 4) -> CurrentState:
    """Every current page of ``spaces`` with its marker and labels (templates left out)."""
    found, listed = _list(
        site, spaces, lambda key: site.list_pages(key, property_keys=[MARKER_KEY]), workers
    )
    listed = with_markers(site, listed, workers=workers)
    state = _state(spaces, found, listed, lambda space, pages: space_state(space, pages, ()))
    return replace(state, archive_supported=site.is_cloud)


def read_templates(
    site: ConfluenceSite, spaces: Sequence[str], *, workers: int = 4
) -> CurrentState:
    """Every content template of ``spaces`` (pages left out)."""
    found, listed = _list(site, spaces, site.list_templates, workers)
    return _state(spaces, found, listed, lambda space, templates: space_state(space, (), templates))


def with_markers(
    site: ConfluenceSite, listed: dict[str, list[RemotePage]], *, workers: int
) -> dict[str, list[RemotePage]]:
    """``listed`` with the marker of every page whose listing did not say it read directly, at
    most ``workers`` reads at a time (one request per such page, none when the listing had
    them all)."""
    needed = [page for pages in listed.values() for page in pages if not page.properties_read]
    if not needed:
        return listed
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(needed)))) as pool:
        markers = dict(zip((p.id for p in needed), pool.map(_marker_of(site), needed), strict=True))
    return {
        key: [
            _with_marker(page, markers[page.id]) if page.id in markers else page for page in pages
        ]
        for key, pages in listed.items()
    }


def _marker_of(site: ConfluenceSite) -> Callable[[RemotePage], RemoteProperty | None]:
    from teamcomms.site.errors import NotFound

    def read(page: RemotePage) -> RemoteProperty | None:
        try:
            return site.get_property(page.id, MARKER_KEY)
        except NotFound:  # the page went away since the listing: it has no marker to find
            return None

    return read


def _with_marker(page: RemotePage, marker: RemoteProperty | None) -> RemotePage:
    properties = {MARKER_KEY: marker} if marker is not None else {}
    return replace(page, properties=MappingProxyType(properties), properties_read=True)


def _list(
    site: ConfluenceSite,
    spaces: Sequence[str],
    listing: Callable[[str], T],
    workers: int,
) -> tuple[dict[str, RemoteSpace], dict[str, T]]:
    keys = sorted(set(spaces))
    if not keys:
        return {}, {}
    # The space ids are what the listings need; one request looks them all up (and is cached).
    found = site.spaces(keys)
    existing = [key for key in keys if key in found]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(existing) or 1))) as pool:
        listed = dict(zip(existing, pool.map(listing, existing), strict=True))
    return found, listed


def _state(
    spaces: Sequence[str],
    found: dict[str, RemoteSpace],
    listed: dict[str, T],
    convert: Callable[[RemoteSpace, T], CurrentSpace],
) -> CurrentState:
    read = [
        convert(found[key], listed[key])
        if key in found
        else CurrentSpace(key=key, id="", exists=False)
        for key in sorted(set(spaces))
    ]
    return CurrentState(spaces=tuple(read))


def space_state(
    space: RemoteSpace, pages: Sequence[RemotePage], templates: Sequence[RemoteTemplate]
) -> CurrentSpace:
    """Convert the site's values into the planner's (pure; parents are resolved to titles)."""
    titles = {page.id: page.title for page in pages}
    converted = tuple(
        _page(page, space, titles) for page in sorted(pages, key=lambda p: (len(p.id), p.id))
    )
    return CurrentSpace(
        key=space.key,
        id=space.id,
        homepage_id=space.homepage_id,
        pages=converted,
        templates=tuple(_template(t, space.key) for t in templates),
    )


def _page(page: RemotePage, space: RemoteSpace, titles: dict[str, str]) -> CurrentPage:
    stored = page.properties.get(MARKER_KEY)
    marker = Marker.from_json(stored.value) if stored is not None else None
    under_home = page.parent_id is None or page.parent_id == space.homepage_id
    return CurrentPage(
        id=page.id,
        space=space.key,
        title=page.title,
        version=page.version,
        body=page.body,
        parent_id=page.parent_id,
        parent_title=None if under_home else titles.get(page.parent_id or ""),
        labels=tuple(page.labels),
        marker=marker,
        marker_property=(stored.id, stored.version) if stored is not None else None,
        author=page.author_id,
        modified_at=page.created_at,
    )


def _template(template: RemoteTemplate, space_key: str) -> CurrentTemplate:
    return CurrentTemplate(
        id=template.id,
        space=template.space_key or space_key,
        name=template.name,
        body=template.body,
        description=template.description,
        labels=tuple(template.labels),
        marker=template_marker(template.description),
    )


def space_observed(resource: str, space: CurrentSpace) -> Observed:
    """A space as the engine sees it: a container whose existence and homepage every change in
    it depends on."""
    return Observed(
        resource=resource,
        id=f"space:{space.key}",
        scope=space.key,
        name="",
        owner=None,
        state=[space.exists, space.id, space.homepage_id],
        container=True,
    )
