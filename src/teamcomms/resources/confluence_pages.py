"""The page resource: Confluence pages published from ``page`` definitions and the page that
explains each workflow.

Identity comes from the marker (the ``teamcomms`` content property), never from the title; see
:mod:`teamcomms.resources.confluence_page_plan` for the rules of the diff and
:mod:`teamcomms.resources.confluence_writes` for how each write converges.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    Applied,
    DiffView,
    Exported,
    ExportSelection,
    Observed,
    PlanOptions,
)
from teamcomms.errors import TeamcommsError
from teamcomms.resources import confluence_describe, confluence_writes
from teamcomms.resources.confluence_desired import desired_pages
from teamcomms.resources.confluence_export import export_pages
from teamcomms.resources.confluence_marker import Marker, content_hash
from teamcomms.resources.confluence_page_plan import RESOURCE, page_key, plan_pages
from teamcomms.resources.confluence_read import read_pages, space_observed
from teamcomms.resources.confluence_state import (
    Content,
    CurrentPage,
    CurrentState,
    DesiredState,
    PageDetail,
)

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site

# Writes that change the page itself (a new version); labels, attachments and the marker do not.
_PAGE_WRITES = frozenset({"title", "body", "parent"})


class TamperedChange(TeamcommsError):
    """A change whose marker does not match its own content or definition: the plan file was
    edited after it was saved."""


class ConfluencePages:
    """Pages: create, update, rename, move, relabel, adopt, archive and delete."""

    kind = RESOURCE
    after: tuple[str, ...] = ()
    exports: tuple[str, ...] = ("page",)
    export_needs: tuple[str, ...] = ()
    title = "Confluence pages"
    before_type = Content
    detail_type = PageDetail

    def desired(self, workspace: Workspace) -> DesiredState:
        """Every ``page`` definition and every workflow's explanation page, rendered."""
        return desired_pages(workspace)

    def scope(self, desired: DesiredState) -> tuple[str, ...]:
        """The spaces to read: every space a page goes to, and the default space."""
        return desired.all_spaces

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> CurrentState:
        """Every current page of the spaces, with markers and labels, in bulk."""
        return read_pages(site.confluence, scope, workers=workers)

    def observe(self, current: CurrentState) -> Iterable[Observed]:
        """Each space (as a container) and each page."""
        for space in current.spaces:
            yield space_observed(RESOURCE, space)
            for page in space.pages:
                yield Observed(
                    resource=RESOURCE,
                    id=page.id,
                    scope=page.space,
                    name=page.title,
                    owner=page.marker.definition if page.marker else None,
                    state=_page_state(page),
                )

    def diff(
        self, desired: DesiredState, current: CurrentState, options: PlanOptions
    ) -> list[Change]:
        """See :func:`teamcomms.resources.confluence_page_plan.plan_pages`."""
        return plan_pages(desired, current, options.prune)

    def preflight(self, changes: list[Change], site: Any) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """A page write must carry the marker of its own definition and content."""
        if change.action in ("archive", "delete"):
            return None
        detail = change.detail if isinstance(change.detail, PageDetail) else PageDetail()
        if not isinstance(change.after, Content):
            return "it has no content to write"
        return marker_problem(change, detail.marker, content_hash(*_hashed(change.after)))

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Write one page change: the page, then its labels, attachments and marker."""
        confluence = site.confluence
        target = change.target_id
        if change.action == "archive" and target:
            return _archive(change, target, site, applied)
        if change.action == "delete" and target:
            return _ignore_missing(lambda: confluence.delete_page(target), target)
        return _write_page(change, site, applied)

    def describe(self, change: Change) -> list[str]:
        """Field lines: title, parent, labels, attachments."""
        return confluence_describe.describe(change)

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """The body diff."""
        return confluence_describe.text_diff(change, view)

    def summary_json(self, change: Change) -> dict[str, Any]:
        """``space``, ``before``, ``after`` (no bodies) and ``attachments``."""
        return confluence_describe.summary_json(change)

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """The chosen spaces."""
        return tuple(sorted(set(selection.spaces)))

    def export(self, current: CurrentState, selection: ExportSelection) -> Exported:
        """See :func:`teamcomms.resources.confluence_export.export_pages`."""
        return export_pages(current)


def _write_page(change: Change, site: Site, applied: Applied) -> str:
    confluence = site.confluence
    after, detail = change.after, change.detail
    assert isinstance(after, Content) and isinstance(detail, PageDetail)
    marker = checked_marker(change, detail.marker, content_hash(*_hashed(after)))
    parent_id = detail.parent_id
    if parent_id is None and detail.parent:
        parent_id = applied.id_of(page_key(detail.parent))
    if change.action == "create":
        page = confluence_writes.create_page(confluence, change, parent_id)
        page_id, version, had = page.id, page.version, set(page.labels)
    else:
        page_id = change.target_id or ""
        before = change.before
        assert isinstance(before, Content) and before.version is not None
        version, had = before.version, set(before.labels)
        if _PAGE_WRITES & set(change.fields):
            version = confluence_writes.update_page(confluence, change, parent_id).version
    wanted = set(after.labels)
    if wanted - had:
        confluence.add_labels(page_id, wanted - had)
    for label in sorted(had - wanted):
        confluence.remove_label(page_id, label)
    for attachment in detail.attachments:
        confluence.upload_attachment(
            page_id,
            attachment.name,
            attachment.data,
            media_type=attachment.media_type,
            new=change.action == "create",
        )
    if "marker" in change.fields or change.action in ("create", "adopt", "drifted"):
        written = replace(marker, version=version)
        confluence_writes.write_marker(
            confluence, page_id, written.to_json(), detail.marker_property
        )
    return page_id


def marker_problem(change: Change, marker: Marker | None, expected_hash: str) -> str | None:
    """Why the marker a change writes is not the one of its own definition and content."""
    if marker is None:
        return "it writes no ownership marker"
    if marker.definition != change.address:
        return f"its marker names {marker.definition}, not {change.address}"
    if marker.hash != expected_hash:
        return "its marker's hash is not the hash of the content it writes"
    return None


def checked_marker(change: Change, marker: Marker | None, expected_hash: str) -> Marker:
    """The marker a change writes, refused unless it names the change's own definition and the
    hash of the content the change writes (a saved plan edited by hand fails here)."""
    problem = marker_problem(change, marker, expected_hash)
    if problem is not None or marker is None:
        raise TamperedChange(
            f"{change.key}: {problem}; nothing was written for it",
            hint="the saved plan was edited after `teamcomms plan --out`; plan again",
        )
    return marker


def _hashed(content: Content) -> tuple[str, str, tuple[str, ...], str | None]:
    return (content.title, content.body, content.labels, content.parent_title)


def _archive(change: Change, target: str, site: Site, applied: Applied) -> str:
    """Archive and wait for Confluence's task; a task still running at the bound is a note on
    the done change, not a failure (nothing is left for a later run to repeat)."""
    from teamcomms.site.errors import NotFound

    try:
        outcome = site.confluence.archive_page(target)
    except NotFound:  # already gone: an earlier run, or archived together with its parent
        return target
    running = outcome.still_running()
    if running is not None:
        applied.note(change.key, running)
    return target


def _ignore_missing(write: Callable[[], None], target: str) -> str:
    from teamcomms.site.errors import NotFound

    # Already gone: an earlier run, or archived together with its parent.
    with contextlib.suppress(NotFound):
        write()
    return target


def _page_state(page: CurrentPage) -> list[Any]:
    return [
        page.version,
        page.title,
        page.parent_id,
        sorted(page.labels),
        page.hash,
        page.marker.to_json() if page.marker else None,
    ]
