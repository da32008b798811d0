"""The writes apply needs, made convergent: each one can be run again after an interruption.

Thin helpers over :class:`teamcomms.site.confluence.ConfluenceSite`, used by the page and
template resources: each write is either safe
to repeat or, for creates, preceded by a look for what an earlier uncertain attempt left behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.resources.confluence_marker import MARKER_KEY
from teamcomms.resources.convergent import create_once

if TYPE_CHECKING:
    from teamcomms.site.confluence import ConfluenceSite
    from teamcomms.site.confluence_model import RemotePage, RemoteTemplate


def create_page(site: ConfluenceSite, change: Change, parent_id: str | None) -> RemotePage:
    """Create the page, or find the one an earlier uncertain attempt created.

    A create is never re-sent blindly: after an uncertain failure (or a 400 saying the title is
    taken, which is what a create that landed unseen looks like) the page is looked up by title,
    and a version-1 page with exactly the wanted body is taken as ours.
    """
    assert change.after is not None
    after = change.after
    return create_once(
        lambda: site.create_page(change.scope, after.title, after.body, parent_id=parent_id),
        lambda: find_created_page(site, change),
    )


def find_created_page(site: ConfluenceSite, change: Change) -> RemotePage | None:
    """The page an interrupted create of ``change`` left behind, if there is one."""
    assert change.after is not None
    for page in site.find_pages_by_title(change.scope, change.after.title):
        if page.version == 1 and page.body.strip() == change.after.body.strip():
            return page
    return None


def update_page(site: ConfluenceSite, change: Change, parent_id: str | None) -> RemotePage:
    """Write the new version; a 409 caused by our own earlier (unanswered) write is success."""
    from teamcomms.site.errors import VersionConflict

    assert change.after is not None and change.before is not None
    assert change.target_id is not None and change.before.version is not None
    after = change.after
    try:
        return site.update_page(
            change.target_id,
            title=after.title,
            body=after.body,
            current_version=change.before.version,
            parent_id=parent_id,
            message="teamcomms apply",
        )
    except VersionConflict:
        now = site.get_page(change.target_id)
        landed = (
            now is not None
            and now.version == change.before.version + 1
            and now.title == after.title
            and now.body.strip() == after.body.strip()
        )
        if not landed or now is None:
            raise
        return now


def write_marker(
    site: ConfluenceSite, page_id: str, value: dict[str, Any], existing: tuple[str, int] | None
) -> None:
    """Create or update the marker property, without a read when its id and version are known."""
    from teamcomms.site.confluence_model import RemoteProperty
    from teamcomms.site.errors import BadRequest, Conflict

    if existing is not None:
        current = RemoteProperty(id=existing[0], key=MARKER_KEY, value=None, version=existing[1])
        try:
            site.set_property(page_id, MARKER_KEY, value, current=current)
        except Conflict:
            site.set_property(page_id, MARKER_KEY, value)  # re-reads the property's version
        return
    try:
        site.create_property(page_id, MARKER_KEY, value)
    except (Conflict, BadRequest) as error:
        # Already there: an earlier attempt whose answer was lost created it. Cloud answers a
        # repeated property create with 400 "already exists" (or 409), not with the property.
        exists = "already exists" in (error.atlassian_message or "")
        if isinstance(error, BadRequest) and not exists:
            raise
        site.set_property(page_id, MARKER_KEY, value)


def create_template(site: ConfluenceSite, change: Change, description: str) -> RemoteTemplate:
    """Create the content template, or find the one an uncertain earlier attempt created."""
    assert change.after is not None
    after = change.after

    def find() -> RemoteTemplate | None:
        for template in site.list_templates(change.scope):
            if template.name == after.title and template.description == description:
                return template
        return None

    return create_once(
        lambda: site.create_template(
            change.scope, after.title, after.body, description=description, labels=after.labels
        ),
        find,
        taken_is_found=False,
    )


def delete_template(site: ConfluenceSite, change: Change) -> None:
    """Delete a content template; one that is already gone counts as deleted."""
    from teamcomms.site.errors import NotFound, PermissionDenied

    assert change.target_id is not None
    try:
        site.delete_template(change.target_id)
    except (NotFound, PermissionDenied):
        # A missing template id gets 403, like a missing permission: look before failing.
        if any(t.id == change.target_id for t in site.list_templates(change.scope)):
            raise
