"""Where the contract checks accept traffic the vendored specs alone would refuse, each with its
source (see :mod:`tests.contract.checker`). Keep these lists explicit and short."""

from __future__ import annotations

from typing import Any

ANY = "*"
# Answers Atlassian documents outside the per-operation specs (shared/reference/atlassian-api.md),
# as (method, path template, status). Keep this list explicit: each entry names its source.
UNDOCUMENTED_ANSWERS: frozenset[tuple[str, str, int]] = frozenset(
    {
        # §6: any endpoint can answer 429 (rate limit); some 503 answers carry Retry-After.
        (ANY, ANY, 429),
        (ANY, ANY, 503),
        # §7: failed Basic auth answers 401 everywhere; several v1 operations do not list it.
        (ANY, ANY, 401),
        # §4/§8: a stale or unincremented version (or a duplicate title) answers 409.
        ("PUT", "/wiki/api/v2/pages/{id}", 409),
        # The same optimistic locking guards page properties (version.number must be current + 1).
        ("PUT", "/wiki/api/v2/pages/{page-id}/properties/{property-id}", 409),
        # §3: the removed search answers 410 on Cloud (CHANGE-2046); the spec still lists it.
        ("GET", "/rest/api/3/search", 410),
        ("POST", "/rest/api/3/search", 410),
    }
)
# Properties the specs' own words make nullable although their schemas lack "nullable":
# (spec, schema, property) and where Atlassian says so. Keep this list explicit.
DOCUMENTED_NULLABLE: frozenset[tuple[str, str, str]] = frozenset(
    {
        # "ID of the parent page, or null if there is no parent page." (and parentType alike)
        ("confluence-v2.json", "PageSingle", "parentId"),
        ("confluence-v2.json", "PageSingle", "parentType"),
        ("confluence-v2.json", "PageBulk", "parentId"),
        ("confluence-v2.json", "PageBulk", "parentType"),
        # The spec's own example of GET /issue/{key}/changelog has "from": null, "to": null.
        ("jira-platform-v3.json", "ChangeDetails", "from"),
        ("jira-platform-v3.json", "ChangeDetails", "fromString"),
        ("jira-platform-v3.json", "ChangeDetails", "to"),
        ("jira-platform-v3.json", "ChangeDetails", "toString"),
    }
)


# Query parameters whose schema no query string can satisfy, judged by what their description
# says instead: (method, path template, parameter) -> JSON schema of one comma-separated value.
DESCRIBED_QUERY_VALUES: dict[tuple[str, str, str], dict[str, Any]] = {
    # Typed as an empty object; "Filters results to boards of the specified types. Valid values:
    # scrum, kanban, simple."
    ("GET", "/rest/agile/1.0/board", "type"): {
        "type": "array",
        "items": {"enum": ["scrum", "kanban", "simple"]},
    },
}
