"""The adaptive write rate: it ramps up on a clean site, backs off when the site pushes back, and
honours every rate-limit header Atlassian sends, per endpoint and method. Time is a fake clock
that only moves when the policy sleeps."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any

import pytest
import requests
import responses

from teamcomms.errors import ConfigError
from teamcomms.site import errors
from teamcomms.site.http import HttpConfig, HttpPolicy
from teamcomms.site.pool import WorkerPool
from teamcomms.site.write_rate import (
    DECREASE_FACTOR,
    INITIAL_RATE,
    MAX_RATE,
    MIN_RATE,
    NEAR_LIMIT_FACTOR,
    WriteRate,
    advised_wait,
    endpoint_key,
    seconds_until_reset,
)

from .conftest import SITE, FakeTime

PAGES = f"{SITE}/wiki/api/v2/pages"
LABELS = f"{SITE}/wiki/rest/api/content/{{}}/label"
SPACES = f"{SITE}/wiki/api/v2/spaces"


@pytest.fixture
def policy(fake_time: FakeTime) -> Callable[..., HttpPolicy]:
    """A policy with the adaptive write rate on (the site fixtures turn it off)."""

    def build(**config: Any) -> HttpPolicy:
        return HttpPolicy(
            HttpConfig(**config),
            sleeper=fake_time.sleep,
            clock=fake_time.clock,
            wall_clock=fake_time.clock,
            jitter=lambda: 0.5,
        )

    return build


@pytest.fixture
def starts(fake_time: FakeTime, mocked: responses.RequestsMock) -> Iterator[list[float]]:
    """When each request reached the site (fake seconds since the test began)."""
    began = fake_time.now
    seen: list[float] = []

    def record(request: requests.PreparedRequest) -> None:
        seen.append(round(fake_time.now - began, 6))

    original = mocked._on_request

    def on_request(adapter: Any, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        record(request)
        return original(adapter, request, **kwargs)

    mocked._on_request = on_request  # type: ignore[method-assign]
    yield seen


def _gaps(times: list[float]) -> list[float]:
    return [round(b - a, 6) for a, b in itertools.pairwise(times)]


# -- which endpoint a write belongs to --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "key"),
    [
        ("POST", f"{SITE}/wiki/api/v2/pages", "POST /wiki/api/v2/pages"),
        ("PUT", f"{SITE}/wiki/api/v2/pages/98765", "PUT /wiki/api/v2/pages/{id}"),
        (
            "POST",
            f"{SITE}/wiki/api/v2/pages/5/properties?x=1",
            "POST /wiki/api/v2/pages/{id}/properties",
        ),
        (
            "PUT",
            f"{SITE}/wiki/api/v2/pages/5/properties/77",
            "PUT /wiki/api/v2/pages/{id}/properties/{name}",
        ),
        (
            "DELETE",
            f"{SITE}/wiki/rest/api/content/12/label/deployment",
            "DELETE /wiki/rest/api/content/{id}/label/{name}",
        ),
        ("PUT", f"{SITE}/rest/api/3/issue/OPS-12", "PUT /rest/api/3/issue/{id}"),
        ("PUT", f"{SITE}/rest/api/2/project/OPS", "PUT /rest/api/2/project/{key}"),
        ("POST", f"{SITE}/rest/agile/1.0/board", "POST /rest/agile/1.0/board"),
        (
            "POST",
            "https://api.atlassian.com/ex/jira/3f2a9c1e-0b6d-4e8a-9a77-1c2d3e4f5a6b/rest/api/3/issue",
            "POST /ex/jira/{id}/rest/api/3/issue",
        ),
    ],
)
def test_an_endpoint_is_its_method_and_path_with_ids_and_keys_collapsed(
    method: str, url: str, key: str
) -> None:
    assert endpoint_key(method, url) == key


# -- ramping up and backing off ---------------------------------------------------------------


def test_writes_speed_up_while_the_site_answers_cleanly(
    policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock, starts: list[float]
) -> None:
    mocked.post(PAGES, json={"id": "1"})
    session = policy().new_session()
    for _ in range(60):
        session.post(PAGES, json={})
    gaps = _gaps(starts)
    assert gaps[0] == pytest.approx(1 / INITIAL_RATE)
    assert all(later <= earlier for earlier, later in itertools.pairwise(gaps))
    rate = policy_rate(session, "POST /wiki/api/v2/pages")
    # About INCREASE_PER_SECOND (2/s) more for each busy second: 60 writes take ~4.5 s.
    assert 16 < rate < 22
    assert gaps[-1] == pytest.approx(1 / rate, rel=0.02)


def policy_rate(session: requests.Session, key: str) -> float:
    adapter: Any = session.get_adapter(SITE)
    rates: dict[str, float] = adapter.policy.write_rate.rates()
    return rates[key]


def test_the_rate_never_passes_its_ceiling(fake_time: FakeTime) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    for _ in range(20_000):
        rate.record(rate.wait_turn("POST", PAGES), 200, {})
    assert rate.rates() == {"POST /wiki/api/v2/pages": MAX_RATE}


def test_a_429_halves_the_rate_of_that_endpoint_only(
    policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock, starts: list[float]
) -> None:
    mocked.post(PAGES, status=429, headers={"Retry-After": "0"})
    mocked.post(PAGES, json={"id": "1"})
    mocked.post(LABELS.format(1), json={})
    session = policy().new_session()
    session.post(PAGES, json={})
    session.post(LABELS.format(1), json=[])
    rates = session.get_adapter(SITE).policy.write_rate.rates()  # type: ignore[attr-defined]
    assert rates["POST /wiki/api/v2/pages"] == pytest.approx(
        (INITIAL_RATE * DECREASE_FACTOR) + 2.0 / (INITIAL_RATE * DECREASE_FACTOR)
    )
    assert rates["POST /wiki/rest/api/content/{id}/label"] > INITIAL_RATE
    # The retried create waited for the halved rate's slot: 1/5 s after the 429.
    assert _gaps(starts)[0] == pytest.approx(1 / (INITIAL_RATE * DECREASE_FACTOR))


def test_repeated_429s_slow_down_to_the_floor_and_no_further(fake_time: FakeTime) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    for _ in range(30):
        rate.record(rate.wait_turn("POST", PAGES), 429, {})
    assert rate.rates()["POST /wiki/api/v2/pages"] == MIN_RATE


def test_429s_from_one_burst_of_parallel_writes_slow_down_once(fake_time: FakeTime) -> None:
    lock = threading.Lock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(seconds)

    rate = WriteRate(clock=fake_time.clock, sleeper=sleep, wall_clock=fake_time.clock)
    tickets = WorkerPool(4).map(lambda _: rate.wait_turn("POST", PAGES), range(4))
    for ticket in tickets:  # all four were sent before the site said anything
        rate.record(ticket, 429, {})
    assert rate.rates()["POST /wiki/api/v2/pages"] == INITIAL_RATE * DECREASE_FACTOR
    fake_time.now += 1
    later = rate.wait_turn("POST", PAGES)
    rate.record(later, 429, {})  # a write sent after the decrease: the new rate is too fast
    assert rate.rates()["POST /wiki/api/v2/pages"] == INITIAL_RATE * DECREASE_FACTOR**2


def test_parallel_writers_to_one_endpoint_queue_up_at_its_rate(fake_time: FakeTime) -> None:
    lock = threading.Lock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(round(seconds, 6))

    rate = WriteRate(clock=fake_time.clock, sleeper=sleep, wall_clock=fake_time.clock)
    WorkerPool(4).map(lambda _: rate.wait_turn("POST", PAGES), range(4))
    WorkerPool(4).map(lambda n: rate.wait_turn("POST", LABELS.format(n)), range(3))
    # Each endpoint has its own queue: 0.1 s apart at the initial rate.
    assert sorted(slept) == [0.1, 0.1, 0.2, 0.2, 0.3]


def test_a_503_slows_down_like_a_429(fake_time: FakeTime) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    rate.record(rate.wait_turn("PUT", f"{PAGES}/1"), 503, {})
    assert rate.rates()["PUT /wiki/api/v2/pages/{id}"] == INITIAL_RATE * DECREASE_FACTOR


def test_other_errors_neither_speed_up_nor_slow_down(fake_time: FakeTime) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    for status in (400, 404, 409, 500):
        rate.record(rate.wait_turn("PUT", f"{PAGES}/1"), status, {})
    assert rate.rates()["PUT /wiki/api/v2/pages/{id}"] == INITIAL_RATE


def test_reads_are_not_paced(
    policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    mocked.get(SPACES, json={"results": []})
    session = policy().new_session()
    for _ in range(5):
        session.get(SPACES)
    assert fake_time.sleeps == []


# -- the headers ------------------------------------------------------------------------------


def test_near_limit_eases_off_before_the_limit_and_does_not_speed_up(fake_time: FakeTime) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    rate.record(rate.wait_turn("POST", PAGES), 200, {"X-RateLimit-NearLimit": "true"})
    assert rate.rates()["POST /wiki/api/v2/pages"] == INITIAL_RATE * NEAR_LIMIT_FACTOR
    fake_time.now += 1
    rate.record(rate.wait_turn("POST", PAGES), 200, {"X-RateLimit-NearLimit": "false"})
    assert rate.rates()["POST /wiki/api/v2/pages"] > INITIAL_RATE * NEAR_LIMIT_FACTOR


@pytest.mark.parametrize("header", ["Retry-After", "Beta-Retry-After"])
def test_retry_after_holds_every_write_to_that_endpoint(
    policy: Callable[..., HttpPolicy],
    mocked: responses.RequestsMock,
    starts: list[float],
    header: str,
) -> None:
    mocked.post(PAGES, status=429, headers={header: "7"})
    mocked.post(PAGES, json={"id": "1"})
    mocked.post(LABELS.format(1), json={})
    session = policy().new_session()
    session.post(PAGES, json={})  # waits 7 s itself, then goes through
    session.post(PAGES, json={})
    session.post(LABELS.format(1), json=[])
    assert starts[1] == pytest.approx(7.0)
    assert starts[2] >= 7.0 + 1 / (INITIAL_RATE * DECREASE_FACTOR) - 1e-9
    assert starts[3] == starts[2]  # another endpoint is not held


def test_retry_after_from_another_writer_holds_a_write_already_in_the_queue(
    fake_time: FakeTime,
) -> None:
    rate = WriteRate(clock=fake_time.clock, sleeper=fake_time.sleep, wall_clock=fake_time.clock)
    first = rate.wait_turn("POST", PAGES)
    rate.record(first, 429, {"Retry-After": "30"})
    second = rate.wait_turn("POST", PAGES)
    assert second.started - first.started == pytest.approx(30.0)


def test_retry_after_as_an_http_date_and_the_longer_of_two_headers(fake_time: FakeTime) -> None:
    now = fake_time.now
    date = formatdate(now + 12, usegmt=True)
    assert advised_wait({"Retry-After": date}, now, limited=True) == pytest.approx(12, abs=1)
    both = {"Retry-After": "3", "Beta-Retry-After": "9"}
    assert advised_wait(both, now, limited=True) == 9.0


def test_remaining_zero_holds_writes_until_the_reset_time(
    policy: Callable[..., HttpPolicy],
    fake_time: FakeTime,
    mocked: responses.RequestsMock,
    starts: list[float],
) -> None:
    reset = _iso(fake_time.now + 20)
    mocked.post(PAGES, json={"id": "1"}, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset
    })  # fmt: skip
    mocked.post(PAGES, json={"id": "2"})
    session = policy().new_session()
    session.post(PAGES, json={})
    session.post(PAGES, json={})
    assert starts == [0.0, pytest.approx(20.0)]


def test_a_429_without_retry_after_waits_until_the_reset_time(
    policy: Callable[..., HttpPolicy],
    fake_time: FakeTime,
    mocked: responses.RequestsMock,
    starts: list[float],
) -> None:
    reset = _iso(fake_time.now + 42)
    mocked.post(PAGES, status=429, headers={"X-RateLimit-Reset": reset})
    mocked.post(PAGES, json={"id": "1"})
    policy().new_session().post(PAGES, json={})
    assert starts == [0.0, pytest.approx(42.0)]


def test_a_429_without_any_header_backs_off_with_jitter(
    policy: Callable[..., HttpPolicy],
    fake_time: FakeTime,
    mocked: responses.RequestsMock,
) -> None:
    for _ in range(3):
        mocked.post(PAGES, status=429)
    mocked.post(PAGES, json={"id": "1"})
    built = policy()
    built.new_session().post(PAGES, json={})
    # Full jitter (0.5 here) of 1, 2, 4 s; then each retry's slot at the halved rate.
    assert [s for s in fake_time.sleeps if s in (0.5, 1.0, 2.0)] == [0.5, 1.0, 2.0]
    assert built.stats.throttled == 3
    assert built.stats.writes == 4


def test_a_reset_far_away_gives_up_with_a_message_rather_than_hanging(
    policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    mocked.post(PAGES, status=429, headers={"X-RateLimit-Reset": _iso(fake_time.now + 3600)})
    with pytest.raises(errors.RateLimitExhausted) as caught:
        policy().new_session().post(PAGES, json={})
    assert fake_time.sleeps == []
    assert "the site asks to wait 3600 s more" in caught.value.format()
    assert "TEAMCOMMS_MAX_WAIT" in caught.value.format()


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2026-01-01T00:00:30Z", 30.0),
        ("2026-01-01T00:00:30+00:00", 30.0),
        ("2026-01-01T01:00:30+01:00", 30.0),
        ("2026-01-01T00:00:30", 30.0),
        ("2025-12-31T23:00:00Z", 0.0),
        ("soon", None),
        ("", None),
    ],
)
def test_reset_times_are_read_as_iso_8601(value: str, seconds: float | None) -> None:
    now = 1_767_225_600.0  # 2026-01-01T00:00:00Z
    assert seconds_until_reset(value, now) == seconds


def _iso(when: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(when, UTC).isoformat().replace("+00:00", "Z")


# -- the user's cap ---------------------------------------------------------------------------


def test_the_user_cap_spaces_all_writes_together(
    policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock, starts: list[float]
) -> None:
    mocked.post(PAGES, json={"id": "1"})
    mocked.post(LABELS.format(1), json={})
    session = policy(
        **vars(HttpConfig.from_env({"TEAMCOMMS_MAX_WRITES_PER_SECOND": "2"}))
    ).new_session()
    for _ in range(10):
        session.post(PAGES, json={})
        session.post(LABELS.format(1), json=[])
    assert set(_gaps(starts)) == {0.5}


@pytest.mark.parametrize("raw", ["fast", "0", "-1", "nan", "inf"])
def test_a_bad_cap_names_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError, match="TEAMCOMMS_MAX_WRITES_PER_SECOND") as caught:
        HttpConfig.from_env({"TEAMCOMMS_MAX_WRITES_PER_SECOND": raw})
    assert "e.g. 2" in caught.value.format()


def test_no_pacing_at_all_when_the_write_interval_is_zero(
    make_policy: Callable[..., HttpPolicy], fake_time: FakeTime, mocked: responses.RequestsMock
) -> None:
    mocked.post(PAGES, status=429, headers={"Retry-After": "1"})
    mocked.post(PAGES, json={"id": "1"})
    session = make_policy().new_session()
    session.post(PAGES, json={})
    session.post(PAGES, json={})
    assert fake_time.sleeps == [1.0]  # only the Retry-After of the 429 itself


def test_a_hold_set_while_a_write_waits_for_its_slot_holds_it_too(fake_time: FakeTime) -> None:
    holds: list[WriteRate] = []

    def sleep(seconds: float) -> None:
        fake_time.sleep(seconds)
        if holds:  # another writer's answer arrives while this one sleeps
            holds.pop().record(first, 429, {"Retry-After": "30"})

    rate = WriteRate(clock=fake_time.clock, sleeper=sleep, wall_clock=fake_time.clock)
    first = rate.wait_turn("POST", PAGES)
    holds.append(rate)
    second = rate.wait_turn("POST", PAGES)
    assert second.started - first.started == pytest.approx(30.1)


def test_a_reset_time_without_a_zone_is_utc_wherever_teamcomms_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert seconds_until_reset("2026-01-01T00:00:30", 1_767_225_600.0) == 30.0
    finally:
        monkeypatch.undo()
        time.tzset()
