"""Jira issue history and transitions (issue 18): changelogs for every field change, served by
``expand=changelog``, ``/issue/{key}/changelog`` and ``/changelog/bulkfetch``; transitions follow
the workflow the project's scheme assigns to the issue type; Done sets the resolution."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira.exceptions import JIRAError

from tests.conftest import SandboxHandle
from tests.sandbox.clients import forgive_numeric_transition_ids, jira, jira_cloud, jira_error_body
from tests.sandbox.jira_rest import API, Api
from tests.sandbox.test_jira_config import _workflow_payload


def _type_id(site: SandboxHandle, name: str) -> str:
    types = site.state.table("issuetypes").values()
    return str(next(t["id"] for t in types if t["name"] == name))


@pytest.fixture(autouse=True)
def _numeric_transition_ids(sandbox_site: SandboxHandle) -> Any:
    yield
    forgive_numeric_transition_ids(sandbox_site)


def _items(history: Any) -> list[tuple[str, str | None, str | None]]:
    return [(i.field, i.fromString, i.toString) for i in history.items]


def test_edits_and_transitions_record_changelogs(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    issue = client.create_issue(
        fields={
            "project": {"key": "OPS"},
            "issuetype": {"name": "Task"},
            "summary": "Restock",
            "labels": ["a"],
        }
    )
    assert client.issue(issue.key, expand="changelog").changelog.histories == []  # create: none
    issue.update(
        fields={"summary": "Restock shelves", "priority": {"name": "High"}},
        update={"labels": [{"add": "b"}]},
    )
    issue.update(fields={"summary": "Restock shelves"})  # nothing changes: no changelog
    client.transition_issue(issue, "Done")
    histories = client.issue(issue.key, expand="changelog").changelog.histories
    assert [_items(h) for h in histories] == [
        [
            ("summary", "Restock", "Restock shelves"),
            ("priority", "Medium", "High"),
            ("labels", "a", "a b"),
        ],
        [("status", "To Do", "Done"), ("resolution", None, "Done")],
    ]
    assert {h.author.accountId for h in histories} == {"712020:sandbox-user"}
    status_item = histories[1].items[0]
    assert (status_item.fieldId, status_item.__dict__["from"], status_item.to) == (
        "status",
        "1",
        "10000",
    )
    fresh = client.issue(issue.key)
    assert fresh.fields.resolution.name == "Done"
    assert fresh.fields.resolutiondate == histories[1].created
    assert fresh.fields.updated == histories[1].created

    rest = jira_cloud(sandbox_site)
    page = rest.get_issue_changelog(issue.key, limit=1)
    assert (page["total"], page["isLast"], len(page["values"])) == (2, False, 1)
    assert rest.get_issue_changelog(issue.key, start=1)["values"][0]["id"] == histories[1].id
    assert rest.get_issue_status_changelog(issue.key) == [
        {"from": "To Do", "to": "Done", "date": histories[1].created}
    ]


def test_bulk_changelogs_filter_by_field_and_page(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    keys = []
    for summary in ("One", "Two"):
        issue = client.create_issue(
            fields={"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": summary}
        )
        client.transition_issue(issue, "In Progress")
        issue.update(fields={"summary": summary + "!"})
        keys.append(issue.key)
    rest = jira_cloud(sandbox_site)
    everything = rest.get_changelogs_bulk(keys)
    assert [len(log["changeHistories"]) for log in everything["issueChangeLogs"]] == [2, 2]
    assert "nextPageToken" not in everything
    api = Api(sandbox_site)
    statuses = api.ok(
        "POST", API + "/changelog/bulkfetch", json={"issueIdsOrKeys": keys, "fieldIds": ["status"]}
    )
    items = [
        [i["toString"] for h in log["changeHistories"] for i in h["items"]]
        for log in statuses["issueChangeLogs"]
    ]
    assert items == [["In Progress"], ["In Progress"]]
    first = api.ok(
        "POST", API + "/changelog/bulkfetch", json={"issueIdsOrKeys": keys, "maxResults": 3}
    )
    rest_page = api.ok(
        "POST",
        API + "/changelog/bulkfetch",
        json={"issueIdsOrKeys": keys, "maxResults": 3, "nextPageToken": first["nextPageToken"]},
    )
    pages = [first, rest_page]
    seen = [h["id"] for p in pages for log in p["issueChangeLogs"] for h in log["changeHistories"]]
    assert len(seen) == len(set(seen)) == 4
    assert "nextPageToken" not in rest_page


def test_transitions_follow_the_workflow_of_the_issue_type(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    api.ok("POST", API + "/workflows/create", json=_workflow_payload("Orders"))
    order_type = _type_id(sandbox_site, "Order")
    scheme = api.ok(
        "POST",
        API + "/workflowscheme",
        json={
            "name": "Ops",
            "defaultWorkflow": "jira",
            "issueTypeMappings": {order_type: "Orders"},
        },
    )
    project = sandbox_site.state.project_by_key("OPS")
    assert project is not None
    switch = {"projectId": project["id"], "targetSchemeId": str(scheme["id"])}
    api.call("POST", API + "/workflowscheme/project/switch", json=switch, allow_redirects=False)

    client = jira(sandbox_site)
    order = client.create_issue(
        fields={"project": {"key": "OPS"}, "issuetype": {"name": "Order"}, "summary": "#1001"}
    )
    task = client.create_issue(
        fields={"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "Tidy"}
    )
    assert client.issue(order.key).fields.status.name == "Orders Open"  # the INITIAL transition
    assert client.issue(task.key).fields.status.name == "To Do"  # the scheme's default: jira
    assert [(t["name"], t["to"]["name"]) for t in client.transitions(order)] == [
        ("Pack", "Orders Packing"),
        ("Ship", "Orders Shipped"),
    ]
    assert [t["name"] for t in client.transitions(task)] == ["In Progress", "Done"]
    with pytest.raises(JIRAError) as raised:
        client.transition_issue(order, "31")  # the default workflow's Done: not this workflow's
    assert raised.value.status_code == 400
    assert jira_error_body(raised.value)["errorMessages"] == [
        "Transition id '31' is not valid for this issue."
    ]
    client.transition_issue(order, "Pack")
    assert [t["name"] for t in client.transitions(order)] == ["Ship"]  # Pack is only from Open
    jira_cloud(sandbox_site).set_issue_status(order.key, "Orders Shipped")
    fresh = client.issue(order.key)
    # A workflow without a post function on the resolution leaves issues in Done unresolved,
    # as on Cloud (only the system workflow sets it on its own).
    assert (fresh.fields.status.name, fresh.fields.resolution) == ("Orders Shipped", None)
    last = client.issue(order.key, expand="changelog").changelog.histories[-1]
    assert fresh.fields.statuscategorychangedate == last.created


def test_a_transition_to_done_can_set_the_resolution_and_leaving_done_clears_it(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira(sandbox_site)
    issue = client.create_issue(
        fields={"project": {"key": "OPS"}, "issuetype": {"name": "Bug"}, "summary": "Flaky"}
    )
    with pytest.raises(JIRAError) as raised:  # no screen on the way to In Progress
        client.transition_issue(issue, "In Progress", fields={"resolution": {"name": "Done"}})
    assert list(jira_error_body(raised.value)["errors"]) == ["resolution"]
    client.transition_issue(issue, "Done", fields={"resolution": {"name": "Won't Do"}})
    assert client.issue(issue.key).fields.resolution.name == "Won't Do"
    client.transition_issue(issue, "To Do")
    fresh = client.issue(issue.key)
    assert (fresh.fields.resolution, fresh.fields.resolutiondate) == (None, None)
    last = client.issue(issue.key, expand="changelog").changelog.histories[-1]
    assert _items(last) == [("status", "Done", "To Do"), ("resolution", "Won't Do", None)]
    session = requests.Session()
    session.auth = (sandbox_site.email, sandbox_site.token)
    answer = session.get(
        f"{sandbox_site.url}/rest/api/3/issue/{issue.key}/transitions",
        params={"transitionId": "21", "expand": "transitions.fields"},
    )
    assert [(t["id"], t["fields"]) for t in answer.json()["transitions"]] == [("21", {})]
