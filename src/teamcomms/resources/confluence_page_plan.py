"""The page resource's diff: desired pages + current pages -> changes. Pure: no I/O.

Rules (see docs/plan-and-apply.md):
- identity comes from the marker, so a page whose title changed in its definition is renamed,
  not duplicated;
- a page with the wanted title but no marker is a conflict unless the definition says ``adopt``,
  or unless it is exactly what teamcomms would have created (a create whose marker write was
  interrupted): that page is adopted so a second run converges without duplicates;
- a managed page whose version moved since teamcomms wrote it, and whose content is neither what
  teamcomms wrote nor what it wants now, was edited by hand: ``drifted`` (bodies compare as
  Confluence shows them, :func:`~teamcomms.render.storage_compare.same_storage`);
- owned pages whose definition is gone are ``orphan`` (or ``archive``/``delete`` with prune);
  unowned pages never appear in a plan except as the other side of a conflict;
- pages a command makes one of per occasion (``standup/NAME@2026-11-20``, a report's period
  pages) are owned by an *instance* address, ``kind/name@instance``: they are never orphans
  (yesterday's standup notes are kept) and never taken over by a renamed definition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from teamcomms.engine.change import Change, Drift, action_for, conflict_with
from teamcomms.engine.resource import Prune
from teamcomms.render.storage_compare import same_storage
from teamcomms.resources.confluence_marker import Marker, kept_generated
from teamcomms.resources.confluence_state import (
    Content,
    CurrentPage,
    CurrentSpace,
    CurrentState,
    DesiredPage,
    DesiredState,
    Field,
    PageDetail,
    missing_space,
)

RESOURCE = "page"


def plan_pages(desired: DesiredState, current: CurrentState, prune: Prune | None) -> list[Change]:
    """Every change that makes the pages of ``current`` match ``desired``, parents before
    children, then the owned pages no definition keeps (children before their parents)."""
    page_changes: list[Change] = []
    claimed: set[str] = set()
    wanted = {page.address for page in desired.pages}
    titles = Counter((page.space, page.title) for page in desired.pages)
    for desired_page in _parents_first(desired.pages):
        if titles[(desired_page.space, desired_page.title)] > 1:
            # Confluence titles are unique per space: none of them can have the page.
            change = _same_title_twice(desired_page, current)
        else:
            change = _plan_page(desired_page, desired, current, claimed, wanted)
        if change.target_id and (change.action != "conflict" or _is_owner(change)):
            claimed.add(change.target_id)
        page_changes.append(change)
    page_changes.extend(_orphans(desired, current, claimed, prune))
    return page_changes


def is_instance(address: str) -> bool:
    """Whether ``address`` names one of the pages a command makes per occasion
    (``standup/NAME@2026-11-20``) rather than a definition's page."""
    return "@" in address


def page_key(address: str) -> str:
    """The plan key of the change that writes the page of definition ``address``."""
    return f"{RESOURCE}:{address}"


def _detail(change: Change) -> PageDetail:
    detail = change.detail
    return detail if isinstance(detail, PageDetail) else PageDetail()


def _same_title_twice(want: DesiredPage, current: CurrentState) -> Change:
    space = current.space(want.space)
    owned = _owned_page(want.address, space, set()) if space else None
    return Change(
        address=want.address,
        resource=RESOURCE,
        action="conflict",
        scope=want.space,
        title=want.title,
        target_id=owned.id if owned else None,
        detail=PageDetail(marker=owned.marker if owned else None),
        after=Content(want.title, want.body, tuple(want.labels), want.parent_title),
        reason=f"another definition wants the title {want.title!r} in space {want.space} too; "
        "titles are unique per space",
    )


def _is_owner(change: Change) -> bool:
    """Whether a conflict is about a page this change's definition owns (a blocked rename)."""
    marker = _detail(change).marker
    return marker is not None and marker.definition == change.address


def _plan_page(
    want: DesiredPage,
    desired: DesiredState,
    current: CurrentState,
    claimed: set[str],
    wanted: set[str],
) -> Change:
    space = current.space(want.space)
    after = Content(want.title, want.body, tuple(want.labels), want.parent_title)
    base = Change(
        address=want.address,
        resource=RESOURCE,
        action="create",
        scope=want.space,
        title=want.title,
        after=after,
    )
    if space is None or not space.exists:
        return missing_space(base)
    parent_id, depends_on, parent_problem = _resolve_parent(want, desired, space)
    if parent_problem:
        return replace(base, action="conflict", reason=parent_problem)
    # A page can only be written once its parent exists: when this run creates the parent, the
    # page requires that create (and is skipped if it fails).
    requires = (page_key(depends_on),) if depends_on and parent_id is None else ()
    base = replace(
        base, detail=PageDetail(parent_id=parent_id, parent=depends_on), requires=requires
    )
    owned = _owned_page(want.address, space, claimed)
    same_title = [p for p in space.pages if p.title == want.title and p.id not in claimed]
    if owned is None:
        return _plan_unowned(want, base, same_title, space, wanted)
    taken = [p for p in same_title if p.id != owned.id]
    if taken:
        return replace(
            conflict_with(
                base,
                owned.id,
                _before(owned),
                f"cannot rename: page {taken[0].id} already has the title {want.title!r}",
            ),
            detail=replace(_detail(base), marker=owned.marker),
        )
    return _plan_owned(want, base, owned, space)


def _plan_unowned(
    want: DesiredPage,
    base: Change,
    same_title: list[CurrentPage],
    space: CurrentSpace,
    wanted: set[str],
) -> Change:
    marker = Marker(
        definition=want.address,
        hash=want.hash,
        version=1,
        attachments=want.attachment_digests,
        generated=kept_generated(want.generated),
    )
    if not same_title:
        fields: tuple[Field, ...] = ("title", "body")
        if want.labels:
            fields = (*fields, "labels")
        if want.attachments:
            fields = (*fields, "attachments")
        detail = replace(_detail(base), attachments=want.attachments, marker=marker)
        return replace(base, fields=(*fields, "marker"), detail=detail)
    page = same_title[0]
    if (
        page.marker is not None
        and page.marker.definition not in wanted
        and not is_instance(page.marker.definition)
    ):
        # teamcomms owns it for a definition that is gone: the definition's name changed.
        renamed = _plan_owned(want, base, page, space, adopting=True)
        if renamed.action == "drifted":
            return renamed
        return replace(renamed, action="adopt", reason=f"was {page.marker.definition}")
    if page.marker is not None:
        return conflict_with(
            base,
            page.id,
            _before(page),
            f"the page titled {want.title!r} belongs to {page.marker.definition}",
        )
    interrupted = (
        page.version == 1
        and _same_body(page.body, want.body)
        and _same_parent(page, _detail(base), space)
    )
    if not (want.adopt or interrupted):
        return conflict_with(
            base,
            page.id,
            _before(page),
            f"page {page.id} has this title but teamcomms does not manage it; "
            "set `adopt: true` to take it over, or change the title",
        )
    change = _plan_owned(want, base, page, space, adopting=True)
    reason = (
        "adopt: true"
        if want.adopt
        else "same content as a create teamcomms did not finish (interrupted run)"
    )
    return replace(change, action="adopt", reason=reason)


def _plan_owned(
    want: DesiredPage,
    base: Change,
    page: CurrentPage,
    space: CurrentSpace,
    *,
    adopting: bool = False,
) -> Change:
    marker = page.marker
    untouched = marker is not None and page.version == marker.version
    written_is_wanted = untouched and marker is not None and marker.hash == want.hash
    fields: list[Field] = []
    if page.title != want.title:
        fields.append("title")
    if not written_is_wanted and not _same_body(page.body, want.body):
        fields.append("body")
    if not _same_parent(page, _detail(base), space):
        fields.append("parent")
    if set(page.labels) != set(want.labels):
        fields.append("labels")
    written_attachments = dict(marker.attachments) if marker else {}
    uploads = tuple(a for a in want.attachments if written_attachments.get(a.name) != a.digest)
    if uploads:
        fields.append("attachments")
    page_write = bool({"title", "body", "parent"} & set(fields))
    version_after = page.version + 1 if page_write else page.version
    new_marker = Marker(
        definition=want.address,
        hash=want.hash,
        version=version_after,
        attachments=want.attachment_digests,
        generated=kept_generated(want.generated),
    )
    if adopting or marker is None or _marker_differs(marker, new_marker):
        fields.append("marker")
    change = replace(
        base,
        target_id=page.id,
        before=_before(page),
        fields=tuple(fields),
        detail=replace(
            _detail(base),
            attachments=uploads,
            marker=new_marker,
            marker_property=page.marker_property,
        ),
        action=action_for(fields),
    )
    visible = {"title", "body", "parent", "labels"} & set(fields)
    if marker is not None and not untouched and page.hash != marker.hash and visible:
        return replace(
            change,
            action="drifted",
            drift=Drift(
                author=page.author,
                modified_at=page.modified_at,
                version=page.version,
                written_version=marker.version,
            ),
            reason=f"edited by {page.author or 'someone'} since teamcomms wrote version "
            f"{marker.version} (now version {page.version})",
        )
    return change


def _marker_differs(old: Marker, new: Marker) -> bool:
    return (old.definition, old.hash, old.version, dict(old.attachments), old.generated) != (
        new.definition,
        new.hash,
        new.version,
        dict(new.attachments),
        new.generated,
    )


def _owned_page(address: str, space: CurrentSpace, claimed: set[str]) -> CurrentPage | None:
    owned = [
        p
        for p in space.pages
        if p.marker is not None and p.marker.definition == address and p.id not in claimed
    ]
    return min(owned, key=_page_age) if owned else None


def _page_age(page: CurrentPage) -> tuple[int, str]:
    return (len(page.id), page.id)


def _resolve_parent(
    want: DesiredPage, desired: DesiredState, space: CurrentSpace
) -> tuple[str | None, str | None, str | None]:
    """(existing parent id, address of the change creating it, problem)."""
    if want.parent_title is None:
        return space.homepage_id, None, None
    declared = [p for p in desired.pages if p.space == want.space and p.title == want.parent_title]
    if declared:
        owner = declared[0].address
        owned = [p for p in space.pages if p.marker and p.marker.definition == owner]
        if owned:
            return min(owned, key=_page_age).id, None, None
        existing = [p for p in space.pages if p.title == want.parent_title]
        return (existing[0].id if existing else None), owner, None
    existing = [p for p in space.pages if p.title == want.parent_title]
    if existing:
        return existing[0].id, None, None
    return (
        None,
        None,
        (
            f"parent page {want.parent_title!r} is not in space {want.space}; "
            "declare it as a `page` definition or create it first"
        ),
    )


def _same_parent(page: CurrentPage, detail: PageDetail, space: CurrentSpace) -> bool:
    parent_id, depends_on = detail.parent_id, detail.parent
    if depends_on is not None and parent_id is None:
        return False
    if parent_id in (None, space.homepage_id):
        return page.parent_id in (None, space.homepage_id)
    return page.parent_id == parent_id


def _same_body(current: str, wanted: str) -> bool:
    # As Confluence shows them: a page made in its editor (no line ends between blocks, ids on
    # its macros) is the same as the body teamcomms renders for it.
    return same_storage(current, wanted)


def _before(page: CurrentPage) -> Content:
    return Content(page.title, page.body, tuple(page.labels), page.parent_title, page.version)


def _orphans(
    desired: DesiredState, current: CurrentState, claimed: set[str], prune: Prune | None
) -> list[Change]:
    wanted = {p.address for p in desired.pages}
    reason_suffix = ""
    if prune == "archive" and not current.archive_supported:
        # Left as orphans, with the way out, rather than planned and failed one by one.
        prune = None
        reason_suffix = (
            "; Confluence Data Center cannot archive pages through its REST API, "
            "--prune=delete moves them to the trash"
        )
    orphans: list[Change] = []
    by_id = {p.id: p for p in current.pages()}
    leftovers = [
        p
        for p in current.pages()
        if p.marker is not None and p.id not in claimed and not is_instance(p.marker.definition)
    ]
    for page in sorted(leftovers, key=lambda p: (p.space, -_depth(p, by_id), p.id)):
        assert page.marker is not None
        gone = page.marker.definition not in wanted
        # A page is archived or deleted after its leftover children (deepest first).
        children = tuple(
            f"{page_key(c.marker.definition)}#{c.id}"
            for c in leftovers
            if c.parent_id == page.id and c.marker is not None
        )
        orphans.append(
            Change(
                address=page.marker.definition,
                resource=RESOURCE,
                action=prune or "orphan",
                scope=page.space,
                title=page.title,
                target_id=page.id,
                before=_before(page),
                requires=children if prune else (),
                reason=(
                    "its definition is gone"
                    if gone
                    else f"duplicate: another page is {page.marker.definition}"
                )
                + reason_suffix,
            )
        )
    return orphans


def _depth(page: CurrentPage, by_id: dict[str, CurrentPage]) -> int:
    depth, seen = 0, {page.id}
    while page.parent_id in by_id and page.parent_id not in seen:
        page = by_id[page.parent_id]
        seen.add(page.id)
        depth += 1
    return depth


def _parents_first(pages: Iterable[DesiredPage]) -> list[DesiredPage]:
    pages = list(pages)
    by_title = {(p.space, p.title): p for p in pages}

    def depth(page: DesiredPage) -> int:
        seen: set[str] = set()
        level = 0
        while page.parent_title and (page.space, page.parent_title) in by_title:
            if page.address in seen:
                break
            seen.add(page.address)
            page = by_title[(page.space, page.parent_title)]
            level += 1
        return level

    return sorted(pages, key=lambda p: (p.space, depth(p), p.address))
