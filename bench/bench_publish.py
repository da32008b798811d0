"""Requests and wall time of plan + apply to Confluence, on the local sandbox.

Run: python bench/bench_publish.py [--pages 10 100 500] [--latency 0 50] [--no-pacing]

For each size and added latency (milliseconds per request, real sleeps in the sandbox) a fresh
sandbox gets a generated project of labelled pages (every tenth one under the first page), then:

- first apply: read the spaces, plan, create every page (body, labels, marker);
- unchanged re-apply: read again, plan, nothing to write.

Prints requests (reads and writes), requests per page and wall-clock seconds for both. Writes
are paced as the site layer paces them on a real site (see ``teamcomms.site.pool``);
``--no-pacing`` turns that off to show the cost of the requests alone.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_pages import generate
from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.connect import open_site
from teamcomms.engine.workspace import load_workspace
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy


def run_once(
    pages: int, latency_ms: int, *, pacing: bool, work: Path, state_file: bool = False
) -> list[str]:
    """Two rows of figures: first apply and unchanged re-apply."""
    project = load_workspace(generate(work / f"p{pages}-{latency_ms}", pages))
    # In memory by default: the client's figures without the sandbox's own disk writes, which
    # no real site has. --state keeps a state file, as `teamcomms sandbox serve` does.
    state = work / f"state-{pages}-{latency_ms}.json" if state_file else None
    sandbox = start_sandbox(state, latency_ms=latency_ms)
    config = HttpConfig() if pacing else HttpConfig(write_interval=0.0)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    rows = []
    try:
        with open_site(sandbox.url, env=env, policy=HttpPolicy(config)) as site:
            for phase in ("first apply", "unchanged re-apply"):
                site.policy.reset_stats()
                started = time.perf_counter()
                report = apply_plan(plan_project(project, site), site)
                seconds = time.perf_counter() - started
                stats = site.stats
                assert report.ok, [r for r in report.results if r.outcome != "done"]
                rows.append(
                    f"{pages:>6} {latency_ms:>6} {phase:<19} {stats.requests:>8} {stats.reads:>6} "
                    f"{stats.writes:>7} {stats.requests / pages:>9.2f} {seconds:>8.2f}"
                )
    finally:
        sandbox.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--no-pacing", action="store_true", help="do not pace writes")
    parser.add_argument(
        "--state", action="store_true", help="the sandbox keeps a state file (as `serve` does)"
    )
    args = parser.parse_args()
    pacing = (
        "off"
        if args.no_pacing
        else f"adaptive, from {1 / HttpConfig().write_interval:g} writes/s per endpoint"
    )
    where = "a state file" if args.state else "memory"
    print(f"plan + apply on the sandbox (state in {where}); write pacing: {pacing}")
    print(f"{'pages':>6} {'ms':>6} {'phase':<19} {'requests':>8} {'reads':>6} {'writes':>7} "
          f"{'req/page':>9} {'seconds':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for latency in args.latency:
            for pages in args.pages:
                rows = run_once(
                    pages, latency, pacing=not args.no_pacing, work=Path(tmp), state_file=args.state
                )
                for row in rows:
                    print(row, flush=True)


if __name__ == "__main__":
    main()
