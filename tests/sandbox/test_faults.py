"""Faults on demand: each kind, scoping, determinism, and the spec syntax."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
import requests

from teamcomms.errors import UsageError
from teamcomms.sandbox import FaultController, FaultSpec, start_sandbox
from tests.conftest import SandboxHandle

PAGES = "/wiki/api/v2/pages"


def _create(site: SandboxHandle, title: str) -> requests.Response:
    space = site.state.space_by_key("TEAM")
    assert space is not None
    return requests.post(
        site.url + PAGES,
        json={"spaceId": space["id"], "status": "current", "title": title},
        auth=(site.email, site.token),
        timeout=10,
    )


def test_429_carries_retry_after_in_seconds(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("429", method="POST", path=PAGES)
    answer = _create(sandbox_site, "Limited")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.headers["RateLimit-Reason"] == "jira-burst-based"
    assert sandbox_site.state.page_by_title("TEAM", "Limited") is None
    assert _create(sandbox_site, "Limited").status_code == 200  # only the next request failed


def test_429_can_carry_retry_after_as_an_http_date(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("429-date")
    answer = _create(sandbox_site, "Dated")
    assert answer.status_code == 429
    when = parsedate_to_datetime(answer.headers["Retry-After"])
    assert 0 <= (when - datetime.now(UTC)).total_seconds() <= 3


def test_503_with_and_without_retry_after(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("503")
    bare = _create(sandbox_site, "Down")
    assert bare.status_code == 503
    assert "Retry-After" not in bare.headers
    sandbox_site.faults.inject("503-retry")
    assert _create(sandbox_site, "Down").headers["Retry-After"] == "2"


def test_reset_before_handling_changes_nothing(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("reset", method="POST")
    with pytest.raises(requests.ConnectionError):
        _create(sandbox_site, "Lost")
    assert sandbox_site.state.page_by_title("TEAM", "Lost") is None
    assert sandbox_site.requests[-1] == ("POST", PAGES, 0)


def test_reset_after_handling_keeps_the_write(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("reset-after", method="POST")
    with pytest.raises(requests.ConnectionError):
        _create(sandbox_site, "Ghost")
    # The write happened: a client that re-sends blindly gets a duplicate-title error.
    assert sandbox_site.state.page_by_title("TEAM", "Ghost") is not None
    assert _create(sandbox_site, "Ghost").status_code == 400


def test_slow_answers_and_latency_use_the_injected_sleeper(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.configure("slow:1,slow-ms:1500")
    assert _create(sandbox_site, "Slow").status_code == 200
    assert sandbox_site.sleeps == [1.5]
    sleeps: list[float] = []
    with start_sandbox(None, latency_ms=250, sleeper=sleeps.append) as site:
        requests.get(site.url + "/wiki/api/v2/spaces", auth=(site.email, site.token), timeout=10)
    assert sleeps == [0.25]


def test_scoped_rules_hit_only_their_endpoint(sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.configure("POST /wiki/api/v2/pages=503:1")
    auth = (sandbox_site.email, sandbox_site.token)
    assert requests.get(sandbox_site.url + "/wiki/api/v2/spaces", auth=auth, timeout=10).ok
    assert _create(sandbox_site, "Scoped").status_code == 503


def test_random_faults_are_deterministic_for_a_seed() -> None:
    spec = FaultSpec.parse("429:0.3,503:0.2,reset:0.1")

    def run(seed: int) -> list[list[str]]:
        controller = FaultController(seed=seed)
        controller.configure(spec)
        return [controller.choose("GET", "/rest/api/3/myself") for _ in range(60)]

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert any(run(7)) and not all(run(7))


def test_fault_spec_syntax() -> None:
    spec = FaultSpec.parse(
        "429:0.2,503:0.1,reset:0.05,slow:0.1,conflict409:0.1,search-lag:2;"
        "POST /wiki/api/v2/pages=429:0.5"
    )
    assert [r.kind for r in spec.rules] == ["429", "503", "reset", "slow", "conflict409", "429"]
    assert spec.search_lag == 2
    assert (spec.rules[-1].method, spec.rules[-1].path_glob) == ("POST", "/wiki/api/v2/pages")
    assert spec.rules[-1].matches("POST", "/wiki/api/v2/pages")
    assert not spec.rules[-1].matches("GET", "/wiki/api/v2/pages")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("418:0.5", "unknown fault kind"),
        ("429:2", "between 0 and 1"),
        ("429", "expected KIND:PROBABILITY"),
        ("/x=search-lag:2", "applies to the whole site"),
        ("search-lag:-1", "must not be negative"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        FaultSpec.parse(text)
