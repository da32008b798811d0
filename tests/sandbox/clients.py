"""Real client-library objects pointed at a sandbox site (imported only by sandbox tests)."""

from __future__ import annotations

from typing import Any

from tests.conftest import SandboxHandle


def confluence_v2(site: SandboxHandle) -> Any:
    """atlassian-python-api's v2 client (it appends ``/api/v2`` to the ``/wiki`` URL)."""
    from atlassian import ConfluenceV2

    return ConfluenceV2(site.url + "/wiki", username=site.email, password=site.token)


def confluence_v1(site: SandboxHandle) -> Any:
    """atlassian-python-api's classic (v1) client in Cloud mode."""
    from atlassian.confluence import ConfluenceServer

    return ConfluenceServer(  # type: ignore[no-untyped-call]
        site.url + "/wiki", username=site.email, password=site.token, cloud=True
    )


def confluence_cloud(site: SandboxHandle) -> Any:
    """atlassian-python-api's ``Confluence(url + "/wiki", cloud=True)`` (a reduced v1 client)."""
    from atlassian import Confluence

    return Confluence(  # type: ignore[no-untyped-call]
        site.url + "/wiki", username=site.email, password=site.token, cloud=True
    )


def jira(site: SandboxHandle) -> Any:
    """pycontribs ``jira`` with server info (so it knows it is Cloud) and no retries."""
    from jira import JIRA

    return JIRA(site.url, basic_auth=(site.email, site.token), get_server_info=True, max_retries=0)


def jira_cloud(site: SandboxHandle) -> Any:
    """atlassian-python-api's Jira client in Cloud mode (``/rest/api/2`` unless a method says 3)."""
    from atlassian import Jira

    return Jira(site.url, username=site.email, password=site.token, cloud=True)


def forgive_numeric_transition_ids(site: SandboxHandle) -> None:
    """Both clients send ``transition.id`` as a number; the spec types it as a string (Jira
    accepts both, and so does the sandbox). Drop exactly those contract findings."""
    violations = site.contract.violations
    violations[:] = [v for v in violations if "request body transition/id" not in v]


def jira_error_body(error: Any) -> Any:
    """The JSON body of a pycontribs ``JIRAError``."""
    assert error.response is not None
    return error.response.json()


def confluence_dc(site: SandboxHandle) -> Any:
    """atlassian-python-api's Confluence client for Server/Data Center, signed in with the
    sandbox's personal access token (Bearer)."""
    from atlassian import Confluence

    return Confluence(site.url, token=site.token)  # type: ignore[no-untyped-call]


def jira_dc(site: SandboxHandle) -> Any:
    """pycontribs ``jira`` against Data Center: server info read (it says "Server"), a personal
    access token, no retries."""
    from jira import JIRA

    return JIRA(site.url, token_auth=site.token, get_server_info=True, max_retries=0)
