"""``plan --out plan.json`` and ``apply plan.json``: a plan saved with everything apply needs.

The file is the documented plan JSON plus ``kind: teamcomms-plan``, per change the resource's
own values (``full``: bodies, attachments in base64, markers, parent ids), and a ``digest`` over
all of it. A saved plan can do no more than the plan that was printed:

- the digest must match the file's content (an edited file is refused);
- ``apply`` re-reads every object the plan touches: a change in the site since the plan was
  saved makes it stale (:func:`verify_saved_plan`);
- every change that writes to an existing object must find on the site, in the object's own
  marker, the definition the change names; ownership is never taken from the file;
- the markers written are checked against each change's own definition and content by the
  resources when they carry the change out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from teamcomms.engine.change import ACTIONS, Change, Drift, Plan
from teamcomms.engine.connect import SANDBOX
from teamcomms.engine.output import FORMAT_VERSION, plan_to_json
from teamcomms.engine.planner import read_states
from teamcomms.engine.resource import Observed, Resource, index_by_kind
from teamcomms.errors import TeamcommsError, UsageError
from teamcomms.files import write_atomically
from teamcomms.redaction import redact

if TYPE_CHECKING:
    from teamcomms.site.connection import Site

KIND = "teamcomms-plan"
# Bytes (attachments) travel as base64 inside the JSON file.
_CODEC_CONFIG = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")


class StalePlanError(TeamcommsError):
    """The site changed since the plan was saved; applying it could overwrite those changes."""


class TamperedPlanError(TeamcommsError):
    """The saved plan asks for more than the plan that was printed; nothing was written."""


def dump_plan(plan: Plan, resources: Sequence[Resource]) -> str:
    """The plan as the JSON text ``plan --out`` writes, secrets masked, digest included."""
    by_kind = index_by_kind(resources)
    document = plan_to_json(plan, resources)
    document["kind"] = KIND
    if plan.site == SANDBOX:
        # The local sandbox keeps its state in the project folder; a real site needs no path.
        document["project_root"] = plan.project_root
    for entry, change in zip(document["changes"], plan.changes, strict=True):
        entry["full"] = _full(change, by_kind[change.resource])
    document = json.loads(redact(json.dumps(document, ensure_ascii=False)))
    document["digest"] = plan_digest(document)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save_plan(plan: Plan, path: Path, resources: Sequence[Resource]) -> str:
    """Write the plan to ``path`` (atomically: a killed run leaves the old file or none);
    returns its digest, which ``plan`` prints so a reviewer can match the file to the output."""
    text = dump_plan(plan, resources)
    write_atomically(path, text)
    return str(json.loads(text)["digest"])


def plan_digest(document: dict[str, Any]) -> str:
    """``sha256:<hex>`` of the document without its ``digest`` key, in canonical JSON."""
    body = {key: value for key, value in document.items() if key != "digest"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_saved_plan(path: Path) -> bool:
    """Whether ``path`` is a file that looks like a saved plan (as opposed to a project folder)."""
    return path.is_file() and path.suffix == ".json"


def load_plan(path: Path, resources: Sequence[Resource]) -> Plan:
    """Read a saved plan; a file that is not one, or was edited, gives a message saying so."""
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
    if document.get("digest") != plan_digest(document):
        raise TamperedPlanError(
            f"{path} was changed after it was saved (its digest does not match its content); "
            "nothing was written",
            hint="apply only plans written by `teamcomms plan --out`; plan again",
        )
    by_kind = index_by_kind(resources)
    try:
        changes = tuple(_change(entry, by_kind) for entry in document["changes"])
        scopes = document.get("scopes", {})
        return Plan(
            changes=changes,
            fingerprint=str(document["fingerprint"]),
            site=document.get("site"),
            scopes=tuple((str(k), tuple(str(s) for s in v)) for k, v in scopes.items()),
            project_root=document.get("project_root"),
            source=str(path),
        )
    except (KeyError, TypeError, ValueError, ValidationError) as error:
        raise UsageError(
            f"{path} is a damaged saved plan ({type(error).__name__}: {error})",
            hint="run `teamcomms plan --out FILE` again",
        ) from None


def verify_saved_plan(
    plan: Plan, site: Site, resources: Sequence[Resource], *, workers: int
) -> None:
    """Refuse a saved plan made for another site, one whose objects changed since it was
    saved, or one with a change that would write to an object its definition does not own."""
    from teamcomms.engine.fingerprint import state_fingerprint

    check_fresh(plan, plan.fingerprint, site.label)
    by_kind = index_by_kind(resources)
    kinds = {change.resource for change in plan.changes}
    scopes = {kind: plan.scope_of(kind) for kind in kinds}
    current = read_states([by_kind[k] for k in sorted(kinds)], site, scopes, workers=workers)
    observed = [item for kind in sorted(kinds) for item in by_kind[kind].observe(current[kind])]
    _check_ownership(plan, observed, by_kind)
    check_fresh(plan, state_fingerprint(plan.changes, observed), site.label)


def check_fresh(saved: Plan, fingerprint_now: str, site_now: str | None) -> None:
    """Refuse a plan saved for another site, or one whose site state has changed since."""
    if saved.site and site_now and saved.site != site_now:
        raise StalePlanError(
            f"the plan was made for {saved.site}, not {site_now}",
            hint=f"apply it with --site {saved.site}, or plan again for {site_now}",
        )
    if saved.fingerprint != fingerprint_now:
        raise StalePlanError(
            "the site changed since this plan was saved; applying it could overwrite those changes",
            hint="run `teamcomms plan --out FILE` again, review it, and apply the new file",
        )


def _check_ownership(
    plan: Plan, observed: Sequence[Observed], resources: dict[str, Resource]
) -> None:
    """Every write to an existing object needs that object's marker to name the change's
    definition (an adopt: an object with the change's name), and every change must be one its
    resource could have planned."""
    found = {(item.resource, item.id): item for item in observed if not item.container}
    refused: list[str] = []
    for change in plan.changes:
        if not change.writes and change.action != "drifted":
            continue
        problem = resources[change.resource].check_change(change)
        if problem is not None:
            refused.append(f"{change.key}: {problem}")
            continue
        if change.target_id is None:
            continue
        item = found.get((change.resource, change.target_id))
        if item is None:
            refused.append(f"{change.key}: {change.resource} {change.target_id} is not on the site")
        elif change.action == "adopt":
            # The planner adopts only an object that already has the wanted name.
            if item.name != change.title:
                refused.append(
                    f"{change.key}: adopts {change.resource} {change.target_id}, which is named "
                    f"{item.name!r}, not {change.title!r}"
                )
        elif item.owner != change.address:
            owner = item.owner or "nobody (not managed by teamcomms)"
            refused.append(
                f"{change.key}: {change.action} of {change.resource} {change.target_id}, "
                f"which belongs to {owner}"
            )
    if refused:
        raise TamperedPlanError(
            "the saved plan asks for writes the site's ownership markers do not allow; "
            "nothing was written:\n" + "\n".join(f"  {line}" for line in refused),
            hint="apply only plans written by `teamcomms plan --out`; plan again",
        )


@cache
def _adapter(value_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(value_type | None, config=_CODEC_CONFIG)


def _full(change: Change, resource: Resource) -> dict[str, Any]:
    def dump(value_type: Any, value: Any) -> Any:
        return json.loads(_adapter(value_type).dump_json(value))

    return {
        "before": dump(resource.before_type, change.before),
        "after": dump(resource.before_type, change.after),
        "detail": dump(resource.detail_type, change.detail),
        "requires": list(change.requires),
    }


def _change(entry: dict[str, Any], resources: dict[str, Resource]) -> Change:
    full = entry["full"]
    if entry["action"] not in ACTIONS or entry["resource"] not in resources:
        raise ValueError(f"unknown action {entry['action']!r} or resource {entry['resource']!r}")
    resource = resources[entry["resource"]]

    def load(value_type: Any, value: Any) -> Any:
        return _adapter(value_type).validate_json(json.dumps(value))

    drift = entry.get("drift")
    return Change(
        resource=str(entry["resource"]),
        address=str(entry["address"]),
        action=entry["action"],
        title=str(entry["title"]),
        scope=str(entry["scope"]),
        target_id=entry["id"],
        fields=tuple(str(f) for f in entry["fields"]),
        before=load(resource.before_type, full["before"]),
        after=load(resource.before_type, full["after"]),
        requires=tuple(str(r) for r in full["requires"]),
        reason=entry["reason"],
        drift=None if drift is None else Drift(**drift),
        detail=load(resource.detail_type, full["detail"]),
        warnings=tuple(str(w) for w in entry.get("warnings", ())),
    )
