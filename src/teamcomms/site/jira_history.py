"""Issue history in bulk: ``POST /rest/api/3/changelog/bulkfetch``.

One request covers up to :data:`BULK_ISSUES` issues and answers up to :data:`BULK_RESULTS`
changelogs, filtered to the fields asked for (at most :data:`BULK_FIELDS`), with a
``nextPageToken`` while more remain; instead of a ``GET issue/{key}/changelog`` per issue. The
limits are those of Jira Cloud's platform API v3 (``BulkChangelogRequestBean``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from teamcomms.site.jira_base import JiraBase

BULK_ISSUES = 1000
"""Issues per ``changelog/bulkfetch`` request."""
BULK_FIELDS = 10
"""Field ids one request may filter on."""
BULK_RESULTS = 10000
"""The largest ``maxResults`` (changelogs per answer) the endpoint accepts."""


@dataclass(frozen=True)
class ChangeItem:
    """One field change of a changelog."""

    field_id: str
    from_id: str | None
    from_text: str | None
    to_id: str | None
    to_text: str | None


@dataclass(frozen=True)
class Changelog:
    """One changelog of an issue: when, and what changed."""

    issue_id: str
    created: str
    """Jira's date-time text."""
    items: tuple[ChangeItem, ...]


class JiraHistory(JiraBase):
    """Changelogs of many issues at once."""

    def changelogs(
        self, issue_ids: Sequence[str], *, field_ids: Sequence[str] = ()
    ) -> dict[str, list[Changelog]]:
        """The changelogs of ``issue_ids`` (ids or keys) keyed by issue id, in the order Jira
        answers them, limited to ``field_ids`` when given. Issues without any are left out."""
        if len(field_ids) > BULK_FIELDS:
            raise ValueError(f"a bulk changelog fetch filters on at most {BULK_FIELDS} fields")
        found: dict[str, list[Changelog]] = {}
        for start in range(0, len(issue_ids), BULK_ISSUES):
            body: dict[str, Any] = {
                "issueIdsOrKeys": list(issue_ids[start : start + BULK_ISSUES]),
                "maxResults": BULK_RESULTS,
            }
            if field_ids:
                body["fieldIds"] = list(field_ids)
            while True:
                page = self._post("changelog/bulkfetch", body) or {}
                for log in page.get("issueChangeLogs") or []:
                    issue_id = str(log.get("issueId"))
                    found.setdefault(issue_id, []).extend(
                        _changelog(issue_id, entry) for entry in log.get("changeHistories") or []
                    )
                token = page.get("nextPageToken")
                if not token:
                    break
                body["nextPageToken"] = token
        return found


def _changelog(issue_id: str, entry: dict[str, Any]) -> Changelog:
    return Changelog(
        issue_id=issue_id,
        created=str(entry.get("created", "")),
        items=tuple(
            ChangeItem(
                field_id=str(item.get("fieldId") or item.get("field") or ""),
                from_id=item.get("from"),
                from_text=item.get("fromString"),
                to_id=item.get("to"),
                to_text=item.get("toString"),
            )
            for item in entry.get("items") or []
        ),
    )
