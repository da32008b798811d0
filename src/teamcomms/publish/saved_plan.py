"""``plan --out plan.json`` and ``apply plan.json``: a plan saved with everything apply needs.

The file is the documented plan JSON plus ``kind: teamcomms-plan`` and, per change, the bodies,
attachments (base64), marker and parent ids. ``apply`` re-reads the site and refuses the file
when the fingerprint of the objects the plan touches has changed since it was saved.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, cast

from teamcomms.errors import TeamcommsError, UsageError
from teamcomms.files import write_atomically
from teamcomms.publish.changes import ACTIONS, Change, Content, Drift, Plan
from teamcomms.publish.desired import DesiredAttachment
from teamcomms.publish.marker import Marker
from teamcomms.publish.output import FORMAT_VERSION, plan_to_json

KIND = "teamcomms-plan"


class StalePlanError(TeamcommsError):
    """The site changed since the plan was saved; applying it could overwrite those changes."""


def dump_plan(plan: Plan) -> str:
    """The plan as the JSON text ``plan --out`` writes."""
    document = plan_to_json(plan)
    document["kind"] = KIND
    for entry, change in zip(document["changes"], plan.changes, strict=True):
        entry["full"] = _full(change)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save_plan(plan: Plan, path: Path) -> None:
    """Write the plan to ``path`` (atomically: a killed run leaves the old file or none)."""
    write_atomically(path, dump_plan(plan))


def is_saved_plan(path: Path) -> bool:
    """Whether ``path`` is a file that looks like a saved plan (as opposed to a project folder)."""
    return path.is_file() and path.suffix == ".json"


def load_plan(path: Path) -> Plan:
    """Read a saved plan; a file that is not one gives a message saying so."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(
            f"cannot read the saved plan {path}: {error}",
            hint="pass a file written by `teamcomms plan --out FILE`, or a project folder",
        ) from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise UsageError(
            f"{path} is not a saved teamcomms plan",
            hint="write one with `teamcomms plan --out FILE`",
        )
    if document.get("format_version") != FORMAT_VERSION:
        raise UsageError(
            f"{path} was written in plan format {document.get('format_version')}, "
            f"this teamcomms reads format {FORMAT_VERSION}",
            hint="run `teamcomms plan --out FILE` again with this version",
        )
    try:
        changes = tuple(_change(entry) for entry in document["changes"])
        return Plan(
            changes=changes,
            fingerprint=str(document["fingerprint"]),
            site=document.get("site"),
            spaces=tuple(document.get("spaces", ())),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(
            f"{path} is a damaged saved plan ({type(error).__name__}: {error})",
            hint="run `teamcomms plan --out FILE` again",
        ) from None


def check_fresh(saved: Plan, fingerprint_now: str, site_now: str | None) -> None:
    """Refuse a plan saved for another site, or one whose site state has changed since."""
    if saved.site and site_now and saved.site != site_now:
        raise StalePlanError(
            f"the plan was made for {saved.site}, not {site_now}",
            hint="apply it with the same --site it was planned for",
        )
    if saved.fingerprint != fingerprint_now:
        raise StalePlanError(
            "the site changed since this plan was saved; applying it could overwrite those changes",
            hint="run `teamcomms plan --out FILE` again, review it, and apply the new file",
        )


def _full(change: Change) -> dict[str, Any]:
    return {
        "before": _content(change.before),
        "after": _content(change.after),
        "parent_id": change.parent_id,
        "depends_on": change.depends_on,
        "description": change.description,
        "marker": change.marker.to_json() if change.marker else None,
        "marker_property": list(change.marker_property) if change.marker_property else None,
        "attachments": [
            {
                "name": a.name,
                "media_type": a.media_type,
                "data": base64.b64encode(a.data).decode("ascii"),
            }
            for a in change.attachments
        ],
    }


def _content(content: Content | None) -> dict[str, Any] | None:
    if content is None:
        return None
    return {
        "title": content.title,
        "body": content.body,
        "labels": list(content.labels),
        "parent": content.parent_title,
        "version": content.version,
    }


def _change(entry: dict[str, Any]) -> Change:
    full = entry["full"]
    if entry["action"] not in ACTIONS or entry["resource"] not in ("page", "template"):
        raise ValueError(f"unknown action {entry['action']!r} or resource {entry['resource']!r}")
    drift = entry.get("drift")
    marker = Marker.from_json(full["marker"]) if full["marker"] is not None else None
    return Change(
        address=entry["address"],
        resource=entry["resource"],
        action=entry["action"],
        space=entry["space"],
        title=entry["title"],
        target_id=entry["id"],
        fields=tuple(entry["fields"]),
        before=_read_content(full["before"]),
        after=_read_content(full["after"]),
        parent_id=full["parent_id"],
        depends_on=full["depends_on"],
        attachments=tuple(
            DesiredAttachment(a["name"], base64.b64decode(a["data"]), a["media_type"])
            for a in full["attachments"]
        ),
        marker=marker,
        marker_property=_property_ref(full.get("marker_property")),
        description=full["description"],
        reason=entry["reason"],
        drift=None if drift is None else Drift(**cast("dict[str, Any]", drift)),
    )


def _read_content(value: dict[str, Any] | None) -> Content | None:
    if value is None:
        return None
    return Content(
        title=value["title"],
        body=value["body"],
        labels=tuple(value["labels"]),
        parent_title=value["parent"],
        version=value["version"],
    )


def _property_ref(value: Any) -> tuple[str, int] | None:
    if value is None:
        return None
    property_id, version = value
    return (str(property_id), int(version))
