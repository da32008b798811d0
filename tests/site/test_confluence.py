"""The Confluence facade against a mocked Cloud and Data Center site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import responses
from responses import matchers

from teamcomms.site import errors
from teamcomms.site.clients import SiteClients, connect
from teamcomms.site.confluence import ConfluenceSite
from teamcomms.site.http import HttpPolicy

from .conftest import SITE, datacenter_settings, sent_json, url_of

V2 = f"{SITE}/wiki/api/v2"
V1 = f"{SITE}/wiki/rest/api"
MARKER = {"definition": "page/welcome", "hash": "abc"}


def v2_page(page_id: str, title: str, version: int = 3) -> dict[str, object]:
    return {
        "id": page_id,
        "title": title,
        "spaceId": "98304",
        "parentId": "65537",
        "status": "current",
        "version": {"number": version, "authorId": "acc-1", "createdAt": "2026-11-01T10:00:00Z"},
        "body": {"storage": {"value": f"<p>{title}</p>", "representation": "storage"}},
    }


@pytest.fixture
def site(cloud_clients: SiteClients, mocked: responses.RequestsMock) -> ConfluenceSite:
    mocked.get(
        f"{V2}/spaces",
        match=[matchers.query_param_matcher({"keys": "TEAM", "limit": "250"})],
        json={"results": [{"id": "98304", "key": "TEAM", "name": "Team", "homepageId": "65537"}]},
    )
    return ConfluenceSite(cloud_clients)


def test_space_is_looked_up_once(site: ConfluenceSite, mocked: responses.RequestsMock) -> None:
    assert site.space_id("TEAM") == "98304"
    assert site.space("TEAM").homepage_id == "65537"
    assert len(mocked.calls) == 1


def test_spaces_are_looked_up_in_one_request_and_missing_ones_left_out(
    cloud_clients: SiteClients, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        f"{V2}/spaces",
        match=[matchers.query_param_matcher({"keys": "ENG,NOPE,team", "limit": "250"})],
        json={
            "results": [
                {"id": "1", "key": "ENG", "name": "Engineering", "homepageId": "11"},
                {"id": "2", "key": "TEAM", "name": "Team", "homepageId": "22"},
            ]
        },
    )
    site = ConfluenceSite(cloud_clients)
    found = site.spaces(["team", "ENG", "NOPE", "ENG"])
    assert {key: space.id for key, space in found.items()} == {"ENG": "1", "team": "2"}
    assert site.space("ENG").homepage_id == "11"  # cached
    assert len(mocked.calls) == 1


def test_missing_space_says_what_to_do(
    cloud_clients: SiteClients, mocked: responses.RequestsMock
) -> None:
    mocked.get(f"{V2}/spaces", json={"results": []})
    with pytest.raises(errors.NotFound) as caught:
        ConfluenceSite(cloud_clients).space("NOPE")
    assert "'NOPE' does not exist" in caught.value.format()
    assert "teamcomms doctor" in caught.value.format()


def test_list_pages_reads_bodies_versions_properties_and_labels_in_bulk(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    listing = f"{V2}/pages"
    query = {"space-id": "98304", "status": "current", "body-format": "storage", "limit": "250"}
    mocked.get(
        listing,
        match=[matchers.query_param_matcher(query)],
        json={
            "results": [v2_page("1", "Welcome"), v2_page("2", "Releases")],
            "_links": {"next": "/wiki/api/v2/pages?space-id=98304&cursor=NEXT&limit=250"},
        },
    )
    mocked.get(
        listing,
        match=[matchers.query_param_matcher({**query, "cursor": "NEXT"})],
        json={"results": [v2_page("3", "Just created")], "_links": {}},
    )
    mocked.get(
        f"{V1}/content/search",
        json={
            "results": [
                {
                    "id": "1",
                    "metadata": {
                        "labels": {"results": [{"name": "onboarding"}, {"name": "a"}]},
                        "properties": {
                            "teamcomms": {
                                "id": "p1", "key": "teamcomms", "value": MARKER,
                                "version": {"number": 2},
                            }
                        },
                    },
                },
                {"id": "2", "metadata": {"labels": {"results": []}, "properties": {}}},
            ]
        },
    )  # fmt: skip
    # Page 3 is newer than the search index: it is read on its own.
    mocked.get(
        f"{V2}/pages/3",
        json={
            **v2_page("3", "Just created"),
            "labels": {"results": [{"name": "fresh"}]},
            "properties": {"results": [{"id": "p3", "key": "teamcomms", "value": MARKER}]},
        },
    )
    pages = site.list_pages("TEAM", property_keys=["teamcomms"])
    assert [p.id for p in pages] == ["1", "2", "3"]
    first = pages[0]
    assert (first.title, first.version, first.body) == ("Welcome", 3, "<p>Welcome</p>")
    assert (first.space_id, first.parent_id, first.author_id) == ("98304", "65537", "acc-1")
    assert first.created_at == "2026-11-01T10:00:00Z"
    assert first.labels == ("a", "onboarding")
    assert first.properties["teamcomms"].value == MARKER
    assert first.properties["teamcomms"].version == 2
    assert pages[1].properties == {}
    assert pages[2].labels == ("fresh",)
    assert pages[2].properties["teamcomms"].id == "p3"
    search = next(c for c in mocked.calls if "/content/search" in str(c.request.url))
    assert "metadata.properties.teamcomms" in str(search.request.url)
    assert len(mocked.calls) == 5  # space, 2 listing pages, 1 search, 1 straggler


def test_create_page_posts_once_and_returns_the_page(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.post(f"{V2}/pages", json=v2_page("77", "Welcome Ada", version=1))
    page = site.create_page("TEAM", "Welcome Ada", "<p>Hi</p>", parent_id="65537")
    assert (page.id, page.version) == ("77", 1)
    sent = sent_json(mocked)
    assert sent == {
        "spaceId": "98304",
        "status": "current",
        "title": "Welcome Ada",
        "body": {"representation": "storage", "value": "<p>Hi</p>"},
        "parentId": "65537",
    }


def test_update_sends_version_plus_one_and_a_stale_version_is_a_typed_conflict(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.put(f"{V2}/pages/1", json=v2_page("1", "Welcome", version=4))
    assert site.update_page("1", title="Welcome", body="<p>x</p>", current_version=3).version == 4
    assert sent_json(mocked)["version"]["number"] == 4
    mocked.put(
        f"{V2}/pages/2",
        status=409,
        json={"errors": [{"status": 409, "title": "Version must be incremented on update."}]},
    )
    with pytest.raises(errors.VersionConflict) as caught:
        site.update_page("2", title="T", body="b", current_version=1)
    assert caught.value.status == 409
    assert "Version must be incremented" in caught.value.format()


def test_set_property_creates_then_updates_with_the_next_version(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    base = f"{V2}/pages/1/properties"
    mocked.get(base, json={"results": []})
    mocked.post(
        base, json={"id": "p9", "key": "teamcomms", "value": MARKER, "version": {"number": 1}}
    )
    created = site.set_property("1", "teamcomms", MARKER)
    assert (created.id, created.version) == ("p9", 1)
    mocked.put(
        f"{base}/p9", json={"id": "p9", "key": "teamcomms", "value": {}, "version": {"number": 2}}
    )
    updated = site.set_property("1", "teamcomms", {}, current=created)
    assert updated.version == 2
    assert sent_json(mocked)["version"] == {"number": 2}


def test_create_property_posts_without_reading_first(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.post(
        f"{V2}/pages/1/properties",
        json={"id": "p4", "key": "teamcomms", "value": MARKER, "version": {"number": 1}},
    )
    created = site.create_property("1", "teamcomms", MARKER)
    assert (created.id, created.key, created.version) == ("p4", "teamcomms", 1)
    assert [c.request.method for c in mocked.calls] == ["POST"]
    assert sent_json(mocked) == {"key": "teamcomms", "value": MARKER}


def test_create_property_that_exists_already_is_a_typed_error(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.post(
        f"{V2}/pages/1/properties",
        status=400,
        json={
            "errors": [{"status": 400, "title": "A property with key 'teamcomms' already exists"}]
        },
    )
    with pytest.raises(errors.BadRequest) as caught:
        site.create_property("1", "teamcomms", MARKER)
    assert "already exists" in (caught.value.atlassian_message or "")


def test_delete_template_and_a_missing_one_is_not_found(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.delete(f"{V1}/template/t1", status=204)
    mocked.delete(f"{V1}/template/t2", status=404, json={"message": "No template with id t2"})
    site.delete_template("t1")
    assert url_of(mocked) == f"{V1}/template/t1"
    with pytest.raises(errors.NotFound):
        site.delete_template("t2")


def test_labels_go_through_v1(site: ConfluenceSite, mocked: responses.RequestsMock) -> None:
    mocked.post(f"{V1}/content/1/label", json={"results": []})
    mocked.delete(f"{V1}/content/1/label", status=404, json={"message": "no such label"})
    site.add_labels("1", ["onboarding", "checklist", "onboarding"])
    assert sent_json(mocked) == [
        {"prefix": "global", "name": "checklist"},
        {"prefix": "global", "name": "onboarding"},
    ]
    site.remove_label("1", "gone")  # absent label: nothing to do


def test_templates_list_create_update(site: ConfluenceSite, mocked: responses.RequestsMock) -> None:
    template = {
        "templateId": "t1",
        "name": "Deployment readiness",
        "description": "d",
        "body": {"storage": {"value": "<p>t</p>"}},
        "labels": [{"name": "deployment"}],
        "space": {"key": "TEAM"},
    }
    mocked.get(f"{V1}/template/page", json={"results": [template]})
    mocked.post(f"{V1}/template", json=template)
    mocked.put(f"{V1}/template", json=template)
    [listed] = site.list_templates("TEAM")
    assert (listed.id, listed.body, listed.labels) == ("t1", "<p>t</p>", ("deployment",))
    site.create_template("TEAM", "Deployment readiness", "<p>t</p>", labels=["deployment"])
    sent = sent_json(mocked)
    assert sent["templateType"] == "page" and sent["space"] == {"key": "TEAM"}
    site.update_template("t1", "TEAM", "Deployment readiness", "<p>u</p>")
    assert sent_json(mocked)["templateId"] == "t1"


def test_attachment_upload_is_a_multipart_put_with_the_xsrf_header(
    site: ConfluenceSite, mocked: responses.RequestsMock
) -> None:
    mocked.put(
        f"{V1}/content/1/child/attachment",
        json={"results": [{"id": "att5", "title": "flow.svg", "version": {"number": 2}}]},
    )
    attachment = site.upload_attachment("1", "flow.svg", b"<svg/>", media_type="image/svg+xml")
    assert (attachment.id, attachment.version) == ("att5", 2)
    request = mocked.calls[-1].request
    assert request.headers["X-Atlassian-Token"] == "nocheck"
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    body: Any = request.body
    assert b"<svg/>" in body


def test_get_page_absent_is_none(site: ConfluenceSite, mocked: responses.RequestsMock) -> None:
    mocked.get(f"{V2}/pages/404", status=404, json={"errors": [{"title": "Not found"}]})
    assert site.get_page("404") is None


def test_data_center_lists_pages_through_the_v1_content_api(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    dc = "https://wiki.acme.internal"
    clients = connect(datacenter_settings(dc, "dc-pat-secret-1"), make_policy())
    mocked.get(f"{dc}/rest/api/space/TEAM", json={"id": 1, "key": "TEAM", "name": "Team"})
    mocked.get(
        f"{dc}/rest/api/content",
        json={
            "results": [
                {
                    "id": "10",
                    "title": "Welcome",
                    "space": {"key": "TEAM"},
                    "ancestors": [{"id": "1"}, {"id": "5"}],
                    "version": {"number": 7, "by": {"username": "ada"}, "when": "2026-10-01"},
                    "body": {"storage": {"value": "<p>w</p>"}},
                    "metadata": {"labels": {"results": [{"name": "x"}]}, "properties": {}},
                }
            ],
            "_links": {},
        },
    )
    [page] = ConfluenceSite(clients).list_pages("TEAM", property_keys=["teamcomms"])
    assert (page.id, page.space_id, page.parent_id, page.version) == ("10", "TEAM", "5", 7)
    assert (page.author_id, page.labels, page.body) == ("ada", ("x",), "<p>w</p>")
    assert "metadata.properties.teamcomms" in url_of(mocked)


def test_data_center_creates_and_updates_through_v1_content(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    dc = "https://wiki.acme.internal"
    clients = connect(datacenter_settings(dc, "dc-pat-secret-2"), make_policy())
    answer = {"id": "11", "title": "T", "space": {"key": "TEAM"}, "version": {"number": 1}}
    mocked.post(f"{dc}/rest/api/content", json=answer)
    mocked.put(f"{dc}/rest/api/content/11", status=409, json={"message": "stale version"})
    site = ConfluenceSite(clients)
    page = site.create_page("TEAM", "T", "<p>b</p>", parent_id="5")
    assert (page.id, page.body, page.space_id) == ("11", "<p>b</p>", "TEAM")
    assert sent_json(mocked) == {
        "type": "page",
        "title": "T",
        "body": {"storage": {"value": "<p>b</p>", "representation": "storage"}},
        "space": {"key": "TEAM"},
        "ancestors": [{"id": "5"}],
    }
    with pytest.raises(errors.VersionConflict, match="stale version"):
        site.update_page("11", title="T", body="<p>c</p>", current_version=1)
    assert sent_json(mocked)["version"] == {"number": 2, "message": ""}
