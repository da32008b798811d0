"""Jira workflow schemes: which workflow each issue type of a project uses, and assigning a
scheme to a project (directly while it has no issues, else through an asynchronous switch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from teamcomms.site.jira_base import JiraBase


@dataclass(frozen=True)
class RemoteScheme:
    """A workflow scheme as the site holds it."""

    id: str
    name: str
    description: str
    default_workflow: str
    """The default workflow's name."""
    mappings: Mapping[str, str] = field(default_factory=dict)
    """Issue type id -> workflow name."""
    version_id: str = ""
    version_number: int = 0


class JiraSchemes(JiraBase):
    """Workflow schemes and their projects (Cloud: ``/rest/api/3/workflowscheme``)."""

    def list_schemes(self) -> list[RemoteScheme]:
        """Every workflow scheme (the classic list, without versions)."""
        return [_classic(item) for item in self._paged("workflowscheme")]

    def schemes_of_projects(self, project_ids: Sequence[str]) -> dict[str, RemoteScheme]:
        """Project id -> the scheme it uses (projects on Jira's default scheme are left out:
        Jira answers that scheme without an id)."""
        if not project_ids:
            return {}
        answer = self._get("workflowscheme/project", {"projectId": list(project_ids)})
        found: dict[str, RemoteScheme] = {}
        for value in answer.get("values") or []:
            scheme = value.get("workflowScheme") or {}
            if scheme.get("id") is None:
                continue
            for project_id in value.get("projectIds") or []:
                found[str(project_id)] = _classic(scheme)
        return found

    def scheme_versions(self, scheme_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Scheme id -> (version id, version number), for updates (``workflowscheme/read``)."""
        if not scheme_ids:
            return {}
        answer = self._post("workflowscheme/read", {"workflowSchemeIds": list(scheme_ids)}) or []
        return {
            str(item["id"]): (
                str((item.get("version") or {}).get("id", "")),
                int((item.get("version") or {}).get("versionNumber", 0)),
            )
            for item in answer
        }

    def create_scheme(
        self, name: str, description: str, default_workflow: str, mappings: Mapping[str, str]
    ) -> RemoteScheme:
        """Create a scheme (``mappings``: issue type id -> workflow name)."""
        data = {
            "name": name,
            "description": description,
            "defaultWorkflow": default_workflow,
            "issueTypeMappings": dict(mappings),
        }
        return _classic(self._post("workflowscheme", data))

    def update_scheme(
        self,
        scheme_id: str,
        *,
        name: str,
        description: str,
        version: tuple[str, int],
        default_workflow_id: str | None,
        workflows_for_types: Mapping[str, Sequence[str]],
        mappings_by_type: Sequence[Mapping[str, Any]] = (),
    ) -> str | None:
        """Update a scheme (``workflows_for_types``: workflow id -> issue type ids); the id of the
        task Jira started to move issues, if it started one."""
        data: dict[str, Any] = {
            "id": scheme_id,
            "name": name,
            "description": description,
            "version": {"id": version[0], "versionNumber": version[1]},
            "workflowsForIssueTypes": [
                {"workflowId": workflow, "issueTypeIds": list(types)}
                for workflow, types in workflows_for_types.items()
            ],
        }
        if default_workflow_id:
            data["defaultWorkflowId"] = default_workflow_id
        if mappings_by_type:
            data["statusMappingsByIssueTypes"] = list(mappings_by_type)
        response = self._session.post(
            f"{self._base}/workflowscheme/update", json=data, allow_redirects=False
        )
        return _task_of(response)

    def assign_scheme(self, project_id: str, scheme_id: str) -> None:
        """Assign a scheme to a project that has no issues (``PUT /workflowscheme/project``)."""
        self._put(
            "workflowscheme/project", {"projectId": project_id, "workflowSchemeId": scheme_id}
        )

    def switch_scheme(
        self, project_id: str, scheme_id: str, mappings: Sequence[Mapping[str, Any]] = ()
    ) -> str | None:
        """Switch a project with issues to a scheme; the id of the task moving them."""
        data: dict[str, Any] = {"projectId": project_id, "targetSchemeId": scheme_id}
        if mappings:
            data["mappingsByIssueTypeOverride"] = list(mappings)
        response = self._session.post(
            f"{self._base}/workflowscheme/project/switch", json=data, allow_redirects=False
        )
        return _task_of(response)

    def delete_scheme(self, scheme_id: str) -> None:
        """Delete a scheme no project uses."""
        self._delete(f"workflowscheme/{scheme_id}")


def _task_of(response: Any) -> str | None:
    """The task id of an answer that started one (303 with the task, or a body's taskId)."""
    if response.status_code == 303 or "/task/" in (response.headers.get("Location") or ""):
        location = str(response.headers.get("Location") or "")
        if "/task/" in location:
            return location.rstrip("/").rsplit("/", 1)[-1]
    if not response.content:
        return None
    data = response.json()
    if isinstance(data, Mapping):
        task = data.get("taskId") or (data.get("id") if data.get("status") else None)
        return str(task) if task else None
    return None


def _classic(data: Mapping[str, Any]) -> RemoteScheme:
    return RemoteScheme(
        id=str(data.get("id", "")),
        name=str(data.get("name", "")),
        description=str(data.get("description") or ""),
        default_workflow=str(data.get("defaultWorkflow") or "jira"),
        mappings={str(k): str(v) for k, v in (data.get("issueTypeMappings") or {}).items()},
    )
