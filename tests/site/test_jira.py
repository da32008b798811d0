"""The Jira facade basics: server info, current user, projects, permissions."""

from __future__ import annotations

from collections.abc import Callable

import responses

from teamcomms.site.clients import connect
from teamcomms.site.http import HttpPolicy
from teamcomms.site.jira import JiraSite
from teamcomms.site.settings import Credentials

from .conftest import cloud_settings

DC = "https://jira.acme.internal"


def test_data_center_uses_api_2_and_a_missing_project_is_none(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    pat = Credentials("bearer", "dc-jira-pat-42", source="TEAMCOMMS_PAT")
    settings = cloud_settings(site_url=DC, deployment="datacenter", credentials=pat)
    jira = JiraSite(connect(settings, make_policy()))
    mocked.get(f"{DC}/rest/api/2/serverInfo", json={"deploymentType": "Server", "version": "9.12"})
    mocked.get(f"{DC}/rest/api/2/myself", json={"key": "JIRAUSER1", "displayName": "Ada"})
    mocked.get(f"{DC}/rest/api/2/project/NOPE", status=404, json={"errorMessages": ["No"]})
    info = jira.server_info()
    assert (info.is_cloud, info.version) == (False, "9.12")
    assert jira.myself().account_id == "JIRAUSER1"
    assert jira.project("NOPE") is None


def test_permissions_are_read_in_one_request(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    jira = JiraSite(connect(cloud_settings(), make_policy()))
    mocked.get(
        "https://acme.atlassian.net/rest/api/3/mypermissions",
        json={
            "permissions": {
                "CREATE_ISSUES": {"havePermission": True},
                "EDIT_ISSUES": {"havePermission": False},
            }
        },
    )
    granted = jira.my_permissions(["EDIT_ISSUES", "CREATE_ISSUES"], project_key="OPS")
    assert granted == {"CREATE_ISSUES": True, "EDIT_ISSUES": False}
    assert len(mocked.calls) == 1
    url = str(mocked.calls[0].request.url)
    assert "permissions=CREATE_ISSUES%2CEDIT_ISSUES" in url and "projectKey=OPS" in url
