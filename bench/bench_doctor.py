"""Requests and wall time of ``teamcomms doctor`` on the example project, on the local sandbox.

Run: python bench/bench_doctor.py [--latency 0 50 150] [--workers 1 4]

For each added latency (milliseconds per request, real sleeps in the sandbox) and worker count,
runs every doctor check of ``examples/ecommerce`` against a fresh sandbox and prints the number of
checks, requests and wall-clock seconds. With one worker the checks run one after the other; with
more, the independent space, project, issue type and group checks run side by side.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import partial
from pathlib import Path

from teamcomms.definitions import load_project
from teamcomms.engine.connect import open_site
from teamcomms.resources.prerequisites import site_prerequisites
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.doctor import run_doctor

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"


def main() -> None:
    """Print one row per latency and worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50, 150])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()
    project = load_project(EXAMPLE)
    targets = site_prerequisites(project)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    print(f"{'latency ms':>10} {'workers':>7} {'checks':>6} {'failed':>6} {'requests':>8} {'s':>6}")
    with tempfile.TemporaryDirectory() as work:
        for latency in args.latency:
            for workers in args.workers:
                sandbox = start_sandbox(Path(work) / f"s{latency}-{workers}.json")
                sandbox.latency_ms = latency
                connect = partial(open_site, sandbox.url, project=project, workers=workers, env=env)
                try:
                    started = time.perf_counter()
                    report = run_doctor(connect, targets)
                    elapsed = time.perf_counter() - started
                    requests = len(sandbox.requests)
                finally:
                    sandbox.stop()
                failed = sum(1 for check in report.checks if check.failed)
                print(
                    f"{latency:>10} {workers:>7} {len(report.checks):>6} {failed:>6} "
                    f"{requests:>8} {elapsed:>6.2f}"
                )


if __name__ == "__main__":
    main()
