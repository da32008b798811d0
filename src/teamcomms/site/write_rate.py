"""How fast writes start: a rate per endpoint and method that adapts to what the site answers.

Atlassian applies per-second burst limits to each combination of tenant, endpoint and HTTP
method, publishes no numbers for them, and asks clients to pace themselves and to slow only the
endpoint that was limited (``reference/atlassian-api.md`` §6). So each endpoint (its path with
ids and keys collapsed, and the method) has its own rate, adapted like TCP's congestion window
(additive increase, multiplicative decrease):

- every clean answer raises the rate a little, about :data:`INCREASE_PER_SECOND` for each second
  the endpoint is busy at its current rate;
- a 429 or 503 halves it, ``X-RateLimit-NearLimit: true`` eases it off before the limit, once per
  round of requests (answers to writes sent before the last decrease do not decrease it again);
- ``Retry-After``/``Beta-Retry-After`` hold every write to that endpoint for that long, and
  ``X-RateLimit-Remaining: 0`` holds them until ``X-RateLimit-Reset``.

``TEAMCOMMS_MAX_WRITES_PER_SECOND`` caps all writes together, for a fragile site. The clock and
the sleeper are injected, so tests never sleep; one lock makes it safe for parallel writers.
Waiting for the site to answer and retrying are the HTTP policy's job
(:mod:`teamcomms.site.http`); this module only decides when a write may start.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

INITIAL_RATE = 10.0
"""Writes per second to one endpoint before the site has said anything: the fixed pace
teamcomms used before, which stayed under Cloud's burst limits for API-token traffic."""
MIN_RATE = 0.5
"""Never slower than a write every 2 s to one endpoint. A site that still answers 429 at that
pace is out of a quota, which Retry-After and X-RateLimit-Reset waits handle, not the rate."""
MAX_RATE = 100.0
"""Ceiling per endpoint. With at most 16 workers and round trips of 50 ms or more, more than
100 writes a second to one endpoint cannot be reached, and probing beyond it only buys 429s."""
INCREASE_PER_SECOND = 2.0
"""Additive increase: writes/s gained per second of clean answers at full pace. From the
initial 10/s, twice the pace is reached in about 5 s, while a probe past the site's limit costs
one decrease every several seconds (few 429s)."""
DECREASE_FACTOR = 0.5
"""Multiplicative decrease on 429 or 503: TCP's halving, which converges to a fair share and
gets under a burst limit at once even when the rate had overshot it twice over."""
NEAR_LIMIT_FACTOR = 0.8
"""On ``X-RateLimit-NearLimit: true`` (less than 20% of a budget left), slow by as much, so the
rest of the budget lasts instead of ending in a 429."""
ANNOUNCED_HOLD = 10.0
"""Holds at least this long are logged as warnings: a CI log that goes quiet longer looks hung."""

# API versions in paths (``/rest/api/3``, ``/wiki/api/v2``, ``/rest/agile/1.0``) are part of the
# endpoint; other segments with digits are ids (pages, issues ``OPS-12``, accounts, cloud ids).
_VERSION = re.compile(r"^v?\d+(\.\d+)?$")
_VERSIONED = frozenset({"api", "agile"})
# Segments after these name one object of a collection by its name, not by an id.
_NAMED_AFTER = frozenset({"label", "labels", "property", "properties", "group", "user"})
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


def endpoint_key(method: str, url: str) -> str:
    """``METHOD /path/{id}``: the endpoint a rate belongs to, ids and keys collapsed."""
    segments = urlsplit(url).path.split("/")
    template: list[str] = []
    for index, segment in enumerate(segments):
        previous = segments[index - 1] if index else ""
        if previous in _VERSIONED and _VERSION.match(segment):
            template.append(segment)
        elif previous in _NAMED_AFTER and segment:
            template.append("{name}")
        elif any(char.isdigit() for char in segment) or "%" in segment:
            template.append("{id}")
        elif _KEY.match(segment) and len(segment) > 1:
            template.append("{key}")
        else:
            template.append(segment)
    return f"{method.upper()} {'/'.join(template) or '/'}"


def seconds_from_header(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date.

    ``now`` is wall-clock time (for HTTP dates). A negative delta means "now"; junk means no
    advice.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def seconds_until_reset(value: str | None, now: float) -> float | None:
    """Seconds from ``now`` (wall clock) until an ``X-RateLimit-Reset`` time (ISO 8601)."""
    if value is None or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:  # Atlassian sends UTC with a "Z"; a bare time is read as UTC too
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def advised_wait(headers: Mapping[str, str], now: float, *, limited: bool) -> float | None:
    """How long the site asks a client to wait before its next request, or None.

    ``Retry-After`` and Atlassian's ``Beta-Retry-After`` (the points-based quotas) in seconds or
    as an HTTP date, the longer of the two; else, when the budget is spent
    (``X-RateLimit-Remaining: 0``, or any 429/503 that says no more, ``limited``), the time until
    ``X-RateLimit-Reset``.
    """
    waits = [
        seconds
        for name in ("Retry-After", "Beta-Retry-After")
        if (seconds := seconds_from_header(headers.get(name), now)) is not None
    ]
    if waits:
        return max(waits)
    remaining = (headers.get("X-RateLimit-Remaining") or "").strip()
    if remaining == "0" or (limited and not remaining):
        return seconds_until_reset(headers.get("X-RateLimit-Reset"), now)
    return None


def near_limit(headers: Mapping[str, str]) -> bool:
    """Whether the site says less than 20% of a budget is left (``X-RateLimit-NearLimit``)."""
    return (headers.get("X-RateLimit-NearLimit") or "").strip().lower() == "true"


@dataclass(frozen=True)
class Ticket:
    """A write's reserved start: which endpoint, and when (monotonic seconds)."""

    key: str
    started: float


@dataclass
class _Endpoint:
    rate: float
    next_start: float = float("-inf")
    hold_until: float = float("-inf")
    decreased_at: float = float("-inf")


class WriteRate:
    """Decides when each write may start; thread-safe.

    ``enabled=False`` lets every write start at once (the sandbox without burst limits).
    ``max_per_second`` caps all writes together (``TEAMCOMMS_MAX_WRITES_PER_SECOND``).
    ``max_hold`` bounds how long a header may hold an endpoint (the policy's total wait).
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        initial_rate: float = INITIAL_RATE,
        max_per_second: float | None = None,
        max_hold: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        self.enabled = enabled
        self.max_per_second = max_per_second
        self.ceiling = min(MAX_RATE, max_per_second) if max_per_second else MAX_RATE
        self.initial_rate = max(MIN_RATE, min(initial_rate, self.ceiling))
        self.max_hold = max_hold
        self._clock = clock
        self._wall_clock = wall_clock
        self._sleeper = sleeper
        self._lock = threading.Lock()
        self._endpoints: dict[str, _Endpoint] = {}
        self._next_any = float("-inf")

    def rates(self) -> dict[str, float]:
        """The current rate (writes/s) of every endpoint written to so far."""
        with self._lock:
            return {key: state.rate for key, state in self._endpoints.items()}

    def wait_turn(self, method: str, url: str) -> Ticket:
        """Block until a write to this endpoint may start; return its ticket."""
        if not self.enabled:
            # Unpaced, nothing reads the endpoint: its key is not worth working out per write.
            return Ticket("", self._clock())
        key = endpoint_key(method, url)
        with self._lock:
            now = self._clock()
            state = self._endpoint(key)
            start = max(now, state.next_start, state.hold_until)
            if self.max_per_second:
                start = max(start, self._next_any)
                self._next_any = start + 1.0 / self.max_per_second
            state.next_start = start + 1.0 / state.rate
        self._sleep(key, start - now)
        # A hold that another writer's answer set while this one slept applies to it too.
        while True:
            with self._lock:
                now = self._clock()
                hold = self._endpoints[key].hold_until
            if hold <= now:
                return Ticket(key, now)
            self._sleep(key, hold - now)

    def record(self, ticket: Ticket, status: int, headers: Mapping[str, str]) -> None:
        """Adapt the endpoint's rate to the answer a write got."""
        if not self.enabled:
            return
        limited = status in (429, 503)
        advised = advised_wait(headers, self._wall_clock(), limited=limited)
        with self._lock:
            now = self._clock()
            state = self._endpoint(ticket.key)
            if advised:
                state.hold_until = max(state.hold_until, now + min(advised, self.max_hold))
            if limited or near_limit(headers):
                # One decrease per round: answers to writes that started before the last
                # decrease describe the old rate.
                if ticket.started > state.decreased_at:
                    factor = DECREASE_FACTOR if limited else NEAR_LIMIT_FACTOR
                    state.rate = max(MIN_RATE, state.rate * factor)
                    state.decreased_at = now
                    # The next write keeps the new spacing from this one, not the old.
                    state.next_start = max(state.next_start, ticket.started + 1.0 / state.rate)
            elif status < 400:
                state.rate = min(self.ceiling, state.rate + INCREASE_PER_SECOND / state.rate)

    def _endpoint(self, key: str) -> _Endpoint:
        state = self._endpoints.get(key)
        if state is None:
            state = self._endpoints[key] = _Endpoint(rate=self.initial_rate)
        return state

    def _sleep(self, key: str, seconds: float) -> None:
        if seconds <= 0:
            return
        if seconds >= ANNOUNCED_HOLD:
            log.warning("%s: the site asked to slow down; waiting %.0f s", key, seconds)
        self._sleeper(seconds)
