"""A small pool of workers for independent calls, and the pacing of writes.

Atlassian publishes no concurrency number; its guidance is to pace requests yourself rather than
rely on backoff, and old staff guidance was about 10 simultaneous requests per client. Four
workers keep a 200-page read phase short without inviting burst limits.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from teamcomms.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_WORKERS = 4
# More than this is refused: Jira's per-second burst limits are per tenant, so a bigger pool only
# turns into 429s and waiting.
MAX_WORKERS = 16
# Minimum time between the starts of two writes. Jira and Confluence apply per-second burst
# limits per endpoint and method and per-issue write limits; ten writes a second stays under them
# for API-token traffic while keeping a 200-page first apply near 20 s.
DEFAULT_WRITE_INTERVAL = 0.1


def workers_setting(option: int | None = None, env: Mapping[str, str] | None = None) -> int:
    """The number of workers: ``--workers``, else ``TEAMCOMMS_WORKERS``, else 4."""
    environ = os.environ if env is None else env
    raw: object = option if option is not None else environ.get("TEAMCOMMS_WORKERS")
    source = "--workers" if option is not None else "TEAMCOMMS_WORKERS"
    if raw is None or raw == "":
        return DEFAULT_WORKERS
    hint = f"set {source} to a whole number from 1 to {MAX_WORKERS} ({DEFAULT_WORKERS} by default)"
    try:
        workers = int(str(raw))
    except ValueError:
        raise ConfigError(f"{source} must be a whole number, not {raw!r}", hint=hint) from None
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"{source} must be between 1 and {MAX_WORKERS}, not {workers}", hint=hint)
    return workers


class WritePacer:
    """Spaces the starts of writes at least ``min_interval`` seconds apart, across threads.

    Each caller reserves the next free slot under a lock and sleeps outside it, so concurrent
    writers queue up in order instead of all waking at once.
    """

    def __init__(
        self,
        min_interval: float = DEFAULT_WRITE_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleeper: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleeper = sleeper
        self._lock = threading.Lock()
        self._next_slot: float | None = None

    def wait_turn(self) -> float:
        """Block until this write may start; return how long it waited."""
        if self.min_interval <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.min_interval
        delay = slot - now
        if delay > 0:
            self._sleeper(delay)
        return delay


class WorkerPool:
    """Runs independent calls on a few threads; results come back in input order.

    The first exception is raised once every call has finished, so no half-started call is
    abandoned while it still talks to the site.
    """

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self.workers = max(1, workers)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """``[fn(item) for item in items]``, run on the pool."""
        todo = list(items)
        if self.workers == 1 or len(todo) <= 1:
            return [fn(item) for item in todo]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(todo))) as executor:
            futures = [executor.submit(fn, item) for item in todo]
        errors = [f.exception() for f in futures if f.exception() is not None]
        if errors:
            raise errors[0]  # type: ignore[misc]
        return [f.result() for f in futures]
