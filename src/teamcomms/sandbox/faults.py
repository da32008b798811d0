"""Faults on demand: rate limits, outages, dropped connections, slow answers, busy config tasks and
eventually consistent search, deterministic for a given seed.

Spec syntax (``--faults``)::

    spec  := group (";" group)*
    group := [scope "="] item ("," item)*
    scope := [METHOD " "] PATH-GLOB          e.g. "POST /wiki/api/v2/pages" or "/rest/api/3/*"
    item  := KIND ":" PROBABILITY | OPTION ":" NUMBER

Kinds: ``429`` (Retry-After in seconds), ``429-date`` (Retry-After as an HTTP date), ``503`` (no
Retry-After), ``503-retry`` (with Retry-After), ``reset`` (connection closed before the request is
handled: nothing changed), ``reset-after`` (the request is handled, then the connection is closed
without an answer: a write happened but the client cannot know), ``slow`` (the answer is delayed by
``slow-ms``), ``conflict409`` (Jira configuration writes -- statuses, workflow create/update,
scheme update and switch -- answer 409 "another configuration task is running"),
``no-properties`` (the v1 CQL search, and Data Center's content listing, leave
``metadata.properties`` out of their results, whatever ``expand`` asks, as Cloud may once that
expansion is gone).

Options: ``search-lag:N`` (a new issue shows up in ``search/jql`` only after N further searches),
``search-delay-ms:MS`` (... only once the site's clock has moved MS past its creation),
``retry-after:S`` (seconds, default 2), ``slow-ms:MS`` (default 3000), ``longtask-polls:N`` (a
Confluence long task, such as an archive, is finished from the Nth poll on; default 1).
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime

from teamcomms.errors import UsageError
from teamcomms.sandbox.api import ApiError

KINDS = (
    "429",
    "429-date",
    "503",
    "503-retry",
    "reset",
    "reset-after",
    "slow",
    "conflict409",
    "no-properties",
)
OPTIONS = ("search-lag", "search-delay-ms", "retry-after", "slow-ms", "longtask-polls")
# Kinds that change how a request is answered without replacing the answer: they combine with
# one other kind.
_MODIFIERS = ("slow", "no-properties")
# The bulk reads that expand content properties: the CQL search (Cloud and Data Center) and
# Data Center's content listing.
_PROPERTY_READS = frozenset(
    {"/wiki/rest/api/content/search", "/rest/api/content/search", "/rest/api/content"}
)

# The Jira configuration writes whose documentation lists 409 "another configuration task is
# running": statuses, workflow create/update, workflow scheme update and project switch.
_CONFIG_PATHS = re.compile(
    r"^/rest/api/3/(statuses|workflows/(create|update)|workflowscheme/(update|project/switch))$"
)


def is_config_endpoint(method: str, path: str) -> bool:
    """Whether a request changes Jira configuration (where 409 "task running" can happen)."""
    # POST and PUT only: DELETE /statuses (now served) documents no 409.
    return method in ("POST", "PUT") and bool(_CONFIG_PATHS.match(path))


@dataclass(frozen=True)
class FaultRule:
    """Inject ``kind`` with ``probability`` into requests the scope matches."""

    kind: str
    probability: float
    method: str | None = None
    path_glob: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether the rule's scope covers this request."""
        if self.method is not None and self.method != method:
            return False
        return self.path_glob is None or fnmatch.fnmatchcase(path, self.path_glob)


@dataclass(frozen=True)
class FaultSpec:
    """A parsed ``--faults`` value."""

    rules: tuple[FaultRule, ...] = ()
    search_lag: int = 0
    search_delay_ms: int = 0
    retry_after: int = 2
    slow_ms: int = 3000
    longtask_polls: int = 1

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Parse the spec syntax in the module docstring; raises UsageError with the bad part."""
        rules: list[FaultRule] = []
        options = {
            "search-lag": 0,
            "search-delay-ms": 0,
            "retry-after": 2,
            "slow-ms": 3000,
            "longtask-polls": 1,
        }
        for group in filter(None, (g.strip() for g in text.split(";"))):
            method: str | None = None
            glob: str | None = None
            items = group
            if "=" in group:
                scope, items = (part.strip() for part in group.split("=", 1))
                method, glob = _parse_scope(scope)
            for item in filter(None, (i.strip() for i in items.split(","))):
                name, sep, value = item.rpartition(":")
                if not sep or not name:
                    raise _bad(item, "expected KIND:PROBABILITY or OPTION:NUMBER")
                if name in OPTIONS:
                    if method or glob:
                        raise _bad(item, f"'{name}' applies to the whole site; put it unscoped")
                    options[name] = _number(item, value)
                elif name in KINDS:
                    probability = _probability(item, value)
                    rules.append(FaultRule(name, probability, method, glob))
                else:
                    raise _bad(item, f"unknown fault kind '{name}'")
        return cls(
            tuple(rules),
            search_lag=options["search-lag"],
            search_delay_ms=options["search-delay-ms"],
            retry_after=options["retry-after"],
            slow_ms=options["slow-ms"],
            longtask_polls=options["longtask-polls"],
        )


def _parse_scope(scope: str) -> tuple[str | None, str | None]:
    parts = scope.split()
    if len(parts) == 2 and parts[0].isalpha():
        return parts[0].upper(), parts[1]
    if len(parts) == 1 and parts[0].startswith("/"):
        return None, parts[0]
    if len(parts) == 1 and parts[0].isalpha():
        return parts[0].upper(), None
    raise _bad(scope, "a scope is '[METHOD] /path/glob'")


def _number(item: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise _bad(item, "expected a whole number") from None
    if number < 0:
        raise _bad(item, "must not be negative")
    return number


def _probability(item: str, value: str) -> float:
    try:
        probability = float(value)
    except ValueError:
        raise _bad(item, "expected a probability between 0 and 1") from None
    if not 0.0 <= probability <= 1.0:
        raise _bad(item, "expected a probability between 0 and 1")
    return probability


def _bad(item: str, why: str) -> UsageError:
    return UsageError(
        f"bad fault spec '{item}': {why}",
        hint="example: --faults '429:0.2,reset:0.05;POST /wiki/api/v2/pages=reset-after:0.5'",
    )


@dataclass
class _Forced:
    kind: str
    method: str | None
    path_glob: str | None
    remaining: int


@dataclass
class FaultController:
    """Decides, per request, which fault (if any) to inject; tests can steer it directly."""

    spec: FaultSpec = field(default_factory=FaultSpec)
    seed: int = 0
    injected: list[tuple[str, str, str]] = field(default_factory=list)
    """Every fault injected so far, as ``(kind, method, path)``."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)  # noqa: S311 - reproducible faults, not crypto
        self._forced: list[_Forced] = []
        self._hidden_issues: dict[str, int] = {}
        self._visible_at: dict[str, datetime] = {}
        self._longtask_polls: dict[str, int] = {}

    def configure(self, spec: FaultSpec | str | None) -> None:
        """Replace the rules and options (the random sequence restarts from the seed)."""
        with self._lock:
            self.spec = _as_spec(spec)
            self._random = random.Random(self.seed)  # noqa: S311 - reproducible faults, not crypto

    def inject(
        self, kind: str, *, method: str | None = None, path: str | None = None, times: int = 1
    ) -> None:
        """Make the next ``times`` matching requests fail with ``kind`` (before any random rule)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        with self._lock:
            self._forced.append(_Forced(kind, method, path, times))

    def clear(self) -> None:
        """No more faults: drop forced faults, rules and search lag."""
        with self._lock:
            self._forced.clear()
            self.spec = FaultSpec()
            self._hidden_issues.clear()
            self._visible_at.clear()

    def choose(self, method: str, path: str) -> list[str]:
        """The faults for this request, in the order they apply (``slow`` may precede another)."""
        with self._lock:
            chosen: list[str] = []
            for forced in self._forced:
                rule = FaultRule(forced.kind, 1.0, forced.method, forced.path_glob)
                if (
                    forced.remaining > 0
                    and rule.matches(method, path)
                    and self._applies(rule, method, path)
                ):
                    forced.remaining -= 1
                    chosen.append(forced.kind)
                    break
            self._forced = [f for f in self._forced if f.remaining > 0]
            if not chosen:
                for rule in self.spec.rules:
                    if not rule.matches(method, path) or not self._applies(rule, method, path):
                        continue
                    if self._random.random() < rule.probability:
                        chosen.append(rule.kind)
                        if rule.kind not in _MODIFIERS:
                            break
            for kind in chosen:
                self.injected.append((kind, method, path))
            return chosen

    @staticmethod
    def _applies(rule: FaultRule, method: str, path: str) -> bool:
        if rule.kind == "no-properties":
            return method == "GET" and path in _PROPERTY_READS
        return rule.kind != "conflict409" or is_config_endpoint(method, path)

    def longtask_polled(self, task_id: str) -> int:
        """Count one poll of a Confluence long task; returns the polls before this one."""
        with self._lock:
            before = self._longtask_polls.get(task_id, 0)
            self._longtask_polls[task_id] = before + 1
            return before

    # Eventual consistency of Jira search.
    def issue_created(self, issue_id: str, now: datetime) -> None:
        """Hide a new issue from the next ``search_lag`` searches / for ``search_delay_ms``."""
        with self._lock:
            if self.spec.search_lag > 0:
                self._hidden_issues[issue_id] = self.spec.search_lag
            if self.spec.search_delay_ms > 0:
                delay = timedelta(milliseconds=self.spec.search_delay_ms)
                self._visible_at[issue_id] = now + delay

    def searched(self, now: datetime) -> set[str]:
        """Record one search at ``now``; returns the issue ids it must not see yet."""
        with self._lock:
            hidden = {issue for issue, left in self._hidden_issues.items() if left > 0}
            self._hidden_issues = {
                i: left - 1 for i, left in self._hidden_issues.items() if left > 1
            }
            self._visible_at = {i: at for i, at in self._visible_at.items() if at > now}
            return hidden | set(self._visible_at)


def _as_spec(spec: FaultSpec | str | None) -> FaultSpec:
    if spec is None:
        return FaultSpec()
    if isinstance(spec, str):
        return FaultSpec.parse(spec)
    return spec


def refuse_by_fault(
    spec: FaultSpec, now: datetime, chosen: tuple[str, ...], deployment: str
) -> None:
    """Raise the answer a refusing fault chosen for this request gives (429, 503, 409), if any."""
    reset_at = now + timedelta(seconds=spec.retry_after)
    if "429" in chosen or "429-date" in chosen:
        retry_after = (
            format_datetime(reset_at, usegmt=True)
            if "429-date" in chosen
            else str(spec.retry_after)
        )
        headers = {
            "Retry-After": retry_after,
            "X-RateLimit-Reset": reset_at.strftime("%Y-%m-%dT%H:%MZ"),
            "RateLimit-Reason": "jira-burst-based",
        }
        if deployment == "datacenter":
            # Data Center's limiter (recorded: the Tomcat 429 page with these headers).
            headers = {
                "Retry-After": retry_after,
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-FillRate": "5",
                "X-RateLimit-Interval-Seconds": "1",
            }
        raise ApiError(429, "Rate limit exceeded.", headers=headers)
    if "503" in chosen:
        raise ApiError(503, "Service temporarily unavailable. Please try again later.")
    if "503-retry" in chosen:
        raise ApiError(
            503,
            "Service temporarily unavailable. Please try again later.",
            headers={"Retry-After": str(spec.retry_after)},
        )
    if "conflict409" in chosen:
        raise ApiError(
            409,
            "Another workflow configuration task is running. Wait for it to finish and try again.",
        )
