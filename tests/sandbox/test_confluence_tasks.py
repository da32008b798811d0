"""Issue 8 item 7, sandbox side: a fault that makes the v1 CQL search leave out the
``metadata.properties`` expansion, and archiving as a long task finished after N polls."""

from __future__ import annotations

from typing import Any

import pytest
from atlassian.errors import ApiError as ClientApiError

from tests.conftest import SandboxHandle
from tests.sandbox.clients import confluence_v1, confluence_v2

EXPAND = "metadata.properties.teamcomms,metadata.labels"


def _managed_page(site: SandboxHandle, title: str) -> str:
    v2 = confluence_v2(site)
    space = v2.get_space_by_key("TEAM")
    page = v2.create_page(space_id=space["id"], title=title, body="<p>x</p>")
    v2.create_page_property(page["id"], "teamcomms", {"definition": title})
    confluence_v1(site).set_page_label(page["id"], "tc-managed")
    return str(page["id"])


def _search(site: SandboxHandle) -> list[dict[str, Any]]:
    found = confluence_v1(site).get(
        "rest/api/content/search", params={"cql": "label = tc-managed", "expand": EXPAND}
    )
    results: list[dict[str, Any]] = found["results"]
    return results


def test_the_no_properties_fault_drops_the_property_expansion(sandbox_site: SandboxHandle) -> None:
    _managed_page(sandbox_site, "Onboarding")
    (normal,) = _search(sandbox_site)
    assert normal["metadata"]["properties"]["teamcomms"]["value"] == {"definition": "Onboarding"}

    sandbox_site.faults.inject("no-properties", path="/wiki/rest/api/content/search")
    (bare,) = _search(sandbox_site)
    assert "properties" not in bare["metadata"]
    assert [lb["name"] for lb in bare["metadata"]["labels"]["results"]] == ["tc-managed"]
    assert "properties" in _search(sandbox_site)[0]["metadata"]  # injected once: back again

    sandbox_site.faults.configure("no-properties:1,429:0")  # a mode: every search, with others
    assert all("properties" not in r["metadata"] for _ in range(3) for r in _search(sandbox_site))
    page = confluence_v2(sandbox_site).get_page_by_id(normal["id"], body_format="storage")
    assert page["id"] == normal["id"]  # other endpoints are not affected


def test_archive_is_a_long_task_finished_after_the_configured_polls(
    sandbox_site: SandboxHandle,
) -> None:
    sandbox_site.faults.configure("longtask-polls:3")
    page_id = _managed_page(sandbox_site, "Retired")
    v1 = confluence_v1(sandbox_site)
    task = v1.post("rest/api/content/archive", data={"pages": [{"id": int(page_id)}]})
    assert task["links"]["status"] == f"/wiki/rest/api/longtask/{task['id']}"
    polls = [v1.check_long_task_result(task["id"]) for _ in range(4)]
    assert [(p["finished"], p["successful"], p["percentageComplete"]) for p in polls] == [
        (False, False, 0),
        (False, False, 25),
        (False, False, 50),
        (True, True, 100),
    ]
    assert polls[-1]["messages"][0]["translation"] == "Archived 1 pages"
    assert v1.check_long_task_result(task["id"])["finished"] is True  # stays finished
    with pytest.raises(ClientApiError):
        v1.check_long_task_result("999999")
    assert sandbox_site.state.table("pages")[page_id]["status"] == "archived"


def test_by_default_the_first_poll_sees_the_task_running(sandbox_site: SandboxHandle) -> None:
    page_id = _managed_page(sandbox_site, "Old")
    v1 = confluence_v1(sandbox_site)
    task = v1.post("rest/api/content/archive", data={"pages": [{"id": int(page_id)}]})
    finished = [v1.check_long_task_result(task["id"])["finished"] for _ in range(2)]
    assert finished == [False, True]
