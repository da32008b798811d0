"""The content-template resource's diff (pure, like the page resource's).

Templates have no version and no properties in Confluence: their marker is a tag in the
description, and a template whose content is neither what teamcomms wrote (the tag's hash) nor
what it wants now was edited by hand.
"""

from __future__ import annotations

from dataclasses import replace

from teamcomms.engine.change import Change, Drift, action_for, conflict_with
from teamcomms.engine.resource import Prune
from teamcomms.render.storage_compare import same_storage
from teamcomms.resources.confluence_marker import Marker, same_template_hash
from teamcomms.resources.confluence_state import (
    Content,
    CurrentState,
    CurrentTemplate,
    DesiredState,
    DesiredTemplate,
    Field,
    TemplateDetail,
    missing_space,
)

RESOURCE = "template"


def plan_templates(
    desired: DesiredState, current: CurrentState, prune: Prune | None
) -> list[Change]:
    """One change per desired template, then the orphaned templates teamcomms owns."""
    claimed: set[str] = set()
    changes: list[Change] = []
    for want in sorted(desired.templates, key=lambda t: t.address):
        change = _plan_template(want, current, claimed)
        if change.target_id and change.action != "conflict":
            claimed.add(change.target_id)
        changes.append(change)
    wanted = {t.address for t in desired.templates}
    for template in sorted(current.templates(), key=lambda t: (t.space, t.id)):
        if template.marker is None or template.id in claimed:
            continue
        definition = template.marker.definition
        reason = (
            "its definition is gone"
            if definition not in wanted
            else f"duplicate: another template is {definition}"
        )
        if prune == "archive":
            reason += "; Confluence cannot archive templates, --prune=delete deletes them"
        changes.append(
            Change(
                address=definition,
                resource=RESOURCE,
                action="delete" if prune == "delete" else "orphan",
                scope=template.space,
                title=template.name,
                target_id=template.id,
                before=_before(template),
                reason=reason,
            )
        )
    return changes


def _plan_template(want: DesiredTemplate, current: CurrentState, claimed: set[str]) -> Change:
    marker = Marker(definition=want.address, hash=want.hash)
    base = Change(
        address=want.address,
        resource=RESOURCE,
        action="create",
        scope=want.space,
        title=want.name,
        after=Content(want.name, want.body, tuple(want.labels)),
        detail=TemplateDetail(description=want.description, marker=marker),
    )
    space = current.space(want.space)
    if space is None or not space.exists:
        return missing_space(base)
    owned = [
        t
        for t in space.templates
        if t.marker and t.marker.definition == want.address and t.id not in claimed
    ]
    same_name = [t for t in space.templates if t.name == want.name and t.id not in claimed]
    if owned:
        template = owned[0]
        taken = [t for t in same_name if t.id != template.id]
        if taken:
            return conflict_with(
                base,
                template.id,
                _before(template),
                f"cannot rename: template {taken[0].id} is already named {want.name!r}",
            )
        return _plan_owned(want, base, template)
    if not same_name:
        fields: tuple[Field, ...] = ("title", "body", "labels", "marker")
        return replace(base, fields=fields if want.labels else ("title", "body", "marker"))
    template = same_name[0]
    if template.marker is not None:
        return conflict_with(
            base,
            template.id,
            _before(template),
            f"the template named {want.name!r} belongs to {template.marker.definition}",
        )
    if not want.adopt:
        return conflict_with(
            base,
            template.id,
            _before(template),
            f"template {template.id} has this name but teamcomms does not "
            "manage it; set `adopt: true` to take it over, or rename it",
        )
    change = _plan_owned(want, base, template)
    adopted = change.fields if "marker" in change.fields else (*change.fields, "marker")
    return replace(change, action="adopt", fields=adopted, reason="adopt: true")


def _plan_owned(want: DesiredTemplate, base: Change, template: CurrentTemplate) -> Change:
    fields: list[Field] = []
    if template.name != want.name:
        fields.append("title")
    if not same_storage(template.body, want.body):
        fields.append("body")
    if set(template.labels) != set(want.labels):
        fields.append("labels")
    written = template.marker
    if written is None or not same_template_hash(written.hash, want.hash):
        fields.append("marker")
    change = replace(
        base,
        action=action_for(fields),
        target_id=template.id,
        before=_before(template),
        fields=tuple(fields),
    )
    hand_edited = (
        written is not None
        and not same_template_hash(written.hash, template.hash)
        and bool({"title", "body", "labels"} & set(fields))
    )
    if hand_edited:
        return replace(
            change,
            action="drifted",
            drift=Drift(author=None, modified_at=None, version=None, written_version=None),
            reason="edited by hand since teamcomms wrote it",
        )
    return change


def _before(template: CurrentTemplate) -> Content:
    return Content(template.name, template.body, tuple(template.labels))
