"""Carrying out imported-issues changes: the creates (one ``POST issue/bulk`` per chunk, ids not
names, the marker set in the request), then the ledger entry; the moves to the rows' statuses;
the links.

Never a blind re-send: when a bulk create's answer is lost, the import's recent issues are
looked up first (search lags behind writes, so the look-up searches a few times, waiting
between) and only the rows still missing are sent again. Jira may refuse some rows of a bulk
create and make the others: those are kept, each refused row is recorded with Jira's reason,
and the next run creates only what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from teamcomms.errors import OperationFailed
from teamcomms.resources.imported_issues_read import SEARCH_FIELDS, ledger_key
from teamcomms.resources.imported_issues_run import ImportRun
from teamcomms.resources.imported_issues_state import ImportDetail, import_label
from teamcomms.resources.onboarding_state import MARKER_KEY, Marker
from teamcomms.resources.onboarding_writes import LOOK_WAIT, LOOKS

if TYPE_CHECKING:
    from teamcomms.resources.imported_issues_moves import Mover
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import CreatedIssue

RECENT = "-1d"
"""How far back a look-up after a lost answer searches (a JQL period): the create was just sent."""


class RowsRefused(OperationFailed):
    """Jira created none of a chunk's rows."""


def carry_out_creates(site: Site, address: str, detail: ImportDetail, run: ImportRun) -> str | None:
    """Create the chunk's rows (one bulk request); returns the first new issue's id. Rows Jira
    refuses, and rows whose parent was not created, are recorded in ``run``; when none was
    created, raises :class:`RowsRefused`."""
    from teamcomms.resources.issue_bulk import bulk_create_once
    from teamcomms.site.jira_issues import IssueToCreate

    writes, payloads = [], []
    for write in detail.creates:
        fields = dict(write.fields)
        if write.parent_ext is not None:
            parent = run.issue(write.parent_ext)
            if parent is None:
                run.record_failed(write.ext_id, f"its parent {write.parent_ext} was not created")
                continue
            fields["parent"] = {"id": parent.id}
        writes.append(write)
        payloads.append(IssueToCreate(fields, {MARKER_KEY: dict(write.marker)}))
    made: list[tuple[int, CreatedIssue]] = []
    refused: list[tuple[int, str]] = []
    if payloads:
        items = [w.ext_id for w in writes]
        made, refused = bulk_create_once(
            site, payloads, items, lambda: look_up(site, address, detail)
        )
    for position, issue in made:
        run.record_created(writes[position].ext_id, issue)
    for position, message in refused:
        run.record_failed(writes[position].ext_id, message)
    if made:
        ids = [issue.id for _, issue in made]
        site.jira.set_project_property(detail.project, ledger_key(detail.name, ids), {"ids": ids})
    if not made and detail.creates:
        first = detail.creates[0]
        reason = run.failed.get(first.ext_id, "refused")
        raise RowsRefused(
            f"none of the {len(detail.creates)} row(s) was created; row {first.row}: {reason}",
            hint="fix the cause and run the import again: only what is missing is created",
        )
    return made[0][1].id if made else None


def look_up(site: Site, address: str, detail: ImportDetail) -> dict[str, CreatedIssue]:
    """External id -> the issue with its marker among the import's recent issues, searching
    :data:`LOOKS` times with waits in between (search lags behind writes)."""
    from teamcomms.site.jira_issues import CreatedIssue

    jql = (
        f'project = {detail.project} AND labels = "{import_label(detail.name)}" '
        f"AND created >= {RECENT}"
    )
    found: dict[str, CreatedIssue] = {}
    for look in range(LOOKS):
        if look:
            site.policy.sleeper(LOOK_WAIT)
        for issue in site.jira.search(jql, fields=("summary",), properties=[MARKER_KEY]):
            marker = Marker.from_json(issue.properties.get(MARKER_KEY))
            if marker is not None and marker.definition == address and marker.item:
                found.setdefault(marker.item, CreatedIssue(issue.id, issue.key))
    return found


def carry_out_moves(site: Site, detail: ImportDetail, run: ImportRun, mover: Mover) -> None:
    """Move each issue to its row's status; failures are recorded in ``run``."""
    from teamcomms.site.errors import SiteHttpError, UncertainWriteError

    ids: dict[str, str] = {}
    for move in detail.moves:
        issue = run.issue(move.ext_id)
        issue_id = move.issue_id or (issue.id if issue else None)
        if issue_id is not None:
            ids[move.ext_id] = issue_id
    now = _statuses(site, list(ids.values()))
    for move in detail.moves:
        issue_id = ids.get(move.ext_id)
        if issue_id is None or issue_id not in now:
            continue  # its create failed, which is recorded already
        type_id, status = now[issue_id]
        try:
            mover.move(issue_id, type_id, status, move.status)
        except UncertainWriteError:
            run.record_failed(move.ext_id, f"moving it to {move.status!r}: the answer was lost; "
                              "run the import again to finish")  # fmt: skip
        except (SiteHttpError, OperationFailed) as error:
            run.record_failed(move.ext_id, f"moving it to {move.status!r}: {error.message}")
        else:
            run.record_moved(move.ext_id)


def _statuses(site: Site, ids: list[str]) -> Mapping[str, tuple[str, str]]:
    """Issue id -> (issue type id, status name), asked right after the creates (hence
    ``reconcileIssues``)."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 50):
        chunk = ids[start : start + 50]
        jql = f"id in ({', '.join(chunk)})"
        for issue in site.jira.search(jql, fields=SEARCH_FIELDS, reconcile=chunk):
            found[issue.id] = (issue.issue_type_id, issue.status)
    return found


def carry_out_links(site: Site, detail: ImportDetail, run: ImportRun) -> None:
    """Make each link whose ends exist; the others are recorded in ``run``."""
    from teamcomms.site.errors import SiteHttpError, UncertainWriteError

    known = {ext_id: issue_id for ext_id, issue_id, _ in detail.known}
    for link in detail.links:
        ends = []
        for ext_id in (link.source, link.target):
            issue = run.issue(ext_id)
            ends.append(issue.id if issue else known.get(ext_id))
        source, target = ends
        if source is None or target is None:
            missing = link.source if source is None else link.target
            run.record_link_failure(f"{link.source} {link.type} {link.target}: {missing} was "
                                    "not created")  # fmt: skip
            continue
        try:
            site.jira.link_issues(link.type, source, target)
        except UncertainWriteError:
            # Jira makes a link once: sending it again after a lost answer cannot duplicate it.
            site.jira.link_issues(link.type, source, target)
        except SiteHttpError as error:
            run.record_link_failure(f"{link.source} {link.type} {link.target}: {error.message}")
