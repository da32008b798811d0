"""Jira Cloud behaviours the contract checks cannot see (issue 18), through pycontribs ``jira`` and
atlassian-python-api: the issue hierarchy, fields that cannot be set (errors keyed by field), the
system fields, and the project list, favourite filters and removed search routes."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira.exceptions import JIRAError

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira, jira_cloud, jira_error_body


def _type(site: SandboxHandle, name: str) -> dict[str, str]:
    types = site.state.table("issuetypes").values()
    return {"id": next(t["id"] for t in types if t["name"] == name)}


def _create(client: Any, site: SandboxHandle, kind: str, **fields: Any) -> Any:
    return client.create_issue(
        fields={"project": {"key": "PEOPLE"}, "issuetype": _type(site, kind), **fields}
    )


def _refused(call: Any) -> dict[str, Any]:
    with pytest.raises(JIRAError) as raised:
        call()
    assert raised.value.status_code == 400
    body: dict[str, Any] = jira_error_body(raised.value)
    return body


def test_the_issue_hierarchy_is_enforced(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    epic = _create(client, sandbox_site, "Epic", summary="Onboarding")
    task = _create(client, sandbox_site, "Task", summary="Laptop", parent={"key": epic.key})
    sub = _create(client, sandbox_site, "Subtask", summary="Order it", parent={"key": task.key})
    assert (task.fields.parent.key, sub.fields.parent.key) == (epic.key, task.key)
    hierarchy = {"parent": "Given parent work item does not belong to appropriate hierarchy."}

    body = _refused(
        lambda: _create(client, sandbox_site, "Epic", summary="x", parent={"key": epic.key})
    )
    assert body["errors"] == hierarchy  # an epic under an epic
    body = _refused(lambda: _create(client, sandbox_site, "Subtask", summary="orphan"))
    assert body["errors"] == {
        "issuetype": "Issue type is a sub-task but parent issue key or id not specified."
    }
    body = _refused(
        lambda: _create(client, sandbox_site, "Subtask", summary="x", parent={"key": epic.key})
    )
    assert body["errors"] == hierarchy  # a sub-task's parent is a standard issue
    other = _create(client, sandbox_site, "Task", summary="Desk")
    assert (
        _refused(lambda: other.update(fields={"parent": {"key": task.key}}))["errors"] == hierarchy
    )
    assert (
        _refused(lambda: epic.update(fields={"parent": {"key": epic.key}}))["errors"] == hierarchy
    )
    assert (
        _refused(lambda: task.update(fields={"parent": {"key": task.key}}))["errors"] == hierarchy
    )
    body = _refused(lambda: other.update(fields={"parent": {"key": "PEOPLE-999"}}))
    assert body["errors"] == {"parent": "Could not find issue by id or key."}
    stored = sandbox_site.state.issue_by_key(other.key)
    assert stored is not None and "parent" not in stored["fields"]


def test_fields_that_cannot_be_set_are_refused_and_keyed_by_field(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira(sandbox_site)
    not_settable = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."
    body = _refused(lambda: _create(client, sandbox_site, "Task", summary="x", flavour="mint"))
    assert body == {"errorMessages": [], "errors": {"flavour": not_settable.format("flavour")}}
    body = _refused(
        lambda: _create(client, sandbox_site, "Task", summary="x", resolution={"name": "Done"})
    )
    assert body["errors"] == {"resolution": not_settable.format("resolution")}
    assert sandbox_site.state.table("issues") == {}

    issue = _create(client, sandbox_site, "Task", summary="Before", labels=["a"])
    for fields in ({"customfield_99999": "x"}, {"status": {"name": "Done"}}):
        field = next(iter(fields))
        assert _refused(lambda f=fields: issue.update(fields=f))["errors"] == {
            field: not_settable.format(field)
        }
    session = requests.Session()
    session.auth = (sandbox_site.email, sandbox_site.token)
    url = f"{sandbox_site.url}/rest/api/3/issue/{issue.key}"
    for update, field in (
        ({"labels": [{"append": "b"}]}, "labels"),  # no such verb
        ({"labels": {"add": "b"}}, "labels"),  # not a list of operations
        ({"summary": [{"add": "x"}]}, "summary"),  # summary takes set only
        ({"nonsense": [{"set": "x"}]}, "nonsense"),
    ):
        answer = session.put(url, json={"update": update})
        assert answer.status_code == 400, update
        assert list(answer.json()["errors"]) == [field]
    answer = session.put(
        url, json={"fields": {"labels": ["b"]}, "update": {"labels": [{"add": "c"}]}}
    )
    assert answer.status_code == 400 and list(answer.json()["errors"]) == ["labels"]
    assert session.put(url, json={}).json()["errorMessages"] == [
        "one of 'fields' or 'update' required"
    ]
    fresh = client.issue(issue.key)
    assert (fresh.fields.summary, fresh.fields.labels) == ("Before", ["a"])
    # {"labels": {"add": "b"}} breaks the request schema on purpose; nothing else may.
    assert [v for v in sandbox_site.contract.violations if "update/labels" not in v] == []
    sandbox_site.contract.violations.clear()


def test_system_fields_priority_due_date_components_and_resolution(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira(sandbox_site)
    assert [p.name for p in client.priorities()] == ["Highest", "High", "Medium", "Low", "Lowest"]
    assert "Done" in [r.name for r in client.resolutions()]
    client.create_component("Payroll", "PEOPLE")
    issue = _create(client, sandbox_site, "Task", summary="Pay", priority={"name": "High"})
    fresh = client.issue(issue.key)
    assert fresh.fields.priority.name == "High"
    assert fresh.fields.resolution is None and fresh.fields.resolutiondate is None
    assert fresh.fields.statuscategorychangedate == fresh.fields.created
    assert (fresh.fields.duedate, fresh.fields.components) == (None, [])
    default = _create(client, sandbox_site, "Task", summary="Default")
    assert client.issue(default.key).fields.priority.name == "Medium"

    issue.update(fields={"duedate": "2026-12-01", "components": [{"name": "Payroll"}]})
    fresh = client.issue(issue.key)
    assert fresh.fields.duedate == "2026-12-01"
    assert [c.name for c in fresh.fields.components] == ["Payroll"]
    assert _refused(lambda: issue.update(fields={"duedate": "1st of May"}))["errors"] == {
        "duedate": "Error parsing date string: 1st of May"
    }
    assert list(
        _refused(lambda: issue.update(fields={"priority": {"name": "Urgent"}}))["errors"]
    ) == ["priority"]
    assert list(
        _refused(lambda: issue.update(fields={"components": [{"name": "Nope"}]}))["errors"]
    ) == ["components"]
    assert list(
        _refused(lambda: issue.update(fields={"assignee": {"accountId": "nobody"}}))["errors"]
    ) == ["assignee"]


def test_project_list_favourite_filters_and_the_removed_search(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira(sandbox_site)
    assert [p.key for p in client.projects()] == ["DIST", "OPS", "PEOPLE", "PROD", "QA", "SHOP"]
    assert [p["key"] for p in jira_cloud(sandbox_site).get_all_projects()][:2] == ["DIST", "OPS"]
    client.create_filter("Mine", jql="assignee = currentUser()", favourite=True)
    client.create_filter("Others", jql="project = OPS", favourite=False)
    assert [f.name for f in client.favourite_filters()] == ["Mine"]
    # atlassian-python-api not in Cloud mode still calls the removed /rest/api/2/search.
    from atlassian import Jira

    old = Jira(sandbox_site.url, username=sandbox_site.email, password=sandbox_site.token)
    with pytest.raises(requests.HTTPError) as raised:
        old.jql("project = OPS")
    assert raised.value.response.status_code == 410
    assert jira_error_body(raised.value)["errorMessages"] == [
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
        "A full migration guideline is available at "
        "https://developer.atlassian.com/changelog/#CHANGE-2046"
    ]
