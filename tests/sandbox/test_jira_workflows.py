"""Jira workflows: delete (refused while active or in a scheme), search with expand and paging,
bulk read by ids, and transition rules stored and answered in Jira's JiraWorkflow shape."""

from __future__ import annotations

from typing import Any

from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import (
    API,
    Api,
    create_workflow,
    type_id,
    use_workflow,
    workflow_payload,
)

REQUIRED = {
    "ruleKey": "system:validate-field-value",
    "parameters": {
        "ruleType": "fieldRequired",
        "fieldsRequired": "duedate",  # a seeded field: Jira refuses one that does not exist
        "ignoreContext": "true",
        "errorMessage": "Add the tracking number first.",
    },
}
RESTRICTED = {
    "operation": "ALL",
    "conditions": [
        {"ruleKey": "system:restrict-issue-transition", "parameters": {"groupIds": "g-1"}}
    ],
    "conditionGroups": [],
}
RESOLVE = {
    "ruleKey": "system:update-field",
    "parameters": {"field": "resolution", "value": "10001", "mode": "replace"},
}


def test_an_unused_workflow_is_deleted_an_active_or_scheme_one_is_refused(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    active = create_workflow(api, "Orders")
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    in_scheme = create_workflow(api, "Returns")
    api.ok(
        "POST",
        API + "/workflowscheme",
        json={"name": "Unused", "issueTypeMappings": {type_id(sandbox_site, "Return"): "Returns"}},
    )
    unused = create_workflow(api, "Stock checks")

    assert api.refused(400, "DELETE", f"{API}/workflow/{active['id']}")["errorMessages"] == [
        "Cannot delete an active workflow."
    ]
    assert api.refused(400, "DELETE", f"{API}/workflow/{in_scheme['id']}")["errorMessages"] == [
        "Cannot delete workflow 'Returns': it is associated with these workflow schemes: Unused."
    ]
    api.refused(400, "DELETE", f"{API}/workflow/10200")  # the system workflow "jira"
    assert api.call("DELETE", f"{API}/workflow/{unused['id']}").status_code == 204
    assert api.refused(404, "DELETE", f"{API}/workflow/{unused['id']}")["errorMessages"] == [
        "The workflow was not found."
    ]
    names = [w["name"] for w in api.ok("GET", API + "/workflows/search")["values"]]
    assert names == ["jira", "Orders", "Returns"]
    # Its statuses stay: Jira deletes the workflow, not the statuses.
    assert api.ok("GET", API + "/statuses/byNames", params={"name": "Stock checks Open"})


def test_search_answers_transitions_only_when_expanded_and_pages(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    for name in ("Alpha flow", "Beta flow", "Gamma flow"):
        create_workflow(api, name)
    plain = api.ok("GET", API + "/workflows/search", params={"queryString": "FLOW"})
    assert [w["name"] for w in plain["values"]] == ["Alpha flow", "Beta flow", "Gamma flow"]
    assert all("transitions" not in w for w in plain["values"])
    expanded = api.ok(
        "GET",
        API + "/workflows/search",
        params={"queryString": "flow", "expand": "values.transitions", "maxResults": 2},
    )
    assert [w["name"] for w in expanded["values"]] == ["Alpha flow", "Beta flow"]
    assert [t["name"] for t in expanded["values"][0]["transitions"]] == [
        "Create",
        "Pack",
        "Ship",
        "Cancel",
    ]
    assert (expanded["isLast"], expanded["total"]) == (False, 3)
    # The statuses answered are those of the page's workflows only.
    assert {s["name"].split()[0] for s in expanded["statuses"]} == {"Alpha", "Beta"}
    rest = api.ok("GET", expanded["nextPage"].removeprefix(sandbox_site.url))
    assert ([w["name"] for w in rest["values"]], rest["isLast"]) == (["Gamma flow"], True)
    assert "transitions" in rest["values"][0]  # nextPage keeps the expand
    inactive = api.ok("GET", API + "/workflows/search", params={"isActive": "false"})
    assert [w["name"] for w in inactive["values"]] == ["Alpha flow", "Beta flow", "Gamma flow"]


def test_bulk_read_by_ids_and_by_project_and_issue_type(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    orders = create_workflow(api, "Orders")
    create_workflow(api, "Returns")
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    by_id = api.ok("POST", API + "/workflows", json={"workflowIds": [orders["id"]]})
    assert [w["name"] for w in by_id["workflows"]] == ["Orders"]
    ops = sandbox_site.state.project_by_key("OPS")
    assert ops is not None
    pairs = [
        {"projectId": ops["id"], "issueTypeId": type_id(sandbox_site, t)} for t in ("Order", "Task")
    ]
    by_pair = api.ok("POST", API + "/workflows", json={"projectAndIssueTypes": pairs})
    assert sorted(w["name"] for w in by_pair["workflows"]) == ["Orders", "jira"]


def _rules_of(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    transition: dict[str, Any] = next(t for t in workflow["transitions"] if t["name"] == name)
    return transition


def test_transition_rules_are_stored_with_ids_and_kept_across_updates(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    created = create_workflow(
        api,
        "Orders",
        Ship={"validators": [REQUIRED], "conditions": RESTRICTED},
        Cancel={"actions": [RESOLVE]},
    )
    ship = _rules_of(created, "Ship")
    (validator,) = ship["validators"]
    assert validator["ruleKey"] == REQUIRED["ruleKey"]
    assert validator["parameters"] == REQUIRED["parameters"]
    assert len(validator["id"]) == 36  # a UUID, as Jira gives rules
    condition = ship["conditions"]["conditions"][0]
    assert (ship["conditions"]["operation"], condition["parameters"]) == (
        "ALL",
        {"groupIds": "g-1"},
    )
    cancel = _rules_of(created, "Cancel")
    assert [(a["ruleKey"], a["parameters"]["value"]) for a in cancel["actions"]] == [
        ("system:update-field", "10001")
    ]
    assert "conditions" not in _rules_of(created, "Pack")  # no conditions: none answered
    assert _rules_of(created, "Pack")["validators"] == []

    # An update that sends the rules back with their ids keeps them; a rule without an id is new.
    new_rule = {"ruleKey": "system:change-assignee", "parameters": {"type": "to-unassigned"}}
    transitions = [
        {**t, "actions": t["actions"] + [new_rule]} if t["name"] == "Cancel" else t
        for t in created["transitions"]
    ]
    update = {
        "statuses": [],
        "workflows": [
            {
                "id": created["id"],
                "version": created["version"],
                "statuses": created["statuses"],
                "transitions": transitions,
            }
        ],
    }
    updated = api.ok("POST", API + "/workflows/update", json=update)["workflows"][0]
    assert _rules_of(updated, "Ship")["validators"][0]["id"] == validator["id"]
    actions = _rules_of(updated, "Cancel")["actions"]
    assert actions[0]["id"] == cancel["actions"][0]["id"]
    assert actions[1]["ruleKey"] == "system:change-assignee" and actions[1]["id"]
    read = api.ok("POST", API + "/workflows", json={"workflowNames": ["Orders"]})["workflows"][0]
    assert read["transitions"] == updated["transitions"]


def test_unknown_or_misplaced_rule_keys_are_refused(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    bogus = {"ruleKey": "system:make-coffee", "parameters": {}}
    payload = workflow_payload(
        "Orders", Ship={"validators": [bogus]}, Cancel={"actions": [REQUIRED]}
    )
    errors = api.ok("POST", API + "/workflows/create/validation", json={"payload": payload})[
        "errors"
    ]
    assert [(e["type"], e["message"], e["elementReference"]["transitionId"]) for e in errors] == [
        ("RULE", "The rule key 'system:make-coffee' of transition 'Ship' is not valid.", "21"),
        (
            "RULE",
            "The rule 'system:validate-field-value' of transition 'Cancel' is not a post function.",
            "31",
        ),
    ]
    refused = api.refused(400, "POST", API + "/workflows/create", json=payload)
    assert refused == {"errorMessages": [e["message"] for e in errors], "errors": {}}
    assert api.ok("GET", API + "/workflows/search", params={"queryString": "Orders"})["total"] == 0

    created = create_workflow(api, "Orders")
    bad_condition = {
        "operation": "ANY",
        "conditions": [{"ruleKey": "connect:expression-condition", "parameters": {}}],
    }
    transitions = [
        {**t, "conditions": bad_condition} if t["name"] == "Pack" else t
        for t in created["transitions"]
    ]
    update = {
        "statuses": [],
        "workflows": [
            {
                "id": created["id"],
                "version": created["version"],
                "statuses": created["statuses"],
                "transitions": transitions,
            }
        ],
    }
    check = api.ok("POST", API + "/workflows/update/validation", json={"payload": update})
    assert [e["message"] for e in check["errors"]] == [
        "The rule key 'connect:expression-condition' of transition 'Pack' is not valid."
    ]
    api.refused(400, "POST", API + "/workflows/update", json=update)
    stored = api.ok("POST", API + "/workflows", json={"workflowIds": [created["id"]]})
    assert stored["workflows"][0]["version"]["versionNumber"] == 0  # nothing was changed
