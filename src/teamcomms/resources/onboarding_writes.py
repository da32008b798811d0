"""Carrying out onboarding changes: the epic (one ``POST issue``), the tasks (one ``POST
issue/bulk`` per 50, ids not names), updates of untouched issues, and the hire's ledger.

Never a blind re-send: when a create's answer is lost, the hire's issues are looked up first
(search lags behind writes, so the look-up searches a few times, waiting between), and only what
is still missing is sent again. A bulk create that Jira partly refuses keeps what it made; the
refused items are reported one by one and the next run creates only those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from teamcomms.errors import OperationFailed
from teamcomms.resources.convergent import create_once
from teamcomms.resources.onboarding_state import (
    MARKER_KEY,
    EpicSpec,
    Marker,
    OnboardingDetail,
    PageLink,
    TaskSpec,
    TaskWrite,
    adf_text,
    hire_label,
    ledger_key,
    state_hash,
)

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import CreatedIssue, IssueToCreate, RemoteIssue

LOOKS = 3
"""Searches after a lost answer before concluding that nothing landed."""
LOOK_WAIT = 2.0
"""Seconds between them: Cloud's search index catches up with a write within seconds."""


class TasksRefused(OperationFailed):
    """Jira refused some of a hire's tasks; the others were created."""


@dataclass(frozen=True)
class Written:
    """An issue's create or edit payload and the marker it carries."""

    fields: dict[str, Any]
    marker: Marker


def page_url(site: Site, link: PageLink) -> str:
    """Where a link points: a web address as given, a Confluence page by space and title (the
    page's id is known only once it exists; Confluence resolves ``/display/SPACE/Title``)."""
    if link.url:
        return link.url
    base = site.settings.confluence_url.rstrip("/")
    return f"{base}/display/{quote_plus(link.space or '')}/{quote_plus(link.title or '')}"


def _link_paragraph(site: Site, lead: str, link: PageLink) -> dict[str, Any]:
    mark = {"type": "link", "attrs": {"href": page_url(site, link)}}
    return {
        "type": "paragraph",
        "content": [
            {"type": "text", "text": lead},
            {"type": "text", "text": link.text, "marks": [mark]},
        ],
    }


def task_description(site: Site, spec: TaskSpec) -> dict[str, Any] | None:
    """The task's description in ADF: the item's Markdown, then the page it names."""
    from teamcomms.render import markdown_to_adf

    content: list[Any] = []
    if spec.description:
        content.extend(markdown_to_adf(spec.description)["content"])
    if spec.link is not None:
        content.append(_link_paragraph(site, "Read: ", spec.link))
    return {"version": 1, "type": "doc", "content": content} if content else None


def epic_description(site: Site, spec: EpicSpec) -> dict[str, Any]:
    """The epic's description in ADF: plain paragraphs, then the welcome page."""
    content: list[Any] = [
        {"type": "paragraph", "content": [{"type": "text", "text": text}]}
        for text in spec.description.split("\n\n")
        if text
    ]
    if spec.link is not None:
        content.append(_link_paragraph(site, "Welcome page: ", spec.link))
    return {"version": 1, "type": "doc", "content": content}


def _written(
    address: str,
    item: str,
    spec_hash: str,
    summary: str,
    description: dict[str, Any] | None,
    assignee: str | None,
    due: str,
    labels: Sequence[str],
) -> Written:
    from teamcomms.resources.marker_tag import short

    text = adf_text(description) if description else ""
    marker = Marker(
        address, item, short(spec_hash), state_hash(summary, text, assignee, due, labels)
    )
    fields: dict[str, Any] = {
        "summary": summary,
        "duedate": due,
        "labels": list(labels),
        "description": description,
    }
    return Written(fields, marker)


def epic_payload(site: Site, address: str, spec: EpicSpec) -> Written:
    """The epic's fields (without project and type) and marker."""
    description = epic_description(site, spec)
    return _written(address, "", spec.hash, spec.summary, description, None, spec.due, spec.labels)


def task_payload(site: Site, address: str, spec: TaskSpec) -> Written:
    """A task's fields (without project, type and parent) and marker."""
    written = _written(
        address,
        spec.item,
        spec.hash,
        spec.summary,
        task_description(site, spec),
        spec.assignee,
        spec.due,
        spec.labels,
    )
    written.fields["assignee"] = {"accountId": spec.assignee} if spec.assignee else None
    return written


def carry_out_epic(site: Site, address: str, spec: EpicSpec, detail: OnboardingDetail) -> str:
    """Create or update a hire's epic; returns its id."""
    from teamcomms.site.jira_issues import IssueToCreate

    jira = site.jira
    written = epic_payload(site, address, spec)
    if detail.epic_id:
        jira.edit_issue(detail.epic_id, written.fields, {MARKER_KEY: written.marker.to_json()})
        return detail.epic_id
    fields = {
        "project": {"id": detail.project_id},
        "issuetype": {"id": detail.epic_type_id},
        **written.fields,
    }
    issue = IssueToCreate(fields, {MARKER_KEY: written.marker.to_json()})

    def find() -> CreatedIssue | None:
        from teamcomms.site.jira_issues import CreatedIssue

        for found in look_up(site, detail, epics=True):
            return CreatedIssue(found.id, found.key)
        return None

    created = create_once(lambda: jira.create_issue(issue), find, taken_is_found=False)
    record_ledger(site, detail, epic=created.id, tasks=())
    return created.id


def look_up(site: Site, detail: OnboardingDetail, *, epics: bool) -> list[RemoteIssue]:
    """The hire's epics (or tasks) teamcomms made, searching :data:`LOOKS` times with waits in
    between (search lags behind writes), keeping every issue any search saw."""
    kind = "=" if epics else "!="
    jql = (
        f'project = {detail.project} AND labels = "{hire_label(detail.hire)}" '
        f"AND issuetype {kind} Epic"
    )
    seen: dict[str, RemoteIssue] = {}
    for look in range(LOOKS):
        if look:
            site.policy.sleeper(LOOK_WAIT)
        for issue in site.jira.search(jql, properties=[MARKER_KEY]):
            marker = Marker.from_json(issue.properties.get(MARKER_KEY))
            if marker is not None and marker.definition == f"hire/{detail.hire}":
                seen.setdefault(issue.id, issue)
    return sorted(seen.values(), key=lambda i: (len(i.id), i.id))


def record_ledger(
    site: Site, detail: OnboardingDetail, *, epic: str | None, tasks: Sequence[str]
) -> None:
    """Keep the ids of the hire's issues where the next run reads them without search lag."""
    value = {"epic": epic, "tasks": sorted(set(tasks), key=lambda i: (len(i), i))}
    site.jira.set_project_property(detail.project, ledger_key(detail.hire), value)


def carry_out_tasks(
    site: Site, address: str, detail: OnboardingDetail, epic_id: str | None
) -> None:
    """Create the missing tasks under the epic and update the untouched ones the checklist
    changed. Raises :class:`TasksRefused` naming every task Jira refused (the rest are kept)."""
    from teamcomms.site.jira_issues import BULK_LIMIT, IssueToCreate

    if not epic_id:
        raise OperationFailed(
            f"{address}: the hire's epic does not exist, so its tasks cannot be created",
            hint="run the command again: the epic is created first",
        )
    creates = [w for w in detail.writes if w.issue_id is None]
    known = list(detail.known_ids)
    refused: list[str] = []
    try:
        for start in range(0, len(creates), BULK_LIMIT):
            chunk = creates[start : start + BULK_LIMIT]
            payloads = []
            for write in chunk:
                written = task_payload(site, address, write.spec)
                fields = {
                    "project": {"id": detail.project_id},
                    "issuetype": {"id": detail.issue_type_id},
                    "parent": {"id": epic_id},
                    **written.fields,
                }
                payloads.append(IssueToCreate(fields, {MARKER_KEY: written.marker.to_json()}))
            made, failed = _bulk_once(site, detail, chunk, payloads)
            known.extend(made)
            refused.extend(failed)
        for write in detail.writes:
            if write.issue_id is not None:
                _update(site, address, write)
    finally:
        record_ledger(site, detail, epic=epic_id, tasks=known)
    if refused:
        raise TasksRefused(
            f"{len(refused)} of {len(creates)} task(s) refused, the others were created: "
            + "; ".join(refused),
            hint="fix the cause (a field, a user, a permission) and run again: only the "
            "missing tasks are created",
        )


def _update(site: Site, address: str, write: TaskWrite) -> None:
    written = task_payload(site, address, write.spec)
    site.jira.edit_issue(
        write.issue_id or "", written.fields, {MARKER_KEY: written.marker.to_json()}
    )


def _bulk_once(
    site: Site,
    detail: OnboardingDetail,
    chunk: Sequence[TaskWrite],
    payloads: Sequence[IssueToCreate],
) -> tuple[list[str], list[str]]:
    """One bulk create of ``chunk``; after a lost answer, only what the look-up does not find
    is sent again. Returns the ids made and a line per refused task."""
    from teamcomms.resources.issue_bulk import bulk_create_once

    items = [write.spec.item for write in chunk]
    made, failed = bulk_create_once(site, payloads, items, lambda: _landed(site, detail))
    return [issue.id for _, issue in made], [
        f"{chunk[n].spec.summary!r}: {message}" for n, message in failed
    ]


def _landed(site: Site, detail: OnboardingDetail) -> dict[str, CreatedIssue]:
    """Item id -> the hire's task on the site."""
    from teamcomms.site.jira_issues import CreatedIssue

    found: dict[str, CreatedIssue] = {}
    for issue in look_up(site, detail, epics=False):
        marker = Marker.from_json(issue.properties.get(MARKER_KEY))
        if marker is not None and marker.item:
            found.setdefault(marker.item, CreatedIssue(issue.id, issue.key))
    return found
