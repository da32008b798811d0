"""Confluence v1 (labels, templates, attachments, archive, CQL) through atlassian-python-api."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.conftest import SandboxHandle
from tests.sandbox.clients import confluence_cloud, confluence_v1, confluence_v2


def _page(site: SandboxHandle, title: str, space_key: str = "TEAM") -> dict[str, Any]:
    space = site.state.space_by_key(space_key)
    assert space is not None
    return site.state.create_page(space["id"], title, "<p>x</p>", space["homepageId"])


def test_labels_added_with_v1_are_read_with_v2(sandbox_site: SandboxHandle) -> None:
    page = _page(sandbox_site, "Labelled")
    v1 = confluence_v1(sandbox_site)
    answer = v1.set_page_label(page["id"], "onboarding")
    assert [lb["name"] for lb in answer["results"]] == ["onboarding"]
    v1.post(
        f"rest/api/content/{page['id']}/label", data=[{"prefix": "global", "name": "TC-Managed"}]
    )
    labels = confluence_v2(sandbox_site).get(f"api/v2/pages/{page['id']}/labels")["results"]
    assert sorted(lb["name"] for lb in labels) == ["onboarding", "tc-managed"]
    v1.delete(f"rest/api/content/{page['id']}/label/onboarding")
    assert [lb["name"] for lb in sandbox_site.state.table("pages")[page["id"]]["labels"]] == [
        "tc-managed"
    ]


def test_a_label_with_spaces_is_refused(sandbox_site: SandboxHandle) -> None:
    page = _page(sandbox_site, "Bad label")
    with pytest.raises(requests.HTTPError) as raised:
        confluence_v1(sandbox_site).set_page_label(page["id"], "two words")
    assert raised.value.response.status_code == 400


def test_content_templates_round_trip(sandbox_site: SandboxHandle) -> None:
    v1 = confluence_v1(sandbox_site)
    body = {"storage": {"value": "<h1>Welcome {name}</h1>", "representation": "storage"}}
    created = v1.create_or_update_template(
        "new-hire-welcome", body, description="for hires", space="TEAM"
    )
    template_id = created["templateId"]
    listed = v1.get_content_templates(space="TEAM", expand="body")
    assert [t["name"] for t in listed] == ["new-hire-welcome"]
    assert v1.get_content_templates(space="ENG") == []

    body["storage"]["value"] = "<h1>Hello {name}</h1>"
    v1.create_or_update_template("new-hire-welcome", body, template_id=template_id, space="TEAM")
    fetched = v1.get_content_template(template_id)
    assert fetched["body"]["storage"]["value"] == "<h1>Hello {name}</h1>"

    with pytest.raises(requests.HTTPError) as raised:
        v1.post(
            "rest/api/template",
            data={
                "name": "new-hire-welcome",
                "templateType": "page",
                "body": body,
                "space": {"key": "TEAM"},
            },
        )
    assert raised.value.response.status_code == 400
    v1.remove_template(template_id)
    assert sandbox_site.state.table("templates") == {}


def _upload(
    site: SandboxHandle,
    page_id: str,
    method: str,
    token: str | None = "nocheck",  # noqa: S107 - the XSRF header, not a secret
) -> requests.Response:
    headers = {"X-Atlassian-Token": token} if token else {}
    return requests.request(
        method,
        f"{site.url}/wiki/rest/api/content/{page_id}/child/attachment",
        files={"file": ("diagram.svg", b"<svg/>", "image/svg+xml")},
        data={"minorEdit": "true", "comment": "workflow diagram"},
        headers=headers,
        auth=(site.email, site.token),
        timeout=10,
    )


def test_attachments_upload_and_replace(sandbox_site: SandboxHandle) -> None:
    page = _page(sandbox_site, "With diagram")
    first = _upload(sandbox_site, page["id"], "POST")
    assert first.status_code == 200
    attachment = first.json()["results"][0]
    assert (attachment["title"], attachment["version"]["number"]) == ("diagram.svg", 1)
    assert attachment["extensions"]["mediaType"] == "image/svg+xml"

    duplicate = _upload(sandbox_site, page["id"], "POST")
    assert duplicate.status_code == 400
    replaced = _upload(sandbox_site, page["id"], "PUT")
    assert replaced.json()["results"][0]["version"]["number"] == 2
    listed = confluence_v2(sandbox_site).get(f"api/v2/pages/{page['id']}/attachments")["results"]
    assert [(a["title"], a["fileSize"]) for a in listed] == [("diagram.svg", 6)]


def test_attachment_upload_without_the_xsrf_header_is_forbidden(
    sandbox_site: SandboxHandle,
) -> None:
    page = _page(sandbox_site, "No token")
    assert _upload(sandbox_site, page["id"], "PUT", token=None).status_code == 403


def test_cql_search_by_space_type_label_and_title(sandbox_site: SandboxHandle) -> None:
    first, second = _page(sandbox_site, "Alpha"), _page(sandbox_site, "Beta")
    _page(sandbox_site, "Alpha", space_key="ENG")
    v1 = confluence_v1(sandbox_site)
    v1.set_page_label(first["id"], "tc-managed")
    v1.set_page_label(second["id"], "tc-managed")

    def search(cql: str, **params: Any) -> dict[str, Any]:
        found: dict[str, Any] = v1.get("rest/api/content/search", params={"cql": cql, **params})
        return found

    found = search(
        'space = TEAM AND type = page AND label = "tc-managed"',
        expand="body.storage,version,metadata.properties",
    )
    assert [r["title"] for r in found["results"]] == ["Alpha", "Beta"]
    assert found["results"][0]["body"]["storage"]["value"] == "<p>x</p>"
    assert found["results"][0]["version"]["number"] == 1
    assert [r["id"] for r in search('title = "Alpha" and space = TEAM')["results"]] == [first["id"]]
    assert len(search("title = Alpha")["results"]) == 2

    page_one = search("label = tc-managed", limit=1)
    assert len(page_one["results"]) == 1
    next_page = v1.get(page_one["_links"]["next"].removeprefix("/wiki/"))
    assert [r["title"] for r in next_page["results"]] == ["Beta"]
    assert "next" not in next_page["_links"]

    with pytest.raises(requests.HTTPError) as raised:
        search("space = TEAM OR type = page")
    assert raised.value.response.status_code == 400


def test_archive_hides_a_page_from_search_but_keeps_it(sandbox_site: SandboxHandle) -> None:
    page = _page(sandbox_site, "Retired")
    v1 = confluence_v1(sandbox_site)
    task = v1.post("rest/api/content/archive", data={"pages": [{"id": int(page["id"])}]})
    assert task["links"]["status"].endswith(task["id"])
    assert sandbox_site.state.table("pages")[page["id"]]["status"] == "archived"
    assert v1.get("rest/api/content/search", params={"cql": 'title = "Retired"'})["results"] == []
    v2 = confluence_v2(sandbox_site)
    assert v2.get(f"api/v2/pages/{page['id']}")["status"] == "archived"


def test_the_cloud_confluence_class_reaches_templates_and_labels(
    sandbox_site: SandboxHandle,
) -> None:
    client = confluence_cloud(sandbox_site)
    body = {"storage": {"value": "<p>standup</p>", "representation": "storage"}}
    created = client.create_or_update_template("standup-notes", body, space="ENG")
    assert client.get_content_template(created["templateId"])["body"]["storage"]["value"] == (
        "<p>standup</p>"
    )
    page = _page(sandbox_site, "Standups", space_key="ENG")
    labels = client.post(
        f"rest/api/content/{page['id']}/label", data=[{"prefix": "global", "name": "standup"}]
    )
    assert [lb["name"] for lb in labels["results"]] == ["standup"]
