"""Read what an import needs from the site, in bulk:

1. the project, its create metadata (issue types; the create screen's fields of the types the
   rows use), its statuses per issue type (when rows have a status) and the link types (when
   the mapping links rows);
2. the people the rows name, one look-up per distinct email;
3. the issues earlier runs of the import created: one ``search/jql`` over the import's label
   with the marker property; then, as onboarding does against search lag, the import's ledger
   (a project property per bulk create listing the ids it made): when the search found fewer
   issues than the ledgers list, the ids it missed are searched again with ``reconcileIssues``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from teamcomms.resources.imported_issues_desired import cell_values
from teamcomms.resources.imported_issues_state import (
    CurrentImport,
    FoundImported,
    WantedImport,
    import_label,
    ledger_prefix,
)
from teamcomms.resources.onboarding_read import NeedsJiraCloud
from teamcomms.resources.onboarding_state import MARKER_KEY, Marker

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issue_meta import CreateMetaField
    from teamcomms.site.jira_issues import RemoteIssue

SEARCH_FIELDS = ("summary", "status", "issuetype", "parent", "issuelinks", "labels")
RECONCILE = 50
"""Ids per ``reconcileIssues`` search (Atlassian's limit)."""


def read_import(site: Site, wanted: WantedImport, *, workers: int) -> CurrentImport:
    """The project's metadata, the people and the issues earlier runs made."""
    jira = site.jira
    if not jira.is_cloud:
        raise NeedsJiraCloud(
            "import needs Jira Cloud (its create metadata and search/jql APIs); this site is "
            "Data Center",
            hint="import into a Jira Cloud site",
        )
    project = jira.cached_project(wanted.project)
    if project is None:
        return CurrentImport()
    types = jira.create_meta_types(project.key)
    used = {row.issue_type.casefold() for row in wanted.rows}
    chosen = [t for t in types if t.name.casefold() in used]
    pool_size = max(1, workers)
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        screens = list(pool.map(lambda t: jira.create_meta_fields(project.key, t.id), chosen))
        fields = tuple((t.id, tuple(s)) for t, s in zip(chosen, screens, strict=True))
        emails = sorted(_emails(wanted, [f for _, s in fields for f in s]))
        people = list(pool.map(jira.user_by_email, emails))
    statuses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if any(row.status for row in wanted.rows):
        statuses = tuple((s.type_id, s.statuses) for s in jira.project_statuses(project.key))
    return CurrentImport(
        project_id=project.id,
        types=tuple(types),
        fields=fields,
        statuses=statuses,
        link_types=tuple(jira.link_types()) if wanted.definition.links else (),
        users=tuple((e, u.account_id if u else None) for e, u in zip(emails, people, strict=True)),
        issues=tuple(read_imported(site, wanted, project.key)),
    )


def _emails(wanted: WantedImport, fields: Sequence[CreateMetaField]) -> set[str]:
    """The assignees' emails, and the emails in custom user fields."""
    found = {row.assignee for row in wanted.rows if row.assignee}
    users = {f.name.casefold() for f in fields if "user" in (f.type, f.items)}
    custom = wanted.definition.custom
    for row in wanted.rows:
        for name, cell in row.custom:
            if name.casefold() in users and cell:
                values = cell_values(custom[name], cell, many=True)
                found.update(v.lower() for v in values if "@" in v)
    return found


def read_imported(site: Site, wanted: WantedImport, project: str) -> list[FoundImported]:
    """The issues this import made in ``project``, found by label and ledger."""
    jira = site.jira
    jql = f'project = {project} AND labels = "{import_label(wanted.name)}"'
    issues = {i.id: i for i in jira.search(jql, fields=SEARCH_FIELDS, properties=[MARKER_KEY])}
    marked = sum(1 for i in issues.values() if _found(i, wanted.address) is not None)
    missing = _ledger_ids(site, project, wanted.name, known=marked)
    missing = [i for i in missing if i not in issues]
    for start in range(0, len(missing), RECONCILE):
        chunk = missing[start : start + RECONCILE]
        jql = f"id in ({', '.join(chunk)})"
        for issue in jira.search(
            jql, fields=SEARCH_FIELDS, properties=[MARKER_KEY], reconcile=chunk
        ):
            issues[issue.id] = issue
    found = (_found(issue, wanted.address) for issue in issues.values())
    return sorted((f for f in found if f is not None), key=lambda f: (len(f.id), f.id))


def _ledger_ids(site: Site, project: str, name: str, *, known: int) -> list[str]:
    """The ids the import's ledgers list, read only when they list more issues than
    ``known`` (the search's count): each ledger's key ends with how many ids it holds."""
    prefix = ledger_prefix(name)
    keys = [k for k in site.jira.project_property_keys(project) if k.startswith(prefix)]
    listed = sum(_count(k) for k in keys)
    if listed <= known:
        return []
    ids: list[str] = []
    for key in keys:
        value = site.jira.project_property(project, key)
        if isinstance(value, dict):
            ids.extend(str(i) for i in value.get("ids") or [] if str(i).isdigit())
    return list(dict.fromkeys(ids))


def _count(key: str) -> int:
    tail = key.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _found(issue: RemoteIssue, address: str) -> FoundImported | None:
    marker = Marker.from_json(issue.properties.get(MARKER_KEY))
    if marker is None or marker.definition != address or not marker.item:
        return None
    return FoundImported(
        id=issue.id,
        key=issue.key,
        ext_id=marker.item,
        marker=marker,
        summary=issue.summary,
        status=issue.status,
        status_category=issue.status_category,
        issue_type=issue.issue_type,
        parent_id=issue.parent_id,
        links=issue.links,
    )


def ledger_key(name: str, ids: Iterable[str]) -> str:
    """The ledger property of one bulk create: ``teamcomms.import.<name>.<first id>.<count>``."""
    listed = sorted(ids, key=lambda i: (len(i), i))
    return f"{ledger_prefix(name)}{listed[0]}.{len(listed)}"
