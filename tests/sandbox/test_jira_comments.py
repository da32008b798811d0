"""Issue comments, project properties, properties set by an issue edit, and the people the
starter kit names, through pycontribs ``jira`` and plain HTTP on the contract-checked sandbox."""

from __future__ import annotations

from typing import Any

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


def _issue(site: SandboxHandle) -> str:
    project = site.state.project_by_key("PEOPLE")
    assert project is not None
    answer = _api(site).post(
        f"{site.url}/rest/api/3/issue",
        json={
            "fields": {
                "project": {"id": project["id"]},
                "issuetype": {"name": "Task"},
                "summary": "Laptop for Ada",
            }
        },
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["key"])


def test_a_comment_is_added_in_adf_and_listed_with_its_author(sandbox_site: SandboxHandle) -> None:
    key = _issue(sandbox_site)
    api = _api(sandbox_site)
    added = api.post(
        f"{sandbox_site.url}/rest/api/3/issue/{key}/comment", json={"body": _adf("Cancelled.")}
    )
    assert added.status_code == 201
    assert added.json()["body"] == _adf("Cancelled.")
    assert added.json()["author"]["emailAddress"] == sandbox_site.email
    listed = api.get(f"{sandbox_site.url}/rest/api/3/issue/{key}/comment").json()
    assert listed["total"] == 1
    assert [c["id"] for c in listed["comments"]] == [added.json()["id"]]
    # The v2 API (pycontribs jira) reads the same comment as text.
    comments = jira(sandbox_site).comments(key)
    assert [c.body for c in comments] == ["Cancelled."]


def test_a_v3_comment_needs_an_adf_body(sandbox_site: SandboxHandle) -> None:
    key = _issue(sandbox_site)
    api = _api(sandbox_site)
    refused = api.post(
        f"{sandbox_site.url}/rest/api/3/issue/{key}/comment", json={"body": "plain text"}
    )
    assert refused.status_code == 400
    assert "comment" in refused.json()["errors"]
    missing = api.post(f"{sandbox_site.url}/rest/api/3/issue/PEOPLE-999/comment", json={})
    assert missing.status_code == 404


def test_project_properties_are_created_updated_listed_and_deleted(
    sandbox_site: SandboxHandle,
) -> None:
    api = _api(sandbox_site)
    base = f"{sandbox_site.url}/rest/api/3/project/PEOPLE/properties"
    assert api.get(f"{base}/ledger").status_code == 404
    assert api.put(f"{base}/ledger", json={"ids": ["1"]}).status_code == 201
    assert api.put(f"{base}/ledger", json={"ids": ["1", "2"]}).status_code == 200
    assert api.get(f"{base}/ledger").json() == {"key": "ledger", "value": {"ids": ["1", "2"]}}
    assert [k["key"] for k in api.get(base).json()["keys"]] == ["ledger"]
    assert api.delete(f"{base}/ledger").status_code == 204
    assert api.get(base).json()["keys"] == []
    assert api.get(f"{sandbox_site.url}/rest/api/3/project/NOPE/properties").status_code == 404


def test_an_edit_sets_issue_properties_with_the_fields(sandbox_site: SandboxHandle) -> None:
    key = _issue(sandbox_site)
    api = _api(sandbox_site)
    edited = api.put(
        f"{sandbox_site.url}/rest/api/3/issue/{key}",
        json={"fields": {"summary": "Laptop for Ada L."}, "properties": [{"key": "m", "value": 2}]},
    )
    assert edited.status_code == 204
    answer = api.get(f"{sandbox_site.url}/rest/api/3/issue/{key}?properties=m&fields=summary")
    assert answer.json()["properties"] == {"m": 2}
    assert answer.json()["fields"]["summary"] == "Laptop for Ada L."


def test_the_people_the_starter_kit_names_can_be_found_by_email(
    sandbox_site: SandboxHandle,
) -> None:
    api = _api(sandbox_site)
    found = api.get(
        f"{sandbox_site.url}/rest/api/3/user/search",
        params={"query": "it-helpdesk@northwind.example"},
    ).json()
    assert [u["displayName"] for u in found] == ["Northwind IT Helpdesk"]
