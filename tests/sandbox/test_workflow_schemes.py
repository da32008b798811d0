"""Workflow schemes: the list, delete, direct assignment to a project without issues, the
mappings an update needs, updates and switches that migrate issues through a task, and 409 while
such a task runs."""

from __future__ import annotations

from typing import Any

from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import (
    API,
    Api,
    create_issue,
    create_workflow,
    project_id,
    status_id,
    status_of,
    transition,
    type_id,
)

SWITCH = API + "/workflowscheme/project/switch"


def _scheme(api: Api, name: str, mappings: dict[str, str]) -> dict[str, Any]:
    scheme: dict[str, Any] = api.ok(
        "POST", API + "/workflowscheme", json={"name": name, "issueTypeMappings": mappings}
    )
    return scheme


def test_schemes_are_listed_and_only_unused_ones_deleted(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    create_workflow(api, "Orders")
    used = _scheme(api, "Ops", {type_id(sandbox_site, "Order"): "Orders"})
    unused = _scheme(api, "Spare", {})
    listed = api.ok("GET", API + "/workflowscheme", params={"maxResults": 2})
    assert [s["name"] for s in listed["values"]] == ["Ops", "Spare"]
    assert (listed["total"], listed["isLast"]) == (3, False)
    last = api.ok("GET", listed["nextPage"].removeprefix(sandbox_site.url))
    assert [s["name"] for s in last["values"]] == ["Default Workflow Scheme"]

    body = {"projectId": project_id(sandbox_site, "OPS"), "workflowSchemeId": str(used["id"])}
    assert api.call("PUT", API + "/workflowscheme/project", json=body).status_code == 204
    api.refused(400, "DELETE", f"{API}/workflowscheme/{used['id']}")
    api.refused(400, "DELETE", f"{API}/workflowscheme/10300")  # the default scheme
    assert api.call("DELETE", f"{API}/workflowscheme/{unused['id']}").status_code == 204
    assert api.refused(404, "DELETE", f"{API}/workflowscheme/{unused['id']}") == {
        "errorMessages": ["The workflow scheme was not found."],
        "errors": {},
    }


def test_direct_assignment_works_only_for_a_project_without_issues(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    scheme = _scheme(api, "Quality", {})
    qa, ops = project_id(sandbox_site, "QA"), project_id(sandbox_site, "OPS")
    create_issue(api, "OPS", "Task", "Count the stock")
    body = {"projectId": ops, "workflowSchemeId": str(scheme["id"])}
    refused = api.refused(400, "PUT", API + "/workflowscheme/project", json=body)
    assert "has issues" in refused["errorMessages"][0]
    answer = api.call("PUT", API + "/workflowscheme/project", json={**body, "projectId": qa})
    assert (answer.status_code, answer.content) == (204, b"")
    assigned = api.ok("GET", API + "/workflowscheme/project", params={"projectId": [qa, ops]})
    assert sorted((v["projectIds"], v["workflowScheme"]["name"]) for v in assigned["values"]) == [
        ([ops], "Default Workflow Scheme"),
        ([qa], "Quality"),
    ]
    # No scheme id: back to the default scheme.
    assert (
        api.call("PUT", API + "/workflowscheme/project", json={"projectId": qa}).status_code == 204
    )
    assert sandbox_site.state.table("projects")[qa]["workflowSchemeId"] == "10300"
    api.refused(404, "PUT", API + "/workflowscheme/project", json={**body, "workflowSchemeId": "1"})


def _ops_with_issues(api: Api, site: SandboxHandle) -> tuple[dict[str, Any], str, str]:
    """OPS on its own scheme (default workflow jira); an Order in To Do and one In Progress."""
    scheme = _scheme(api, "Ops", {})
    body = {"projectId": project_id(site, "OPS"), "workflowSchemeId": str(scheme["id"])}
    assert api.call("PUT", API + "/workflowscheme/project", json=body).status_code == 204
    waiting, started = (create_issue(api, "OPS", "Order", s) for s in ("#1", "#2"))
    assert transition(api, started, "In Progress").status_code == 204
    return api.ok("GET", f"{API}/workflowscheme/{scheme['id']}"), waiting, started


def test_an_update_that_changes_workflows_needs_mappings_and_migrates_through_a_task(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    orders = create_workflow(api, "Orders")
    scheme, waiting, started = _ops_with_issues(api, sandbox_site)
    order = type_id(sandbox_site, "Order")
    change = {
        "id": str(scheme["id"]),
        "workflowsForIssueTypes": [{"issueTypeIds": [order], "workflowId": orders["id"]}],
        "defaultWorkflowId": "10200",
    }
    needed = api.ok("POST", API + "/workflowscheme/update/mappings", json=change)
    assert needed["statusMappingsByIssueTypes"] == [{"issueTypeId": order, "statusIds": ["1", "3"]}]
    assert needed["statusMappingsByWorkflows"] == [
        {"sourceWorkflowId": "10200", "targetWorkflowId": orders["id"], "statusIds": ["1", "3"]}
    ]
    target = next(w for w in needed["statusesPerWorkflow"] if w["workflowId"] == orders["id"])
    open_id, packing_id = (
        status_id(sandbox_site, "Orders Open"),
        status_id(sandbox_site, "Orders Packing"),
    )
    assert target["initialStatusId"] == open_id
    assert {"id": "3", "name": "In Progress", "category": "IN_PROGRESS"} in needed["statuses"]

    update = {
        **change,
        "name": "Ops",
        "description": "",
        "version": {"id": "v", "versionNumber": 1},
    }
    refused = api.refused(400, "POST", API + "/workflowscheme/update", json=update)
    assert len(refused["errorMessages"]) == 2 and "'In Progress'" in refused["errorMessages"][1]
    assert status_of(api, started) == "In Progress"

    update["statusMappingsByWorkflows"] = [
        {
            "oldWorkflowId": "10200",
            "newWorkflowId": orders["id"],
            "statusMappings": [
                {"oldStatusId": "1", "newStatusId": open_id},
                {"oldStatusId": "3", "newStatusId": open_id},
            ],
        }
    ]
    # By issue type overrides by workflow.
    update["statusMappingsByIssueTypeOverride"] = [
        {"issueTypeId": order, "statusMappings": [{"oldStatusId": "3", "newStatusId": packing_id}]}
    ]
    answer = api.call("POST", API + "/workflowscheme/update", json=update)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/task/{answer.json()['id']}")
    assert (status_of(api, waiting), status_of(api, started)) == ("Orders Open", "Orders Packing")
    read = api.ok(
        "POST", API + "/workflowscheme/read", json={"workflowSchemeIds": [str(scheme["id"])]}
    )
    assert read[0]["version"]["versionNumber"] == 2
    assert read[0]["taskId"] == answer.json()["id"]  # while the task runs


def test_a_switch_needs_mappings_for_statuses_issues_are_in(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    orders = create_workflow(api, "Orders")
    _, waiting, started = _ops_with_issues(api, sandbox_site)
    target = _scheme(api, "Fulfillment", {type_id(sandbox_site, "Order"): "Orders"})
    switch: dict[str, Any] = {
        "projectId": project_id(sandbox_site, "OPS"),
        "targetSchemeId": str(target["id"]),
    }
    refused = api.refused(400, "POST", SWITCH, json=switch)
    assert [m.split(" are in status ")[1].split(",")[0] for m in refused["errorMessages"]] == [
        "'To Do'",
        "'In Progress'",
    ]
    open_id = status_id(sandbox_site, "Orders Open")
    switch["mappingsByIssueTypeOverride"] = [
        {
            "issueTypeId": type_id(sandbox_site, "Order"),
            "statusMappings": [
                {"oldStatusId": "1", "newStatusId": open_id},
                {"oldStatusId": "3", "newStatusId": open_id},
            ],
        }
    ]
    answer = api.call("POST", SWITCH, json=switch)
    assert answer.status_code == 303
    assert (status_of(api, waiting), status_of(api, started)) == ("Orders Open", "Orders Open")
    assert orders["name"] in [
        w["name"]
        for w in api.ok(
            "POST",
            API + "/workflows",
            json={
                "projectAndIssueTypes": [
                    {
                        "projectId": switch["projectId"],
                        "issueTypeId": type_id(sandbox_site, "Order"),
                    }
                ]
            },
        )["workflows"]
    ]


def test_another_switch_waits_for_the_running_task(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    sandbox_site.state.set_task_timing(polls=2)
    create_issue(api, "OPS", "Task", "Count the stock")
    first, second = _scheme(api, "First", {}), _scheme(api, "Second", {})
    ops = project_id(sandbox_site, "OPS")
    task = api.call("POST", SWITCH, json={"projectId": ops, "targetSchemeId": str(first["id"])})
    assert task.status_code == 303
    again = {"projectId": ops, "targetSchemeId": str(second["id"])}
    busy = api.refused(409, "POST", SWITCH, json=again)
    assert busy == {
        "errorMessages": ["Another task is currently running, please try again later."],
        "errors": {"conflictingTaskId": task.json()["id"]},
    }
    # Another project is not blocked.
    other = {"projectId": project_id(sandbox_site, "QA"), "targetSchemeId": str(second["id"])}
    assert api.call("POST", SWITCH, json=other).status_code == 303
    polls = [api.ok("GET", f"{API}/task/{task.json()['id']}")["status"] for _ in range(3)]
    assert polls == ["RUNNING", "RUNNING", "COMPLETE"]
    assert api.call("POST", SWITCH, json=again).status_code == 303


def test_a_task_can_complete_by_the_site_clock(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    sandbox_site.state.set_task_timing(polls=1000, seconds=30)
    first, second = _scheme(api, "First", {}), _scheme(api, "Second", {})
    ops = project_id(sandbox_site, "OPS")
    task = api.call(
        "POST", SWITCH, json={"projectId": ops, "targetSchemeId": str(first["id"])}
    ).json()
    sandbox_site.clock.advance(29)
    assert api.ok("GET", f"{API}/task/{task['id']}")["status"] == "RUNNING"
    update = {
        "id": str(first["id"]),
        "name": "First",
        "description": "",
        "version": {"id": "v", "versionNumber": 1},
    }
    api.refused(409, "POST", API + "/workflowscheme/update", json=update)
    sandbox_site.clock.advance(2)
    done = api.ok("GET", f"{API}/task/{task['id']}")
    assert (done["status"], done["finished"] - done["submitted"]) == ("COMPLETE", 30000)
    assert api.call("POST", API + "/workflowscheme/update", json=update).status_code == 200
    assert (
        api.call(
            "POST", SWITCH, json={"projectId": ops, "targetSchemeId": str(second["id"])}
        ).status_code
        == 303
    )


def test_a_restarted_site_remembers_the_polls_of_a_running_task(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    sandbox_site.state.set_task_timing(polls=2)
    first, second = _scheme(api, "First", {}), _scheme(api, "Second", {})
    ops = project_id(sandbox_site, "OPS")
    task = api.call("POST", SWITCH, json={"projectId": ops, "targetSchemeId": str(first["id"])})
    url = f"{API}/task/{task.json()['id']}"
    assert api.ok("GET", url)["status"] == "RUNNING"
    sandbox_site.restart()  # the poll above was journalled like a write
    again = {"projectId": ops, "targetSchemeId": str(second["id"])}
    api.refused(409, "POST", SWITCH, json=again)
    assert [api.ok("GET", url)["status"] for _ in range(2)] == ["RUNNING", "COMPLETE"]
    assert api.call("POST", SWITCH, json=again).status_code == 303
