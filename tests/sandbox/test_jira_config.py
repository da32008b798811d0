"""Jira configuration: statuses, workflows, schemes, fields, filters, boards, users, projects."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira
from tests.sandbox.jira_rest import API, Api


def _workflow_payload(name: str) -> dict[str, Any]:
    todo, doing, done = (str(uuid.uuid4()) for _ in range(3))
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {"name": f"{name} Open", "statusCategory": "TODO", "statusReference": todo},
            {"name": f"{name} Packing", "statusCategory": "IN_PROGRESS", "statusReference": doing},
            {"name": f"{name} Shipped", "statusCategory": "DONE", "statusReference": done},
        ],
        "workflows": [
            {
                "name": name,
                "description": "orders",
                "statuses": [{"statusReference": r, "properties": {}} for r in (todo, doing, done)],
                "transitions": [
                    {
                        "id": "1",
                        "name": "Create",
                        "type": "INITIAL",
                        "toStatusReference": todo,
                        "links": [],
                    },
                    {
                        "id": "11",
                        "name": "Pack",
                        "type": "DIRECTED",
                        "toStatusReference": doing,
                        "links": [{"fromStatusReference": todo}],
                    },
                    {
                        "id": "21",
                        "name": "Ship",
                        "type": "GLOBAL",
                        "toStatusReference": done,
                        "links": [],
                    },
                ],
            }
        ],
    }


def test_statuses_create_search_update(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    created = api.ok(
        "POST",
        API + "/statuses",
        json={
            "scope": {"type": "GLOBAL"},
            "statuses": [{"name": "Awaiting Stock", "statusCategory": "TODO"}],
        },
    )
    status_id = created[0]["id"]
    found = api.ok("GET", API + "/statuses/search", params={"searchString": "awaiting"})
    assert [s["name"] for s in found["values"]] == ["Awaiting Stock"]
    update = {"statuses": [{"id": status_id, "name": "Backordered", "statusCategory": "TODO"}]}
    assert api.call("PUT", API + "/statuses", json=update).status_code == 204
    assert api.ok("GET", API + "/statuses", params={"id": status_id})[0]["name"] == "Backordered"
    duplicate = {
        "scope": {"type": "GLOBAL"},
        "statuses": [{"name": "Backordered", "statusCategory": "DONE"}],
    }
    assert api.call("POST", API + "/statuses", json=duplicate).status_code == 400


def test_workflow_validate_create_read_search_update(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    payload = _workflow_payload("Order Fulfillment")
    broken = _workflow_payload("Broken")
    broken["workflows"][0]["transitions"][0]["type"] = "GLOBAL"  # no INITIAL transition left
    errors = api.ok(
        "POST",
        API + "/workflows/create/validation",
        json={"payload": broken, "validationOptions": {"levels": ["ERROR", "WARNING"]}},
    )
    assert any("exactly one INITIAL" in e["message"] for e in errors["errors"])
    assert (
        api.ok("POST", API + "/workflows/create/validation", json={"payload": payload})["errors"]
        == []
    )
    assert api.call("POST", API + "/workflows/create", json=broken).status_code == 400

    created = api.ok("POST", API + "/workflows/create", json=payload)
    workflow = created["workflows"][0]
    assert workflow["version"]["versionNumber"] == 0
    assert sorted(s["name"] for s in created["statuses"]) == [
        "Order Fulfillment Open",
        "Order Fulfillment Packing",
        "Order Fulfillment Shipped",
    ]
    read = api.ok("POST", API + "/workflows", json={"workflowNames": ["Order Fulfillment"]})
    assert [w["id"] for w in read["workflows"]] == [workflow["id"]]
    searched = api.ok("GET", API + "/workflows/search", params={"queryString": "order"})
    assert [w["name"] for w in searched["values"]] == ["Order Fulfillment"]
    assert (
        api.call("POST", API + "/workflows/create", json=payload).status_code == 400
    )  # name taken

    update = {
        "statuses": [],
        "workflows": [
            {
                "id": workflow["id"],
                "version": workflow["version"],
                "statuses": workflow["statuses"],
                "transitions": workflow["transitions"][:1] + workflow["transitions"][2:],
            }
        ],
    }
    assert (
        api.ok("POST", API + "/workflows/update/validation", json={"payload": update})["errors"]
        == []
    )
    updated = api.ok("POST", API + "/workflows/update", json=update)
    assert updated["workflows"][0]["version"]["versionNumber"] == 1
    assert [t["name"] for t in updated["workflows"][0]["transitions"]] == ["Create", "Ship"]
    stale = api.call("POST", API + "/workflows/update", json=update)  # still says version 0
    assert stale.status_code == 409


def test_scheme_switch_answers_303_and_a_task_to_poll(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    api.ok("POST", API + "/workflows/create", json=_workflow_payload("Orders"))
    task_type = next(
        t["id"] for t in sandbox_site.state.table("issuetypes").values() if t["name"] == "Task"
    )
    scheme = api.ok(
        "POST",
        API + "/workflowscheme",
        json={
            "name": "Ops scheme",
            "defaultWorkflow": "jira",
            "issueTypeMappings": {task_type: "Orders"},
        },
    )
    project = sandbox_site.state.project_by_key("OPS")
    assert project is not None
    switch = {"projectId": project["id"], "targetSchemeId": str(scheme["id"])}
    answer = api.call(
        "POST", API + "/workflowscheme/project/switch", json=switch, allow_redirects=False
    )
    assert answer.status_code == 303
    task_url = answer.headers["Location"]
    assert task_url.endswith(f"/rest/api/3/task/{answer.json()['id']}")
    polls = [api.ok("GET", task_url.removeprefix(sandbox_site.url))["status"] for _ in range(2)]
    assert polls == ["RUNNING", "COMPLETE"]
    assigned = api.ok("GET", API + "/workflowscheme/project", params={"projectId": project["id"]})
    assert assigned["values"][0]["workflowScheme"]["name"] == "Ops scheme"
    read = api.ok("POST", API + "/workflowscheme/read", json={"projectIds": [project["id"]]})
    assert read[0]["workflowsForIssueTypes"][0]["workflow"]["name"] == "Orders"

    update = {
        "id": str(scheme["id"]),
        "name": "Ops scheme",
        "description": "v2",
        "version": {"id": "x", "versionNumber": 0},
    }
    version: dict[str, Any] = update["version"]  # type: ignore[assignment]
    assert api.call("POST", API + "/workflowscheme/update", json=update).status_code == 409
    version["versionNumber"] = 1
    assert api.call("POST", API + "/workflowscheme/update", json=update).status_code == 200


def test_config_writes_answer_409_while_a_task_runs(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    sandbox_site.faults.configure("conflict409:1")
    busy = api.call("POST", API + "/workflows/create", json=_workflow_payload("Busy"))
    assert busy.status_code == 409
    assert "configuration task is running" in busy.json()["errorMessages"][0]
    assert api.call("GET", API + "/workflows/search").status_code == 200  # reads are not affected
    sandbox_site.faults.clear()
    assert (
        api.call("POST", API + "/workflows/create", json=_workflow_payload("Busy")).status_code
        == 200
    )


def test_custom_field_contexts_and_options(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    kind = "com.atlassian.jira.plugin.system.customfieldtypes:select"
    field = api.ok(
        "POST",
        API + "/field",
        json={
            "name": "Carrier",
            "type": kind,
            "searcherKey": "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher",
        },
    )
    assert field["id"].startswith("customfield_")
    assert (
        api.call("POST", API + "/field", json={"name": "Bad", "type": "select"}).status_code == 400
    )
    assert [
        f["name"] for f in api.ok("GET", API + "/field/search", params={"type": "custom"})["values"]
    ] == ["Carrier"]
    project = sandbox_site.state.project_by_key("OPS")
    assert project is not None
    context = api.ok(
        "POST",
        f"{API}/field/{field['id']}/context",
        json={"name": "Ops", "projectIds": [project["id"]], "issueTypeIds": []},
    )
    listed = api.ok("GET", f"{API}/field/{field['id']}/context")["values"]
    # Jira gives a new field a global context of its own; "Ops" applies to OPS only.
    assert [(c["name"], c["isGlobalContext"], c["isAnyIssueType"]) for c in listed] == [
        ("Default Configuration Scheme for Carrier", True, True),
        ("Ops", False, True),
    ]
    options_url = f"{API}/field/{field['id']}/context/{context['id']}/option"
    created = api.ok("POST", options_url, json={"options": [{"value": "DHL"}, {"value": "UPS"}]})[
        "options"
    ]
    api.ok(
        "PUT",
        options_url,
        json={"options": [{"id": created[1]["id"], "value": "UPS Ground", "disabled": True}]},
    )
    assert [(o["value"], o["disabled"]) for o in api.ok("GET", options_url)["values"]] == [
        ("DHL", False),
        ("UPS Ground", True),
    ]
    assert jira(sandbox_site).fields()[-1]["name"] == "Carrier"


def test_filters_and_boards(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    created = client.create_filter(
        name="Ops board", jql="project = OPS ORDER BY Rank", description="", favourite=False
    )
    duplicate = Api(sandbox_site).call(
        "POST", API + "/filter", json={"name": "Ops board", "jql": "project = OPS"}
    )
    assert duplicate.status_code == 400
    found = Api(sandbox_site).ok(
        "GET", API + "/filter/search", params={"filterName": "Ops", "expand": "jql"}
    )
    assert [f["jql"] for f in found["values"]] == ["project = OPS ORDER BY Rank"]

    api = Api(sandbox_site)
    no_filter = api.call("POST", "/rest/agile/1.0/board", json={"name": "Ops", "type": "kanban"})
    assert no_filter.status_code == 400 and "filterId" in no_filter.json()["errors"]
    board = api.ok(
        "POST",
        "/rest/agile/1.0/board",
        json={
            "name": "Ops",
            "type": "kanban",
            "filterId": int(created.id),
            "location": {"type": "project", "projectKeyOrId": "OPS"},
        },
    )
    # Not `type=kanban`: the agile spec types that parameter as an empty object (docs/sandbox.md).
    boards = api.ok("GET", "/rest/agile/1.0/board", params={"projectKeyOrId": "OPS", "name": "Ops"})
    assert [b["id"] for b in boards["values"]] == [board["id"]]
    config = api.ok("GET", f"/rest/agile/1.0/board/{board['id']}/configuration")
    assert config["filter"]["id"] == created.id
    assert [c["name"] for c in config["columnConfig"]["columns"]] == [
        "To Do",
        "In Progress",
        "Done",
    ]
    assert (
        api.ok("GET", f"/rest/agile/1.0/board/filter/{created.id}")["values"][0]["id"]
        == board["id"]
    )


def test_users_by_email_projects_and_issue_types(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    users = api.ok("GET", API + "/user/search", params={"query": "alice@teamcomms.invalid"})
    assert [u["displayName"] for u in users] == ["Alice Example"]
    assert api.ok("GET", API + "/user/search", params={"query": "nobody@x.invalid"}) == []
    project = api.ok("GET", API + "/project/PEOPLE", params={"expand": "issueTypes"})
    assert "Epic" in [t["name"] for t in project["issueTypes"]]
    assert api.call("GET", API + "/project/NOPE").status_code == 404
    created = api.ok("POST", API + "/issuetype", json={"name": "Refund", "hierarchyLevel": 0})
    assert created["hierarchyLevel"] == 0
    assert api.call("POST", API + "/issuetype", json={"name": "refund"}).status_code == 409
    made = api.ok(
        "POST",
        API + "/project",
        json={
            "key": "LEGAL",
            "name": "Legal",
            "projectTypeKey": "software",
            "leadAccountId": users[0]["accountId"],
        },
    )
    assert made["key"] == "LEGAL"
    assert [
        p["key"] for p in api.ok("GET", API + "/project/search", params={"keys": "LEGAL"})["values"]
    ] == ["LEGAL"]


def test_jira_client_errors_on_429_without_retrying(sandbox_site: SandboxHandle) -> None:
    from jira import JIRAError

    client = jira(sandbox_site)
    sandbox_site.faults.inject("429", path="/rest/api/2/myself")
    with pytest.raises(JIRAError) as raised:
        client.myself()
    assert raised.value.status_code == 429
    assert client.myself()["accountId"]


def test_jira_client_retry_after_traps(sandbox_site: SandboxHandle) -> None:
    """What pycontribs jira does with the faults (client-libraries.md §3a), so callers know."""
    from jira import JIRA, JIRAError

    # With retries on, an HTTP-date Retry-After makes the client raise ValueError (int() on it).
    retrying = JIRA(
        sandbox_site.url, basic_auth=(sandbox_site.email, sandbox_site.token), max_retries=1
    )
    sandbox_site.faults.inject("429-date", path="/rest/api/2/myself")
    with pytest.raises(ValueError, match="invalid literal for int"):
        retrying.myself()
    # A 503 without Retry-After is not retried: one request, then the error.
    sandbox_site.faults.inject("503", path="/rest/api/2/myself")
    before = sandbox_site.count("GET", "/rest/api/2/myself")
    with pytest.raises(JIRAError) as raised:
        retrying.myself()
    assert raised.value.status_code == 503
    assert sandbox_site.count("GET", "/rest/api/2/myself") == before + 1
