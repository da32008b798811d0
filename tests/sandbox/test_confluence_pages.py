"""Confluence v2 pages through atlassian-python-api's ConfluenceV2, over loopback HTTP."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import SandboxHandle
from tests.sandbox.clients import confluence_v2


def _put_page(client: object, page_id: str, **fields: object) -> requests.Response:
    response: requests.Response = client.put(  # type: ignore[attr-defined]
        f"api/v2/pages/{page_id}",
        data={"id": page_id, "status": "current", **fields},
        advanced_mode=True,
    )
    return response


def test_create_find_and_update_a_page(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    created = client.create_page(space_id=space["id"], title="Onboarding", body="<p>v1</p>")
    assert created["version"]["number"] == 1
    assert created["parentId"] == space["homepageId"]  # no parent given: under the homepage

    found = client.get_page_by_title("TEAM", "Onboarding")["results"]
    assert [p["id"] for p in found] == [created["id"]]
    assert found[0]["body"]["storage"]["value"] == "<p>v1</p>"

    body = {"representation": "storage", "value": "<p>v2</p>"}
    answer = _put_page(client, created["id"], title="Onboarding", body=body, version={"number": 2})
    assert answer.status_code == 200
    page = client.get_page_by_id(created["id"], body_format="storage")
    assert page["version"]["number"] == 2
    assert page["body"]["storage"]["value"] == "<p>v2</p>"


def test_stale_version_answers_409_with_the_current_number(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Rules", body="<p>a</p>")
    body = {"representation": "storage", "value": "<p>b</p>"}
    for stale in (1, 3):
        answer = _put_page(client, page["id"], title="Rules", body=body, version={"number": stale})
        assert answer.status_code == 409
        assert answer.json()["errors"][0]["title"] == (
            "Version must be incremented on update. Current version is: 1"
        )
    assert sandbox_site.state.table("pages")[page["id"]]["body"] == "<p>a</p>"


def test_titles_are_unique_per_space(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    team, eng = client.get_space_by_key("TEAM"), client.get_space_by_key("ENG")
    client.create_page(space_id=team["id"], title="Glossary", body="")
    with pytest.raises(requests.HTTPError) as raised:
        client.create_page(space_id=team["id"], title="Glossary", body="")
    assert raised.value.response.status_code == 400
    assert "A page with this title already exists" in raised.value.response.text
    other = client.create_page(space_id=eng["id"], title="Glossary", body="")
    assert other["spaceId"] == eng["id"]


def test_hierarchy_children_ancestors_and_moves(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    parent = client.create_page(space_id=space["id"], title="Handbook", body="")
    child = client.create_page(space_id=space["id"], title="Setup", body="", parent_id=parent["id"])
    grandchild = client.create_page(
        space_id=space["id"], title="Laptop", body="", parent_id=child["id"]
    )

    children = client.get("api/v2/pages/" + parent["id"] + "/direct-children")["results"]
    assert [c["title"] for c in children] == ["Setup"]
    chain = client.get("api/v2/pages/" + grandchild["id"] + "/ancestors")["results"]
    assert [a["id"] for a in chain] == [space["homepageId"], parent["id"], child["id"]]

    # A page cannot move under its own descendant.
    body = {"representation": "storage", "value": ""}
    answer = _put_page(
        client,
        parent["id"],
        title="Handbook",
        body=body,
        parentId=grandchild["id"],
        version={"number": 2},
    )
    assert answer.status_code == 400


def test_delete_moves_to_trash_and_frees_the_title(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Old", body="")
    client.delete(f"api/v2/pages/{page['id']}")
    assert sandbox_site.state.table("pages")[page["id"]]["status"] == "trashed"
    assert client.get_page_by_title("TEAM", "Old")["results"] == []
    again = client.create_page(space_id=space["id"], title="Old", body="")
    assert again["id"] != page["id"]
    client.delete(f"api/v2/pages/{page['id']}", params={"purge": "true"})
    assert page["id"] not in sandbox_site.state.table("pages")


def test_cursor_pagination_follows_link_header_and_links_next(sandbox_site: SandboxHandle) -> None:
    space = sandbox_site.state.space_by_key("OPS")
    assert space is not None
    for number in range(7):
        sandbox_site.state.create_page(space["id"], f"Runbook {number}", "", space["homepageId"])
    session = requests.Session()
    session.auth = (sandbox_site.email, sandbox_site.token)
    url: str | None = f"{sandbox_site.url}/wiki/api/v2/pages?space-id={space['id']}&limit=3"
    titles: list[str] = []
    pages = 0
    while url:
        answer = session.get(url)
        assert answer.status_code == 200
        data = answer.json()
        assert len(data["results"]) <= 3
        titles += [p["title"] for p in data["results"]]
        pages += 1
        link = answer.links.get("next", {}).get("url")
        assert link == data["_links"].get("next")
        url = sandbox_site.url + link if link else None
    assert pages == 3
    assert titles == ["Operations Home"] + [f"Runbook {n}" for n in range(7)]

    # The v2 client follows the same links and sees every page.
    client = confluence_v2(sandbox_site)
    listed = client.get_pages(space_id=space["id"], body_format="storage", get_body=True, limit=2)
    assert len(listed) == 8


def test_page_size_defaults_to_25_and_goes_up_to_250(sandbox_site: SandboxHandle) -> None:
    space = sandbox_site.state.space_by_key("ENG")
    assert space is not None
    for number in range(260):
        sandbox_site.state.create_page(space["id"], f"Note {number}", "", None)
    answer = requests.get(
        f"{sandbox_site.url}/wiki/api/v2/pages",
        params={"space-id": space["id"], "limit": "250"},
        auth=(sandbox_site.email, sandbox_site.token),
        timeout=10,
    )
    assert len(answer.json()["results"]) == 250
    default = requests.get(
        f"{sandbox_site.url}/wiki/api/v2/pages",
        params={"space-id": space["id"]},
        auth=(sandbox_site.email, sandbox_site.token),
        timeout=10,
    )
    assert len(default.json()["results"]) == 25


def test_versions_record_who_edited_and_when(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Drifty", body="<p>ours</p>")
    sandbox_site.state.edit_page_as_user(
        page["id"], body="<p>theirs</p>", account_id="712020:alice"
    )
    current = client.get_page_by_id(page["id"], body_format="storage")
    assert current["version"]["number"] == 2
    assert current["version"]["authorId"] == "712020:alice"
    assert current["body"]["storage"]["value"] == "<p>theirs</p>"
    history = client.get(f"api/v2/pages/{page['id']}/versions")["results"]
    assert [(v["number"], v["authorId"]) for v in history] == [
        (2, "712020:alice"),
        (1, sandbox_site.state.table("users")["712020:sandbox-user"]["accountId"]),
    ]
    old = client.get(f"api/v2/pages/{page['id']}", params={"version": 1, "body-format": "storage"})
    assert old["body"]["storage"]["value"] == "<p>ours</p>"


def test_page_properties_need_the_next_version(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Marked", body="")
    prop = client.create_page_property(page["id"], "teamcomms", {"hash": "abc"})
    assert prop["version"]["number"] == 1
    found = client.get(f"api/v2/pages/{page['id']}/properties", params={"key": "teamcomms"})
    assert [p["value"] for p in found["results"]] == [{"hash": "abc"}]
    path = f"api/v2/pages/{page['id']}/properties/{prop['id']}"
    stale = client.put(
        path,
        data={"key": "teamcomms", "value": {"hash": "x"}, "version": {"number": 1}},
        advanced_mode=True,
    )
    assert stale.status_code == 409
    fresh = client.put(
        path, data={"key": "teamcomms", "value": {"hash": "def"}, "version": {"number": 2}}
    )
    assert fresh["value"] == {"hash": "def"}
