"""The real client libraries, built on the one policy: no own retries, no requests at build."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
import responses

from teamcomms.site import errors
from teamcomms.site.clients import connect
from teamcomms.site.http import HttpPolicy

from .conftest import SITE, TOKEN, FakeTime, cloud_settings, datacenter_settings, v2_client


def _forbid_library_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(seconds: float) -> None:
        raise AssertionError(f"a client library slept {seconds}s on its own")

    monkeypatch.setattr("jira.resilientsession.time.sleep", refuse)
    monkeypatch.setattr("atlassian.rest_client.time.sleep", refuse)


def test_construction_sends_no_request(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    clients = connect(cloud_settings(), make_policy())
    assert len(mocked.calls) == 0
    # pycontribs jira's @cloud_api methods return None unless it believes it talks to Cloud.
    assert clients.jira.deploymentType == "Cloud"
    assert clients.jira._is_cloud


def test_jira_library_does_not_retry_on_its_own(
    make_policy: Callable[..., HttpPolicy],
    fake_time: FakeTime,
    mocked: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forbid_library_sleep(monkeypatch)
    clients = connect(cloud_settings(), make_policy())
    url = f"{SITE}/rest/api/2/myself"
    mocked.get(url, status=429)
    mocked.get(url, status=429, headers={"Retry-After": "Fri, 01 Jan 2027 00:00:00 GMT"})
    mocked.get(url, json={"accountId": "abc", "displayName": "Bot"})
    assert clients.jira.myself()["accountId"] == "abc"
    assert len(mocked.calls) == 3
    assert len(fake_time.sleeps) == 2
    assert clients.policy.stats.retries == 2


def test_atlassian_library_does_not_retry_on_its_own(
    make_policy: Callable[..., HttpPolicy],
    fake_time: FakeTime,
    mocked: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forbid_library_sleep(monkeypatch)
    clients = connect(cloud_settings(), make_policy(max_total_wait=5.0))
    url = f"{SITE}/wiki/api/v2/spaces"
    mocked.get(url, status=429, headers={"Retry-After": "4"})
    mocked.get(url, status=429, headers={"Retry-After": "4"})
    with pytest.raises(errors.RateLimitExhausted):
        v2_client(clients).get("api/v2/spaces")
    assert fake_time.sleeps == [4.0]


def test_both_libraries_send_basic_auth_through_the_policy(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    clients = connect(cloud_settings(), make_policy())
    mocked.get(re.compile(r".*"), json={"results": []})
    clients.jira._session.get(f"{SITE}/rest/api/2/serverInfo")
    v2_client(clients).get("api/v2/spaces")
    clients.confluence_v1.get("rest/api/content/search", params={"cql": "type=page"})
    urls = [call.request.url for call in mocked.calls]
    assert urls == [
        f"{SITE}/rest/api/2/serverInfo",
        f"{SITE}/wiki/api/v2/spaces",
        f"{SITE}/wiki/rest/api/content/search?cql=type%3Dpage",
    ]
    assert all(c.request.headers["Authorization"].startswith("Basic ") for c in mocked.calls)
    assert clients.policy.stats.reads == 3


def test_scoped_tokens_go_through_the_gateway_with_the_cloud_id_looked_up_once(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    site = "https://scoped-once.atlassian.net"
    mocked.get(f"{site}/_edge/tenant_info", json={"cloudId": "c0ffee"})
    mocked.get(re.compile(r"https://api\.atlassian\.com/.*"), json={"results": []})
    settings = cloud_settings(site_url=site, scoped_token=True)
    first = connect(settings, make_policy())
    second = connect(settings, make_policy())
    v2_client(first).get("api/v2/spaces")
    second.jira._session.get(second.jira._get_url("myself"))
    urls = [call.request.url for call in mocked.calls]
    assert urls == [
        f"{site}/_edge/tenant_info",
        "https://api.atlassian.com/ex/confluence/c0ffee/wiki/api/v2/spaces",
        "https://api.atlassian.com/ex/jira/c0ffee/rest/api/2/myself",
    ]


def test_data_center_uses_a_bearer_pat_and_the_v1_content_api(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    site = "https://confluence.acme.internal"
    settings = datacenter_settings(site, "NzQ1-dc-personal-access-token")
    clients = connect(settings, make_policy())
    assert clients.confluence_v2 is None
    mocked.get(f"{site}/rest/api/content", json={"results": []})
    clients.confluence_v1.get("rest/api/content")
    request = mocked.calls[0].request
    assert request.headers["Authorization"] == "Bearer NzQ1-dc-personal-access-token"


def _echo_header(request: Any) -> tuple[int, dict[str, str], str]:
    """A gateway that quotes the Authorization header back, as some proxies do."""
    header = request.headers["Authorization"]
    return 401, {}, f"Unauthorized: header {header} ({base64.b64decode(header.split()[1])!r})"


def test_the_cloud_id_lookup_never_echoes_the_token(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    site = "https://scoped-echo.atlassian.net"
    mocked.add_callback(responses.GET, f"{site}/_edge/tenant_info", callback=_echo_header)
    with pytest.raises(errors.AuthenticationFailed) as caught:
        connect(cloud_settings(site_url=site, scoped_token=True), make_policy())
    text = caught.value.format() + repr(caught.value.args) + str(caught.value.atlassian_message)
    assert "Unauthorized: header" in text
    assert TOKEN not in text
    assert cloud_settings().credentials.authorization.split()[1] not in text


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("cloud id: 42", "text/plain", "did not say its cloud id"),
        ("[1, 2]", "application/json", "did not say its cloud id"),
        ("<html><title>Sign in</title></html>", "text/html", "answered with a web page"),
    ],
)
def test_a_cloud_id_lookup_without_a_cloud_id_is_a_clear_error(
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
    body: str,
    content_type: str,
    expected: str,
) -> None:
    site = f"https://scoped-{abs(hash(body))}.atlassian.net"
    mocked.get(f"{site}/_edge/tenant_info", body=body, content_type=content_type)
    with pytest.raises(errors.SiteHttpError) as caught:
        connect(cloud_settings(site_url=site, scoped_token=True), make_policy())
    assert expected in caught.value.format()
    assert "TEAMCOMMS_CLOUD_ID" in caught.value.format() or "site URL" in caught.value.format()
