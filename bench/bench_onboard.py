"""Requests and wall time of onboarding hires on the local sandbox.

Run: python bench/bench_onboard.py [--items 40] [--hires 1 50] [--latency 0 50] [--no-pacing]

For each number of hires and added latency (milliseconds per request, real sleeps in the sandbox)
a fresh sandbox gets a project with one checklist of ``--items`` items and a welcome page
template, then ``plan_onboarding`` + apply for all hires at once (as `teamcomms onboard --from`
does), then the same again (nothing to write). Prints the requests by endpoint for the first run
(epic creates, bulk creates, welcome page writes, reads), requests per hire and wall seconds.
The policy counts every POST as a write, so ``POST search/jql`` (a read) is among the writes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from teamcomms.api import apply_plan, plan_onboarding
from teamcomms.engine.connect import open_site
from teamcomms.engine.runner import ApplyOptions
from teamcomms.engine.workspace import load_workspace
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy

OWNERS = ("hire", "manager", "buddy", "it")


def generate(root: Path, items: int, hires: int) -> Path:
    """A project with one ``items``-item checklist and ``hires`` hires."""
    root.mkdir(parents=True)
    (root / "teamcomms.yaml").write_text(
        "name: Bench\ndefaults: {space: TEAM, project: PEOPLE}\n"
        "teams: {it: {user: alice@teamcomms.invalid}}\n"
        "calendar: {country: US}\n"
    )
    lines = [
        f"  - {{title: Step {n}, owner: {OWNERS[n % 4]}, due: {n % 20}bd, "
        f'description: "Do step {n} with `the tool`."}}'
        for n in range(items)
    ]
    (root / "checklist.yaml").write_text(
        "kind: checklist\nname: developer\nrole: Developer\njira: {project: PEOPLE}\n"
        "welcome_page: {template: welcome}\nitems:\n" + "\n".join(lines) + "\n"
    )
    (root / "welcome.yaml").write_text(
        'kind: template\nname: welcome\ntitle: "Welcome, {{ hire.name }}"\nbody: welcome.md\n'
        "variables: {hire: {required: true, description: The hire}}\n"
    )
    (root / "welcome.md").write_text("Hello {{ hire.name }}.\n\n[[jql:{{ hire.tasks_jql }}]]\n")
    documents = [
        f"kind: hire\nname: hire-{n}\nfull_name: Hire {n}\nemail: carol@teamcomms.invalid\n"
        "checklist: developer\nstart: 2027-03-01\nmanager: bob@teamcomms.invalid\n"
        "buddy: alice@teamcomms.invalid\n"
        for n in range(hires)
    ]
    (root / "hires.yaml").write_text("---\n".join(documents))
    return root


def endpoint(method: str, path: str) -> str:
    """A request's endpoint, ids folded: ``POST /rest/api/3/issue/bulk``."""
    parts = [
        "{id}" if (p.isdigit() and len(p) > 1) or p.startswith("teamcomms.") else p
        for p in path.split("/")
    ]
    return f"{method} {'/'.join(parts)}"


def run_once(items: int, hires: int, latency_ms: int, *, pacing: bool, work: Path) -> list[str]:
    """Rows of figures: the first onboarding, by endpoint, then the re-run."""
    project = load_workspace(generate(work / f"p{items}-{hires}-{latency_ms}", items, hires))
    sandbox = start_sandbox(None, latency_ms=latency_ms)
    config = HttpConfig() if pacing else HttpConfig(write_interval=0.0)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    rows = []
    try:
        for label in ("first onboarding", "re-run (nothing to do)"):
            before = len(sandbox.requests)
            started = time.perf_counter()
            with open_site(sandbox.url, env=env, policy=HttpPolicy(config)) as site:
                plan = plan_onboarding(project, site)
                report = apply_plan(plan, site, ApplyOptions(workers=site.pool.workers))
                assert report.ok, [r for r in report.results if r.outcome != "done"]
                stats = site.stats
            seconds = time.perf_counter() - started
            rows.append(
                f"{items:>5} {hires:>5} {latency_ms:>4} ms  {label:<24} {stats.reads:>5} reads "
                f"{stats.writes:>5} writes  {stats.requests / hires:>6.1f}/hire  {seconds:>6.2f} s"
            )
            if label == "first onboarding":
                counted = Counter(endpoint(m, p) for m, p, _ in sandbox.requests[before:])
                rows.extend(
                    f"{'':>22}{count:>5}  {name}" for name, count in sorted(counted.items())
                )
    finally:
        sandbox.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--hires", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--no-pacing", action="store_true", help="do not pace writes")
    args = parser.parse_args()
    print("items hires latency  run                      requests             per hire   wall")
    with tempfile.TemporaryDirectory() as work:
        for latency in args.latency:
            for hires in args.hires:
                for row in run_once(
                    args.items, hires, latency, pacing=not args.no_pacing, work=Path(work)
                ):
                    print(row, flush=True)


if __name__ == "__main__":
    main()
