"""A hash of the part of the site a plan depends on, to refuse applying a stale saved plan.

Only the objects the plan's changes touch count (by id, by title in their space, by marker),
so an unrelated edit elsewhere in the space does not make a saved plan stale, while any edit,
new page or new marker that would change the plan does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from teamcomms.publish.changes import Change
from teamcomms.publish.state import CurrentPage, CurrentState, CurrentTemplate


def state_fingerprint(changes: Iterable[Change], current: CurrentState) -> str:
    """``sha256:<hex>`` of the current state of everything ``changes`` touch."""
    changes = list(changes)
    spaces = sorted({c.space for c in changes})
    entries: dict[str, Any] = {}
    for key in spaces:
        space = current.space(key)
        entries[f"space:{key}"] = (
            None if space is None else [space.exists, space.id, space.homepage_id]
        )
        if space is None:
            continue
        for change in (c for c in changes if c.space == key):
            names = {change.title, change.before.title if change.before else change.title}
            if change.resource == "page":
                for page in space.pages:
                    if _touches(change, page.id, page.title, page.marker, names):
                        entries[f"page:{page.id}"] = _page_entry(page)
            else:
                for template in space.templates:
                    if _touches(change, template.id, template.name, template.marker, names):
                        entries[f"template:{template.id}"] = _template_entry(template)
    document = json.dumps(entries, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(document.encode("utf-8")).hexdigest()


def _touches(change: Change, object_id: str, title: str, marker: Any, names: set[str]) -> bool:
    if object_id == change.target_id or title in names:
        return True
    return marker is not None and bool(marker.definition == change.address)


def _page_entry(page: CurrentPage) -> list[Any]:
    return [
        page.version,
        page.title,
        page.parent_id,
        sorted(page.labels),
        page.hash,
        page.marker.to_json() if page.marker else None,
    ]


def _template_entry(template: CurrentTemplate) -> list[Any]:
    return [template.name, template.hash, sorted(template.labels), template.description]
