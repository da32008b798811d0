"""Shared fixtures.

``sandbox_site`` — a sandbox Atlassian site for one test, on a free 127.0.0.1 port, with every
request and answer checked against Atlassian's OpenAPI specs (``tests/contract``). It is always
stopped, and the test fails at teardown if any exchange broke the contract. It yields a
:class:`SandboxHandle`:

* ``.url`` — ``http://127.0.0.1:PORT`` (Jira at ``/rest/...``, Confluence at ``/wiki/...``);
* ``.email`` / ``.token`` — the Basic-auth credentials the site accepts;
* ``.state`` — the :class:`teamcomms.sandbox.SiteState`: read or change the site directly for setup,
  e.g. ``state.add_space("DOCS")``, ``state.page_by_title("TEAM", "Onboarding")``,
  ``state.edit_page_as_user(page_id, body="<p>hand edit</p>")`` (a version by someone else);
* ``.requests`` — ``(method, path, status)`` of every request served, in order (status 0: reset);
  ``.count(method, path_prefix)`` counts them;
* ``.faults`` — the :class:`teamcomms.sandbox.FaultController`: ``.inject("429", method="POST",
  path="/wiki/api/v2/pages")`` fails the next matching request, ``.configure("503:0.5")`` sets
  random faults (seeded), ``.clear()`` removes all;
* ``.sleeps`` — the seconds the site "slept" (latency and slow answers go to this fake sleeper);
* ``.clock`` — the site's clock (real time plus an offset): ``.advance(seconds)`` moves it, e.g.
  past a ``search-delay-ms`` fault; ``.start_at(datetime)`` fixes it (a known history);
* ``.rate_limits`` — the :class:`teamcomms.sandbox.RateLimiter`, off unless a test asks:
  ``.configure("on")`` (the documented burst limits) or rules such as ``"POST /wiki/*=2/3"``;
* ``.contract`` — the :class:`tests.contract.checker.ContractChecker` (``.violations``);
* ``.restart()`` — stop and start again on the same state file (persistence);
* ``.deployment`` — ``cloud`` (the default) or ``datacenter``: parametrize a test with
  ``@pytest.mark.parametrize("sandbox_site", ["cloud", "datacenter"], indirect=True)`` to run it
  against both. A Data Center site accepts the personal access token ``.token`` as Bearer, and its
  exchanges are checked by ``tests/contract/datacenter.py`` (Atlassian publishes no Data Center
  OpenAPI documents the project holds).

``sandbox_state_file`` — the state file path the site uses (under ``tmp_path``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from teamcomms.sandbox import FaultController, RateLimiter, SandboxSite, SiteState, start_sandbox
from teamcomms.sandbox.state import Deployment
from tests.contract.checker import ContractChecker
from tests.contract.datacenter import DatacenterChecker


@dataclass
class SiteClock:
    """Real UTC time (or a fixed start) plus an offset that tests move forward; the sandbox's
    clock."""

    offset: timedelta = timedelta()
    start: datetime | None = None

    def __call__(self) -> datetime:
        return (self.start or datetime.now(UTC)) + self.offset

    def start_at(self, moment: datetime) -> None:
        """Stop following real time: from now on the site's time is ``moment`` plus advances."""
        self.start, self.offset = moment, timedelta()

    def advance(self, seconds: float) -> None:
        """Move the site's time forward."""
        self.offset += timedelta(seconds=seconds)


@dataclass
class SandboxHandle:
    """What the ``sandbox_site`` fixture yields (see the module docstring)."""

    state_file: Path
    deployment: Deployment = "cloud"
    contract: ContractChecker | DatacenterChecker = field(default_factory=ContractChecker)
    sleeps: list[float] = field(default_factory=list)
    clock: SiteClock = field(default_factory=SiteClock)
    site: SandboxSite | None = None

    def __post_init__(self) -> None:
        if self.deployment == "datacenter" and isinstance(self.contract, ContractChecker):
            self.contract = DatacenterChecker()

    def start(self) -> None:
        """Start the site (called by the fixture)."""
        self.site = start_sandbox(
            self.state_file,
            sleeper=self.sleeps.append,
            observer=self.contract,
            clock=self.clock,
            deployment=self.deployment,
        )

    def restart(self) -> None:
        """Stop and start again from the saved state file (the port changes)."""
        self.running.stop()
        self.start()

    @property
    def running(self) -> SandboxSite:
        """The running site."""
        assert self.site is not None, "the sandbox is not running"
        return self.site

    @property
    def url(self) -> str:
        return self.running.url

    @property
    def confluence_url(self) -> str:
        """Confluence's base URL (``/wiki`` on Cloud, the site itself on Data Center)."""
        return self.running.confluence_url

    @property
    def email(self) -> str:
        return self.running.email

    @property
    def token(self) -> str:
        return self.running.token

    @property
    def state(self) -> SiteState:
        return self.running.state

    @property
    def faults(self) -> FaultController:
        return self.running.faults

    @property
    def rate_limits(self) -> RateLimiter:
        return self.running.rate_limits

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        return self.running.requests

    def count(self, method: str, path_prefix: str = "") -> int:
        """How many requests with this method and path prefix were served."""
        return sum(1 for m, p, _ in self.requests if m == method and p.startswith(path_prefix))


@pytest.fixture
def sandbox_state_file(tmp_path: Path) -> Path:
    """Where the ``sandbox_site`` fixture keeps its state."""
    return tmp_path / "sandbox-state.json"


@pytest.fixture
def sandbox_site(
    sandbox_state_file: Path, request: pytest.FixtureRequest
) -> Iterator[SandboxHandle]:
    """A running, contract-checked sandbox site; stopped after the test (see module docstring).
    Cloud unless the test parametrizes it indirectly with ``datacenter``."""
    handle = SandboxHandle(sandbox_state_file, getattr(request, "param", "cloud"))
    handle.start()
    try:
        yield handle
        if handle.site is not None and not handle.site.state.helper_changes_unsaved:
            assert_state_file_replays_to(handle.site.state, handle.state_file)
    finally:
        if handle.site is not None:
            handle.site.stop()
    handle.contract.assert_clean()


def assert_state_file_replays_to(live: SiteState, state_file: Path) -> None:
    """What a sandbox killed now would load (state file + journal) is exactly the live site."""
    with live.lock:
        expected = _comparable(live.data)
        loaded = _comparable(SiteState(state_file, live.clock).data)
    assert loaded == expected


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    # Left out: the save counter, tables that reading created empty, and how often a Jira task
    # was polled (reads are not journalled; a restarted site counts the polls again).
    tasks = {k: {**t, "polls": 0} for k, t in data.get("tasks", {}).items()}
    kept = {k: v for k, v in data.items() if k != "generation" and v != {}}
    return {**kept, **({"tasks": tasks} if tasks else {})}
