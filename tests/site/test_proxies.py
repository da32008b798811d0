"""The environment's proxy and CA-bundle settings still apply, though requests no longer reads
them on every request (the policy reads them once per session and host)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from teamcomms.site.http import HttpConfig, HttpPolicy


class _Recorder(BaseHTTPRequestHandler):
    """Answers every GET with a small JSON body and remembers the request line it saw."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve() -> tuple[ThreadingHTTPServer, list[str]]:
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture
def proxy_and_site() -> Iterator[tuple[str, list[str], str, list[str]]]:
    proxy, through_proxy = _serve()
    site, direct = _serve()
    try:
        yield (
            f"http://127.0.0.1:{proxy.server_port}",
            through_proxy,
            f"http://127.0.0.1:{site.server_port}",
            direct,
        )
    finally:
        for server in (proxy, site):
            server.shutdown()
            server.server_close()


def test_requests_go_through_the_proxy_the_environment_names(
    proxy_and_site: tuple[str, list[str], str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, through_proxy, site, direct = proxy_and_site
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with HttpPolicy(HttpConfig()).new_session() as session:
        for _ in range(2):
            assert session.get(f"{site}/rest/api/3/myself").json() == {"ok": True}
    # A proxy is sent the whole URL; the site itself saw nothing.
    assert through_proxy == [f"{site}/rest/api/3/myself"] * 2
    assert direct == []


def test_hosts_in_no_proxy_are_reached_directly(
    proxy_and_site: tuple[str, list[str], str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, through_proxy, site, direct = proxy_and_site
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with HttpPolicy(HttpConfig()).new_session() as session:
        assert session.get(f"{site}/wiki/api/v2/spaces").json() == {"ok": True}
    assert direct == ["/wiki/api/v2/spaces"]
    assert through_proxy == []


def test_a_ca_bundle_named_in_the_environment_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "company-ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert HttpPolicy(HttpConfig()).new_session().verify == str(bundle)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.setenv("CURL_CA_BUNDLE", str(bundle))
    assert HttpPolicy(HttpConfig()).new_session().verify == str(bundle)
