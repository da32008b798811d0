"""Moving imported issues to their statuses: straight through one transition when there is one,
else along the shortest way through the workflow's transitions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from teamcomms.resources.imported_issues_moves import shortest_way
from teamcomms.site.jira_workflows import RemoteTransition, RemoteWorkflow
from tests.conftest import SandboxHandle
from tests.imports.conftest import SiteApi, issues_of, run

STATUSES = {"1": "Backlog", "2": "In Progress", "3": "In Review", "4": "Done", "5": "Won't do"}


def workflow(*transitions: RemoteTransition) -> RemoteWorkflow:
    return RemoteWorkflow("w", "Review flow", "", "v", 1, tuple(STATUSES), transitions, STATUSES)


def directed(tid: str, to: str, *sources: str) -> RemoteTransition:
    return RemoteTransition(tid, f"to {to}", "DIRECTED", to, sources)


def test_the_shortest_way_follows_directed_transitions_and_global_ones_from_anywhere() -> None:
    flow = workflow(
        RemoteTransition("1", "Create", "INITIAL", "1"),
        directed("11", "2", "1"),
        directed("21", "3", "2"),
        directed("31", "4", "3"),
        directed("41", "1", "3"),
        RemoteTransition("51", "Drop", "GLOBAL", "5"),
    )
    assert shortest_way(flow, "Backlog", "In Review") == ["11", "21"]
    assert shortest_way(flow, "backlog", "DONE") == ["11", "21", "31"]
    assert shortest_way(flow, "In Review", "Backlog") == ["41"]
    assert shortest_way(flow, "In Progress", "Won't do") == ["51"]
    assert shortest_way(flow, "Won't do", "Done") is None  # nothing leaves it
    assert shortest_way(flow, "Backlog", "Shipped") is None  # not a status of the workflow
    assert shortest_way(flow, "Done", "Done") == []


def use_review_workflow(sandbox: SandboxHandle) -> None:
    """SHOP's tasks follow Backlog -> Building -> In Review -> Shipped, one step at a time."""
    api = SiteApi(sandbox)
    refs = {name: str(uuid.uuid4()) for name in ("Backlog", "Building", "In Review", "Shipped")}
    categories = {"Backlog": "TODO", "Building": "IN_PROGRESS", "In Review": "IN_PROGRESS",
                  "Shipped": "DONE"}  # fmt: skip
    steps = [("Backlog", "Building"), ("Building", "In Review"), ("In Review", "Shipped")]
    transitions: list[dict[str, Any]] = [
        {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": refs["Backlog"],
         "links": []},
        *(
            {"id": str(11 + 10 * n), "name": f"To {to}", "type": "DIRECTED",
             "toStatusReference": refs[to], "links": [{"fromStatusReference": refs[source]}]}
            for n, (source, to) in enumerate(steps)
        ),
    ]  # fmt: skip
    payload = {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {"name": name, "statusCategory": categories[name], "statusReference": ref}
            for name, ref in refs.items()
        ],
        "workflows": [
            {
                "name": "Review flow",
                "description": "Reviewed work",
                "statuses": [{"statusReference": ref, "properties": {}} for ref in refs.values()],
                "transitions": transitions,
            }
        ],
    }
    api.ok("POST", "/rest/api/3/workflows/create", json=payload)
    task = next(t["id"] for t in sandbox.state.table("issuetypes").values() if t["name"] == "Task")
    scheme = api.ok("POST", "/rest/api/3/workflowscheme", json={
        "name": "Reviewed", "defaultWorkflow": "jira", "issueTypeMappings": {task: "Review flow"}
    })  # fmt: skip
    project = sandbox.state.project_by_key("SHOP")
    assert project is not None
    switch = {"projectId": project["id"], "targetSchemeId": str(scheme["id"])}
    answer = api.session.post(f"{sandbox.url}/rest/api/3/workflowscheme/project/switch",
                              json=switch, allow_redirects=False, timeout=10)  # fmt: skip
    assert answer.status_code == 303
    task_path = answer.headers["Location"].removeprefix(sandbox.url)
    while api.ok("GET", task_path)["status"] != "COMPLETE":
        pass


def test_issues_reach_statuses_several_transitions_away(
    project: Path, on_site: str, sandbox_site: SandboxHandle
) -> None:
    use_review_workflow(sandbox_site)
    (project / "reviewed-import.yaml").write_text(
        "kind: import\nname: reviewed\nid: Key\nfields: {summary: Title}\nstatus: State\n"
    )
    source = project / "reviewed.csv"
    source.write_text(
        "Key,Title,State\nR-1,Under review,In Review\nR-2,Finished,shipped\nR-3,Waiting,Backlog\n"
        "R-4,Started,Building\n"
    )
    mapping = str(project / "reviewed-import.yaml")
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    statuses = sandbox_site.state.table("statuses")
    found = {
        i["fields"]["summary"]: statuses[i["fields"]["status"]]["name"]
        for i in issues_of(sandbox_site.state, "import-reviewed")
    }
    assert found == {
        "Under review": "In Review",
        "Finished": "Shipped",
        "Waiting": "Backlog",
        "Started": "Building",
    }
    sent = [(m, p) for m, p, _ in sandbox_site.requests]
    # The workflow is read once (only Building is one transition away from Backlog)...
    assert sent.count(("POST", "/rest/api/3/workflows")) == 1
    # ...the transitions from Backlog asked once, and each step taken: 2 + 3 + 1.
    assert sum(1 for m, p in sent if m == "GET" and p.endswith("/transitions")) == 1
    assert sum(1 for m, p in sent if m == "POST" and p.endswith("/transitions")) == 6
