"""Jira mapped to API calls, in plain values: the site, the user, projects and groups here;
filters, workflows, fields and boards in their own modules, all parts of :class:`JiraSite`.

Cloud is addressed through ``/rest/api/3`` (the version Atlassian's current Cloud spec
describes); Data Center through ``/rest/api/2``. Requests go through pycontribs ``jira``'s
session, which carries the one HTTP policy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from teamcomms.site.clients import SiteClients
from teamcomms.site.errors import NotFound
from teamcomms.site.jira_boards import JiraBoards
from teamcomms.site.jira_catalogue import JiraCatalogue
from teamcomms.site.jira_fields import JiraFields
from teamcomms.site.jira_filters import JiraFilters
from teamcomms.site.jira_history import JiraHistory
from teamcomms.site.jira_issue_meta import JiraIssueMeta
from teamcomms.site.jira_issues import JiraIssues
from teamcomms.site.jira_schemes import JiraSchemes
from teamcomms.site.jira_workflows import JiraWorkflows


@dataclass(frozen=True)
class ServerInfo:
    """What the site says it is."""

    base_url: str
    version: str
    deployment_type: str
    """``Cloud``, ``Server`` or ``DataCenter`` as Jira reports it."""
    title: str

    @property
    def is_cloud(self) -> bool:
        """Whether the site says it is Atlassian Cloud."""
        return self.deployment_type.lower() == "cloud"


@dataclass(frozen=True)
class RemoteUser:
    """The user the credentials belong to."""

    account_id: str
    """The account id on Cloud; the user key or name on Data Center."""
    display_name: str
    email: str | None


@dataclass(frozen=True)
class RemoteProject:
    """A Jira project."""

    id: str
    key: str
    name: str
    project_type: str
    """Kept as text: Jira answers values outside its own enum (``product_discovery``)."""
    issue_types: tuple[str, ...] = ()
    """Names of the issue types the project has."""
    issue_type_ids: tuple[tuple[str, str], ...] = ()
    """``(name, id)`` of each issue type (creates name types by id)."""

    def issue_type_id(self, name: str) -> str | None:
        """The id of the project's issue type ``name`` (names ignore case), or None."""
        return next((i for n, i in self.issue_type_ids if n.lower() == name.lower()), None)


class JiraSite(
    JiraFilters,
    JiraWorkflows,
    JiraSchemes,
    JiraFields,
    JiraBoards,
    JiraIssues,
    JiraHistory,
    JiraIssueMeta,
    JiraCatalogue,
):
    """Typed access to one Jira site (Cloud or Data Center)."""

    def __init__(self, clients: SiteClients) -> None:
        super().__init__(clients)
        self._projects: dict[str, RemoteProject | None] = {}
        self._projects_lock = threading.Lock()

    def server_info(self) -> ServerInfo:
        """``GET serverInfo``: the deployment type tells Cloud from Data Center."""
        data = self._get("serverInfo")
        return ServerInfo(
            base_url=str(data.get("baseUrl", "")),
            version=str(data.get("version", "")),
            deployment_type=str(data.get("deploymentType") or "Server"),
            title=str(data.get("serverTitle", "")),
        )

    def myself(self) -> RemoteUser:
        """The signed-in user (``GET myself``): proves the credentials work."""
        data = self._get("myself")
        return RemoteUser(
            account_id=str(data.get("accountId") or data.get("key") or data.get("name") or ""),
            display_name=str(data.get("displayName", "")),
            email=data.get("emailAddress"),
        )

    def project(self, key: str) -> RemoteProject | None:
        """The project with this key, or None when it does not exist or is not visible."""
        try:
            # Cloud lists the issue types only when expanded; Data Center always does.
            data = self._get(f"project/{key}", {"expand": "issueTypes"})
        except NotFound:
            return None
        return RemoteProject(
            id=str(data["id"]),
            key=str(data["key"]),
            name=str(data.get("name", "")),
            project_type=str(data.get("projectTypeKey", "")),
            issue_types=tuple(str(t.get("name", "")) for t in data.get("issueTypes") or []),
            issue_type_ids=tuple(
                (str(t.get("name", "")), str(t.get("id", ""))) for t in data.get("issueTypes") or []
            ),
        )

    def cached_project(self, key: str) -> RemoteProject | None:
        """:meth:`project`, read once per run (writes that name projects need their ids)."""
        with self._projects_lock:
            if key in self._projects:
                return self._projects[key]
        found = self.project(key)
        with self._projects_lock:
            self._projects[key] = found
        return found

    def issue_type_names(self) -> set[str]:
        """Names of the issue types the user can see on the site (``GET issuetype``)."""
        return {str(t.get("name", "")) for t in self._get("issuetype")}

    def my_permissions(
        self, permissions: Iterable[str], *, project_key: str | None = None
    ) -> dict[str, bool]:
        """Which of ``permissions`` (e.g. ``CREATE_ISSUES``) the user has, globally or in a
        project (``GET mypermissions``)."""
        wanted = sorted(set(permissions))
        params = {"permissions": ",".join(wanted)}
        if project_key:
            params["projectKey"] = project_key
        found = self._get("mypermissions", params).get("permissions", {})
        return {name: bool(found.get(name, {}).get("havePermission")) for name in wanted}

    def group_exists(self, name: str) -> bool:
        """Whether a Jira group with this name exists (``GET groups/picker``; group names
        ignore case).

        The picker answers an exact name even to users without *Browse users and groups*, so
        an empty answer means there is no such group.
        """
        params = {"query": name, "caseInsensitive": "true", "maxResults": "20"}
        found = self._get("groups/picker", params).get("groups", [])
        return any(str(group.get("name", "")).lower() == name.lower() for group in found)
