"""Fixtures for the site layer: a fake clock that never sleeps, and clients on a mocked site."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import responses

from teamcomms.site.clients import SiteClients, connect
from teamcomms.site.http import HttpConfig, HttpPolicy
from teamcomms.site.settings import Credentials, SiteSettings

SITE = "https://acme.atlassian.net"
EMAIL = "bot@acme.io"
TOKEN = "ATATT3xFfGF0-very-secret-token"


def _is_loopback(host: object) -> bool:
    text = str(host).strip("[]")
    if text == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """These tests name real Atlassian hosts; fail any test that looks one up or connects to it.

    The attempt is refused and also recorded, so code that treats the refusal as "site down"
    cannot hide it.
    """
    attempts: list[str] = []
    lookup, connect_socket = socket.getaddrinfo, socket.socket.connect

    def guarded_lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(
            host.decode() if isinstance(host, bytes) else host
        ):
            attempts.append(f"lookup {host}")
            raise socket.gaierror(socket.EAI_NONAME, "tests never reach the internet")
        return lookup(host, *args, **kwargs)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            attempts.append(f"connect {address[0]}")
            raise ConnectionRefusedError("tests never reach the internet")
        connect_socket(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield
    assert attempts == [], "a test tried to reach the internet"


@dataclass
class FakeTime:
    """A monotonic and wall clock that only moves when the policy 'sleeps'."""

    now: float = 1_800_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_policy(fake_time: FakeTime) -> Callable[..., HttpPolicy]:
    def build(jitter: float = 0.5, **config: float) -> HttpPolicy:
        return HttpPolicy(
            HttpConfig(write_interval=0.0, **config),  # type: ignore[arg-type]
            sleeper=fake_time.sleep,
            clock=fake_time.clock,
            wall_clock=fake_time.clock,
            jitter=lambda: jitter,
            auth_hint="check TEAMCOMMS_EMAIL and TEAMCOMMS_API_TOKEN",
        )

    return build


def cloud_settings(**changes: object) -> SiteSettings:
    credentials = Credentials("basic", TOKEN, user=EMAIL, source="TEAMCOMMS_API_TOKEN")
    credentials.register()
    values: dict[str, object] = {
        "site_url": SITE,
        "deployment": "cloud",
        "credentials": credentials,
        **changes,
    }
    return SiteSettings(**values)  # type: ignore[arg-type]


def datacenter_settings(site_url: str, pat: str) -> SiteSettings:
    """Settings for a Data Center site at ``site_url`` with a personal access token."""
    credentials = Credentials("bearer", pat, source="TEAMCOMMS_PAT")
    return cloud_settings(site_url=site_url, deployment="datacenter", credentials=credentials)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def cloud_clients(
    make_policy: Callable[..., HttpPolicy], mocked: responses.RequestsMock
) -> SiteClients:
    return connect(cloud_settings(), make_policy())


def sent_json(mock: responses.RequestsMock, index: int = -1) -> Any:
    """The JSON body of a recorded request."""
    return json.loads(mock.calls[index].request.body or b"null")


def url_of(mock: responses.RequestsMock, index: int = -1) -> str:
    """The URL of a recorded request."""
    return str(mock.calls[index].request.url)


def v2_client(clients: SiteClients) -> Any:
    """The Confluence v2 client (present on Cloud)."""
    assert clients.confluence_v2 is not None
    return clients.confluence_v2
