"""A fresh sandbox has what the starter kit assumes; older state files get it added on load."""

from __future__ import annotations

import json
from pathlib import Path

from teamcomms.sandbox import SANDBOX_ACCOUNT_ID, SiteState
from teamcomms.sandbox.seed import (
    ADMINISTRATORS_ROLE,
    GROUPS,
    MEMBER_ROLE,
    PROJECTS,
    SPACES,
)
from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import AGILE, API, Api


def _type_names(state: SiteState, project_key: str) -> set[str]:
    project = state.project_by_key(project_key)
    assert project is not None, project_key
    types = state.table("issuetypes")
    return {types[t]["name"] for t in project["issueTypeIds"]}


def test_fresh_site_has_the_starter_kit_projects_spaces_types_and_groups() -> None:
    state = SiteState()
    assert {key for key, _, _ in PROJECTS} == {"OPS", "PEOPLE", "PROD", "DIST", "SHOP", "QA"}
    assert {s["key"] for s in state.table("spaces").values()} == {key for key, _ in SPACES}
    assert {"Order", "Return", "Promotion", "Catalog Change", "Task"} <= _type_names(state, "OPS")
    assert {"Inbound Shipment", "Stock Transfer"} <= _type_names(state, "DIST")
    assert {"Test", "Bug"} <= _type_names(state, "QA")
    assert "Order" not in _type_names(state, "QA")
    assert {"Epic", "Story"} <= _type_names(state, "PROD")
    assert sorted(g["name"] for g in state.table("groups").values()) == sorted(GROUPS)


def test_state_from_an_older_sandbox_gets_the_missing_seed_and_keeps_its_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old-state.json"
    old = SiteState(path)
    ops = old.project_by_key("OPS")
    assert ops is not None
    ops_id, before = ops["id"], set(ops["issueTypeIds"])
    team = old.space_by_key("TEAM")
    assert team is not None
    page = old.create_page(team["id"], "Kept", "<p>mine</p>", None)
    # What the first sandbox wrote: no seed version, only OPS and PEOPLE, no kit types or groups.
    data = old.data
    del data["seed"], data["groups"]
    kit_types = {t["id"] for t in data["issuetypes"].values() if t["name"] in ("Order", "Test")}
    for type_id in kit_types:
        del data["issuetypes"][type_id]
    data["projects"] = {
        pid: {**p, "issueTypeIds": [t for t in p["issueTypeIds"] if t not in kit_types]}
        for pid, p in data["projects"].items()
        if p["key"] in ("OPS", "PEOPLE")
    }
    data["spaces"] = {sid: s for sid, s in data["spaces"].items() if s["key"] != "PROD"}
    path.write_text(json.dumps(data))

    loaded = SiteState(path)
    assert {p["key"] for p in loaded.table("projects").values()} == {k for k, _, _ in PROJECTS}
    assert loaded.space_by_key("PROD") is not None
    assert {"Order", "Test"} <= {t["name"] for t in loaded.table("issuetypes").values()}
    reloaded_ops = loaded.project_by_key("OPS")
    assert reloaded_ops is not None and reloaded_ops["id"] == ops_id
    assert "Order" in _type_names(loaded, "OPS")
    assert before - kit_types <= set(reloaded_ops["issueTypeIds"])
    assert loaded.table("pages")[page["id"]]["title"] == "Kept"
    assert len(loaded.table("groups")) == len(GROUPS)

    # Upgraded once: what a user removes afterwards stays removed.
    loaded.data["projects"] = {
        pid: p for pid, p in loaded.data["projects"].items() if p["key"] != "QA"
    }
    loaded.save()
    assert SiteState(path).project_by_key("QA") is None


def test_the_sandbox_user_is_in_the_kit_groups_and_administers_the_kit_projects() -> None:
    state = SiteState()
    members = {g["name"]: g["members"] for g in state.table("groups").values()}
    alice, bob = _account(state, "alice@"), _account(state, "bob@")
    assert members == {
        "customer-care": [SANDBOX_ACCOUNT_ID, alice],
        "warehouse": [SANDBOX_ACCOUNT_ID, bob],
    }
    assert {r["name"] for r in state.table("roles").values()} == {
        "Administrators",
        "atlassian-addons-project-access",
        "Member",
        "Viewer",
    }
    for project in state.table("projects").values():
        assert project["roleActors"][ADMINISTRATORS_ROLE]["users"] == [SANDBOX_ACCOUNT_ID]
        assert alice in project["roleActors"][MEMBER_ROLE]["users"]


def _account(state: SiteState, email_prefix: str) -> str:
    users = state.table("users").values()
    return str(next(u["accountId"] for u in users if u["emailAddress"].startswith(email_prefix)))


def test_a_state_from_seed_4_gets_group_members_and_project_roles(tmp_path: Path) -> None:
    path = tmp_path / "seed-4.json"
    data = SiteState(path).data
    # What a sandbox before seed 5 wrote: groups without members, no roles or role actors.
    data["seed"] = 4
    del data["roles"]
    for group in data["groups"].values():
        del group["members"]
    for project in data["projects"].values():
        del project["roleActors"]
    path.write_text(json.dumps(data))
    loaded = SiteState(path)
    assert all(SANDBOX_ACCOUNT_ID in g["members"] for g in loaded.table("groups").values())
    assert len(loaded.table("roles")) == 4
    ops = loaded.project_by_key("OPS")
    assert ops is not None and ops["roleActors"][ADMINISTRATORS_ROLE]["users"] == [
        SANDBOX_ACCOUNT_ID
    ]


def test_jira_configuration_from_an_older_sandbox_still_works(sandbox_site: SandboxHandle) -> None:
    """Options without positions, boards without properties and tasks that only counted polls
    (what earlier sandboxes wrote) load and answer as before."""
    api = Api(sandbox_site)
    field = api.ok(
        "POST",
        API + "/field",
        json={
            "name": "Carrier",
            "type": "com.atlassian.jira.plugin.system.customfieldtypes:select",
        },
    )
    (context,) = api.ok("GET", f"{API}/field/{field['id']}/context")["values"]
    options = f"{API}/field/{field['id']}/context/{context['id']}/option"
    api.ok("POST", options, json={"options": [{"value": "UPS"}, {"value": "DHL"}]})
    created = api.ok("POST", API + "/filter", json={"name": "Ops", "jql": "project = OPS"})
    board = api.ok(
        "POST",
        AGILE + "/board",
        json={"name": "Ops", "type": "kanban", "filterId": int(created["id"])},
    )
    sandbox_site.running.stop()
    data = json.loads(sandbox_site.state_file.read_text())
    for option in data["fields"][field["id"]]["contexts"][context["id"]]["options"].values():
        del option["position"]
    del data["boards"][str(board["id"])]["properties"]
    data["tasks"] = {"1": {"id": "1", "description": "old", "submitted": 0, "polls": 0}}
    sandbox_site.state_file.write_text(json.dumps(data))
    sandbox_site.start()

    assert [o["value"] for o in api.ok("GET", options)["values"]] == ["UPS", "DHL"]
    assert api.ok("GET", f"{AGILE}/board/{board['id']}/properties") == {"keys": []}
    assert [api.ok("GET", API + "/task/1")["status"] for _ in range(2)] == ["RUNNING", "COMPLETE"]


def test_new_objects_never_take_an_id_the_seed_gave() -> None:
    # One counter numbers every kind; once it reached 10200, the next workflow created replaced
    # Jira's default workflow, and every workflow scheme naming 'jira' was refused from then on.
    state = SiteState()
    seeded = {kind: set(state.table(kind)) for kind in ("workflows", "workflowschemes")}
    assert "10200" in seeded["workflows"] and "10300" in seeded["workflowschemes"]
    fresh = {state.new_id() for _ in range(400)}
    assert not fresh & (seeded["workflows"] | seeded["workflowschemes"])
    assert len(fresh) == 400
    assert state.table("workflows")["10200"]["name"] == "jira"
