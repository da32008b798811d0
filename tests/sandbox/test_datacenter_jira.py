"""The Data Center sandbox's Jira (REST API 2), driven by pycontribs ``jira`` with a personal
access token and by plain requests, checked against Atlassian's docs and recorded real answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from jira.exceptions import JIRAError

from tests.conftest import SandboxHandle
from tests.contract.datacenter import DatacenterChecker
from tests.sandbox.clients import jira_dc, jira_error_body

pytestmark = pytest.mark.parametrize("sandbox_site", ["datacenter"], indirect=True)
RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return found


def session(site: SandboxHandle) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {site.token}"
    return s


def checker(site: SandboxHandle) -> DatacenterChecker:
    assert isinstance(site.contract, DatacenterChecker)
    return site.contract


def test_the_site_says_it_is_server_and_knows_people_by_name_and_key(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira_dc(sandbox_site)
    assert client.server_info()["deploymentType"] == "Server"
    assert not client._is_cloud  # so the library uses /search with startAt, not /search/jql
    me = client.myself()
    assert (me["name"], me["displayName"]) == ("sandbox", "Sandbox User")
    assert "accountId" not in me
    alice = client.user("alice")
    assert (alice.name, alice.key) == ("alice", alice.raw["key"])
    assert alice.raw["key"].startswith("JIRAUSER")
    assert "accountId" not in alice.raw
    assert client.user(alice.raw["key"]).name == "alice"  # by key too
    assert [u.name for u in client.search_users(user="ali")] == ["alice"]
    with pytest.raises(JIRAError) as nobody:
        client.user("nobody")
    assert nobody.value.status_code == 404


def test_issues_take_wiki_markup_and_people_by_name_and_search_pages_by_start_at(
    sandbox_site: SandboxHandle,
) -> None:
    client = jira_dc(sandbox_site)
    description = "h1. Returns\n\n* *Bold* step\n* {{code}} step"
    keys = [
        client.create_issue(
            project="OPS",
            issuetype={"name": "Task"},
            summary=f"Task {n}",
            description=description,
            assignee={"name": "alice"} if n % 2 else None,
        ).key
        for n in range(5)
    ]
    issue = client.issue(keys[1])
    assert issue.fields.description == description  # stored as given: wiki markup, not ADF
    assert issue.fields.assignee.name == "alice"
    assert "accountId" not in issue.raw["fields"]["assignee"]

    first = client.search_issues("project = OPS ORDER BY key", startAt=0, maxResults=2)
    rest = client.search_issues("project = OPS ORDER BY key", startAt=2, maxResults=10)
    assert (first.startAt, first.maxResults, first.total) == (0, 2, 5)
    assert [i.key for i in first] + [i.key for i in rest] == keys
    assigned = client.search_issues("assignee = alice ORDER BY key")
    assert [i.key for i in assigned] == [keys[1], keys[3]]

    with pytest.raises(JIRAError) as refused:
        client.create_issue(
            project="OPS",
            issuetype={"name": "Task"},
            summary="x",
            assignee={"accountId": "712020:sandbox-user"},
        )
    assert refused.value.status_code == 400
    assert "assignee" in jira_error_body(refused.value)["errors"]


def test_search_echoes_start_at_and_max_results_past_the_end_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    empty = recorded("search__empty-startAt-paging.json")
    answer = session(sandbox_site).get(
        sandbox_site.url + "/rest/api/2/search",
        params={"jql": "project = QA", "startAt": "11", "maxResults": "1000"},
    )
    assert (answer.status_code, answer.json()) == (empty["status"], empty["body"])


def test_an_unknown_field_in_a_body_gets_jacksons_message_without_errors_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    unrecognized = recorded("version-update__400-unrecognized-field.json")
    with checker(sandbox_site).malformed_requests():
        answer = session(sandbox_site).post(
            sandbox_site.url + "/rest/api/2/issue", json={"fields": {"summary": "x"}, "chump": 1}
        )
    assert answer.status_code == unrecognized["status"]
    assert set(answer.json()) == set(unrecognized["body"]) == {"errorMessages"}
    (message,) = answer.json()["errorMessages"]
    (expected,) = unrecognized["body"]["errorMessages"]
    shape = expected.replace("version.VersionBean", "IssueUpdateBean")
    assert message == shape


def test_an_issue_created_answers_id_key_and_self_only_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    created = recorded("issue-create__201.json")
    answer = session(sandbox_site).post(
        sandbox_site.url + "/rest/api/2/issue",
        json={"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "x"}},
    )
    assert answer.status_code == created["status"]
    assert set(answer.json()) == set(created["body"])
    assert all(isinstance(v, str) for v in answer.json().values())


def test_rate_limits_answer_tomcats_page_with_data_center_headers_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    tomcat = recorded("ratelimit__429-tomcat-html-with-x-ratelimit-headers.json")
    sandbox_site.rate_limits.configure("GET=5/2")
    s = session(sandbox_site)
    url = sandbox_site.url + "/rest/api/2/myself"
    answers = [s.get(url) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    allowed, refused = answers[0], answers[2]
    assert allowed.headers["Retry-After"] == "0"  # tokens left: no wait
    assert allowed.headers["X-RateLimit-FillRate"] == "5"
    recorded_names = {name.lower() for name in tomcat["headers"]} - {"x-seraph-loginreason"}
    assert recorded_names <= {name.lower() for name in refused.headers}
    assert "RateLimit-Reason" not in refused.headers and "X-RateLimit-Reset" not in refused.headers
    assert refused.headers["Content-Type"].startswith("text/html")
    assert "<title>HTTP Status 429 – Too Many Requests</title>" in refused.text
    assert "<b>Message</b> Rate limit exceeded.</p>" in tomcat["body"]
    assert "<b>Message</b> Rate limit exceeded.</p>" in refused.text

    sandbox_site.rate_limits.configure(None)
    sandbox_site.faults.inject("429", path="/rest/api/content")
    faulted = s.get(sandbox_site.url + "/rest/api/content")
    assert faulted.status_code == 429 and faulted.text.startswith("<!doctype html>")
    assert recorded_names <= {name.lower() for name in faulted.headers}


def test_there_is_no_cloud_jira_api(sandbox_site: SandboxHandle) -> None:
    checker(sandbox_site).absent.update({"/rest/api/3", "/rest/api/2/search/jql"})
    s = session(sandbox_site)
    for path in ("/rest/api/3/myself", "/rest/api/3/statuses/search", "/rest/api/2/search/jql"):
        answer = s.get(sandbox_site.url + path)
        assert answer.status_code == 404, path
        assert answer.json() == {
            "message": f"null for uri: {sandbox_site.url}{path}",
            "status-code": 404,
        }
    basic = requests.get(
        sandbox_site.url + "/rest/api/2/myself", auth=("sandbox", "password"), timeout=10
    )
    assert basic.status_code == 403
