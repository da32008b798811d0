"""A known history seeded through the REST API over several simulated days (issue 18): the
changelogs and JQL results are compared with values written by hand.

Mon 2026-11-16 09:00  PEOPLE-1 Epic "Onboarding: Ada"
               09:05  PEOPLE-2 Task "Laptop for Ada", under PEOPLE-1, alice, due Wed 18, onboarding
               09:10  PEOPLE-3 Task "Accounts for Ada", under PEOPLE-1, High, onboarding
Tue 17         10:00  PEOPLE-2 -> In Progress
               10:30  PEOPLE-3 summary "Accounts and badge for Ada", assigned to the sandbox user
Wed 18         15:00  PEOPLE-2 -> Done (resolution Done)
               16:00  PEOPLE-3 -> In Progress
Thu 19         11:00  PEOPLE-2 -> To Do (reopened: resolution cleared)
               11:30  PEOPLE-2 -> Done
Fri 20         09:00  now
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import SandboxHandle
from tests.sandbox.clients import forgive_numeric_transition_ids, jira, jira_cloud
from tests.sandbox.jira_rest import API, Api

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _at(site: SandboxHandle, day: int, hour: int, minute: int) -> None:
    target = MONDAY.replace(hour=hour, minute=minute) + timedelta(days=day)
    site.clock.advance((target - site.clock()).total_seconds())


@pytest.fixture
def seeded(sandbox_site: SandboxHandle) -> SandboxHandle:
    site = sandbox_site
    site.clock.start_at(MONDAY)
    client = jira(site)
    alice = site.state.table("users")
    alice_id = next(u["accountId"] for u in alice.values() if u["emailAddress"].startswith("alice"))

    def create(**fields: Any) -> Any:
        return client.create_issue(fields={"project": {"key": "PEOPLE"}, **fields})

    epic = create(issuetype={"name": "Epic"}, summary="Onboarding: Ada")
    _at(site, 0, 9, 5)
    laptop = create(
        issuetype={"name": "Task"},
        summary="Laptop for Ada",
        parent={"key": epic.key},
        assignee={"accountId": alice_id},
        duedate="2026-11-18",
        labels=["onboarding"],
    )
    _at(site, 0, 9, 10)
    accounts = create(
        issuetype={"name": "Task"},
        summary="Accounts for Ada",
        parent={"key": epic.key},
        priority={"name": "High"},
        labels=["onboarding"],
    )
    rest = jira_cloud(site)
    _at(site, 1, 10, 0)
    rest.set_issue_status(laptop.key, "In Progress")
    _at(site, 1, 10, 30)
    accounts.update(
        fields={
            "summary": "Accounts and badge for Ada",
            "assignee": {"accountId": "712020:sandbox-user"},
        }
    )
    _at(site, 2, 15, 0)
    rest.set_issue_status(laptop.key, "Done")
    _at(site, 2, 16, 0)
    rest.set_issue_status(accounts.key, "In Progress")
    _at(site, 3, 11, 0)
    rest.set_issue_status(laptop.key, "To Do")
    _at(site, 3, 11, 30)
    rest.set_issue_status(laptop.key, "Done")
    _at(site, 4, 9, 0)
    forgive_numeric_transition_ids(site)
    return site


def _status(old: tuple[str, str], new: tuple[str, str]) -> dict[str, Any]:
    return {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": old[0],
        "fromString": old[1],
        "to": new[0],
        "toString": new[1],
    }


def _resolution(old: str | None, new: str | None) -> dict[str, Any]:
    return {
        "field": "resolution",
        "fieldtype": "jira",
        "fieldId": "resolution",
        "from": "10000" if old else None,
        "fromString": old,
        "to": "10000" if new else None,
        "toString": new,
    }


TODO, DOING, DONE = ("1", "To Do"), ("3", "In Progress"), ("10000", "Done")


def test_the_changelogs_are_the_history_written_by_hand(seeded: SandboxHandle) -> None:
    rest = jira_cloud(seeded)
    laptop = rest.get_issue_changelog("PEOPLE-2")["values"]
    assert [(h["created"], h["items"]) for h in laptop] == [
        ("2026-11-17T10:00:00.000+0000", [_status(TODO, DOING)]),
        ("2026-11-18T15:00:00.000+0000", [_status(DOING, DONE), _resolution(None, "Done")]),
        ("2026-11-19T11:00:00.000+0000", [_status(DONE, TODO), _resolution("Done", None)]),
        ("2026-11-19T11:30:00.000+0000", [_status(TODO, DONE), _resolution(None, "Done")]),
    ]
    assert {h["author"]["displayName"] for h in laptop} == {"Sandbox User"}
    accounts = rest.get_issue("PEOPLE-3", expand="changelog")["changelog"]["histories"]
    assert [(h["created"], h["items"]) for h in accounts] == [
        (
            "2026-11-17T10:30:00.000+0000",
            [
                {
                    "field": "summary",
                    "fieldtype": "jira",
                    "fieldId": "summary",
                    "from": None,
                    "fromString": "Accounts for Ada",
                    "to": None,
                    "toString": "Accounts and badge for Ada",
                },
                {
                    "field": "assignee",
                    "fieldtype": "jira",
                    "fieldId": "assignee",
                    "from": None,
                    "fromString": None,
                    "to": "712020:sandbox-user",
                    "toString": "Sandbox User",
                },
            ],
        ),
        ("2026-11-18T16:00:00.000+0000", [_status(TODO, DOING)]),
    ]
    assert rest.get_issue_changelog("PEOPLE-1")["values"] == []
    fields = rest.get_issue("PEOPLE-2")["fields"]
    assert (fields["created"], fields["updated"]) == (
        "2026-11-16T09:05:00.000+0000",
        "2026-11-19T11:30:00.000+0000",
    )
    assert fields["resolutiondate"] == "2026-11-19T11:30:00.000+0000"
    assert fields["statuscategorychangedate"] == "2026-11-19T11:30:00.000+0000"


@pytest.mark.parametrize(
    ("jql", "keys"),
    [
        ("project = PEOPLE AND resolved >= startOfDay(-1)", ["PEOPLE-2"]),
        ("project = PEOPLE AND resolved >= startOfDay()", []),
        ("project = PEOPLE AND updated >= -1d", ["PEOPLE-2"]),
        ("project = PEOPLE AND updated >= -2d ORDER BY updated DESC", ["PEOPLE-2", "PEOPLE-3"]),
        ('statusCategory = "In Progress"', ["PEOPLE-3"]),
        ("assignee = currentUser()", ["PEOPLE-3"]),
        ("project = PEOPLE AND assignee IS EMPTY", ["PEOPLE-1"]),
        ("project = PEOPLE AND assignee != currentUser()", ["PEOPLE-2"]),
        ("parent = PEOPLE-1 ORDER BY priority DESC, key DESC", ["PEOPLE-3", "PEOPLE-2"]),
        ('project = PEOPLE AND created < "2026-11-16 09:06"', ["PEOPLE-1", "PEOPLE-2"]),
        (
            "project = PEOPLE AND created > 2026/11/16 ORDER BY created DESC",
            ["PEOPLE-3", "PEOPLE-2", "PEOPLE-1"],
        ),
        ('project = PEOPLE AND created < "2026-11-16 09:05"', ["PEOPLE-1"]),
        ('project = PEOPLE AND created <= "2026-11-16 09:05"', ["PEOPLE-1", "PEOPLE-2"]),
        ("project = PEOPLE AND duedate <= endOfWeek()", ["PEOPLE-2"]),
        # Weeks start on Sunday 15 (en_US): Sunday + 3 days is Wednesday 00:00.
        ('project = PEOPLE AND updated >= startOfWeek("+3d")', ["PEOPLE-2", "PEOPLE-3"]),
        ("project = PEOPLE AND updated < startOfMonth()", []),
        ("project = PEOPLE AND duedate < startOfWeek()", []),
        (
            "(labels = onboarding AND status = Done) OR issuetype = Epic ORDER BY created DESC",
            ["PEOPLE-2", "PEOPLE-1"],
        ),
        ("NOT statusCategory = Done AND project = PEOPLE ORDER BY key", ["PEOPLE-1", "PEOPLE-3"]),
        ("project = PEOPLE AND resolution = Unresolved", ["PEOPLE-1", "PEOPLE-3"]),
        ("project = PEOPLE AND resolution IS NOT EMPTY", ["PEOPLE-2"]),
        ('project = PEOPLE AND statusCategoryChangedDate >= "2026-11-19"', ["PEOPLE-2"]),
        ("project = PEOPLE AND priority > Medium", ["PEOPLE-3"]),
        (
            'project = PEOPLE AND status in (Done, "In Progress") ORDER BY status',
            ["PEOPLE-2", "PEOPLE-3"],
        ),
        ("project = PEOPLE AND labels not in (onboarding)", []),
        ("key > PEOPLE-1 AND key <= PEOPLE-3 ORDER BY key DESC", ["PEOPLE-3", "PEOPLE-2"]),
        (
            "project = PEOPLE AND (type = Epic OR (priority = High AND assignee IS NOT EMPTY))",
            ["PEOPLE-1", "PEOPLE-3"],
        ),
    ],
)
def test_jql_finds_what_the_history_says(seeded: SandboxHandle, jql: str, keys: list[str]) -> None:
    found = jira(seeded).enhanced_search_issues(jql, maxResults=50, fields="key")
    assert [i.key for i in found] == keys


def test_counts_and_changelogs_in_search_results(seeded: SandboxHandle) -> None:
    rest = jira_cloud(seeded)
    assert rest.approximate_issue_count("project = PEOPLE") == {"count": 3}
    assert rest.approximate_issue_count("project = PEOPLE AND statusCategory = Done") == {
        "count": 1
    }
    answer = rest.enhanced_jql("key = PEOPLE-3", fields="summary", expand="changelog")
    (issue,) = answer["issues"]
    assert issue["fields"] == {"summary": "Accounts and badge for Ada"}
    assert [h["created"] for h in issue["changelog"]["histories"]] == [
        "2026-11-17T10:30:00.000+0000",
        "2026-11-18T16:00:00.000+0000",
    ]
    bulk = Api(seeded).ok(
        "POST",
        API + "/changelog/bulkfetch",
        json={"issueIdsOrKeys": ["PEOPLE-1", "PEOPLE-2", "PEOPLE-3"], "fieldIds": ["resolution"]},
    )
    assert [
        (log["issueId"], [h["created"][:16] for h in log["changeHistories"]])
        for log in bulk["issueChangeLogs"]
    ] == [
        (
            seeded.state.issue_by_key("PEOPLE-2")["id"],  # type: ignore[index]
            ["2026-11-18T15:00", "2026-11-19T11:00", "2026-11-19T11:30"],
        )
    ]
