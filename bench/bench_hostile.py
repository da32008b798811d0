"""Time and memory of ``validate`` and ``render`` on every case of the hostile corpus.

Run: python bench/bench_hostile.py [--limit-mib 1024] [CASE ...]

Runs ``tests/definitions/hostile_runner.py`` in a child process under a hard address-space
limit (as the corpus test does) and prints, per case and command, the exit code, the seconds
it took and the child's peak resident memory so far; then the slowest cases and the totals.
Every case must end with exit code 1; the figures show that each stops early.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mib", type=int, default=1024, help="address-space limit")
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    options = parser.parse_args()
    limit = options.limit_mib * 1024 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tests.definitions.hostile_runner", work, *options.cases],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=limited,
        )
        total = time.perf_counter() - started
    results = [json.loads(line) for line in done.stdout.splitlines()]
    print(f"{'case':32} {'command':9} {'exit':>4} {'seconds':>8} {'peak MiB':>9}")
    for result in results:
        print(
            f"{result['case']:32} {result['command']:9} {result['exit_code']:>4} "
            f"{result['seconds']:>8.3f} {result['peak_rss_kib'] / 1024:>9.1f}"
        )
    slowest = sorted(results, key=lambda r: r["seconds"], reverse=True)[:5]
    print(
        "\nslowest:", ", ".join(f"{r['case']} {r['command']} {r['seconds']:.2f} s" for r in slowest)
    )
    failed = [r for r in results if r["exit_code"] != 1]
    print(
        f"cases: {len(results) // 2}, runs: {len(results)}, not exit 1: {len(failed)}, "
        f"wall time: {total:.1f} s (one process), "
        f"peak memory: {max(r['peak_rss_kib'] for r in results) / 1024:.1f} MiB "
        f"(address-space limit {options.limit_mib} MiB)"
    )


if __name__ == "__main__":
    main()
