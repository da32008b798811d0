"""Confluence Cloud behaviours the contract checks cannot see (issue 18): root pages carry null
``parentId``/``parentType``, a page update needs status, title and a body with its
representation, and a null version message is stored as no message."""

from __future__ import annotations

import pytest
import requests

from tests.conftest import SandboxHandle
from tests.sandbox.clients import confluence_v2


def test_a_root_page_answers_null_parent_id_and_parent_type(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    home = client.get_page_by_id(space["homepageId"])
    assert "parentId" in home and home["parentId"] is None
    assert "parentType" in home and home["parentType"] is None
    child = client.create_page(space_id=space["id"], title="Child", body="<p>x</p>")
    assert (child["parentId"], child["parentType"]) == (space["homepageId"], "page")
    listed = client.get_pages(space_id=space["id"], body_format="storage")
    root = next(p for p in listed if p["id"] == space["homepageId"])
    assert root["parentId"] is None and root["parentType"] is None


@pytest.mark.parametrize(
    ("update", "missing", "schema_says_so"),
    [
        ({"title": "T", "body": "<p>b</p>"}, "status", True),  # the client leaves out status
        ({"status": "current", "body": "<p>b</p>"}, "title", True),
        # The nested body's schema does not require representation: only the sandbox sees it.
        ({"status": "current", "title": "T", "body": "<p>b</p>"}, "representation", False),
    ],
)
def test_a_page_update_without_status_title_or_representation_is_refused(
    sandbox_site: SandboxHandle, update: dict[str, str], missing: str, schema_says_so: bool
) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="T", body="<p>a</p>")
    # atlassian-python-api's update_page sends only what it is given, and the body without its
    # representation ({"storage": {"value": ...}}): Cloud refuses such updates with 400.
    with pytest.raises(requests.HTTPError) as raised:
        client.update_page(page["id"], version=1, **update)
    assert raised.value.response.status_code == 400
    assert missing in raised.value.response.json()["errors"][0]["title"]
    assert sandbox_site.state.table("pages")[page["id"]]["version"]["number"] == 1
    # The contract checks see a missing required field too; that is what this test sends.
    violations = sandbox_site.contract.violations
    assert [v for v in violations if f"'{missing}' is a required property" in v] == (
        violations if schema_says_so else []
    )
    assert bool(violations) == schema_says_so
    sandbox_site.contract.violations.clear()


def test_a_null_version_message_is_stored_as_no_message(sandbox_site: SandboxHandle) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Notes", body="<p>a</p>")
    body = {
        "id": page["id"],
        "status": "current",
        "title": "Notes",
        "body": {"representation": "storage", "value": "<p>b</p>"},
        "version": {"number": 2, "message": None},
    }
    answer = requests.put(
        f"{sandbox_site.url}/wiki/api/v2/pages/{page['id']}",
        json=body,
        auth=(sandbox_site.email, sandbox_site.token),
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["version"]["message"] == ""
    versions = client.get_page_versions(page["id"])["results"]
    assert [(v["number"], v["message"]) for v in versions] == [(2, ""), (1, "")]
    # The spec types the message as a string, not null: that finding and no other.
    assert [v for v in sandbox_site.contract.violations if "version/message" not in v] == []
    sandbox_site.contract.violations.clear()
