"""Emulated burst limits (issue 13 item 2): token buckets per endpoint and method on the site's
clock, 429 with and without Retry-After, and the rate-limit headers Atlassian documents."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from jira.exceptions import JIRAError

from teamcomms.errors import ExitCode, UsageError
from teamcomms.sandbox import RateLimitSpec
from teamcomms.sandbox.rate_limits import LimitRule
from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _session(site: SandboxHandle) -> requests.Session:
    session = requests.Session()
    session.auth = (site.email, site.token)
    return session


def _page(
    session: requests.Session, site: SandboxHandle, space_id: str, n: int
) -> requests.Response:
    body = {
        "spaceId": space_id,
        "status": "current",
        "title": f"P{n}",
        "body": {"representation": "storage", "value": ""},
    }
    return session.post(f"{site.url}/wiki/api/v2/pages", json=body)


def test_the_spec_reads_defaults_rules_and_options() -> None:
    spec = RateLimitSpec.parse("on;POST,PUT /wiki/api/v2/pages=2.5/4;omit-retry-after:3")
    assert spec.rules == (
        LimitRule(20, 40, frozenset({"GET"})),
        LimitRule(10, 20, frozenset({"POST", "PUT", "DELETE"})),
        LimitRule(2.5, 4, frozenset({"POST", "PUT"}), "/wiki/api/v2/pages"),
    )
    assert spec.omit_retry_after == 3
    assert RateLimitSpec.parse("/rest/*=3").rules == (LimitRule(3, 3, frozenset(), "/rest/*"),)
    for bad in ("GET=fast", "GET=0", "GET=1/0", "sometimes", "omit-retry-after:x", "G3T=1"):
        with pytest.raises(UsageError, match="bad rate-limit spec"):
            RateLimitSpec.parse(bad)


def test_a_bucket_answers_429_when_empty_and_refills_on_the_clock(
    sandbox_site: SandboxHandle,
) -> None:
    site = sandbox_site
    site.clock.start_at(START)
    site.rate_limits.configure("POST /wiki/api/v2/pages=2/3;omit-retry-after:2")
    session = _session(site)
    space_id = site.state.space_by_key("TEAM")["id"]  # type: ignore[index]
    answers = [_page(session, site, space_id, n) for n in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0", "0"]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"3"}
    assert [a.headers.get("X-RateLimit-NearLimit") for a in answers] == [
        None,
        None,
        "true",
        "true",
        "true",
    ]
    assert [a.headers.get("Beta-Retry-After") for a in answers] == [None, None, "1", None, None]
    assert answers[0].headers["X-RateLimit-Reset"] == "2026-11-16T09:00Z"
    refused = answers[3]
    assert (refused.headers["Retry-After"], refused.headers["X-RateLimit-Reset"]) == (
        "1",
        "2026-11-16T09:00Z",
    )
    assert "RateLimit-Reason" not in refused.headers  # Atlassian documents none for Confluence
    assert refused.json()["errors"][0]["status"] == 429
    assert "Retry-After" not in answers[4].headers  # every 2nd refusal comes without it
    assert sorted(p["title"] for p in site.state.pages_in_space("TEAM"))[:3] == ["P0", "P1", "P2"]
    assert site.state.page_by_title("TEAM", "P3") is None  # a refused write changed nothing

    assert (
        session.get(f"{site.url}/wiki/api/v2/pages", params={"space-id": space_id}).status_code
        == 200
    )
    site.clock.advance(0.4)
    assert _page(session, site, space_id, 5).status_code == 429
    site.clock.advance(0.1)  # 0.5 s at 2/s: one token
    again = _page(session, site, space_id, 6)
    assert (again.status_code, again.headers["X-RateLimit-Remaining"]) == (200, "0")
    site.clock.advance(60)
    assert _page(session, site, space_id, 7).headers["X-RateLimit-Remaining"] == "2"  # full: 3


def test_buckets_are_per_path_template_and_method(sandbox_site: SandboxHandle) -> None:
    site = sandbox_site
    site.clock.start_at(START)
    client = jira(site)
    keys = [
        client.create_issue(
            fields={"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": str(n)}
        ).key
        for n in range(2)
    ]
    site.rate_limits.configure("GET,PUT /rest/api/*/issue/*=1/1")
    session = _session(site)
    url = f"{site.url}/rest/api/3/issue/"
    assert session.get(url + keys[0]).status_code == 200
    refused = session.get(url + keys[1])  # another issue, same endpoint: the same bucket
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Reason"] == "jira-burst-based"
    assert refused.json()["errorMessages"] == ["Rate limit exceeded."]
    assert session.put(url + keys[0], json={"fields": {"summary": "x"}}).status_code == 204
    transitions = url + keys[0] + "/transitions"
    assert session.get(transitions).status_code == 200  # another template: its own bucket
    assert session.get(transitions).status_code == 429
    site.clock.advance(1)
    assert session.get(transitions).status_code == 200  # refilled on the site's clock
    with pytest.raises(JIRAError) as raised:
        client.issue(keys[0])  # v2 path, GET: the v2 template has its own full bucket...
        client.issue(keys[1])  # ...of one token
    assert raised.value.status_code == 429
    assert site.rate_limits.refused[-1] == ("GET", "/rest/api/2/issue/{issueIdOrKey}")


def test_limits_are_off_unless_asked(sandbox_site: SandboxHandle) -> None:
    session = _session(sandbox_site)
    space_id = sandbox_site.state.space_by_key("TEAM")["id"]  # type: ignore[index]
    answers = [_page(session, sandbox_site, space_id, n) for n in range(50)]
    assert {a.status_code for a in answers} == {200}
    assert not any("X-RateLimit-Limit" in a.headers for a in answers)


def test_serve_refuses_a_bad_rate_limit_spec(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "teamcomms", "sandbox", "serve", "--port", "0", "--state",
         str(tmp_path / "s.json"), "--rate-limits", "GET=fast"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == ExitCode.USAGE
    assert "bad rate-limit spec 'GET=fast'" in done.stderr
    assert "Traceback" not in done.stderr
