"""Read the hires' onboarding issues and the people their tasks go to, in bulk.

Per run, for the projects and hires in scope:

1. the project (its id and issue type ids: creates name them by id), read once;
2. one ``search/jql`` per 40 hires over their labels, with the ``teamcomms`` property;
3. the hires' ledgers: Jira Cloud's search lags behind writes by seconds, so a run started right
   after another would not see the issues it just created and would create them again. After
   creating, teamcomms records the new ids in a project property per hire (``GET`` by key is not
   eventually consistent); ids there that the search did not return are searched again with
   ``reconcileIssues``, which Atlassian documents for exactly this read-after-write case;
4. each owner's Jira account, by email (tasks only).

The epic resource reads the epics and the tasks resource the other issues, so neither reads the
other's (a ledger is read only for a hire whose issues the search may have missed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from teamcomms.errors import TeamcommsError
from teamcomms.resources.onboarding_state import (
    LEDGER_PREFIX,
    MARKER_KEY,
    CurrentOnboarding,
    FoundIssue,
    Marker,
    adf_text,
    hire_label,
    ledger_key,
)

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import RemoteIssue

HIRES_PER_SEARCH = 40
"""Hire labels per JQL query (keeps the query well under Jira's length limits)."""


class NeedsJiraCloud(TeamcommsError):
    """Onboarding reads issues through Jira Cloud's ``search/jql``."""


def split_scope(scope: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """``(projects, hire names, emails)`` of a scope."""
    projects, hires, users = [], [], []
    for entry in scope:
        kind, _, value = entry.partition(":")
        if not value:
            projects.append(entry)
        elif kind == "hire":
            hires.append(value)
        elif kind == "user":
            users.append(value)
    return sorted(projects), sorted(hires), sorted(users)


def read_onboarding(
    site: Site, scope: Sequence[str], *, workers: int, epics: bool
) -> CurrentOnboarding:
    """The onboarding epics (``epics``) or tasks of the hires in ``scope``, and the users it
    names."""
    projects, hires, emails = split_scope(scope)
    if not hires:
        return CurrentOnboarding()
    if not site.jira.is_cloud:
        raise NeedsJiraCloud(
            "onboarding hires needs Jira Cloud (its search/jql API); this site is Data Center",
            hint="leave the hire definitions out of this project (include:), or onboard on Cloud",
        )
    issues = _read_issues(site, projects, hires, epics=epics)
    users: list[tuple[str, str | None]] = []
    if emails:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(emails)))) as pool:
            found = pool.map(site.jira.user_by_email, emails)
            users = [
                (e.lower(), u.account_id if u else None) for e, u in zip(emails, found, strict=True)
            ]
    return CurrentOnboarding(issues=issues.issues, users=tuple(users), projects=issues.projects)


def _read_issues(
    site: Site, projects: Sequence[str], hires: Sequence[str], *, epics: bool
) -> CurrentOnboarding:
    jira = site.jira
    existing = []
    for key in projects:
        found = jira.cached_project(key)
        if found is not None:
            existing.append((found.key, found.id, found.issue_type_ids))
    keys = [p[0] for p in existing]
    if not keys:
        return CurrentOnboarding(projects=tuple(existing))
    issues: dict[str, RemoteIssue] = {}
    for start in range(0, len(hires), HIRES_PER_SEARCH):
        labels = ", ".join(f'"{hire_label(h)}"' for h in hires[start : start + HIRES_PER_SEARCH])
        kind = "=" if epics else "!="
        jql = f"project in ({', '.join(keys)}) AND labels in ({labels}) AND issuetype {kind} Epic"
        for issue in jira.search(jql, properties=[MARKER_KEY]):
            issues[issue.id] = issue
    found_for = {_hire_of(i) for i in issues.values()}
    # An epic found means its ledger has nothing more for the epic resource; tasks always look.
    unsure = [h for h in hires if not epics or f"hire/{h}" not in found_for]
    ledger = _ledger_ids(site, keys, unsure, epics=epics) if unsure else []
    missing = [i for i in ledger if i not in issues]
    for start in range(0, len(missing), 50):
        chunk = missing[start : start + 50]
        jql = f"id in ({', '.join(chunk)})"
        for issue in jira.search(jql, properties=[MARKER_KEY], reconcile=chunk):
            issues[issue.id] = issue
    addresses = {f"hire/{h}" for h in hires}
    found_issues = [
        f for f in map(_found, issues.values()) if f and f.marker.definition in addresses
    ]
    return CurrentOnboarding(
        issues=tuple(sorted(found_issues, key=lambda f: (len(f.id), f.id))),
        projects=tuple(existing),
    )


def _hire_of(issue: RemoteIssue) -> str | None:
    marker = Marker.from_json(issue.properties.get(MARKER_KEY))
    return marker.definition if marker else None


def _ledger_ids(
    site: Site, projects: Sequence[str], hires: Sequence[str], *, epics: bool
) -> list[str]:
    """The ids the hires' ledgers record: their epics', or their tasks'."""
    wanted = {ledger_key(h) for h in hires}
    ids: list[str] = []
    for project in projects:
        for key in site.jira.project_property_keys(project):
            if key.startswith(LEDGER_PREFIX) and key in wanted:
                value = site.jira.project_property(project, key)
                if not isinstance(value, dict):
                    continue
                listed = [value.get("epic")] if epics else list(value.get("tasks") or [])
                ids.extend(str(i) for i in listed if str(i).isdigit())
    return list(dict.fromkeys(ids))


def _found(issue: RemoteIssue) -> FoundIssue | None:
    marker = Marker.from_json(issue.properties.get(MARKER_KEY))
    if marker is None:
        return None
    return FoundIssue(
        id=issue.id,
        key=issue.key,
        project=issue.project,
        marker=marker,
        summary=issue.summary,
        status=issue.status,
        status_category=issue.status_category,
        assignee=issue.assignee,
        assignee_name=issue.assignee_name,
        due=issue.due,
        labels=issue.labels,
        text=adf_text(issue.description)
        if isinstance(issue.description, dict)
        else str(issue.description or ""),
        issue_type=issue.issue_type,
    )
