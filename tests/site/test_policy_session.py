"""The policy's session merges settings as requests does, only without the empty merges."""

from __future__ import annotations

import pytest
import requests

from teamcomms.site.http import HttpConfig, HttpPolicy


@pytest.mark.parametrize("proxies", [None, {}, {"https": "http://proxy.corp:3128"}])
@pytest.mark.parametrize("verify", [None, True, False, "/etc/corp-ca.pem"])
@pytest.mark.parametrize("stream", [None, True])
@pytest.mark.parametrize("cert", [None, "/etc/client.pem"])
def test_environment_settings_are_what_requests_merges(
    proxies: dict[str, str] | None, verify: bool | str | None, stream: bool | None, cert: str | None
) -> None:
    ours = HttpPolicy(HttpConfig()).new_session()
    theirs = requests.Session()
    theirs.trust_env = False
    theirs.verify = ours.verify
    url = "https://example.atlassian.net/wiki/api/v2/pages"
    mine = ours.merge_environment_settings(url, proxies, stream, verify, cert)
    expected = theirs.merge_environment_settings(url, proxies, stream, verify, cert)
    assert mine == expected
    assert dict(mine["proxies"]) == dict(expected["proxies"])


def test_query_parameters_given_with_a_request_are_sent() -> None:
    session = HttpPolicy(HttpConfig()).new_session()
    request = requests.Request(
        "GET",
        "https://example.atlassian.net/wiki/rest/api/search",
        params={"cql": "type=page", "limit": 25},
    )
    assert session.prepare_request(request).url == (
        "https://example.atlassian.net/wiki/rest/api/search?cql=type%3Dpage&limit=25"
    )
    plain = requests.Request("GET", "https://example.atlassian.net/wiki/api/v2/pages?limit=250")
    assert (
        session.prepare_request(plain).url
        == "https://example.atlassian.net/wiki/api/v2/pages?limit=250"
    )
