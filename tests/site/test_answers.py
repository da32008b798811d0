"""What the site answers, turned into clear errors: real recorded error bodies that are not the
JSON the specs promise, redirects off the site, and web pages where JSON was due."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import responses

from teamcomms.errors import SiteError
from teamcomms.site import errors
from teamcomms.site.clients import SiteClients
from teamcomms.site.http import HttpPolicy
from teamcomms.site.jira import JiraSite

from .conftest import SITE, TOKEN, FakeTime

RECORDED = Path(__file__).parent / "recorded"
SPACES = f"{SITE}/wiki/api/v2/spaces"


def _recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return data


def _mock_recorded(mock: responses.RequestsMock, method: str, url: str, name: str) -> None:
    answer = _recorded(name)
    body = answer["body"]
    text = body if isinstance(body, str) else json.dumps(body)
    kind = "text/html" if text.startswith("<") else "application/json"
    headers = {k: v for k, v in answer["headers"].items() if isinstance(v, str)}
    mock.add(method, url, status=answer["status"], body=text, headers=headers, content_type=kind)


@pytest.mark.parametrize(
    ("name", "method", "path", "kind", "says", "hint"),
    [
        (
            "content-create__400-jackson-version-by.json",
            "POST",
            "/rest/api/content",
            errors.BadRequest,
            "Could not resolve type id '' into a subtype of [simple type, class Person] (through "
            'reference chain: Content["version"]->Version["by"])',
            "check the definition named above",
        ),
        (
            "version-update__400-unrecognized-field.json",
            "PUT",
            "/rest/api/2/version/10000",
            errors.BadRequest,
            'Unrecognized field "chump" (Class VersionBean), not marked as ignorable',
            "report it",
        ),
        (
            "auth__401-json-message-status-code.json",
            "GET",
            "/rest/api/2/issue/OPS-1",
            errors.AuthenticationFailed,
            "Client must be authenticated to access this resource.",
            "TEAMCOMMS_API_TOKEN",
        ),
        (
            "myself__401-header-names.json",
            "GET",
            "/rest/api/3/myself",
            errors.AuthenticationFailed,
            "HTTP 401): Cli",
            "TEAMCOMMS_EMAIL",
        ),
    ],
    ids=["confluence-dc-jackson", "jira-dc-no-errors-key", "401-message-status-code", "401-text"],
)
def test_recorded_error_bodies_give_the_status_the_message_and_what_to_do(
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
    name: str,
    method: str,
    path: str,
    kind: type[errors.SiteHttpError],
    says: str,
    hint: str,
) -> None:
    _mock_recorded(mocked, method, SITE + path, name)
    with pytest.raises(kind) as caught:
        make_policy().new_session().request(method, SITE + path, json={})
    message = caught.value.format()
    assert f"(HTTP {_recorded(name)['status']})" in message
    assert says in message
    assert "org.codehaus" not in message and "[Source:" not in message
    assert hint in (caught.value.hint or "")


def test_a_recorded_tomcat_429_page_is_waited_out_and_then_explained(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    name = "ratelimit__429-tomcat-html-with-x-ratelimit-headers.json"
    _mock_recorded(mocked, "GET", f"{SITE}/rest/api/2/search", name)
    with pytest.raises(errors.RateLimitExhausted) as caught:
        make_policy(max_attempts=3, jitter=1.0).new_session().get(f"{SITE}/rest/api/2/search")
    # No Retry-After and no X-RateLimit-Reset in the recording: exponential backoff.
    assert fake_time.sleeps == [1.0, 2.0]
    message = caught.value.format()
    assert "GET /rest/api/2/search is still rate limited" in message
    assert "answers: 429, 429, 429" in message
    assert "TEAMCOMMS_MAX_WAIT" in message
    assert "<html" not in message


def test_a_tomcat_error_page_gives_its_title(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    page = _recorded("ratelimit__429-tomcat-html-with-x-ratelimit-headers.json")["body"]
    mocked.get(SPACES, status=500, body=page.replace("429", "500"), content_type="text/html")
    with pytest.raises(errors.ServerError) as caught:
        make_policy().new_session().get(SPACES)
    assert "(HTTP 500): HTTP Status 500" in caught.value.format()
    assert "status.atlassian.com" in caught.value.format()


@pytest.mark.parametrize(
    "body",
    [
        '{"errorMessages": "one message, not a list"}',
        '{"errors": "text, not an object"}',
        '["a", "list"]',
        '"just a string"',
        "null",
        '{"error": "invalid_grant", "error_description": "token expired"}',
        "\x00\x01 binary \xff",
        "",
    ],
)
def test_no_error_body_shape_crashes_the_parser(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock, body: str
) -> None:
    mocked.get(SPACES, status=400, body=body)
    with pytest.raises(errors.BadRequest) as caught:
        make_policy().new_session().get(SPACES)
    assert "(HTTP 400)" in caught.value.format()


def test_a_datacenter_400_through_the_jira_client_is_explained(
    cloud_clients: SiteClients, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        f"{SITE}/rest/api/3/myself",
        status=400,
        json={"errorMessages": ['Unrecognized field "x"\n at [Source: java.io.X@1; line: 1]']},
    )
    with pytest.raises(errors.BadRequest, match=r'HTTP 400\): Unrecognized field "x"$'):
        JiraSite(cloud_clients).myself()


# -- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "says", "hint"),
    [
        ("https://evil.example/wiki/api/v2/spaces", "to another host", "https://evil.example"),
        ("http://acme.atlassian.net/wiki/api/v2/spaces", "to plain http", "only talks https"),
        ("https://acme.atlassian.net:8443/x", "to another host", "use it as the site URL"),
        ("//other.example/x", "to another host", "https://other.example"),
    ],
)
def test_a_redirect_off_the_site_or_to_plain_http_is_refused_not_followed(
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
    location: str,
    says: str,
    hint: str,
) -> None:
    mocked.get(SPACES, status=302, headers={"Location": location})
    mocked.get(location if "://" in location else "https:" + location, json={"results": []})
    with pytest.raises(errors.RedirectRefused) as caught:
        make_policy().new_session().get(SPACES)
    assert len(mocked.calls) == 1  # not followed
    message = caught.value.format()
    assert "acme.atlassian.net redirected GET /wiki/api/v2/spaces" in message
    assert says in message and hint in message
    assert isinstance(caught.value, SiteError) and caught.value.exit_code == 1


def test_a_redirect_that_carries_credentials_in_its_location_does_not_echo_them(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, status=301, headers={"Location": f"https://bot:{TOKEN}@other.example/"})
    with pytest.raises(errors.RedirectRefused) as caught:
        make_policy().new_session().get(SPACES)
    assert TOKEN not in caught.value.format()
    assert "https://other.example/" in caught.value.format()


@pytest.mark.parametrize(
    "location", ["/wiki/api/v2/spaces/", "https://acme.atlassian.net/wiki/api/v2/spaces?limit=1"]
)
def test_a_redirect_within_the_site_is_followed(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock, location: str
) -> None:
    target = location if location.startswith("https") else SITE + location
    mocked.get(SPACES, status=301, headers={"Location": location})
    mocked.get(target, json={"results": ["followed"]})
    assert make_policy().new_session().get(SPACES).json() == {"results": ["followed"]}
    assert len(mocked.calls) == 2


def test_a_redirect_from_http_to_https_on_loopback_is_followed(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get("http://127.0.0.1/rest/api/3/myself", status=301, headers={
        "Location": "https://127.0.0.1/rest/api/3/myself"
    })  # fmt: skip
    mocked.get("https://127.0.0.1/rest/api/3/myself", json={"accountId": "1"})
    session = make_policy().new_session()
    assert session.get("http://127.0.0.1/rest/api/3/myself").json() == {"accountId": "1"}


# -- web pages where JSON was due -----------------------------------------------------------


def test_a_sign_in_page_instead_of_json_says_to_check_the_site_url(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    page = "<!DOCTYPE html><html><head><title>Log in with SSO</title></head><body/></html>"
    mocked.get(f"{SITE}/rest/api/3/serverInfo", body=page, content_type="text/html")
    with pytest.raises(errors.NotAnApiAnswer) as caught:
        make_policy().new_session().get(f"{SITE}/rest/api/3/serverInfo")
    message = caught.value.format()
    assert "GET /rest/api/3/serverInfo answered with a web page" in message
    assert "(HTTP 200): Log in with SSO" in message
    assert "single sign-on" in message and "--site" in message


def test_a_web_page_outside_the_rest_api_is_passed_through(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    preview = f"{SITE}/wiki/spaces/ENG/pages/1/Release"
    mocked.get(preview, body="<html>page</html>", content_type="text/html")
    assert make_policy().new_session().get(preview).text == "<html>page</html>"
