"""The one HTTP policy: retries, waiting, caps, uncertain writes and typed errors."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from teamcomms.site import errors
from teamcomms.site.clients import SiteClients
from teamcomms.site.http import HttpPolicy, retry_after_seconds
from teamcomms.site.pool import WorkerPool

from .conftest import SITE, FakeTime, v2_client

PAGES = f"{SITE}/wiki/api/v2/pages"
SPACES = f"{SITE}/wiki/api/v2/spaces"
RESET = requests.exceptions.ConnectionError(
    ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
)


def test_429_with_retry_after_seconds_waits_that_long_then_succeeds(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy()
    mocked.get(SPACES, status=429, headers={"Retry-After": "7"})
    mocked.get(SPACES, json={"results": []})
    answer = policy.new_session().get(SPACES)
    assert answer.json() == {"results": []}
    assert fake_time.sleeps == [7.0]
    stats = policy.stats
    assert (stats.reads, stats.writes, stats.retries, stats.wait_seconds) == (2, 0, 1, 7.0)


def test_retry_after_as_http_date_waits_until_that_moment(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy()
    later = formatdate(fake_time.now + 12, usegmt=True)
    mocked.get(SPACES, status=429, headers={"Retry-After": later})
    mocked.get(SPACES, json={})
    policy.new_session().get(SPACES)
    assert fake_time.sleeps == [pytest.approx(12.0, abs=1.0)]


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("3", now=0) == 3.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:00 GMT", now=30.0) == 30.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:10 GMT", now=30.0) == 0.0
    assert retry_after_seconds("soon", now=0) is None
    assert retry_after_seconds(None, now=0) is None
    # A proxy's negative or padded delta means "now" and "4 s": never a negative sleep.
    assert retry_after_seconds("-5", now=0) == 0.0
    assert retry_after_seconds(" 4 ", now=0) == 4.0


def test_a_site_that_stays_busy_is_tried_exactly_max_attempts_times(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy(max_attempts=3)
    mocked.get(SPACES, status=429, headers={"Retry-After": "1"})
    with pytest.raises(errors.RateLimitExhausted) as caught:
        policy.new_session().get(SPACES)
    assert len(mocked.calls) == 3
    assert fake_time.sleeps == [1.0, 1.0]
    assert caught.value.attempts == 3


def test_503_without_retry_after_backs_off_exponentially_with_full_jitter(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy(jitter=0.25)
    for _ in range(3):
        mocked.get(SPACES, status=503)
    mocked.get(SPACES, json={})
    policy.new_session().get(SPACES)
    # Ceilings 1, 2, 4 seconds, each scaled by the injected random number.
    assert fake_time.sleeps == [0.25, 0.5, 1.0]
    assert policy.stats.retries == 3


def test_backoff_ceiling_stops_doubling_at_the_cap(make_policy: Callable[..., HttpPolicy]) -> None:
    policy = make_policy(jitter=1.0)
    assert [policy.backoff(n) for n in (0, 1, 5, 6, 10)] == [1.0, 2.0, 32.0, 60.0, 60.0]


def test_total_wait_cap_ends_with_a_message_naming_the_endpoint_and_the_wait(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy(max_total_wait=25.0)
    mocked.get(SPACES, status=429, headers={"Retry-After": "10"})
    with pytest.raises(errors.RateLimitExhausted) as caught:
        policy.new_session().get(SPACES)
    assert fake_time.sleeps == [10.0, 10.0]
    message = caught.value.format()
    assert "GET /wiki/api/v2/spaces" in message
    assert "20.0s of waiting" in message
    assert "TEAMCOMMS_MAX_WAIT" in message
    assert caught.value.status == 429


def test_connection_reset_on_a_create_is_never_resent(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    policy = make_policy()
    mocked.post(PAGES, body=RESET)
    mocked.post(PAGES, json={"id": "1"})
    with pytest.raises(errors.UncertainWriteError) as caught:
        policy.new_session().post(PAGES, json={"title": "Welcome"})
    assert len(mocked.calls) == 1
    assert "may or may not have been carried out" in caught.value.format()
    assert "POST /wiki/api/v2/pages" in caught.value.format()


def test_gateway_timeout_on_a_create_is_uncertain_too(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.post(PAGES, status=504)
    with pytest.raises(errors.UncertainWriteError):
        make_policy().new_session().post(PAGES, json={})
    assert len(mocked.calls) == 1


def test_429_on_a_create_is_certain_and_is_retried(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    policy = make_policy()
    mocked.post(PAGES, status=429, headers={"Retry-After": "2"})
    mocked.post(PAGES, json={"id": "1"})
    assert policy.new_session().post(PAGES, json={}).json() == {"id": "1"}
    assert fake_time.sleeps == [2.0]
    assert policy.stats.writes == 2


def test_connection_reset_on_a_read_or_a_search_post_is_retried(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    search = f"{SITE}/rest/api/3/search/jql"
    mocked.get(SPACES, body=RESET)
    mocked.get(SPACES, json={"ok": 1})
    mocked.post(search, body=RESET)
    mocked.post(search, json={"issues": []})
    session = make_policy().new_session()
    assert session.get(SPACES).json() == {"ok": 1}
    assert session.post(search, json={}).json() == {"issues": []}


def test_unreachable_site_gives_up_with_a_hint(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, body=RESET)
    with pytest.raises(errors.SiteUnreachable) as caught:
        make_policy(max_attempts=3).new_session().get(SPACES)
    assert len(mocked.calls) == 3
    assert "TEAMCOMMS_SITE" in caught.value.format()


REFUSED = requests.exceptions.ConnectionError(
    MaxRetryError(
        None,  # type: ignore[arg-type]
        "/",
        NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused"),  # type: ignore[arg-type]
    )
)


def test_a_refused_connection_gives_up_after_a_few_quick_attempts(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, body=REFUSED)
    with pytest.raises(errors.SiteUnreachable) as caught:
        make_policy(jitter=1.0).new_session().get(SPACES)
    assert len(mocked.calls) == 3
    assert fake_time.sleeps == [1.0, 2.0]
    assert "connection refused" in caught.value.format()


def test_an_unknown_host_is_said_plainly(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    unknown = requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='x.invalid', port=443): Max retries exceeded (Caused by "
        "NameResolutionError(\"Failed to resolve 'x.invalid' "
        '([Errno -2] Name or service not known)"))'
    )
    mocked.get(SPACES, body=unknown)
    with pytest.raises(errors.SiteUnreachable) as caught:
        make_policy(max_attempts=1).new_session().get(SPACES)
    assert "the host name does not resolve" in caught.value.format()
    assert "HTTPSConnectionPool" not in caught.value.format()


def test_a_busy_site_that_also_drops_connections_is_not_called_unreachable(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, status=429, headers={"Retry-After": "1"})
    mocked.get(SPACES, status=503)
    mocked.get(SPACES, body=RESET)
    with pytest.raises(errors.RateLimitExhausted) as caught:
        make_policy(max_attempts=3).new_session().get(SPACES)
    message = caught.value.format()
    assert "cannot reach" not in message
    assert "after 3 attempts" in message
    assert "429, 503, connection reset" in message
    assert "TEAMCOMMS_MAX_WAIT" in message


def test_policy_timeouts_replace_the_libraries_defaults(
    cloud_clients: SiteClients, mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, json={"results": []})
    v2_client(cloud_clients).get("api/v2/spaces")
    sent: Any = mocked.calls[0].request
    assert sent.req_kwargs["timeout"] == (10.0, 90.0)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"errorMessages": ["Issue does not exist"], "errors": {}}, "Issue does not exist"),
        ({"errorMessages": [], "errors": {"summary": "Field required"}}, "summary: Field required"),
        (
            {"errors": [{"status": 400, "title": "INVALID_REQUEST_PARAMETER", "detail": "bad id"}]},
            "INVALID_REQUEST_PARAMETER: bad id",
        ),
        ({"statusCode": 404, "message": "No space with key : NOPE"}, "No space with key : NOPE"),
        ({"code": 401, "message": "Unauthorized; scope does not match"}, "scope does not match"),
    ],
    ids=["jira-errorMessages", "jira-errors", "confluence-v2", "confluence-v1", "gateway"],
)
def test_atlassian_message_is_parsed_from_each_body_shape(
    body: dict[str, object],
    expected: str,
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
) -> None:
    mocked.get(SPACES, status=400, json=body)
    with pytest.raises(errors.SiteHttpError) as caught:
        make_policy().new_session().get(SPACES)
    assert expected in caught.value.format()
    assert caught.value.status == 400
    assert caught.value.method == "GET"
    assert caught.value.url == SPACES


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, errors.AuthenticationFailed),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (410, errors.Gone),
        (500, errors.ServerError),
    ],
)
def test_statuses_become_typed_errors(
    status: int,
    kind: type[errors.SiteHttpError],
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
) -> None:
    mocked.get(SPACES, status=status, body="<html>oops</html>")
    with pytest.raises(kind):
        make_policy().new_session().get(SPACES)


def test_401_names_the_variables_to_set(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, status=401, body="Unauthorized")
    with pytest.raises(errors.AuthenticationFailed) as caught:
        make_policy().new_session().get(SPACES)
    assert "TEAMCOMMS_EMAIL" in caught.value.format()
    assert "TEAMCOMMS_API_TOKEN" in caught.value.format()


def test_url_in_errors_never_carries_credentials() -> None:
    assert errors.clean_url("https://bot:secret@acme.atlassian.net/x?y=1") == (
        "https://acme.atlassian.net/x?y=1"
    )


def test_worker_pool_keeps_order_and_raises_the_first_error() -> None:
    assert WorkerPool(3).map(lambda n: n * n, range(6)) == [0, 1, 4, 9, 16, 25]

    def fail_on_two(n: int) -> int:
        if n == 2:
            raise ValueError("two")
        return n

    with pytest.raises(ValueError, match="two"):
        WorkerPool(3).map(fail_on_two, range(4))


def test_refused_connection_on_a_create_is_retried_because_nothing_was_sent(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    refused = requests.exceptions.ConnectionError(
        MaxRetryError(None, PAGES, NewConnectionError(None, "Connection refused"))  # type: ignore[arg-type]
    )
    mocked.post(PAGES, body=refused)
    mocked.post(PAGES, json={"id": "1"})
    assert make_policy().new_session().post(PAGES, json={}).json() == {"id": "1"}
    assert len(mocked.calls) == 2


def test_tls_failure_is_not_retried(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, body=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(errors.SiteUnreachable, match="TLS failed"):
        make_policy().new_session().get(SPACES)
    assert len(mocked.calls) == 1


def test_workers_come_from_the_option_then_the_environment() -> None:
    from teamcomms.errors import ConfigError
    from teamcomms.site.pool import workers_setting

    assert workers_setting(None, {}) == 4
    assert workers_setting(None, {"TEAMCOMMS_WORKERS": "2"}) == 2
    assert workers_setting(8, {"TEAMCOMMS_WORKERS": "2"}) == 8
    with pytest.raises(ConfigError, match="whole number"):
        workers_setting(None, {"TEAMCOMMS_WORKERS": "many"})
    with pytest.raises(ConfigError, match="between 1 and 16"):
        workers_setting(0, {})


def test_a_long_wait_is_announced_so_a_quiet_log_does_not_look_hung(
    make_policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mocked.get(SPACES, status=429, headers={"Retry-After": "2"})
    mocked.get(SPACES, status=429, headers={"Retry-After": "30"})
    mocked.get(SPACES, json={})
    with caplog.at_level("WARNING", logger="teamcomms.site.http"):
        make_policy().new_session().get(SPACES)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "GET /wiki/api/v2/spaces: the site answered 429; waiting 30 s before trying again"
    ]
