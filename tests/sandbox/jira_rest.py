"""Plain HTTP against a sandbox's Jira configuration API (the client libraries have no methods for
most of it), and payloads the configuration tests share."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.conftest import SandboxHandle

API = "/rest/api/3"
AGILE = "/rest/agile/1.0"


class Api:
    """Plain HTTP against the sandbox, as the signed-in sandbox user."""

    def __init__(self, site: SandboxHandle) -> None:
        self.site = site
        self.session = requests.Session()
        self.session.auth = (site.email, site.token)

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.site.url + path, timeout=10, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.call(method, path, **kwargs)
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    def refused(self, status: int, method: str, path: str, **kwargs: Any) -> Any:
        """The error body of a request that must answer ``status``."""
        answer = self.call(method, path, **kwargs)
        assert answer.status_code == status, (answer.status_code, answer.text)
        return answer.json()


def type_id(site: SandboxHandle, name: str) -> str:
    """The id of an issue type by name."""
    types = site.state.table("issuetypes").values()
    return str(next(t["id"] for t in types if t["name"] == name))


def project_id(site: SandboxHandle, key: str) -> str:
    """The id of a project by key."""
    project = site.state.project_by_key(key)
    assert project is not None, key
    return str(project["id"])


def status_id(site: SandboxHandle, name: str) -> str:
    """The id of a status by name."""
    statuses = site.state.table("statuses").values()
    return str(next(s["id"] for s in statuses if s["name"] == name))


def workflow_payload(name: str, **rules: dict[str, Any]) -> dict[str, Any]:
    """A create payload: ``{name} Open`` -> ``{name} Packing`` (directed ``Pack``) -> ``{name}
    Shipped`` (global ``Ship``), plus a global ``Cancel`` to ``{name} Cancelled``. ``rules`` adds
    rule keys to a transition by name: ``Ship={"validators": [...]}``."""
    todo, doing, done, cancelled = (str(uuid.uuid4()) for _ in range(4))
    transitions: list[dict[str, Any]] = [
        {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": todo, "links": []},
        {
            "id": "11",
            "name": "Pack",
            "type": "DIRECTED",
            "toStatusReference": doing,
            "links": [{"fromStatusReference": todo}],
        },
        {"id": "21", "name": "Ship", "type": "GLOBAL", "toStatusReference": done, "links": []},
        {"id": "31", "name": "Cancel", "type": "GLOBAL", "toStatusReference": cancelled},
    ]
    for transition in transitions:
        transition.update(rules.get(transition["name"], {}))
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {"name": f"{name} Open", "statusCategory": "TODO", "statusReference": todo},
            {"name": f"{name} Packing", "statusCategory": "IN_PROGRESS", "statusReference": doing},
            {"name": f"{name} Shipped", "statusCategory": "DONE", "statusReference": done},
            {"name": f"{name} Cancelled", "statusCategory": "DONE", "statusReference": cancelled},
        ],
        "workflows": [
            {
                "name": name,
                "description": "orders",
                "statuses": [
                    {"statusReference": r, "properties": {}} for r in (todo, doing, done, cancelled)
                ],
                "transitions": transitions,
            }
        ],
    }


def create_workflow(api: Api, name: str, **rules: dict[str, Any]) -> dict[str, Any]:
    """Create a workflow (see :func:`workflow_payload`); returns it as Jira answers it."""
    workflow: dict[str, Any] = api.ok(
        "POST", API + "/workflows/create", json=workflow_payload(name, **rules)
    )["workflows"][0]
    return workflow


def use_workflow(
    api: Api, site: SandboxHandle, workflow: str, project: str, types: list[str]
) -> dict[str, Any]:
    """Give ``project``'s issue types ``types`` this workflow through a new scheme, assigned
    directly (the project must have no issues); returns the scheme."""
    scheme: dict[str, Any] = api.ok(
        "POST",
        API + "/workflowscheme",
        json={
            "name": f"{project} {workflow}",
            "defaultWorkflow": "jira",
            "issueTypeMappings": {type_id(site, t): workflow for t in types},
        },
    )
    body = {"projectId": project_id(site, project), "workflowSchemeId": str(scheme["id"])}
    assert api.call("PUT", API + "/workflowscheme/project", json=body).status_code == 204
    return scheme


def create_issue(api: Api, project: str, issue_type: str, summary: str, **fields: Any) -> str:
    """Create an issue; returns its key."""
    body = {
        "fields": {
            "project": {"key": project},
            "issuetype": {"name": issue_type},
            "summary": summary,
            **fields,
        }
    }
    key: str = api.ok("POST", API + "/issue", json=body)["key"]
    return key


def transitions(api: Api, key: str) -> list[str]:
    """The names of the transitions the issue offers."""
    return [t["name"] for t in api.ok("GET", f"{API}/issue/{key}/transitions")["transitions"]]


def transition(api: Api, key: str, name: str, **body: Any) -> Any:
    """Take the transition named ``name`` (by its id, as clients do); returns the answer."""
    offered = api.ok("GET", f"{API}/issue/{key}/transitions")["transitions"]
    chosen = next(t["id"] for t in offered if t["name"] == name)
    return api.call(
        "POST", f"{API}/issue/{key}/transitions", json={"transition": {"id": chosen}, **body}
    )


def status_of(api: Api, key: str) -> str:
    """The name of the issue's status."""
    name: str = api.ok("GET", f"{API}/issue/{key}", params={"fields": "status"})["fields"][
        "status"
    ]["name"]
    return name
