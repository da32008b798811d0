"""The HTTP side of the sandbox: a stdlib threading server on loopback, sign-in (Basic auth on
Cloud, a personal access token on Data Center), latency, faults, routing, error shapes,
persistence after writes and an observer hook for contract checks."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from teamcomms.errors import ConfigError, UsageError
from teamcomms.sandbox import datacenter, journal
from teamcomms.sandbox.api import ApiError, Context, Request, Response, error_body
from teamcomms.sandbox.datacenter import SANDBOX_PAT
from teamcomms.sandbox.faults import FaultController, FaultSpec, refuse_by_fault
from teamcomms.sandbox.own_paths import is_own, is_web_view
from teamcomms.sandbox.rate_limits import Decision, RateLimiter, RateLimitSpec
from teamcomms.sandbox.routes import dispatch, template_of
from teamcomms.sandbox.seed import SANDBOX_EMAIL, SANDBOX_TOKEN
from teamcomms.sandbox.sign_in import sign_in_error
from teamcomms.sandbox.state import DEPLOYMENTS, Clock, Deployment, SiteState, _utcnow
from teamcomms.sandbox.state_lock import StateLock

Sleeper = Callable[[float], None]


@dataclass(frozen=True)
class Exchange:
    """One request and the answer to it, as the observer sees them.

    ``status`` is 0 and the response fields are empty when the connection was reset instead.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    response_headers: dict[str, str]
    response_body: bytes
    faults: tuple[str, ...] = ()
    deployment: Deployment = "cloud"
    """Which site answered: Cloud (checked against Atlassian's OpenAPI documents) or Data Center
    (for which Atlassian publishes none the tests could use)."""


Observer = Callable[[Exchange], None]


@dataclass
class SandboxSite:
    """A running sandbox site. Use :func:`start_sandbox`; stop it with :meth:`stop` or ``with``."""

    state: SiteState
    faults: FaultController
    host: str
    port: int = 0
    email: str = SANDBOX_EMAIL
    token: str = SANDBOX_TOKEN
    latency_ms: int = 0
    sleeper: Sleeper = time.sleep
    observer: Observer | None = None
    rate_limits: RateLimiter = field(default_factory=RateLimiter)
    """Emulated burst limits (off unless configured)."""
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    """``(method, path, status)`` of every request served (status 0: connection reset)."""
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: StateLock | None = None

    @property
    def url(self) -> str:
        """The site's base URL, ``http://127.0.0.1:PORT`` (Confluence is under ``/wiki`` on Cloud,
        at the root beside Jira on Data Center)."""
        return f"http://{self.host}:{self.port}"

    @property
    def deployment(self) -> Deployment:
        """``cloud`` or ``datacenter`` (fixed by the state file)."""
        return self.state.deployment

    @property
    def confluence_url(self) -> str:
        """Confluence's base URL: ``…/wiki`` on Cloud, the site itself on Data Center."""
        return self.url + ("" if self.deployment == "datacenter" else "/wiki")

    def stop(self) -> None:
        """Stop serving and save the state."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        try:
            self.state.save()
        finally:
            if self._lock is not None:
                self._lock.release()

    def wait(self) -> None:
        """Block until the site is stopped or the process is interrupted (Ctrl-C stops it)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SandboxSite:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def check_loopback(host: str) -> str:
    """The IP address to bind for ``host``; anything but loopback is refused."""
    address = "127.0.0.1" if host == "localhost" else host
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if ip is None or not ip.is_loopback or ip.version != 4:
        # Exit 1 like the refusal of plain http:// to a remote host: a refused setting, not a
        # malformed command line.
        raise ConfigError(
            f"the sandbox only listens on 127.0.0.1, not on {host!r}",
            hint="it has fixed, public credentials; drop --host or pass --host 127.0.0.1",
        )
    return address


def start_sandbox(
    state_file: Path | None = None,
    port: int = 0,
    latency_ms: int = 0,
    faults: FaultSpec | str | None = None,
    seed: int = 0,
    sleeper: Sleeper = time.sleep,
    observer: Observer | None = None,
    *,
    host: str = "127.0.0.1",
    clock: Clock = _utcnow,
    rate_limits: RateLimitSpec | str | None = None,
    deployment: Deployment | None = None,
) -> SandboxSite:
    """Start a sandbox site on a loopback port (``port=0``: a free one) and return it running.

    ``deployment`` (``cloud`` or ``datacenter``) is fixed when the state file is created; None
    takes the state file's (a new one: Cloud). A state file of the other deployment is refused.
    """
    address = check_loopback(host)
    if deployment is not None and deployment not in DEPLOYMENTS:
        raise UsageError(f"unknown deployment {deployment!r}", hint="use cloud or datacenter")
    controller = FaultController(seed=seed)
    controller.configure(faults)
    limiter = RateLimiter()
    limiter.configure(rate_limits)
    lock = StateLock(state_file) if state_file is not None else None
    if lock is not None:
        lock.acquire()
    try:
        state = SiteState(state_file, clock, deployment)
        site = SandboxSite(
            state=state,
            token=SANDBOX_PAT if state.deployment == "datacenter" else SANDBOX_TOKEN,
            faults=controller,
            rate_limits=limiter,
            host=address,
            latency_ms=latency_ms,
            sleeper=sleeper,
            observer=observer,
            _lock=lock,
        )
        server = _listen(address, port, type("SandboxHandler", (_Handler,), {"site": site}))
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    server.daemon_threads = True
    site._server = server
    site.port = server.server_address[1]
    # A short poll interval makes stop() return in ~50 ms instead of the default 0.5 s.
    site._thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="sandbox", daemon=True
    )
    site._thread.start()
    site.state.save()
    if lock is not None:
        lock.record(site.url)
    return site


def _listen(address: str, port: int, handler: type[_Handler]) -> ThreadingHTTPServer:
    try:
        return ThreadingHTTPServer((address, port), handler)
    except OSError as error:
        raise UsageError(
            f"cannot listen on {address}:{port}: {error.strerror}",
            hint="pick another --port, or 0 for any free port",
        ) from None


class _Handler(BaseHTTPRequestHandler):
    site: SandboxSite
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive answer.
    disable_nagle_algorithm = True
    server_version = "teamcomms-sandbox"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is :attr:`SandboxSite.requests`."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        site = self.site
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=parts.path.rstrip("/") or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        if is_own(request.method, request.path):
            self._serve_own(request)
            return
        if site.latency_ms:
            site.sleeper(site.latency_ms / 1000)
        chosen = tuple(site.faults.choose(request.method, request.path))
        if "slow" in chosen:
            site.sleeper(site.faults.spec.slow_ms / 1000)
        if "reset" in chosen:
            self._reset(request, chosen)
            return
        response = self._answer(request, chosen)
        if "reset-after" in chosen:
            self._reset(request, chosen)
            return
        payload, headers = _payload(response)
        # Record and observe before answering, so a client never sees an answer whose check or
        # log entry is still pending.
        site.requests.append((request.method, request.path, response.status))
        if site.observer is not None:
            site.observer(
                _exchange(request, response.status, headers, payload, chosen, site.deployment)
            )
        self._send(response.status, headers, payload)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _serve_own(self, request: Request) -> None:
        """The web view and the sandbox's own API (hand edits): not part of the emulated site,
        so no latency, faults, request log or contract checks."""
        if is_web_view(request.method, request.path):
            from teamcomms.sandbox import webview  # loaded on the first look, not at start-up

            response = webview.answer(self.site.state, request.path)
        else:
            response = self._answer(request, ())
        payload, headers = _payload(response)
        self._send(response.status, headers, payload)

    def _reset(self, request: Request, chosen: tuple[str, ...]) -> None:
        self.close_connection = True
        # SO_LINGER 0 makes close() send RST, so the client sees a reset, not a clean close.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        self.site.requests.append((request.method, request.path, 0))
        if self.site.observer is not None:
            self.site.observer(_exchange(request, 0, {}, b"", chosen, self.site.deployment))

    def _answer(self, request: Request, chosen: tuple[str, ...]) -> Response:
        site = self.site
        datacenter_site = site.deployment == "datacenter"
        try:
            refused = sign_in_error(site.deployment, site.email, site.token, request)
            if refused is not None:
                raise refused
            refuse_by_fault(site.faults.spec, site.state.clock(), chosen, site.deployment)
            template = template_of(request.method, request.path, datacenter=datacenter_site)
            limit = site.rate_limits.take(
                request.method, template, request.path, site.state.clock()
            )
            headers = limit_headers(limit, datacenter_site) if limit is not None else {}
            if limit is not None and limit.refused:
                raise ApiError(429, "Rate limit exceeded.", headers=headers)
            response = _carry_out(site, request, chosen)
            response.headers.update(headers)
            return response
        except ApiError as error:
            return _error_response(site, request, error)


def limit_headers(decision: Decision, datacenter_site: bool) -> dict[str, str]:
    """The rate-limit headers of an answer, as Cloud or Data Center sends them."""
    return datacenter.rate_limit_headers(decision) if datacenter_site else decision.headers


def _payload(response: Response) -> tuple[bytes, dict[str, str]]:
    payload = response.encode()
    headers = dict(response.headers)
    if payload and "Content-Type" not in headers:
        headers["Content-Type"] = "application/json;charset=UTF-8"
    return payload, headers


def _error_response(site: SandboxSite, request: Request, error: ApiError) -> Response:
    # The sandbox's own API (hand edits) answers in one shape whatever site it emulates.
    if site.deployment == "datacenter" and not is_own(request.method, request.path):
        return datacenter.error_response(request, error, site.url)
    body = error_body(request.path, error.status, error.message, error.errors, error.messages)
    return Response(error.status, body, dict(error.headers))


def _carry_out(site: SandboxSite, request: Request, chosen: tuple[str, ...]) -> Response:
    state = site.state
    with state.at_one_moment() as moment:
        ids_before = state.data["next_id"]
        try:
            response = dispatch(Context(state, site.faults, site.url, chosen), request)
        except ApiError as error:
            response = _error_response(site, request, error)
        # Refused writes too: a handler may have taken an id or changed something before
        # refusing, and the replay must take the same steps to hand out the same ids.
        changed_by_read = state.take_read_change()
        if request.method != "GET" or state.data["next_id"] != ids_before or changed_by_read:
            state.record(journal.entry(request, moment, response.status, site.url))
    return response


def _exchange(
    request: Request,
    status: int,
    headers: dict[str, str],
    payload: bytes,
    chosen: tuple[str, ...],
    deployment: Deployment,
) -> Exchange:
    return Exchange(
        method=request.method,
        path=request.path,
        query=request.query,
        request_headers=request.headers,
        request_body=request.body,
        status=status,
        response_headers=headers,
        response_body=payload,
        faults=chosen,
        deployment=deployment,
    )
