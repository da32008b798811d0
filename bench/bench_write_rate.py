"""How close does the adaptive write rate get to what a rate-limited site allows?

Starts a stub site on 127.0.0.1 that limits each endpoint and method with a token bucket (as
Atlassian's burst limits do), answers 429 when a bucket is empty (with ``Retry-After``, with
``X-RateLimit-Reset``, or with no header at all) and sends ``X-RateLimit-NearLimit: true`` when
less than 20% of a bucket is left. Then publishes N "labelled pages" through the real HTTP
policy: per page a create, its labels and its ownership property, in that order, with pages
spread over a few workers. Prints per run: writes, 429s received, wall time, achieved writes/s,
the rate the limits permit, the fraction of it achieved, and the wall time the limits and the
latency allow at best.

Run: python bench/bench_write_rate.py [--pages 50 200] [--rate 10] [--burst 20]
     [--latency-ms 20 50] [--workers 4] [--retry-after seconds|reset|none] [--no-near-limit]
     [--url http://127.0.0.1:PORT --limit W]   (an external site, e.g. the sandbox; W = writes/s
                                                it permits per endpoint)
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from teamcomms.site.http import HttpConfig, HttpPolicy
from teamcomms.site.pool import WorkerPool
from teamcomms.site.write_rate import endpoint_key

# A stub run never lasts longer than this, whatever the arguments: the bench stops by itself.
MAX_SECONDS = 600.0


@dataclass
class Bucket:
    """A token bucket: ``rate`` tokens a second, at most ``capacity``."""

    rate: float
    capacity: float
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def take(self) -> tuple[bool, float]:
        """(allowed, tokens left) after trying to take one token."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True, self.tokens
        return False, self.tokens


class StubSite(ThreadingHTTPServer):
    """The stub: one token bucket per endpoint and method, some latency, counted answers."""

    daemon_threads = True

    def __init__(
        self, rate: float, burst: float, latency: float, retry_after: str, near_limit: bool
    ) -> None:
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.rate, self.burst, self.latency, self.retry_after = rate, burst, latency, retry_after
        self.near_limit = near_limit
        self.lock = threading.Lock()
        self.buckets: dict[str, Bucket] = {}
        self.ids = itertools.count(1000)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, method: str, path: str) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Status, headers and body for one request."""
        key = endpoint_key(method, path)
        with self.lock:
            bucket = self.buckets.setdefault(key, Bucket(self.rate, self.burst))
            allowed, left = bucket.take()
        headers = {"X-RateLimit-Limit": f"{self.burst:g}", "X-RateLimit-Remaining": f"{left:.0f}"}
        if self.near_limit and left < 0.2 * self.burst:
            headers["X-RateLimit-NearLimit"] = "true"
        if allowed:
            return 200, headers, {"id": str(next(self.ids))}
        wait = (1 - left) / self.rate
        if self.retry_after == "seconds":  # delta-seconds are whole numbers (RFC 9110)
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
        elif self.retry_after == "reset":
            reset = datetime.fromtimestamp(time.time() + wait, UTC)
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset"] = reset.isoformat().replace("+00:00", "Z")
        return 429, headers, {"message": "Rate limit exceeded."}


class StubHandler(BaseHTTPRequestHandler):
    """Answers every POST and PUT from the stub's buckets."""

    server: StubSite

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        time.sleep(self.server.latency)
        status, headers, body = self.server.answer(self.command, self.path)
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {**headers, "Content-Type": "application/json"}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def stub_site(
    rate: float, burst: float, latency: float, retry_after: str, near_limit: bool
) -> Iterator[str]:
    """A running stub site's URL; stopped afterwards."""
    site = StubSite(rate, burst, latency, retry_after, near_limit)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site.url
    finally:
        site.shutdown()
        site.server_close()


def publish(url: str, pages: int, workers: int) -> tuple[float, HttpPolicy]:
    """Write ``pages`` labelled pages (3 dependent writes each); wall seconds and the policy."""
    policy = HttpPolicy(HttpConfig.from_env())
    session = policy.new_session()
    deadline = time.monotonic() + MAX_SECONDS

    def one_page(n: int) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the bench ran longer than {MAX_SECONDS:.0f} s")
        page = session.post(f"{url}/wiki/api/v2/pages", json={"title": f"Page {n}"}).json()
        session.post(f"{url}/wiki/rest/api/content/{page['id']}/label", json=[{"name": "bench"}])
        session.post(f"{url}/wiki/api/v2/pages/{page['id']}/properties", json={"key": "m"})

    started = time.perf_counter()
    WorkerPool(workers).map(one_page, range(pages))
    return time.perf_counter() - started, policy


def best_case(pages: int, rate: float, burst: float, latency: float, workers: int) -> float:
    """Wall seconds the limits and the latency allow at best: each endpoint gets ``pages``
    writes at ``rate`` after a full bucket, and each worker does 3 round trips per page."""
    by_limits = max(0.0, pages - burst) / rate
    by_latency = math.ceil(pages / workers) * 3 * latency
    return max(by_limits, by_latency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rate", type=float, default=10.0, help="tokens/s per endpoint")
    parser.add_argument("--burst", type=float, default=20.0, help="bucket size per endpoint")
    parser.add_argument("--latency-ms", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--retry-after", choices=["seconds", "reset", "none"], default="seconds")
    parser.add_argument(
        "--no-near-limit", action="store_true", help="the stub sends no X-RateLimit-NearLimit"
    )
    parser.add_argument("--url", help="an external site instead of the stub")
    parser.add_argument("--limit", type=float, help="with --url: writes/s it permits per endpoint")
    args = parser.parse_args()
    if args.url and not args.limit:
        parser.error("--url needs --limit (the writes/s the site permits per endpoint)")
    rate = args.limit or args.rate
    if args.url:
        print(f"site {args.url}, {rate:g} writes/s per endpoint permitted")
    else:
        print(
            f"stub site: a token bucket of {args.rate:g}/s (burst {args.burst:g}) per endpoint "
            f"and method; 429s carry {args.retry_after}; near-limit header "
            f"{'off' if args.no_near_limit else 'on'}; {args.workers} workers; 3 endpoints"
        )
    print(
        f"{'pages':>5} {'ms':>4} {'writes':>6} {'429s':>5} {'seconds':>8} {'writes/s':>8} "
        f"{'permitted':>9} {'fraction':>8} {'best s':>7} {'x best':>6}"
    )
    for latency_ms, pages in itertools.product(args.latency_ms, args.pages):
        latency = latency_ms / 1000
        if args.url:
            seconds, policy = publish(args.url, pages, args.workers)
            burst = 0.0
        else:
            with stub_site(
                args.rate, args.burst, latency, args.retry_after, not args.no_near_limit
            ) as url:
                seconds, policy = publish(url, pages, args.workers)
            burst = args.burst
        stats = policy.stats
        done = pages * 3
        achieved = done / seconds
        permitted = 3 * rate  # three endpoints, each at its own limit
        best = best_case(pages, rate, burst, latency, args.workers)
        print(
            f"{pages:>5} {latency_ms:>4} {stats.writes:>6} {stats.throttled:>5} {seconds:>8.2f} "
            f"{achieved:>8.1f} {permitted:>9.1f} {achieved / permitted:>8.2f} {best:>7.2f} "
            f"{seconds / best if best else math.nan:>6.2f}",
            flush=True,
        )
        rates = ", ".join(f"{k} {v:.1f}/s" for k, v in sorted(policy.write_rate.rates().items()))
        print(f"      rates at the end: {rates}")


if __name__ == "__main__":
    main()
