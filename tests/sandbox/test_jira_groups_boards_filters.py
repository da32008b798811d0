"""Groups and project roles, boards (properties, quick filters, columns, the board list's
filters), and filter search's expansions."""

from __future__ import annotations

from typing import Any

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira
from tests.sandbox.jira_rest import AGILE, API, Api, create_workflow, use_workflow

CARE_ID = "customer-care"


def test_groups_in_bulk_by_id_or_name(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    every = api.ok("GET", API + "/group/bulk")["values"]
    assert [g["name"] for g in every] == ["customer-care", "warehouse"]
    care = every[0]
    by_id = api.ok("GET", API + "/group/bulk", params={"groupId": care["groupId"]})
    assert by_id["values"] == [care]
    by_names = api.ok(
        "GET", API + "/group/bulk", params={"groupName": ["warehouse", "nobody", "customer-care"]}
    )
    assert [g["name"] for g in by_names["values"]] == ["customer-care", "warehouse"]
    assert api.ok("GET", API + "/group/bulk", params={"groupName": "nobody"})["values"] == []


def test_project_roles_as_cloud_seeds_them(sandbox_site: SandboxHandle) -> None:
    roles = Api(sandbox_site).ok("GET", API + "/role")
    assert [(r["id"], r["name"]) for r in roles] == [
        (10002, "Administrators"),
        (10003, "atlassian-addons-project-access"),
        (10004, "Member"),
        (10005, "Viewer"),
    ]
    assert roles[0]["self"].endswith("/rest/api/3/role/10002")


def _board(api: Api, name: str, jql: str, kind: str = "kanban", **extra: Any) -> dict[str, Any]:
    created = api.ok("POST", API + "/filter", json={"name": f"{name} filter", "jql": jql})
    board: dict[str, Any] = api.ok(
        "POST",
        AGILE + "/board",
        json={"name": name, "type": kind, "filterId": int(created["id"]), **extra},
    )
    return board


def test_board_properties_and_quick_filters(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    board = _board(api, "Fulfillment", "project = OPS")
    base = f"{AGILE}/board/{board['id']}/properties"
    marker = {"definition": "fulfillment", "hash": "abc"}
    assert api.call("PUT", f"{base}/teamcomms", json=marker).status_code == 201
    assert api.call("PUT", f"{base}/teamcomms", json={**marker, "hash": "def"}).status_code == 200
    assert api.ok("GET", f"{base}/teamcomms") == {
        "key": "teamcomms",
        "value": {**marker, "hash": "def"},
    }
    assert [k["key"] for k in api.ok("GET", base)["keys"]] == ["teamcomms"]
    api.refused(
        400, "PUT", f"{base}/empty", data=b"null", headers={"Content-Type": "application/json"}
    )
    assert api.call("DELETE", f"{base}/teamcomms").status_code == 204
    api.refused(404, "GET", f"{base}/teamcomms")
    api.refused(404, "DELETE", f"{base}/teamcomms")
    api.refused(404, "GET", f"{AGILE}/board/999/properties")

    quick = api.ok("GET", f"{AGILE}/board/{board['id']}/quickfilter")
    assert (quick["values"], quick["isLast"]) == ([], True)


def test_board_columns_follow_the_workflow_of_the_filters_project(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    create_workflow(api, "Orders")
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    board = _board(api, "Fulfillment", "project = OPS AND issuetype = Order ORDER BY Rank")
    config = api.ok("GET", f"{AGILE}/board/{board['id']}/configuration")
    statuses = sandbox_site.state.table("statuses")
    columns = [
        (c["name"], [statuses[s["id"]]["name"] for s in c["statuses"]])
        for c in config["columnConfig"]["columns"]
    ]
    # OPS: Task and the rest use jira (To Do, In Progress, Done), Order uses Orders.
    assert columns == [
        ("To Do", ["To Do", "Orders Open"]),
        ("In Progress", ["In Progress", "Orders Packing"]),
        ("Done", ["Done", "Orders Shipped", "Orders Cancelled"]),
    ]
    assert config["subQuery"] == {
        "query": "fixVersion in unreleasedVersions() OR fixVersion is EMPTY"
    }
    other = _board(api, "People", "project = PEOPLE", kind="scrum")
    people = api.ok("GET", f"{AGILE}/board/{other['id']}/configuration")
    assert [len(c["statuses"]) for c in people["columnConfig"]["columns"]] == [1, 1, 1]
    assert "subQuery" not in people


def test_the_board_list_filters_by_name_project_and_type(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    ops = _board(api, "Fulfillment", "project in (OPS, DIST)")
    dist = _board(api, "Distribution", "project = DIST", kind="scrum")
    placed = _board(
        api, "Shop floor", "labels = shop", location={"type": "project", "projectKeyOrId": "SHOP"}
    )

    def names(**params: str) -> list[str]:
        return [b["name"] for b in api.ok("GET", AGILE + "/board", params=params)["values"]]

    assert names(projectKeyOrId="DIST") == ["Fulfillment", "Distribution"]
    assert names(projectKeyOrId="SHOP") == ["Shop floor"]
    assert names(type="scrum") == ["Distribution"]
    assert names(type="kanban", name="FLOOR") == ["Shop floor"]
    assert names(projectKeyOrId="OPS", type="scrum") == []
    assert [b.id for b in jira(sandbox_site).boards(type="scrum")] == [dist["id"]]
    assert {ops["id"], placed["id"]} == {b.id for b in jira(sandbox_site).boards(type="kanban")}


def test_filter_search_answers_id_name_and_self_unless_expanded(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    care = api.ok("GET", API + "/group/bulk", params={"groupName": CARE_ID})["values"][0]
    created = api.ok(
        "POST",
        API + "/filter",
        json={
            "name": "Orders breaching SLA",
            "jql": "project = OPS",
            "description": "Late orders",
            "sharePermissions": [{"type": "group", "group": {"name": CARE_ID}}],
        },
    )
    plain = api.ok("GET", API + "/filter/search", params={"filterName": "breaching"})["values"]
    assert [{k: v for k, v in f.items() if k != "expand"} for f in plain] == [
        {"id": created["id"], "name": "Orders breaching SLA", "self": created["self"]}
    ]
    expanded = api.ok(
        "GET",
        API + "/filter/search",
        params={"filterName": "breaching", "expand": "jql,description,sharePermissions"},
    )["values"][0]
    assert (expanded["jql"], expanded["description"]) == ("project = OPS", "Late orders")
    assert expanded["sharePermissions"][0]["group"]["name"] == CARE_ID
    assert "owner" not in expanded
    by_group = api.ok("GET", API + "/filter/search", params={"groupId": care["groupId"]})
    assert [f["id"] for f in by_group["values"]] == [created["id"]]
    api.refused(400, "GET", API + "/filter/search", params={"expand": "everything"})


def test_a_provisioned_group_has_the_sandbox_user_as_a_member(sandbox_site: SandboxHandle) -> None:
    from teamcomms.sandbox import SANDBOX_ACCOUNT_ID
    from teamcomms.sandbox.provision import provision

    provision(sandbox_site.state, groups=["night-shift"])
    (group,) = Api(sandbox_site).ok(
        "GET", API + "/group/bulk", params={"groupName": "night-shift"}
    )["values"]
    assert sandbox_site.state.table("groups")[group["groupId"]]["members"] == [SANDBOX_ACCOUNT_ID]
