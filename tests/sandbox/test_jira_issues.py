"""Jira issues, search, properties and links through pycontribs ``jira`` and plain HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira


def _api(site: SandboxHandle) -> requests.Session:
    session = requests.Session()
    session.auth = (site.email, site.token)
    return session


def _adf(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


def _ids(
    site: SandboxHandle, project_key: str, type_name: str
) -> tuple[dict[str, str], dict[str, str]]:
    project = site.state.project_by_key(project_key)
    assert project is not None
    type_id = next(
        t["id"] for t in site.state.table("issuetypes").values() if t["name"] == type_name
    )
    return {"id": project["id"]}, {"id": type_id}


def test_the_jira_client_sees_a_cloud_site(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    assert client.deploymentType == "Cloud"
    assert client.myself()["emailAddress"] == sandbox_site.email
    assert sandbox_site.requests[0][:2] == ("GET", "/rest/api/2/serverInfo")


def test_bulk_create_through_the_client_is_one_request(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    project, task = _ids(sandbox_site, "PEOPLE", "Task")
    before = len(sandbox_site.requests)
    results = client.create_issues(
        [
            {"project": project, "issuetype": task, "summary": f"Laptop for Ada {n}"}
            for n in range(3)
        ],
        prefetch=False,
    )
    assert [r["status"] for r in results] == ["Success"] * 3
    assert sandbox_site.requests[before:] == [("POST", "/rest/api/2/issue/bulk", 201)]
    assert sorted(i["key"] for i in sandbox_site.state.table("issues").values()) == [
        "PEOPLE-1",
        "PEOPLE-2",
        "PEOPLE-3",
    ]


def test_bulk_create_partial_failure_answers_201_with_errors(sandbox_site: SandboxHandle) -> None:
    project, task = _ids(sandbox_site, "OPS", "Task")
    updates = [
        {"fields": {"project": project, "issuetype": task, "summary": "ok"}},
        {"fields": {"project": project, "issuetype": task}},
        {"fields": {"project": {"key": "NOPE"}, "issuetype": task, "summary": "x"}},
    ]
    answer = _api(sandbox_site).post(
        sandbox_site.url + "/rest/api/3/issue/bulk", json={"issueUpdates": updates}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert [i["key"] for i in body["issues"]] == ["OPS-1"]
    assert [
        (e["failedElementNumber"], sorted(e["elementErrors"]["errors"])) for e in body["errors"]
    ] == [
        (1, ["summary"]),
        (2, ["project"]),
    ]
    all_fail = _api(sandbox_site).post(
        sandbox_site.url + "/rest/api/3/issue/bulk", json={"issueUpdates": updates[1:]}
    )
    assert all_fail.status_code == 400
    assert len(all_fail.json()["errors"]) == 2


def test_bulk_create_refuses_more_than_50(sandbox_site: SandboxHandle) -> None:
    project, task = _ids(sandbox_site, "OPS", "Task")
    updates = [
        {"fields": {"project": project, "issuetype": task, "summary": str(n)}} for n in range(51)
    ]
    answer = _api(sandbox_site).post(
        sandbox_site.url + "/rest/api/3/issue/bulk", json={"issueUpdates": updates}
    )
    assert answer.status_code == 400
    assert sandbox_site.state.table("issues") == {}


def test_v3_descriptions_must_be_adf(sandbox_site: SandboxHandle) -> None:
    project, task = _ids(sandbox_site, "OPS", "Task")
    fields = {"project": project, "issuetype": task, "summary": "s", "description": "plain"}
    answer = _api(sandbox_site).post(
        sandbox_site.url + "/rest/api/3/issue", json={"fields": fields}
    )
    assert answer.status_code == 400
    assert "Atlassian Document" in answer.json()["errors"]["description"]
    fields["description"] = _adf("rich")
    assert (
        _api(sandbox_site)
        .post(sandbox_site.url + "/rest/api/3/issue", json={"fields": fields})
        .status_code
        == 201
    )


def test_epics_children_links_and_properties(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    project, epic_type = _ids(sandbox_site, "PEOPLE", "Epic")
    _, task = _ids(sandbox_site, "PEOPLE", "Task")
    epic = client.create_issue(
        fields={"project": project, "issuetype": epic_type, "summary": "Onboarding: Ada"}
    )
    child = client.create_issue(
        fields={
            "project": project,
            "issuetype": task,
            "summary": "Laptop",
            "parent": {"key": epic.key},
            "labels": ["onb-1"],
        }
    )
    assert child.fields.parent.key == epic.key
    with pytest.raises(Exception, match="does not belong to appropriate hierarchy"):
        client.create_issue(
            fields={
                "project": project,
                "issuetype": task,
                "summary": "x",
                "parent": {"key": child.key},
            }
        )

    client.add_issue_property(child.key, "teamcomms", {"hash": "abc"})
    assert client.issue_property(child.key, "teamcomms").value.hash == "abc"
    session = _api(sandbox_site)
    url = f"{sandbox_site.url}/rest/api/3/issue/{child.key}/properties/teamcomms"
    assert session.put(url, json={"hash": "def"}).status_code == 200  # 201 on create, 200 on update

    link = {
        "type": {"name": "Blocks"},
        "inwardIssue": {"key": epic.key},
        "outwardIssue": {"key": child.key},
    }
    assert session.post(sandbox_site.url + "/rest/api/3/issueLink", json=link).status_code == 201
    assert session.post(sandbox_site.url + "/rest/api/3/issueLink", json=link).status_code == 201
    links = client.issue(epic.key).fields.issuelinks
    assert [(lk.type.name, lk.outwardIssue.key) for lk in links] == [("Blocks", child.key)]


def test_edit_sets_fields_and_labels(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    project, task = _ids(sandbox_site, "OPS", "Task")
    issue = client.create_issue(
        fields={"project": project, "issuetype": task, "summary": "Before", "labels": ["a"]}
    )
    issue.update(fields={"summary": "After"}, update={"labels": [{"add": "b"}, {"remove": "a"}]})
    fresh = client.issue(issue.key)
    assert (fresh.fields.summary, fresh.fields.labels) == ("After", ["b"])


def test_enhanced_search_pages_with_next_page_token(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    project, task = _ids(sandbox_site, "OPS", "Task")
    client.create_issues(
        [
            {"project": project, "issuetype": task, "summary": str(n), "labels": ["onb-x"]}
            for n in range(5)
        ],
        prefetch=False,
    )
    first = (
        _api(sandbox_site)
        .get(
            sandbox_site.url + "/rest/api/3/search/jql",
            params={
                "jql": "project = OPS AND labels = onb-x ORDER BY key",
                "maxResults": "2",
                "fields": "summary",
            },
        )
        .json()
    )
    assert [i["fields"]["summary"] for i in first["issues"]] == ["0", "1"]
    assert first["isLast"] is False
    token = first["nextPageToken"]
    rest = (
        _api(sandbox_site)
        .post(
            sandbox_site.url + "/rest/api/3/search/jql",
            json={
                "jql": "project = OPS AND labels = onb-x",
                "maxResults": 10,
                "nextPageToken": token,
            },
        )
        .json()
    )
    assert [i["key"] for i in rest["issues"]] == ["OPS-3", "OPS-4", "OPS-5"]
    assert rest["isLast"] is True and "nextPageToken" not in rest
    assert "fields" not in rest["issues"][0] or rest["issues"][0]["fields"] == {}

    found = client.enhanced_search_issues(
        'key in (OPS-1, "OPS-2") AND issuetype = Task', maxResults=50
    )
    assert sorted(i.key for i in found) == ["OPS-1", "OPS-2"]


def test_unbounded_or_unsupported_jql_is_refused(sandbox_site: SandboxHandle) -> None:
    session = _api(sandbox_site)
    for jql in ("", "ORDER BY key", "project = NOPE", "summary ~ laptop"):
        answer = session.get(sandbox_site.url + "/rest/api/3/search/jql", params={"jql": jql})
        assert answer.status_code == 400, jql
        assert answer.json()["errorMessages"]


def test_search_lag_hides_new_issues_for_n_searches(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.configure("search-lag:2")
    project, task = _ids(sandbox_site, "OPS", "Task")
    session = _api(sandbox_site)
    created = session.post(
        sandbox_site.url + "/rest/api/3/issue",
        json={"fields": {"project": project, "issuetype": task, "summary": "new"}},
    ).json()

    def search(**extra: Any) -> list[str]:
        answer = session.post(
            sandbox_site.url + "/rest/api/3/search/jql", json={"jql": "project = OPS", **extra}
        )
        return [i["id"] for i in answer.json()["issues"]]

    assert search() == []
    assert search(reconcileIssues=[int(created["id"])]) == [created["id"]]  # read-after-write
    assert search() == [created["id"]]


def test_search_delay_hides_new_issues_until_the_clock_moves(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.configure("search-delay-ms:1500")
    project, task = _ids(sandbox_site, "OPS", "Task")
    session = _api(sandbox_site)
    fields = {"project": project, "issuetype": task, "summary": "new"}
    created = session.post(sandbox_site.url + "/rest/api/3/issue", json={"fields": fields}).json()

    def search() -> list[str]:
        answer = session.get(
            sandbox_site.url + "/rest/api/3/search/jql", params={"jql": "project = OPS"}
        )
        return [i["id"] for i in answer.json()["issues"]]

    assert search() == []
    sandbox_site.clock.advance(1.0)
    assert search() == []
    sandbox_site.clock.advance(1.0)
    assert search() == [created["id"]]
    # Reading the issue by key works at once: only search is eventually consistent.
    assert session.get(f"{sandbox_site.url}/rest/api/3/issue/{created['key']}").status_code == 200
