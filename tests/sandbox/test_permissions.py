"""What the sandbox user may do: Jira ``mypermissions`` and Confluence space operations."""

from __future__ import annotations

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira
from tests.sandbox.jira_rest import Api


def test_mypermissions_answers_exactly_the_keys_asked(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    found = api.ok(
        "GET",
        "/rest/api/3/mypermissions",
        params={"permissions": "CREATE_ISSUES,BROWSE_PROJECTS", "projectKey": "DIST"},
    )["permissions"]
    assert sorted(found) == ["BROWSE_PROJECTS", "CREATE_ISSUES"]
    assert found["CREATE_ISSUES"]["havePermission"] is True
    assert (found["CREATE_ISSUES"]["key"], found["CREATE_ISSUES"]["type"]) == (
        "CREATE_ISSUES",
        "PROJECT",
    )
    administer = api.ok("GET", "/rest/api/3/mypermissions", params={"permissions": "ADMINISTER"})
    assert administer["permissions"]["ADMINISTER"]["type"] == "GLOBAL"
    assert list(administer["permissions"]) == ["ADMINISTER"]


def test_mypermissions_checks_the_project_and_the_keys(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    ops_id = api.ok("GET", "/rest/api/3/project/OPS")["id"]
    by_id = api.call(
        "GET",
        "/rest/api/3/mypermissions",
        params={"permissions": "EDIT_ISSUES", "projectId": ops_id, "projectKey": "NOPE"},
    )
    assert by_id.status_code == 200  # projectKey is ignored when projectId is given
    missing = api.call(
        "GET",
        "/rest/api/3/mypermissions",
        params={"permissions": "EDIT_ISSUES", "projectKey": "NOPE"},
    )
    assert missing.status_code == 404
    assert "NOPE" in missing.json()["errorMessages"][0]
    assert api.call("GET", "/rest/api/3/mypermissions").status_code == 400
    unknown = api.call("GET", "/rest/api/3/mypermissions", params={"permissions": "FLY"})
    assert unknown.status_code == 400
    assert "FLY" in unknown.json()["errorMessages"][0]


def test_jira_client_my_permissions_over_api_v2(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    found = client.my_permissions(projectKey="QA", permissions="BROWSE_PROJECTS")
    assert found["permissions"]["BROWSE_PROJECTS"]["havePermission"] is True
    assert sandbox_site.count("GET", "/rest/api/2/mypermissions") == 1


def test_space_operations_allow_pages_and_templates(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    space = api.ok("GET", "/wiki/api/v2/spaces", params={"keys": "PROD"})["results"][0]
    found = api.ok("GET", f"/wiki/api/v2/spaces/{space['id']}/operations")["operations"]
    pairs = {(o["operation"], o["targetType"]) for o in found}
    assert {("create", "page"), ("administer", "space")} <= pairs
    assert api.call("GET", "/wiki/api/v2/spaces/999999/operations").status_code == 404


def test_groups_picker_finds_seeded_groups_by_name(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    exact = api.ok("GET", "/rest/api/3/groups/picker", params={"query": "warehouse"})
    assert [g["name"] for g in exact["groups"]] == ["warehouse"]
    assert exact["groups"][0]["html"] == "<b>warehouse</b>"
    assert exact["header"] == "Showing 1 of 1 matching groups"
    part = api.ok("GET", "/rest/api/2/groups/picker", params={"query": "CARE"})
    assert part["groups"] == []  # case-sensitive unless asked otherwise
    folded = api.ok(
        "GET", "/rest/api/3/groups/picker", params={"query": "CARE", "caseInsensitive": "true"}
    )
    assert [g["name"] for g in folded["groups"]] == ["customer-care"]
    every = api.ok("GET", "/rest/api/3/groups/picker", params={"exclude": "warehouse"})
    assert [g["name"] for g in every["groups"]] == ["customer-care"]
