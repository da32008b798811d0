"""Requests and wall time of a standup and a progress report over a large project, on the
local sandbox.

Run: python bench/bench_standup.py [--issues 2000] [--latency 0 50]

A sandbox (latency 0) is seeded once through the REST API with ``--issues`` OPS tasks created
over eight weeks (bulk creates of 50), three quarters of them started and half done, at
known times on an injected clock. Then, for each added latency (milliseconds per request, real
sleeps in the sandbox), a sandbox on the same state computes the standup's figures, the
week's report and the month's report (reads only; ``--publish`` adds a page listing and a write
or two). Prints the requests by endpoint (the policy counts ``POST search/jql`` and
``POST changelog/bulkfetch`` among the writes: they are reads sent as POST) and wall seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests

from teamcomms.engine.connect import open_site
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources.reports import compute_report, pick_report
from teamcomms.resources.standups import compute_standup, pick_standup
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy

START = datetime(2026, 9, 28, 9, 0, tzinfo=UTC)  # a Monday, eight weeks before NOW
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PEOPLE = ("alice", "bob", "carol")


class Clock:
    """The sandbox's clock, moved by the seeding."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def generate(root: Path) -> Path:
    """A project with one standup and one report over OPS."""
    root.mkdir(parents=True)
    (root / "teamcomms.yaml").write_text(
        "name: Bench\ndefaults: {space: OPS, project: OPS}\ncalendar: {country: US}\n"
    )
    (root / "defs.yaml").write_text(
        "kind: standup\nname: ops\nteam: Operations\njql: project = OPS ORDER BY key\n"
        "members: [alice@teamcomms.invalid, bob@teamcomms.invalid]\n---\n"
        "kind: report\nname: ops\nprojects: [OPS]\n"
    )
    return root


def seed(state: Path, issues: int) -> None:
    """``issues`` tasks with a history, written through the REST API."""
    clock = Clock(START)
    sandbox = start_sandbox(state, clock=clock)
    session = requests.Session()
    session.auth = (SANDBOX_EMAIL, SANDBOX_TOKEN)
    api = f"{sandbox.url}/rest/api/3"
    try:
        users = {
            u["emailAddress"].split("@")[0]: u["accountId"]
            for u in sandbox.state.table("users").values()
        }
        keys: list[str] = []
        spacing = (NOW - START - timedelta(days=3)) / max(1, (issues + 49) // 50)
        for first in range(0, issues, 50):
            clock.moment = START + spacing * (first // 50)
            batch = [
                {"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Task"},
                            "summary": f"Task {n}",
                            "assignee": {"accountId": users[PEOPLE[n % 3]]}}}
                for n in range(first, min(first + 50, issues))
            ]  # fmt: skip
            answer = session.post(f"{api}/issue/bulk", json={"issueUpdates": batch}, timeout=60)
            answer.raise_for_status()
            keys += [item["key"] for item in answer.json()["issues"]]
        ids = {
            t["name"]: t["id"]
            for t in session.get(f"{api}/issue/{keys[0]}/transitions", timeout=60).json()[
                "transitions"
            ]
        }
        steps: list[tuple[datetime, str, str]] = []
        for n, key in enumerate(keys):
            created = START + spacing * (n // 50)
            if n % 4:
                steps.append((created + timedelta(hours=6 + n % 30), key, ids["In Progress"]))
            if n % 2:
                steps.append((created + timedelta(hours=40 + n % 50), key, ids["Done"]))
        for moment, key, transition in sorted(steps):
            clock.moment = min(moment, NOW)
            session.post(
                f"{api}/issue/{key}/transitions",
                json={"transition": {"id": transition}},
                timeout=60,
            ).raise_for_status()
    finally:
        sandbox.stop()


def endpoint(method: str, path: str) -> str:
    """A request's endpoint, ids and keys folded."""
    parts = ["{id}" if any(c.isdigit() for c in p) else p for p in path.split("/")]
    return f"{method} {'/'.join(parts)}"


def measure(state: Path, project: Path, latency_ms: int) -> list[str]:
    """Rows of figures: the standup, the week's and the month's report."""
    workspace = load_workspace(project)
    loaded = workspace.project
    sandbox = start_sandbox(state, latency_ms=latency_ms, clock=lambda: NOW)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    runs: list[tuple[str, Callable[..., object]]] = [
        ("standup", lambda s: compute_standup(s, loaded, pick_standup(loaded, None), NOW.date())),
        ("report week", lambda s: compute_report(s, loaded, pick_report(loaded, None), "week",
                                                 date(2026, 11, 18), NOW)),
        ("report month", lambda s: compute_report(s, loaded, pick_report(loaded, None), "month",
                                                  date(2026, 10, 15), NOW)),
    ]  # fmt: skip
    rows = []
    try:
        for label, run in runs:
            before = len(sandbox.requests)
            started = time.perf_counter()
            with open_site(sandbox.url, env=env, policy=HttpPolicy(HttpConfig())) as site:
                figures = run(site)
                stats = site.stats
            seconds = time.perf_counter() - started
            rows.append(
                f"{latency_ms:>4} ms  {label:<13} {stats.requests:>4} requests  {seconds:>6.2f} s"
                f"  {_summary(figures)}"
            )
            counted = Counter(endpoint(m, p) for m, p, _ in sandbox.requests[before:])
            rows.extend(f"{'':>10}{count:>5}  {name}" for name, count in sorted(counted.items()))
    finally:
        sandbox.stop()
    return rows


def _summary(figures: object) -> str:
    totals = getattr(figures, "totals", None)
    if callable(totals):
        return str(totals())
    return f"created {getattr(figures, 'created', 0)}, resolved {getattr(figures, 'resolved', 0)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        state = Path(work) / "sandbox-state.json"
        started = time.perf_counter()
        seed(state, args.issues)
        print(f"seeded {args.issues} issues in {time.perf_counter() - started:.1f} s", flush=True)
        project = generate(Path(work) / "project")
        for latency in args.latency:
            for row in measure(state, project, latency):
                print(row, flush=True)


if __name__ == "__main__":
    main()
