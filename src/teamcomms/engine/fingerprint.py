"""A hash of the part of the site a plan depends on, to refuse applying a stale saved plan.

Only the objects the plan's changes touch count: in the change's scope, the object it writes
(by id), objects with its name (old or new), objects whose marker names its definition, and the
scope itself (a space that disappeared). An unrelated edit elsewhere does not make a saved plan
stale, while any edit, new object or new marker that would change the plan does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import Observed


def state_fingerprint(changes: Iterable[Change], observed: Iterable[Observed]) -> str:
    """``sha256:<hex>`` of the current state of everything ``changes`` touch."""
    changes = list(changes)
    by_place: dict[tuple[str, str], list[Observed]] = {}
    for item in observed:
        by_place.setdefault((item.resource, item.scope), []).append(item)
    entries: dict[str, Any] = {}
    for change in changes:
        names = {change.title, _title(change.before)} - {None}
        for item in by_place.get((change.resource, change.scope), ()):
            touched = item.container or (
                item.id == change.target_id
                or item.name in names
                or (item.owner is not None and item.owner == change.address)
            )
            if touched:
                entries[f"{item.resource}:{item.id}"] = item.state
    document = json.dumps(entries, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(document.encode("utf-8")).hexdigest()


def _title(value: Any) -> str | None:
    # A rename's old name: resources' ``before`` values carry it as ``title`` when they have one.
    title = getattr(value, "title", None)
    return title if isinstance(title, str) else None
