"""A small pool of workers for independent calls.

Atlassian publishes no concurrency number; its guidance is to pace requests yourself rather than
rely on backoff, and old staff guidance was about 10 simultaneous requests per client. Four
workers keep a 200-page read phase short without inviting burst limits. How fast writes start is
:mod:`teamcomms.site.write_rate`'s business.
"""

from __future__ import annotations

import os
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
