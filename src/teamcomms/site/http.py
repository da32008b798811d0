"""The one HTTP policy every request to the site goes through.

Both client libraries (pycontribs ``jira`` and ``atlassian-python-api``) send through ``requests``
sessions; :meth:`HttpPolicy.install` replaces those sessions' transport adapters with a
:class:`PolicyAdapter`, and the libraries' own retry logic is switched off when the clients are
built, so timeouts, retries, waiting, the write rate, redirects, counting and error typing happen
exactly once, here.
"""

from __future__ import annotations

import logging
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import requests
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError, NewConnectionError

from teamcomms.errors import ConfigError
from teamcomms.site import errors
from teamcomms.site.answers import refuse_html, refuse_redirect, refuse_status
from teamcomms.site.write_rate import INITIAL_RATE, WriteRate, advised_wait, seconds_from_header

log = logging.getLogger(__name__)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Methods whose repetition lands in the same state (HTTP semantics, and Atlassian's page and
# property updates carry a version number, so a repeated update is refused with 409, not applied
# twice). They may be re-sent after an uncertain failure; POST and PATCH may not.
_IDEMPOTENT_METHODS = _SAFE_METHODS | {"PUT", "DELETE"}
# POST endpoints that only read or validate: Jira takes the query of some bulk reads in the
# body. They are reads (counted as such, never paced as writes), and may be re-sent.
_READING_POSTS = re.compile(
    r"/(search/jql|search/approximate-count|search|workflows|workflowscheme/read|"
    r"workflows/(create|update)/validation|workflowscheme/update/mappings|"
    r"expression/evaluate|changelog/bulkfetch|issue/bulkfetch)/?$"
)
# Label adds (Confluence treats labels as a set) and property creates (one per key; a repeat is
# refused): re-sending any of these or a reading POST cannot create a duplicate.
_REPEATABLE_POSTS = re.compile(
    r"/(content/[^/]+/label|pages/[^/]+/properties|content/[^/]+/property)/?$"
)
# 429 is a rate limit; 503 is what Atlassian answers when it sheds load, sometimes with
# Retry-After. Both mean the request was not carried out, so even creates may be re-sent.
_RATE_LIMITED = frozenset({429, 503})
# A proxy or gateway gave up waiting: the site may still have carried out the request.
_GATEWAY_TIMEOUTS = frozenset({502, 504})
# Waits at least this long are announced on stderr: shorter ones pass unnoticed, but a CI log
# that goes quiet for longer looks like a hang.
ANNOUNCED_WAIT = 10.0


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts and retry limits. Every number says why it is what it is."""

    connect_timeout: float = 10.0
    """TCP and TLS to Atlassian's edge take well under a second; 10 s means the network is down."""
    read_timeout: float = 90.0
    """A 250-page listing with storage bodies or a workflow create can take tens of seconds."""
    backoff_base: float = 1.0
    """First backoff ceiling without Retry-After: Jira's burst limits are per second."""
    backoff_cap: float = 60.0
    """Doubling stops here (Atlassian: "double each time, up to a cap")."""
    max_attempts: int = 8
    """Attempts per request; with the doubling above this spans about two minutes."""
    max_connect_attempts: int = 3
    """Attempts when no connection can be opened at all (refused, unknown host, connect timeout).
    A blip clears within the two short retries; a wrong URL or a stopped site does not, and a CI
    job should learn that in seconds rather than after two minutes of backing off."""
    max_total_wait: float = 300.0
    """Total seconds one request may spend waiting. Five minutes of 429s means an hourly quota
    that waiting will not fix, and a CI step should fail with a clear message rather than stall."""
    write_interval: float = 1.0 / INITIAL_RATE
    """Seconds between the first writes to one endpoint, before the rate adapts (see
    :mod:`teamcomms.site.write_rate`); 0 lets writes go unpaced (a sandbox without limits)."""
    max_writes_per_second: float | None = None
    """A cap on all writes together (``TEAMCOMMS_MAX_WRITES_PER_SECOND``), for a fragile site."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HttpConfig:
        """Defaults, with ``TEAMCOMMS_MAX_WAIT`` (seconds) overriding the total wait cap and
        ``TEAMCOMMS_MAX_WRITES_PER_SECOND`` capping the write rate."""
        environ = os.environ if env is None else env
        config = cls()
        wait = _number(environ, "TEAMCOMMS_MAX_WAIT", "a number of seconds", "e.g. 300")
        if wait is not None:
            config = replace(config, max_total_wait=max(0.0, wait))
        cap = _number(
            environ,
            "TEAMCOMMS_MAX_WRITES_PER_SECOND",
            "a positive number of writes per second",
            "e.g. 2 for a fragile site; unset it to let teamcomms adapt to the site",
        )
        if cap is not None:
            if not 0 < cap < math.inf:
                raise ConfigError(
                    f"TEAMCOMMS_MAX_WRITES_PER_SECOND must be a number more than 0, not {cap:g}",
                    hint="e.g. 2 for a fragile site; unset it to let teamcomms adapt to the site",
                )
            config = replace(config, max_writes_per_second=cap)
        return config


def _number(environ: Mapping[str, str], name: str, what: str, hint: str) -> float | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isnan(value):
        raise ConfigError(f"{name} must be {what}, not {raw!r}", hint=hint)
    return value


@dataclass(frozen=True)
class RequestStats:
    """How many requests a run sent, and how long it waited for the site's rate limits."""

    reads: int = 0
    writes: int = 0
    retries: int = 0
    wait_seconds: float = 0.0
    throttled: int = 0
    """Answers that were 429 or 503: the site asking to slow down."""

    @property
    def requests(self) -> int:
        """Reads plus writes, retries included."""
        return self.reads + self.writes


class _Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stats = RequestStats()

    def add(
        self,
        *,
        reads: int = 0,
        writes: int = 0,
        retries: int = 0,
        wait: float = 0,
        throttled: int = 0,
    ) -> None:
        with self._lock:
            s = self._stats
            self._stats = RequestStats(
                s.reads + reads,
                s.writes + writes,
                s.retries + retries,
                s.wait_seconds + wait,
                s.throttled + throttled,
            )

    def snapshot(self) -> RequestStats:
        with self._lock:
            return self._stats

    def reset(self) -> None:
        with self._lock:
            self._stats = RequestStats()


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    return seconds_from_header(value, now)


class HttpPolicy:
    """Timeouts, retries, waiting, the write rate and request counters for one run.

    ``sleeper``, ``clock`` (monotonic), ``wall_clock`` (for HTTP dates) and ``jitter`` (a random
    number in [0, 1)) are injected so tests never sleep and jitter is reproducible.
    """

    def __init__(
        self,
        config: HttpConfig | None = None,
        *,
        sleeper: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        auth_hint: str | None = None,
    ) -> None:
        self.config = config or HttpConfig()
        self.sleeper = sleeper
        self.clock = clock
        self.wall_clock = wall_clock
        self.jitter = jitter
        self.auth_hint = auth_hint
        interval = self.config.write_interval
        self.write_rate = WriteRate(
            enabled=interval > 0,
            initial_rate=1.0 / interval if interval > 0 else INITIAL_RATE,
            max_per_second=self.config.max_writes_per_second,
            max_hold=self.config.max_total_wait,
            clock=clock,
            wall_clock=wall_clock,
            sleeper=sleeper,
        )
        self._counters = _Counters()

    @property
    def stats(self) -> RequestStats:
        """The counters so far."""
        return self._counters.snapshot()

    def reset_stats(self) -> None:
        """Start counting from zero (``bench/`` does this between runs)."""
        self._counters.reset()

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the given retry number (0-based)."""
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2.0**attempt)
        return self.jitter() * ceiling

    def install(self, session: requests.Session) -> requests.Session:
        """Route every request of ``session`` through this policy, replacing other adapters."""
        adapter = PolicyAdapter(self)
        # requests reads the proxy and CA-bundle variables from os.environ on every request
        # when trust_env is on: a third of the client's CPU on a 500-page apply. They are read
        # here once instead, and the proxies once per host by the adapter.
        session.trust_env = False
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
        session.adapters.clear()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def new_session(self) -> requests.Session:
        """A fresh ``requests`` session that goes through this policy."""
        from teamcomms.site.policy_session import PolicySession

        return self.install(PolicySession())

    def _count(self, *, write: bool) -> None:
        if write:
            self._counters.add(writes=1)
        else:
            self._counters.add(reads=1)

    def _waited(self, seconds: float) -> None:
        self._counters.add(retries=1, wait=seconds)

    def _throttled(self) -> None:
        self._counters.add(throttled=1)


def is_write(method: str, url: str) -> bool:
    """Whether a request may change the site: not a safe method, nor a POST that only reads."""
    if method in _SAFE_METHODS:
        return False
    return not (method == "POST" and _READING_POSTS.search(url.split("?", 1)[0]))


def _may_resend_after_uncertain_failure(method: str, url: str) -> bool:
    if method in _IDEMPOTENT_METHODS or not is_write(method, url):
        return True
    return method == "POST" and _REPEATABLE_POSTS.search(url.split("?", 1)[0]) is not None


def _never_sent(error: Exception) -> bool:
    """Whether a connection error happened before any byte of the request left."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError | NameResolutionError)


def _send_with_policy(
    adapter: PolicyAdapter, policy: HttpPolicy, request: PreparedRequest, kwargs: dict[str, Any]
) -> Response:
    method = (request.method or "GET").upper()
    url = request.url or ""
    write = is_write(method, url)
    resendable = _may_resend_after_uncertain_failure(method, url)
    config = policy.config
    kwargs["timeout"] = (config.connect_timeout, config.read_timeout)
    waited = 0.0
    attempt = 0
    answered: int | None = None
    failures: list[str] = []
    while True:
        attempt += 1
        ticket = policy.write_rate.wait_turn(method, url) if write else None
        policy._count(write=write)
        started = policy.clock()
        try:
            response: Response = adapter.base_send(request, **kwargs)
        except requests.exceptions.SSLError as error:
            # A certificate problem does not go away by waiting; the handshake precedes sending.
            raise errors.SiteUnreachable(
                method=method, url=url, reason=f"TLS failed: {error.__class__.__name__}"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            reason = _describe(error)
            log.debug("%s %s -> %s", method, errors.clean_url(url), reason)
            never_sent = _never_sent(error)
            if not never_sent and not resendable:
                raise errors.UncertainWriteError(method=method, url=url, reason=reason) from None
            failures.append(reason)
            delay = policy.backoff(attempt - 1)
            limit = config.max_connect_attempts if never_sent else config.max_attempts
            if attempt >= limit or waited + delay > config.max_total_wait:
                if answered is not None:
                    # The site did answer (429/503) on earlier attempts: it is busy, not absent.
                    raise errors.RateLimitExhausted(
                        method=method, url=url, status=answered, waited=waited,
                        attempts=attempt, failures=failures,
                    ) from None  # fmt: skip
                raise errors.SiteUnreachable(method=method, url=url, reason=reason) from None
            _wait(policy, delay, method, url, reason)
            waited += delay
            continue
        status = response.status_code
        if log.isEnabledFor(logging.DEBUG):  # the cleaned URL is work for every answer
            took = policy.clock() - started
            log.debug("%s %s -> %s (%.2fs)", method, errors.clean_url(url), status, took)
        if ticket is not None:
            policy.write_rate.record(ticket, status, response.headers)
        refuse_redirect(response, method, url)
        if status in _GATEWAY_TIMEOUTS and not resendable:
            response.close()
            raise errors.UncertainWriteError(
                method=method, url=url, reason=f"the gateway answered {status}"
            )
        if status in _RATE_LIMITED or status in _GATEWAY_TIMEOUTS:
            if status in _RATE_LIMITED:
                policy._throttled()
            answered = status
            failures.append(str(status))
            advised = advised_wait(
                response.headers, policy.wall_clock(), limited=status in _RATE_LIMITED
            )
            delay = advised if advised is not None else policy.backoff(attempt - 1)
            if attempt >= config.max_attempts or waited + delay > config.max_total_wait:
                response.close()
                raise errors.RateLimitExhausted(
                    method=method, url=url, status=status, waited=waited, attempts=attempt,
                    failures=failures, asked=advised,
                )  # fmt: skip
            response.close()
            _wait(policy, delay, method, url, f"the site answered {status}")
            waited += delay
            continue
        if status >= 400:
            refuse_status(response, method, policy.auth_hint)
        refuse_html(response, method, url)
        return response


def _wait(policy: HttpPolicy, delay: float, method: str, url: str, reason: str) -> None:
    if delay >= ANNOUNCED_WAIT:
        log.warning(
            "%s: %s; waiting %.0f s before trying again",
            errors.endpoint_of(method, url), reason, delay,
        )  # fmt: skip
    policy.sleeper(delay)
    policy._waited(delay)


def _describe(error: Exception) -> str:
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return "no answer within the read timeout"
    text = str(error).lower()
    if "name or service not known" in text or "resolve" in text or "nodename" in text:
        return "the host name does not resolve"
    for known in ("reset", "refused", "aborted"):
        if known in text:
            return f"connection {known}"
    return type(error).__name__


class PolicyAdapter(HTTPAdapter):
    """A ``requests`` transport adapter that applies an :class:`HttpPolicy` to every request."""

    def __init__(self, policy: HttpPolicy) -> None:
        super().__init__()
        self.policy = policy
        self._proxies: dict[str, dict[str, str]] = {}

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the environment names for ``url``'s host (``HTTPS_PROXY``, ``NO_PROXY``
        and the rest, as requests reads them), looked up once per host."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            self._proxies[origin] = requests.utils.get_environ_proxies(origin)
        return self._proxies[origin]

    def base_send(self, request: PreparedRequest, **kwargs: Any) -> Response:
        """One plain attempt, without the policy."""
        return super().send(request, **kwargs)

    def send(self, request: PreparedRequest, **kwargs: Any) -> Response:  # type: ignore[override]
        """Send ``request`` under the policy: write rate, retries, waiting and typed errors."""
        kwargs["proxies"] = kwargs.get("proxies") or self.proxies_for(request.url or "")
        return _send_with_policy(self, self.policy, request, dict(kwargs))
