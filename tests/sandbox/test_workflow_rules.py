"""Transition rules take effect when issues transition: a required field refuses the transition
while empty, a transition restricted to groups or roles is neither offered nor taken by a user
outside them, and a post function on the resolution sets it."""

from __future__ import annotations

from typing import Any

from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import (
    API,
    Api,
    create_issue,
    create_workflow,
    status_of,
    transition,
    transitions,
    use_workflow,
)
from tests.sandbox.test_jira_workflows import RESOLVE

TEXT = "com.atlassian.jira.plugin.system.customfieldtypes:textfield"


def _required(field_id: str, message: str | None = None) -> dict[str, Any]:
    parameters = {"ruleType": "fieldRequired", "fieldsRequired": field_id, "ignoreContext": "true"}
    if message:
        parameters["errorMessage"] = message
    return {"ruleKey": "system:validate-field-value", "parameters": parameters}


def _restricted(**parameters: str) -> dict[str, Any]:
    return {
        "operation": "ALL",
        "conditions": [{"ruleKey": "system:restrict-issue-transition", "parameters": parameters}],
    }


def _update(api: Api, name: str, **rules: dict[str, Any]) -> None:
    """Replace the rules of transitions of the workflow ``name``."""
    workflow = api.ok("POST", API + "/workflows", json={"workflowNames": [name]})["workflows"][0]
    changed = [{**t, **rules.get(t["name"], {})} for t in workflow["transitions"]]
    update = {
        "statuses": [],
        "workflows": [
            {
                "id": workflow["id"],
                "version": workflow["version"],
                "statuses": workflow["statuses"],
                "transitions": changed,
            }
        ],
    }
    api.ok("POST", API + "/workflows/update", json=update)


def test_a_required_field_refuses_the_transition_until_it_has_a_value(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    tracking = api.ok("POST", API + "/field", json={"name": "Tracking Number", "type": TEXT})["id"]
    carrier = api.ok("POST", API + "/field", json={"name": "Carrier", "type": TEXT})["id"]
    create_workflow(
        api,
        "Orders",
        Ship={"validators": [_required(tracking, "Add the tracking number before shipping.")]},
        Cancel={"validators": [_required(carrier)]},
    )
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    key = create_issue(api, "OPS", "Order", "#1001")

    refused = transition(api, key, "Ship")
    assert refused.status_code == 400
    assert refused.json()["errorMessages"] == ["Add the tracking number before shipping."]
    assert status_of(api, key) == "Orders Open"
    # Without an errorMessage the rule names the field.
    assert transition(api, key, "Cancel").json()["errorMessages"] == ["Carrier is required."]

    api.ok("PUT", f"{API}/issue/{key}", json={"fields": {tracking: "1Z999AA10123456784"}})
    assert transition(api, key, "Ship").status_code == 204
    assert status_of(api, key) == "Orders Shipped"


def test_a_transition_restricted_to_groups_or_roles_is_only_offered_to_their_members(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    night_shift = sandbox_site.state.add_group("night-shift", [])["groupId"]
    warehouse = api.ok("GET", API + "/group/bulk", params={"groupName": "warehouse"})["values"]
    roles = {r["name"]: str(r["id"]) for r in api.ok("GET", API + "/role")}
    create_workflow(
        api,
        "Orders",
        Pack={"conditions": _restricted(groupIds=night_shift)},
        Ship={"conditions": _restricted(roleIds=roles["Viewer"])},
    )
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    key = create_issue(api, "OPS", "Order", "#1002")

    assert transitions(api, key) == ["Cancel"]
    hidden = api.call("POST", f"{API}/issue/{key}/transitions", json={"transition": {"id": "11"}})
    assert hidden.status_code == 400
    assert hidden.json()["errorMessages"] == ["Transition id '11' is not valid for this issue."]
    assert status_of(api, key) == "Orders Open"

    # The sandbox user is in the starter kit's "warehouse" group and administers OPS.
    _update(
        api,
        "Orders",
        Pack={"conditions": _restricted(groupIds=f"{night_shift},{warehouse[0]['groupId']}")},
        Ship={"conditions": _restricted(roleIds=roles["Administrators"])},
    )
    assert transitions(api, key) == ["Pack", "Ship", "Cancel"]
    offered = api.ok("GET", f"{API}/issue/{key}/transitions")["transitions"]
    assert [t["isConditional"] for t in offered] == [True, True, False]
    assert transition(api, key, "Pack").status_code == 204
    assert status_of(api, key) == "Orders Packing"


def test_update_field_on_the_resolution_sets_it(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    create_workflow(api, "Orders", Cancel={"actions": [RESOLVE]})
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    shipped, cancelled = (create_issue(api, "OPS", "Order", s) for s in ("#1", "#2"))
    assert transition(api, shipped, "Ship").status_code == 204
    assert transition(api, cancelled, "Cancel").status_code == 204

    def resolution(key: str) -> Any:
        fields = api.ok("GET", f"{API}/issue/{key}", params={"fields": "resolution"})["fields"]
        return (fields["resolution"] or {}).get("name")

    assert resolution(cancelled) == "Won't Do"  # resolution 10001, from the post function
    assert resolution(shipped) is None  # no post function: Done but unresolved, as on Cloud
    history = api.ok("GET", f"{API}/issue/{cancelled}/changelog")["values"][-1]["items"]
    assert [(i["field"], i["toString"]) for i in history] == [
        ("status", "Orders Cancelled"),
        ("resolution", "Won't Do"),
    ]


def test_a_condition_group_needs_all_or_any_of_its_conditions(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    warehouse = api.ok("GET", API + "/group/bulk", params={"groupName": "warehouse"})["values"]
    roles = {r["name"]: str(r["id"]) for r in api.ok("GET", API + "/role")}
    member = {"ruleKey": "system:restrict-issue-transition",
              "parameters": {"groupIds": warehouse[0]["groupId"]}}  # fmt: skip
    viewer = {"ruleKey": "system:restrict-issue-transition",
              "parameters": {"roleIds": roles["Viewer"]}}  # fmt: skip
    create_workflow(
        api,
        "Orders",
        Pack={"conditions": {"operation": "ALL", "conditions": [member, viewer]}},
        Ship={"conditions": {"operation": "ANY", "conditions": [member, viewer]}},
        Cancel={
            "conditions": {
                "operation": "ALL",
                "conditions": [member],
                "conditionGroups": [{"operation": "ANY", "conditions": [viewer]}],
            }
        },
    )
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    key = create_issue(api, "OPS", "Order", "#1003")
    # The sandbox user is in "warehouse" but not a Viewer of OPS.
    assert transitions(api, key) == ["Ship"]
