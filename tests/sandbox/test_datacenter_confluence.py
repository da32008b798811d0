"""The Data Center sandbox's Confluence, driven by atlassian-python-api's Server/Data Center client
and plain requests, checked against Atlassian's Data Center docs and recorded real answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from requests import HTTPError

from tests.conftest import SandboxHandle
from tests.contract.datacenter import DatacenterChecker
from tests.sandbox.clients import confluence_dc

pytestmark = pytest.mark.parametrize("sandbox_site", ["datacenter"], indirect=True)
RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return found


def session(site: SandboxHandle) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {site.token}"
    return s


def create(site: SandboxHandle, title: str, **extra: Any) -> requests.Response:
    body = {
        "type": "page",
        "title": title,
        "space": {"key": "TEAM"},
        "body": {"storage": {"value": f"<p>{title}</p>", "representation": "storage"}},
        **extra,
    }
    return session(site).post(site.url + "/rest/api/content", json=body)


def test_pages_are_created_read_updated_and_trashed_through_the_v1_content_api(
    sandbox_site: SandboxHandle,
) -> None:
    client = confluence_dc(sandbox_site)
    home = client.get_space("TEAM", expand="homepage")["homepage"]
    parent = create(sandbox_site, "Handbook", ancestors=[{"id": home["id"]}]).json()
    assert parent["version"]["number"] == 1
    assert parent["version"]["by"]["username"] == "sandbox"
    assert "accountId" not in parent["version"]["by"]
    assert [a["id"] for a in parent["ancestors"]] == [home["id"]]
    child = create(sandbox_site, "Promise", ancestors=[{"id": parent["id"]}]).json()
    top = create(sandbox_site, "Loose page").json()
    assert top["ancestors"] == []  # no ancestors: a top-level page, not under the homepage

    page = client.get_page_by_id(child["id"], expand="body.storage,version,ancestors,space")
    assert page["body"]["storage"]["value"] == "<p>Promise</p>"
    assert [a["title"] for a in page["ancestors"]] == ["Team Home", "Handbook"]
    assert page["space"]["key"] == "TEAM"

    # atlassian-python-api's update: reads the history and the body, then PUTs version + 1.
    client.update_page(child["id"], "Promise", "<p>Shipped in a day</p>")
    page = client.get_page_by_id(child["id"], expand="body.storage,version")
    assert (page["version"]["number"], page["body"]["storage"]["value"]) == (
        2,
        "<p>Shipped in a day</p>",
    )
    first = client.get_page_by_id(child["id"], expand="body.storage", version=1)
    assert (first["status"], first["body"]["storage"]["value"]) == ("historical", "<p>Promise</p>")

    client.remove_page(child["id"])  # to the trash
    with pytest.raises(HTTPError) as missing:
        session(sandbox_site).get(
            f"{sandbox_site.url}/rest/api/content/{child['id']}"
        ).raise_for_status()
    assert missing.value.response.status_code == 404
    trashed = client.get_page_by_id(child["id"], status="trashed")
    assert trashed["status"] == "trashed"
    client.remove_page(child["id"], status="trashed")  # purge
    assert sandbox_site.state.table("pages").get(child["id"]) is None


def test_an_update_must_increment_the_version_and_titles_stay_unique(
    sandbox_site: SandboxHandle,
) -> None:
    page = create(sandbox_site, "Runbook").json()
    create(sandbox_site, "Other")
    s = session(sandbox_site)
    url = f"{sandbox_site.url}/rest/api/content/{page['id']}"
    update = {"type": "page", "title": "Runbook", "version": {"number": 1}}
    stale = s.put(url, json=update)
    assert stale.status_code == 409
    assert stale.json() == {
        "statusCode": 409,
        "message": "Version must be incremented on update. Current version is: 1",
    }
    taken = s.put(url, json={**update, "title": "Other", "version": {"number": 2}})
    assert taken.status_code == 400
    assert taken.json()["message"].startswith("A page with this title already exists")
    duplicate = create(sandbox_site, "Runbook")
    assert (duplicate.status_code, set(duplicate.json())) == (400, {"statusCode", "message"})
    assert s.put(url, json={**update, "version": {"number": 2}}).json()["version"]["number"] == 2


def checker(site: SandboxHandle) -> DatacenterChecker:
    assert isinstance(site.contract, DatacenterChecker)
    return site.contract


def test_labels_inside_a_create_are_ignored_and_properties_inside_one_fail_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    with checker(sandbox_site).malformed_requests():
        labelled = create(sandbox_site, "Labelled", metadata={"labels": [{"name": "handbook"}]})
    assert labelled.status_code == 200
    labels = confluence_dc(sandbox_site).get_page_labels(labelled.json()["id"])
    assert labels["results"] == []  # only Cloud takes labels inside a create

    npe = recorded("content-create__500-metadata-properties-npe.json")
    with checker(sandbox_site).malformed_requests():
        failed = create(
            sandbox_site,
            "Full width",
            metadata={"properties": {"content-appearance-draft": {"value": "full-width"}}},
        )
    assert (failed.status_code, failed.json()) == (npe["status"], npe["body"])
    assert sandbox_site.state.page_by_title("TEAM", "Full width") is None
    # atlassian-python-api's own create_page always sends content-appearance properties, so it
    # fails the same way; teamcomms creates without them and sets its marker through /property.
    with checker(sandbox_site).malformed_requests(), pytest.raises(HTTPError) as library:
        confluence_dc(sandbox_site).create_page("TEAM", "From the library", "<p>x</p>")
    assert library.value.response.status_code == 500


def test_a_version_by_without_a_type_gets_jacksons_raw_message_as_recorded(
    sandbox_site: SandboxHandle,
) -> None:
    jackson = recorded("content-create__400-jackson-version-by.json")
    with checker(sandbox_site).malformed_requests():
        answer = create(sandbox_site, "test", version={"number": 1, "by": {}})
    assert answer.status_code == jackson["status"]
    assert set(answer.json()) == set(jackson["body"]) == {"statusCode", "message"}

    def without_position(message: str) -> str:
        return message.split(" at [Source:")[0] + message.split(";", 1)[1].split("]", 1)[1]

    assert without_position(answer.json()["message"]) == without_position(
        jackson["body"]["message"]
    )


def test_properties_labels_and_attachments_have_their_own_endpoints(
    sandbox_site: SandboxHandle,
) -> None:
    client = confluence_dc(sandbox_site)
    page_id = create(sandbox_site, "Workflow").json()["id"]
    client.set_page_property(page_id, {"key": "teamcomms", "value": {"definition": "page/x"}})
    prop = client.get_page_property(page_id, "teamcomms")
    assert (prop["value"], prop["version"]["number"]) == ({"definition": "page/x"}, 1)
    s = session(sandbox_site)
    url = f"{sandbox_site.url}/rest/api/content/{page_id}/property"
    again = s.post(url, json={"key": "teamcomms", "value": {}})
    assert (again.status_code, set(again.json())) == (409, {"statusCode", "message"})
    stale = s.put(f"{url}/teamcomms", json={"value": {"v": 2}, "version": {"number": 1}})
    assert stale.status_code == 409
    bumped = s.put(f"{url}/teamcomms", json={"value": {"v": 2}, "version": {"number": 2}})
    assert bumped.json()["version"]["number"] == 2
    created = s.put(f"{url}/other", json={"value": 1, "version": {"number": 1}})
    assert created.status_code == 200  # documented: an update with version 1 creates it
    assert s.get(f"{url}/nothing").status_code == 404

    client.set_page_label(page_id, "Workflow-Diagram")
    assert [lb["name"] for lb in client.get_page_labels(page_id)["results"]] == ["workflow-diagram"]
    # (atlassian-python-api's remove_page_label adds an undocumented ``id`` query parameter.)
    s.delete(
        f"{sandbox_site.url}/rest/api/content/{page_id}/label", params={"name": "workflow-diagram"}
    )
    assert client.get_page_labels(page_id)["results"] == []

    # atlassian-python-api's attach_content: looks the name up, POSTs a new attachment, and a
    # new version to /{id}/data when the name exists (Data Center has no create-or-update PUT;
    # ``api_version="1.0"`` picks that documented path over its ``PUT /content/{attachmentId}``).
    from atlassian import Confluence

    uploads = Confluence(sandbox_site.url, token=sandbox_site.token, api_version="1.0")  # type: ignore[no-untyped-call]
    uploads.attach_content(b"<svg>1</svg>", "flow.svg", "image/svg+xml", page_id=page_id)
    uploads.attach_content(b"<svg>2</svg>", "flow.svg", "image/svg+xml", page_id=page_id)
    (stored,) = sandbox_site.state.table("pages")[page_id]["attachments"]
    assert (stored["version"]["number"], bytes.fromhex(stored["data"])) == (2, b"<svg>2</svg>")
    with checker(sandbox_site).malformed_requests():
        put = s.put(
            f"{sandbox_site.url}/rest/api/content/{page_id}/child/attachment",
            files={"file": ("flow.svg", b"<svg/>")},
            headers={"X-Atlassian-Token": "nocheck"},
        )
    assert put.status_code == 405  # Cloud's create-or-update PUT is not on Data Center


def test_content_templates_live_in_the_experimental_api(sandbox_site: SandboxHandle) -> None:
    s = session(sandbox_site)
    template = {
        "name": "Runbook",
        "templateType": "page",
        "body": {"storage": {"value": "<p>steps</p>", "representation": "storage"}},
        "space": {"key": "TEAM"},
    }
    created = s.post(sandbox_site.url + "/rest/experimental/template", json=template).json()
    listed = s.get(
        sandbox_site.url + "/rest/experimental/template/page",
        params={"spaceKey": "TEAM", "expand": "body"},
    ).json()
    assert [t["templateId"] for t in listed["results"]] == [created["templateId"]]
    assert listed["results"][0]["body"]["storage"]["value"] == "<p>steps</p>"
    gone = f"{sandbox_site.url}/rest/experimental/template/{created['templateId']}"
    assert s.delete(gone).status_code == 204
    assert s.delete(gone).status_code == 404  # Cloud answers 403 here; Data Center 404
    checker(sandbox_site).absent.add("/rest/api/template")
    cloud_path = s.post(sandbox_site.url + "/rest/api/template", json=template)
    assert cloud_path.status_code == 404
    assert cloud_path.json()["message"].startswith("null for uri: ")


def test_cql_search_and_listings_page_by_start_and_cap_by_expansion(
    sandbox_site: SandboxHandle,
) -> None:
    for n in range(60):
        create(sandbox_site, f"Page {n}")
    s = session(sandbox_site)
    listing = s.get(
        sandbox_site.url + "/rest/api/content",
        params={"spaceKey": "TEAM", "expand": "body.storage", "limit": "100"},
    ).json()
    # Bodies expanded: at most 50 a page, the rest from _links.next (a start, never a cursor).
    assert (listing["size"], listing["limit"], listing["start"]) == (50, 50, 0)
    assert listing["_links"]["next"].startswith("/rest/api/content?")
    assert "start=50" in listing["_links"]["next"]
    rest = s.get(sandbox_site.url + listing["_links"]["next"]).json()
    assert rest["size"] == 61 - 50 and "next" not in rest["_links"]  # 60 pages + the homepage
    found = s.get(
        sandbox_site.url + "/rest/api/content/search",
        params={"cql": 'space = TEAM and title = "Page 7"', "expand": "version"},
    ).json()
    assert [r["title"] for r in found["results"]] == ["Page 7"]
    assert found["results"][0]["version"]["by"]["username"] == "sandbox"


def test_only_a_personal_access_token_signs_in(sandbox_site: SandboxHandle) -> None:
    url = sandbox_site.url + "/rest/api/space/TEAM"
    assert session(sandbox_site).get(url).status_code == 200
    basic = requests.get(url, auth=(sandbox_site.email, "sandbox-api-token"), timeout=10)
    assert (basic.status_code, basic.json()) == (
        403,
        {"message": "Basic Authentication has been disabled on this instance."},
    )
    wrong = requests.get(url, headers={"Authorization": "Bearer not-the-token"}, timeout=10)
    assert (wrong.status_code, set(wrong.json())) == (401, {"statusCode", "message"})
    assert requests.get(url, timeout=10).status_code == 401


def test_there_is_no_cloud_api(sandbox_site: SandboxHandle) -> None:
    checker(sandbox_site).absent.update(
        {"/wiki", "/rest/api/content/archive", "/rest/api/longtask"}
    )
    s = session(sandbox_site)
    v2 = s.get(sandbox_site.url + "/wiki/api/v2/pages")
    assert v2.status_code == 404
    assert v2.headers["Content-Type"].startswith("text/html")
    assert "<title>HTTP Status 404 – Not Found</title>" in v2.text
    # No archiving on Data Center: the path is /content/{id}, which takes no POST.
    archive = s.post(sandbox_site.url + "/rest/api/content/archive", json={"pages": [{"id": 1}]})
    assert (archive.status_code, set(archive.json())) == (405, {"statusCode", "message"})
    jersey = s.get(sandbox_site.url + "/rest/api/longtask/1/archive")
    assert jersey.json() == {
        "message": f"null for uri: {sandbox_site.url}/rest/api/longtask/1/archive",
        "status-code": 404,
    }
    with pytest.raises(HTTPError):
        # atlassian-python-api's Cloud-style client on a Data Center site: /wiki is not there.
        from atlassian.confluence import ConfluenceServer

        ConfluenceServer(  # type: ignore[no-untyped-call]
            sandbox_site.url + "/wiki", token=sandbox_site.token
        ).get("rest/api/space/TEAM")


def test_the_sandboxs_own_hand_edit_api_works_on_a_data_center_site(
    sandbox_site: SandboxHandle,
) -> None:
    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN

    edit = requests.post(
        sandbox_site.url + "/_sandbox/api/hand-edit",
        json={"page": "Team Home", "space": "TEAM", "append": "By hand."},
        auth=(SANDBOX_EMAIL, SANDBOX_TOKEN),  # what `sandbox edit` sends, whatever the site
        timeout=10,
    )
    assert (edit.status_code, edit.json()["version"]) == (200, 2)
    page = confluence_dc(sandbox_site).get_page_by_id(edit.json()["id"], expand="version")
    assert page["version"]["by"]["username"] == "alice"
    missing = requests.post(
        sandbox_site.url + "/_sandbox/api/hand-edit",
        json={"page": "Nope"},
        auth=(SANDBOX_EMAIL, SANDBOX_TOKEN),
        timeout=10,
    )
    assert missing.status_code == 404 and missing.json()["errorMessages"]
