"""Atlassian's burst limits, emulated: a token bucket per endpoint (path template) and HTTP method,
refilled on the site's clock, so a run is deterministic with an injected clock.

Off unless asked for (``--rate-limits`` on ``teamcomms sandbox serve``,
``start_sandbox(rate_limits=...)``, or ``site.rate_limits.configure(...)``). Spec syntax::

    spec  := item (";" item)*
    item  := "on" | [METHODS] [PATH-GLOB] "=" RATE ["/" BURST] | "omit-retry-after:" N
    METHODS := METHOD ("," METHOD)*              e.g. "POST,PUT"

``on`` stands for the documented defaults (:data:`DEFAULT_RULES`); rules are tried in order and
the first whose methods and path glob match a request gives its bucket's rate (requests per
second) and burst (bucket size, default: the rate); a request no rule matches is not limited.
``omit-retry-after:N`` leaves ``Retry-After`` out of every Nth 429 of a bucket (0: never), as
burst-limit answers sometimes come without it.

Headers, as Atlassian documents them (``reference/atlassian-api.md`` §6 and Jira's rate-limiting
page): every limited answer carries ``X-RateLimit-Limit`` (the burst), ``X-RateLimit-Remaining``
and ``X-RateLimit-Reset`` (``yyyy-MM-ddTHH:mmZ``: when the bucket is full again; on a 429, the
request time plus the wait), plus ``X-RateLimit-NearLimit: true`` when less than 20% remains. A 429
adds ``Retry-After`` (whole seconds until a token is back) and, on Jira paths,
``RateLimit-Reason: jira-burst-based`` (Atlassian documents no reason value for Confluence). An
answer that takes the last token carries ``Beta-Retry-After`` (the seconds the next request would
have to wait): Atlassian sends it where a newer limit would have refused without enforcing it.
"""

from __future__ import annotations

import fnmatch
import math
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from teamcomms.errors import UsageError

NEAR_LIMIT = 0.2
DEFAULT_RULES = "GET=20/40;POST,PUT,DELETE=10/20"
"""The defaults ``on`` stands for, per endpoint and method: reads 20/s (bursts of 40), writes 10/s
(bursts of 20). Atlassian publishes no numbers; these are of the order API-token traffic meets."""


@dataclass(frozen=True)
class LimitRule:
    """Requests matching ``methods`` (empty: any) and ``path_glob`` (None: any) get a bucket of
    ``burst`` tokens refilled at ``rate`` per second."""

    rate: float
    burst: int
    methods: frozenset[str] = frozenset()
    path_glob: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether the rule covers a request."""
        if self.methods and method not in self.methods:
            return False
        return self.path_glob is None or fnmatch.fnmatchcase(path, self.path_glob)


@dataclass(frozen=True)
class RateLimitSpec:
    """A parsed ``--rate-limits`` value."""

    rules: tuple[LimitRule, ...] = ()
    omit_retry_after: int = 0

    @classmethod
    def parse(cls, text: str) -> RateLimitSpec:
        """Parse the syntax in the module docstring; raises UsageError naming the bad part."""
        rules: list[LimitRule] = []
        omit = 0
        for item in filter(None, (i.strip() for i in text.split(";"))):
            if item.lower() in ("on", "defaults"):
                rules.extend(cls.parse(DEFAULT_RULES).rules)
            elif item.startswith("omit-retry-after:"):
                omit = _whole(item, item.partition(":")[2])
            elif "=" in item:
                rules.append(_rule(item))
            else:
                raise _bad(
                    item, "expected 'on', '[METHODS] [/path/glob]=RATE[/BURST]' or an option"
                )
        return cls(tuple(rules), omit)


def _rule(item: str) -> LimitRule:
    scope, _, numbers = (part.strip() for part in item.partition("="))
    rate_text, _, burst_text = numbers.partition("/")
    try:
        rate = float(rate_text)
        burst = int(burst_text) if burst_text else max(1, math.ceil(rate))
    except ValueError:
        raise _bad(item, "RATE is requests per second, BURST a whole number") from None
    if rate <= 0 or burst < 1:
        raise _bad(item, "RATE must be above 0 and BURST at least 1")
    methods: frozenset[str] = frozenset()
    glob = None
    for part in scope.split():
        if part.startswith("/"):
            glob = part
        elif all(m.isalpha() for m in part.split(",")):
            methods = frozenset(m.upper() for m in part.split(","))
        else:
            raise _bad(item, "a scope is '[METHOD[,METHOD]] [/path/glob]'")
    return LimitRule(rate, burst, methods, glob)


def _whole(item: str, value: str) -> int:
    if not value.isdigit():
        raise _bad(item, "expected a whole number")
    return int(value)


def _bad(item: str, why: str) -> UsageError:
    return UsageError(
        f"bad rate-limit spec '{item}': {why}",
        hint="example: --rate-limits 'on;POST /wiki/api/v2/pages=5/5;omit-retry-after:3'",
    )


@dataclass(frozen=True)
class Decision:
    """What the limiter says about one request: refused or not, and the headers to send."""

    refused: bool
    headers: dict[str, str]
    rate: float = 0.0
    """Tokens the bucket gets back per second (Data Center's ``X-RateLimit-FillRate``)."""


@dataclass
class _Bucket:
    tokens: float
    at: datetime
    refusals: int = 0


def _reset_format(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


@dataclass
class RateLimiter:
    """Token buckets per (method, path template); thread-safe."""

    spec: RateLimitSpec = field(default_factory=RateLimitSpec)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self.refused: list[tuple[str, str]] = []
        """``(method, path template)`` of every request answered 429."""

    def configure(self, spec: RateLimitSpec | str | None) -> None:
        """Replace the rules (buckets start full)."""
        with self._lock:
            self.spec = _as_spec(spec)
            self._buckets.clear()

    def take(self, method: str, template: str, path: str, now: datetime) -> Decision | None:
        """Take a token for a request at ``now``; None when no rule limits it."""
        rule = next((r for r in self.spec.rules if r.matches(method, path)), None)
        if rule is None:
            return None
        with self._lock:
            key = (method, template)
            bucket = self._buckets.setdefault(key, _Bucket(float(rule.burst), now))
            elapsed = max(0.0, (now - bucket.at).total_seconds())
            bucket.tokens = min(float(rule.burst), bucket.tokens + elapsed * rule.rate)
            bucket.at = now
            refused = bucket.tokens < 1
            if not refused:
                bucket.tokens -= 1
            headers = {
                "X-RateLimit-Limit": str(rule.burst),
                "X-RateLimit-Remaining": str(math.floor(bucket.tokens)),
            }
            if bucket.tokens < NEAR_LIMIT * rule.burst:
                headers["X-RateLimit-NearLimit"] = "true"
            wait = math.ceil((1 - bucket.tokens) / rule.rate) if bucket.tokens < 1 else 0
            if refused:
                bucket.refusals += 1
                self.refused.append(key)
                headers["X-RateLimit-Reset"] = _reset_format(now + timedelta(seconds=wait))
                omit = self.spec.omit_retry_after
                if not omit or bucket.refusals % omit:
                    headers["Retry-After"] = str(wait)
                if path.startswith("/rest/"):
                    headers["RateLimit-Reason"] = "jira-burst-based"
            else:
                full = (rule.burst - bucket.tokens) / rule.rate
                headers["X-RateLimit-Reset"] = _reset_format(now + timedelta(seconds=full))
                if wait:
                    headers["Beta-Retry-After"] = str(wait)
            return Decision(refused, headers, rule.rate)


def _as_spec(spec: RateLimitSpec | str | None) -> RateLimitSpec:
    if spec is None:
        return RateLimitSpec()
    if isinstance(spec, str):
        return RateLimitSpec.parse(spec)
    return spec
