"""Jira statuses: read by names, delete (refused while a workflow uses them), search paging."""

from __future__ import annotations

from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import API, Api, create_workflow, project_id


def _create(api: Api, names: list[str], scope: dict[str, object] | None = None) -> list[str]:
    body = {
        "scope": scope or {"type": "GLOBAL"},
        "statuses": [{"name": n, "statusCategory": "IN_PROGRESS"} for n in names],
    }
    return [s["id"] for s in api.ok("POST", API + "/statuses", json=body)]


def test_statuses_by_names_compare_names_without_case_and_honour_the_scope(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    ops = project_id(sandbox_site, "OPS")
    (global_id,) = _create(api, ["Awaiting Stock"])
    (scoped_id,) = _create(api, ["Awaiting Stock"], {"type": "PROJECT", "project": {"id": ops}})

    found = api.ok("GET", API + "/statuses/byNames", params={"name": ["awaiting STOCK", "Done"]})
    assert sorted((s["id"], s["name"]) for s in found) == sorted(
        [(global_id, "Awaiting Stock"), ("10000", "Done")]
    )
    in_ops = api.ok(
        "GET", API + "/statuses/byNames", params={"name": "Awaiting Stock", "projectId": ops}
    )
    assert [(s["id"], s["scope"]) for s in in_ops] == [
        (scoped_id, {"type": "PROJECT", "project": {"id": ops}})
    ]
    assert api.ok("GET", API + "/statuses/byNames", params={"name": "Nowhere"}) == []
    api.refused(
        400, "GET", API + "/statuses/byNames", params={"name": [f"s{n}" for n in range(51)]}
    )


def test_a_status_a_workflow_uses_cannot_be_deleted(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    create_workflow(api, "Returns")
    packing = api.ok("GET", API + "/statuses/byNames", params={"name": "Returns Packing"})[0]
    refused = api.refused(400, "DELETE", API + "/statuses", params={"id": packing["id"]})
    assert refused["errorMessages"] == [
        "The status 'Returns Packing' can't be deleted because it is used in these workflows: "
        "Returns."
    ]
    unused, other = _create(api, ["Quarantined", "Recalled"])
    # One status in use refuses the whole request: nothing is deleted.
    api.refused(400, "DELETE", API + "/statuses", params={"id": [unused, packing["id"]]})
    assert len(api.ok("GET", API + "/statuses", params={"id": [unused, other]})) == 2

    assert api.call("DELETE", API + "/statuses", params={"id": [unused, other]}).status_code == 204
    assert api.ok("GET", API + "/statuses", params={"id": [unused, other]}) == []
    api.refused(400, "DELETE", API + "/statuses", params={"id": unused})  # already gone


def test_status_search_pages_with_is_last_and_next_page(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    created = _create(api, [f"Step {n}" for n in range(5)])
    first = api.ok(
        "GET", API + "/statuses/search", params={"searchString": "step", "maxResults": 2}
    )
    assert (first["total"], first["isLast"], [s["id"] for s in first["values"]]) == (
        5,
        False,
        created[:2],
    )
    seen = [s["id"] for s in first["values"]]
    page = first
    while not page["isLast"]:
        page = api.ok("GET", page["nextPage"].removeprefix(sandbox_site.url))
        seen += [s["id"] for s in page["values"]]
    assert seen == created
    assert "nextPage" not in page


def test_status_search_by_project_leaves_global_statuses_out_unless_asked(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    ops = project_id(sandbox_site, "OPS")
    (mine,) = _create(api, ["Picking"], {"type": "PROJECT", "project": {"id": ops}})
    (shared,) = _create(api, ["Picking slowly"])
    by_project = api.ok("GET", API + "/statuses/search", params={"projectId": ops})
    assert [s["id"] for s in by_project["values"]] == [mine]
    with_global = api.ok(
        "GET",
        API + "/statuses/search",
        params={"projectId": ops, "includeGlobalStatuses": "true", "searchString": "pick"},
    )
    assert sorted(s["id"] for s in with_global["values"]) == sorted([mine, shared])
    site_wide = api.ok("GET", API + "/statuses/search", params={"searchString": "pick"})
    assert [s["id"] for s in site_wide["values"]] == [shared]
    done = api.ok("GET", API + "/statuses/search", params={"statusCategory": "DONE"})
    assert [s["name"] for s in done["values"]] == ["Done"]
