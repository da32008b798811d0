"""Read the current Confluence state in bulk, spaces and listings in parallel.

Per space: the space itself (cached by the site), one page listing with bodies, versions,
labels and the marker property (250 pages a request on Cloud, plus the CQL search that carries
properties and labels), and one template listing. Nothing is read page by page.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from teamcomms.publish.marker import MARKER_KEY, Marker, template_marker
from teamcomms.publish.state import CurrentPage, CurrentSpace, CurrentState, CurrentTemplate

if TYPE_CHECKING:
    from teamcomms.site.confluence import ConfluenceSite
    from teamcomms.site.confluence_model import RemotePage, RemoteSpace, RemoteTemplate


def read_current(site: ConfluenceSite, spaces: Sequence[str], *, workers: int = 4) -> CurrentState:
    """Every page and content template of ``spaces``, read in parallel.

    First the spaces are looked up (one request on Cloud; their ids are what the page listings
    need); then the page listings (each with its CQL search for markers and labels alongside)
    and the template listings of all spaces share one pool of ``workers``.
    """
    keys = sorted(set(spaces))
    if not keys:
        return CurrentState()
    found = site.spaces(keys)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, 2 * len(keys)))) as pool:
        existing = [key for key in keys if key in found]
        pages = pool.map(lambda key: site.list_pages(key, property_keys=[MARKER_KEY]), existing)
        templates = pool.map(site.list_templates, existing)
        listed = dict(zip(existing, zip(pages, templates, strict=True), strict=True))
    read: list[CurrentSpace] = []
    for key in keys:
        if key in found:
            read.append(space_state(found[key], *listed[key]))
        else:
            read.append(CurrentSpace(key=key, id="", exists=False))
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
