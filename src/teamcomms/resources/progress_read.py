"""Read what standups and reports need from Jira, in as few requests as the API allows.

- one ``search/jql`` (pages of 100) asking only for the fields the figures use;
- status changelogs in bulk (``changelog/bulkfetch``, 1,000 issues a request), only for the
  issues whose cycle time a report computes;
- the status catalogue once (history names statuses by id), the field list once (to find the
  ``Flagged`` field), and each standup member once by email.

Jira's dates in JQL are read in the signed-in user's time zone, which teamcomms does not know:
queries reach one day further back than needed, and the figures cut exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from teamcomms.progress.facts import JIRA_CATEGORIES, Category, FixVersion, IssueFacts, StatusChange
from teamcomms.progress.jql import narrowed, quoted
from teamcomms.progress.standup import Member

if TYPE_CHECKING:
    from teamcomms.definitions import Project, StandupDefinition
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import RemoteIssue

FLAGGED_FIELD = "Flagged"
"""The name of Jira Software's flag field (a checkbox field whose one option is Impediment)."""
BASE_FIELDS = (
    "summary",
    "status",
    "assignee",
    "duedate",
    "labels",
    "issuetype",
    "project",
    "created",
    "statuscategorychangedate",
)


def standup_members(site: Site, emails: Sequence[str]) -> list[Member]:
    """The standup's people, each looked up once by email (``None`` account: not found)."""
    members = []
    for email in emails:
        user = site.jira.user_by_email(email)
        members.append(
            Member(email, user.account_id if user else None, user.display_name if user else None)
        )
    return members


def standup_query(standup: StandupDefinition, since: date) -> str:
    """The standup's scope, narrowed to open issues and issues done since ``since``."""
    reach = (since - timedelta(days=1)).isoformat()
    return narrowed(
        standup.jql, f"statusCategory != Done OR statusCategoryChangedDate >= {quoted(reach)}"
    )


def read_standup_issues(site: Site, standup: StandupDefinition, since: date) -> list[IssueFacts]:
    """The issues of the standup's scope that can be in its figures (no history: the standup
    needs none)."""
    fields = list(BASE_FIELDS)
    if standup.deployments is not None and standup.deployments.fix_version is not None:
        fields.append("fixVersions")
    flagged = flagged_field(site)
    if flagged:
        fields.append(flagged)
    found = site.jira.search(standup_query(standup, since), fields=fields)
    return [issue_facts(issue, flagged) for issue in found]


def report_projects(project: Project, named: Sequence[str]) -> list[str]:
    """The projects a report covers: those it names, else every project a workflow is used
    by, else the default project."""
    if named:
        return list(dict.fromkeys(named))
    used = [u.project for w in project.workflows for u in w.used_by]
    if used:
        return sorted(set(used))
    default = project.config.defaults.project
    return [default] if default else []


def report_query(projects: Sequence[str], jql: str | None, start: date) -> str:
    """Open issues of ``projects``, and those created or done since ``start``."""
    reach = quoted((start - timedelta(days=1)).isoformat())
    keys = ", ".join(quoted(p) for p in projects)
    return (
        narrowed(
            f"project in ({keys})",
            jql or "",
            f"statusCategory != Done OR created >= {reach} OR statusCategoryChangedDate >= {reach}",
        )
        + " ORDER BY created ASC"
    )


def read_report_issues(
    site: Site,
    projects: Sequence[str],
    jql: str | None,
    start: datetime,
    end: datetime,
    categories: Mapping[str, Category],
) -> list[IssueFacts]:
    """The issues a report over ``[start, end)`` needs; those done in it with their status
    history (for the cycle time). ``categories`` maps status names to categories (the
    workflow definitions'); the site's catalogue fills in the rest."""
    found = site.jira.search(
        report_query(projects, jql, start.date()), fields=[*BASE_FIELDS, "resolutiondate"]
    )
    issues = {issue.id: issue_facts(issue, None) for issue in found}
    finished = [
        issue_id
        for issue_id, facts in issues.items()
        if facts.done_at is not None and start <= facts.done_at < end
    ]
    if not finished:
        return list(issues.values())
    by_id = {s.id: JIRA_CATEGORIES.get(s.category, "todo") for s in site.jira.list_statuses()}
    histories = site.jira.changelogs(finished, field_ids=["status"])
    for issue_id, logs in histories.items():
        changes = [
            StatusChange(
                at=jira_time(log.created),
                from_status=item.from_text,
                to_status=item.to_text or "",
                to_category=categories.get(item.to_text or "")
                or by_id.get(str(item.to_id), "todo"),
            )
            for log in logs
            for item in log.items
            if item.field_id == "status"
        ]
        if issue_id in issues:
            history = tuple(sorted(changes, key=lambda c: c.at))
            issues[issue_id] = replace(issues[issue_id], history=history)
    return list(issues.values())


def flagged_field(site: Site) -> str | None:
    """The id of the ``Flagged`` custom field, if the site has one."""
    wanted = FLAGGED_FIELD.casefold()
    return next(
        (f.id for f in site.jira.fields() if f.custom and f.name.casefold() == wanted), None
    )


def issue_facts(issue: RemoteIssue, flagged: str | None) -> IssueFacts:
    """A searched issue as the figures see it."""
    return IssueFacts(
        key=issue.key,
        summary=issue.summary,
        project=issue.project,
        issue_type=issue.issue_type,
        status=issue.status,
        category=JIRA_CATEGORIES.get(issue.status_category, "todo"),
        created=jira_time(issue.created or "1970-01-01T00:00:00.000+0000"),
        category_changed=jira_time(issue.category_changed) if issue.category_changed else None,
        assignee=issue.assignee,
        assignee_name=issue.assignee_name,
        due=date.fromisoformat(issue.due) if issue.due else None,
        labels=issue.labels,
        fix_versions=tuple(_fix_versions(issue.fix_versions)),
        flagged=bool(issue.values.get(flagged)) if flagged else False,
    )


def _fix_versions(values: Iterable[Mapping[str, Any]]) -> Iterable[FixVersion]:
    for value in values:
        released = value.get("releaseDate")
        yield FixVersion(
            name=str(value.get("name", "")),
            release_date=date.fromisoformat(str(released)) if released else None,
            released=bool(value.get("released")),
        )


def jira_time(text: str) -> datetime:
    """A Jira date-time (``2026-11-17T10:00:00.000+0000``) as an aware datetime."""
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return datetime.fromisoformat(text)
