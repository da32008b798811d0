"""The sandbox as a site: auth, persistence, loopback only, error shapes, the observer."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from teamcomms.errors import ConfigError
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, Exchange, start_sandbox
from tests.conftest import SandboxHandle
from tests.sandbox.clients import confluence_v2


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        ("/wiki/api/v2/spaces", "errors"),
        ("/wiki/rest/api/template/page", "statusCode"),
        ("/wiki/api/v2/pages/1", "errors"),
    ],
)
@pytest.mark.parametrize(
    "auth", [None, (SANDBOX_EMAIL, "wrong-token"), ("someone@else", SANDBOX_TOKEN)]
)
def test_wrong_or_missing_credentials_answer_401_in_the_apis_shape(
    sandbox_site: SandboxHandle, path: str, shape: str, auth: tuple[str, str] | None
) -> None:
    answer = requests.get(sandbox_site.url + path, auth=auth, timeout=10)
    assert answer.status_code == 401
    assert shape in answer.json()


def test_the_v2_client_with_a_wrong_token_gets_401(sandbox_site: SandboxHandle) -> None:
    from atlassian import ConfluenceV2

    client = ConfluenceV2(sandbox_site.url + "/wiki", username=sandbox_site.email, password="nope")
    with pytest.raises(requests.HTTPError) as raised:
        client.get("api/v2/spaces")
    assert raised.value.response.status_code == 401
    assert confluence_v2(sandbox_site).get("api/v2/spaces")["results"]


def test_state_survives_a_restart(sandbox_site: SandboxHandle, sandbox_state_file: Path) -> None:
    client = confluence_v2(sandbox_site)
    space = client.get_space_by_key("TEAM")
    page = client.create_page(space_id=space["id"], title="Persistent", body="<p>kept</p>")
    sandbox_site.restart()
    again = confluence_v2(sandbox_site).get_page_by_id(page["id"], body_format="storage")
    assert again["body"]["storage"]["value"] == "<p>kept</p>"
    assert sandbox_state_file.is_file()
    assert not list(sandbox_state_file.parent.glob(".sandbox-*"))  # no temp files left behind


def test_a_corrupt_state_file_is_reported(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match="cannot read the sandbox state file"):
        start_sandbox(state)


REFUSED_HOSTS = ["0.0.0.0", "192.168.1.10", "::", "example.com"]  # noqa: S104 - never bound


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_only_loopback_is_accepted(host: str) -> None:
    with pytest.raises(ConfigError, match=r"only listens on 127\.0\.0\.1"):
        start_sandbox(None, host=host)


def test_localhost_binds_127_0_0_1() -> None:
    with start_sandbox(None, host="localhost") as site:
        assert site.url.startswith("http://127.0.0.1:")
        assert requests.get(
            site.url + "/wiki/api/v2/spaces", auth=(site.email, site.token), timeout=10
        ).ok


def test_observer_sees_request_and_answer() -> None:
    seen: list[Exchange] = []
    with start_sandbox(None, observer=seen.append) as site:
        requests.post(
            site.url + "/wiki/api/v2/pages",
            json={"spaceId": "0", "title": "x"},
            auth=(site.email, site.token),
            timeout=10,
        )
    assert len(seen) == 1
    assert (seen[0].method, seen[0].path, seen[0].status) == ("POST", "/wiki/api/v2/pages", 404)
    assert b'"title": "x"' in seen[0].request_body
    assert b"does not exist" in seen[0].response_body


def test_unknown_api_answers_404_and_fails_the_contract(sandbox_site: SandboxHandle) -> None:
    answer = requests.get(
        sandbox_site.url + "/wiki/rest/api/content/1",
        auth=(sandbox_site.email, sandbox_site.token),
        timeout=10,
    )
    assert answer.status_code == 404
    assert len(sandbox_site.contract.violations) == 1
    sandbox_site.contract.violations.clear()  # expected: v1 content CRUD is gone on Cloud


def test_one_sandbox_per_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = start_sandbox(state)
    try:
        with pytest.raises(ConfigError) as refused:
            start_sandbox(state)
        assert f"another sandbox is using the state file {state}" in refused.value.message
        assert f"serving {first.url}" in refused.value.message
        assert refused.value.hint is not None and f"--site {first.url}" in refused.value.hint
        with start_sandbox(tmp_path / "other.json"):  # another file is fine
            pass
    finally:
        first.stop()
    with start_sandbox(state) as again:  # stopping gave the file up
        assert again.state.space_by_key("TEAM") is not None
