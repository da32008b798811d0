"""A workflow update that removes a status issues are in needs a status mapping; with one, the
issues move and the answer carries the migration's task."""

from __future__ import annotations

import uuid
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
    use_workflow,
)


def _without_packing(workflow: dict[str, Any], packing: str, **extra: Any) -> dict[str, Any]:
    """An update payload dropping the status ``packing`` and the transitions into it."""
    return {
        "statuses": extra.pop("statuses", []),
        "workflows": [
            {
                "id": workflow["id"],
                "version": workflow["version"],
                "statuses": [s for s in workflow["statuses"] if s["statusReference"] != packing]
                + extra.pop("more_statuses", []),
                "transitions": [
                    t for t in workflow["transitions"] if t["toStatusReference"] != packing
                ],
                **extra,
            }
        ],
    }


def _setup(api: Api, site: SandboxHandle) -> tuple[dict[str, Any], str, str, str]:
    """Orders used by OPS Orders; one order in Packing, one in Open."""
    workflow = create_workflow(api, "Orders")
    use_workflow(api, site, "Orders", "OPS", ["Order"])
    packed, waiting = (create_issue(api, "OPS", "Order", s) for s in ("#1", "#2"))
    assert transition(api, packed, "Pack").status_code == 204
    return workflow, status_id(site, "Orders Packing"), packed, waiting


def test_removing_a_status_issues_are_in_needs_a_mapping(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    workflow, packing, packed, _ = _setup(api, sandbox_site)
    update = _without_packing(workflow, packing)
    errors = api.ok("POST", API + "/workflows/update/validation", json={"payload": update})[
        "errors"
    ]
    ops, order = project_id(sandbox_site, "OPS"), type_id(sandbox_site, "Order")
    assert [(e["type"], e["elementReference"]) for e in errors] == [
        (
            "STATUS_MAPPING",
            {
                "statusReference": packing,
                "statusMappingReference": {"projectId": ops, "issueTypeId": order},
            },
        )
    ]
    assert "'Orders Packing'" in errors[0]["message"]
    refused = api.refused(400, "POST", API + "/workflows/update", json=update)
    assert refused["errorMessages"] == [errors[0]["message"]]
    assert status_of(api, packed) == "Orders Packing"
    read = api.ok("POST", API + "/workflows", json={"workflowIds": [workflow["id"]]})
    assert read["workflows"][0]["version"]["versionNumber"] == 0

    # A mapping to a status the workflow keeps does; one to a status it drops does not.
    open_status = status_id(sandbox_site, "Orders Open")
    bad = _without_packing(
        workflow, packing, defaultStatusMappings=[
            {"oldStatusReference": packing, "newStatusReference": packing}
        ]
    )  # fmt: skip
    assert api.ok("POST", API + "/workflows/update/validation", json={"payload": bad})["errors"]
    mapped = _without_packing(
        workflow,
        packing,
        statusMappings=[
            {
                "projectId": ops,
                "issueTypeId": order,
                "statusMigrations": [
                    {"oldStatusReference": packing, "newStatusReference": open_status}
                ],
            }
        ],
    )
    assert api.ok("POST", API + "/workflows/update/validation", json={"payload": mapped}) == {
        "errors": []
    }
    answer = api.ok("POST", API + "/workflows/update", json=mapped)
    assert answer["workflows"][0]["version"]["versionNumber"] == 1
    assert status_of(api, packed) == "Orders Open"
    polls = [api.ok("GET", f"{API}/task/{answer['taskId']}")["status"] for _ in range(2)]
    assert polls == ["RUNNING", "COMPLETE"]
    items = api.ok("GET", f"{API}/issue/{packed}/changelog")["values"][-1]["items"]
    assert [(i["fromString"], i["toString"]) for i in items] == [("Orders Packing", "Orders Open")]


def test_default_mappings_can_send_issues_to_a_status_the_update_creates(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    workflow, packing, packed, waiting = _setup(api, sandbox_site)
    staging = str(uuid.uuid4())
    update = _without_packing(
        workflow,
        packing,
        statuses=[{"name": "Staging", "statusCategory": "IN_PROGRESS", "statusReference": staging}],
        more_statuses=[{"statusReference": staging, "properties": {}}],
        defaultStatusMappings=[{"oldStatusReference": packing, "newStatusReference": staging}],
    )
    answer = api.ok("POST", API + "/workflows/update", json=update)
    assert (status_of(api, packed), status_of(api, waiting)) == ("Staging", "Orders Open")
    assert "taskId" in answer


def test_an_update_that_moves_no_issue_answers_no_task(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    workflow = create_workflow(api, "Orders")
    use_workflow(api, sandbox_site, "Orders", "OPS", ["Order"])
    create_issue(api, "OPS", "Order", "#1")  # in Orders Open, which stays
    packing = status_id(sandbox_site, "Orders Packing")
    answer = api.ok("POST", API + "/workflows/update", json=_without_packing(workflow, packing))
    assert "taskId" not in answer


def test_a_mapping_for_the_project_and_type_wins_over_the_default(
    sandbox_site: SandboxHandle,
) -> None:
    api = Api(sandbox_site)
    workflow, packing, packed, _ = _setup(api, sandbox_site)
    shipped, opened = (status_id(sandbox_site, f"Orders {s}") for s in ("Shipped", "Open"))
    update = _without_packing(
        workflow,
        packing,
        defaultStatusMappings=[{"oldStatusReference": packing, "newStatusReference": opened}],
        statusMappings=[
            {
                "projectId": project_id(sandbox_site, "OPS"),
                "issueTypeId": type_id(sandbox_site, "Order"),
                "statusMigrations": [
                    {"oldStatusReference": packing, "newStatusReference": shipped}
                ],
            }
        ],
    )
    api.ok("POST", API + "/workflows/update", json=update)
    assert status_of(api, packed) == "Orders Shipped"
