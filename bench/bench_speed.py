"""Speed at the limit: publishing pages against the sandbox's burst limits, and CPU per apply.

Run: python bench/bench_speed.py [--pages 50 200] [--latency 20 50] [--workers 4]
     python bench/bench_speed.py --cpu [--cpu-pages 500] [--baseline-ref REF] [--repeat 5]

Publishing (the pages of the peers' benchmark: labelled pages, every tenth under the first): for
each size and added latency a fresh sandbox with its default burst limits on
(``teamcomms.sandbox.rate_limits.DEFAULT_RULES``: writes 10/s per endpoint and method, bursts of
20), then a first publish, an unchanged re-apply and an apply with one page changed. Printed per
phase: reads, writes, 429s received, wall time; for the first publish also the time the limits
themselves allow (for each write endpoint, the writes beyond its burst divided by its rate; the
slowest endpoint) and the ratio to it, and the achieved write rate as a fraction of what the
limits permit on the endpoints written to.

CPU (``--cpu``): CPU seconds of planning and applying 500 pages with no latency and no limits,
each run in a fresh child process (bytecode precompiled, as an installed package has it) against
a fresh sandbox in another process, so only the client's work counts; the median of
``--repeat`` runs. With ``--baseline-ref`` the same runs alternate with runs of another commit
of this repository (a temporary git worktree, its code on ``PYTHONPATH``). Also printed: the CPU
of the same writes sent alone (``writes_alone_seconds``), the share of an apply's CPU that is the
client libraries' per-request work rather than teamcomms'.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_pages import generate

REPO = Path(__file__).resolve().parents[1]
WRITE_RATE, WRITE_BURST = 10.0, 20  # the sandbox's default write limits (rate_limits.DEFAULT_RULES)


def publish_rows(pages: int, latency_ms: int, workers: int, work: Path) -> list[str]:
    """First publish, unchanged re-apply and one page changed, against the burst limits."""
    from teamcomms.api import apply_plan, plan_project
    from teamcomms.engine.connect import open_site
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
    from teamcomms.sandbox.routes import template_of

    project = generate(work / f"p{pages}-{latency_ms}", pages)
    sandbox = start_sandbox(None, latency_ms=latency_ms, rate_limits="on")
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    rows = []
    try:
        with open_site(sandbox.url, env=env, workers=workers) as site:
            for phase in ("first publish", "unchanged re-apply", "one page changed"):
                if phase == "one page changed":
                    (project / "pages.yaml").write_text(
                        (project / "pages.yaml")
                        .read_text()
                        .replace("title: Page 7\n", "title: Page 7 (new)\n")
                    )
                served = len(sandbox.requests)
                site.policy.reset_stats()
                started = time.perf_counter()
                report = apply_plan(plan_project(load_workspace(project), site), site)
                seconds = time.perf_counter() - started
                assert report.ok, [r for r in report.results if r.outcome != "done"]
                answered = sandbox.requests[served:]
                refused = sum(1 for _, _, status in answered if status == 429)
                writes = [(m, template_of(m, p)) for m, p, s in answered if m != "GET" and s != 429]
                reads = len(answered) - len(writes) - refused
                row = (
                    f"{pages:>5} {latency_ms:>4} {phase:<19} {reads:>6} {len(writes):>6} "
                    f"{refused:>5} {refused / max(1, len(answered)):>6.1%} {seconds:>8.2f}"
                )
                if phase == "first publish":
                    per_endpoint = Counter(writes)
                    allowed = max(
                        max(0.0, (n - WRITE_BURST) / WRITE_RATE) for n in per_endpoint.values()
                    )
                    # The share of the limits' throughput reached: the time they need over the
                    # time taken.
                    row += (
                        f" {allowed:>8.2f} {seconds / allowed if allowed else float('nan'):>6.2f}"
                        f" {allowed / seconds:>7.0%}"
                    )
                rows.append(row)
    finally:
        sandbox.stop()
    return rows


@contextmanager
def measured() -> Iterator[dict[str, float]]:
    """The CPU seconds (user + system) of this process and the wall seconds spent in the
    block, in the dict it yields once the block is over."""
    figures: dict[str, float] = {}
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    yield figures
    after = resource.getrusage(resource.RUSAGE_SELF)
    figures["wall"] = time.perf_counter() - started
    figures["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_seconds(pages: int, url: str) -> dict[str, float]:
    """CPU seconds (user + system) this process spends planning and applying ``pages`` pages
    on the sandbox at ``url`` (a separate process, so its work is not counted)."""
    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN
    from teamcomms.site.http import HttpConfig, HttpPolicy

    load, plan_project, apply_plan, open_site = _entry_points()
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "p", pages)
        env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
        with measured() as figures:
            policy = HttpPolicy(HttpConfig(write_interval=0.0))
            with open_site(url, env=env, policy=policy) as site:
                plan = plan_project(load(project), site)
                try:
                    report = apply_plan(plan, site)
                except (TypeError, AttributeError):  # the old API took the Confluence facade
                    report = apply_plan(plan, site.confluence)
                assert report.ok
    return figures


def writes_alone_seconds(pages: int, url: str) -> dict[str, float]:
    """CPU seconds of the same writes a first apply of ``pages`` pages sends (create, labels,
    ownership property per page), sent one after another through the same client libraries
    and HTTP policy, with no loading, rendering, planning or engine: what the libraries alone
    cost this process, the floor under :func:`cpu_seconds`."""
    from teamcomms.engine.connect import open_site
    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN
    from teamcomms.site.http import HttpConfig, HttpPolicy

    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    policy = HttpPolicy(HttpConfig(write_interval=0.0))
    body = (
        "<h1>Page {n}</h1><p>What the team needs to know about Page {n}.</p><table><tbody>"
        "<tr><th>Step</th><th>Owner</th></tr><tr><td>Prepare</td><td>ops</td></tr>"
        "<tr><td>Ship</td><td>fulfillment</td></tr></tbody></table>"
    )
    with open_site(url, env=env, policy=policy) as site:
        site.confluence.space_id("TEAM")
        with measured() as figures:
            for n in range(pages):
                page = site.confluence.create_page("TEAM", f"Page {n}", body.format(n=n))
                site.confluence.add_labels(page.id, ["bench", "generated"])
                marker = {"definition": f"page/page-{n}", "hash": f"{n:064x}", "version": 1}
                site.confluence.create_property(page.id, "teamcomms", marker)
    return figures


def served_sandbox() -> tuple[subprocess.Popen[str], str]:
    """A sandbox in its own process (this commit's), in memory; its URL."""
    code = (
        "import time\n"
        "from teamcomms.sandbox import start_sandbox\n"
        "site = start_sandbox(None)\n"
        "print(site.url, flush=True)\n"
        "while True: time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _entry_points() -> tuple[Any, Any, Any, Any]:
    """``(load, plan_project, apply_plan, open_site)`` of the code on the path: this commit's,
    or (for ``--baseline-ref``) one from before the plan engine, whose modules had other names."""
    try:
        api = importlib.import_module("teamcomms.api")
        connect = importlib.import_module("teamcomms.engine.connect")
        workspace = importlib.import_module("teamcomms.engine.workspace")
        return workspace.load_workspace, api.plan_project, api.apply_plan, connect.open_site
    except ImportError:
        definitions = importlib.import_module("teamcomms.definitions")
        apply = importlib.import_module("teamcomms.publish.apply")
        session = importlib.import_module("teamcomms.publish.session")
        connection = importlib.import_module("teamcomms.site.connection")
        return (
            definitions.load_project,
            session.plan_project,
            apply.apply_plan,
            connection.open_site,
        )


def precompile(source: Path) -> None:
    """Write the bytecode of ``source`` as an installed package has it: with
    PYTHONDONTWRITEBYTECODE set, every run would otherwise compile every module again."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)


def measure_in_child(source: Path, pages: int, what: str = "cpu_seconds") -> dict[str, float]:
    """:func:`cpu_seconds` (or ``what``) with the code of ``source`` (a ``src`` folder), in a
    fresh child process against a fresh sandbox of this commit in another one."""
    sandbox, url = served_sandbox()
    try:
        env = {**os.environ, "PYTHONPATH": str(source)}
        code = (
            f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_speed; print(json.dumps(bench_speed.{what}({pages}, {url!r})))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    finally:
        sandbox.kill()


def compare_cpu(pages: int, ref: str | None, repeat: int) -> None:
    """Median CPU of ``repeat`` runs of this commit (and of ``ref``, alternating with them)."""
    import statistics

    precompile(REPO / "src")
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        if ref:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), ref],
                check=True,
            )
            precompile(tree / "src")
        try:
            now: list[dict[str, float]] = []
            then: list[dict[str, float]] = []
            alone: list[dict[str, float]] = []
            for _ in range(repeat):
                now.append(measure_in_child(REPO / "src", pages))
                alone.append(measure_in_child(REPO / "src", pages, "writes_alone_seconds"))
                if ref:
                    then.append(measure_in_child(tree / "src", pages))
        finally:
            if ref:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                    check=False,
                )

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    def runs(found: list[dict[str, float]]) -> str:
        return ", ".join(f"{run['cpu']:.2f}" for run in found)

    cpu_now = median(now, "cpu")
    print(
        f"{pages} pages, no latency, median of {repeat}: {cpu_now:.2f} s CPU "
        f"(runs {runs(now)}), {median(now, 'wall'):.2f} s wall"
    )
    cpu_alone = median(alone, "cpu")
    print(
        f"the same {3 * pages} writes alone, one after another through the same clients: "
        f"{cpu_alone:.2f} s CPU (runs {runs(alone)}), {cpu_alone / cpu_now:.0%} of the apply"
    )
    if ref:
        cpu_then = median(then, "cpu")
        print(
            f"at {ref}: {cpu_then:.2f} s CPU (runs {runs(then)}), "
            f"{median(then, 'wall'):.2f} s wall; now {cpu_now / cpu_then:.2f} x the CPU; "
            f"the writes alone are {cpu_alone / cpu_then:.2f} x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--latency", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cpu", action="store_true", help="measure CPU per apply instead")
    parser.add_argument("--cpu-pages", type=int, default=500)
    parser.add_argument("--baseline-ref", help="also measure CPU on this git commit")
    parser.add_argument("--repeat", type=int, default=5, help="CPU runs of each commit")
    args = parser.parse_args()
    if args.cpu:
        compare_cpu(args.cpu_pages, args.baseline_ref, args.repeat)
        return
    print(
        f"sandbox burst limits on (writes {WRITE_RATE:g}/s per endpoint, bursts of {WRITE_BURST}); "
        f"{args.workers} workers"
    )
    print(
        f"{'pages':>5} {'ms':>4} {'phase':<19} {'reads':>6} {'writes':>6} {'429s':>5} {'429%':>6} "
        f"{'seconds':>8} {'allowed':>8} {'ratio':>6} {'of limit':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for latency in args.latency:
            for pages in args.pages:
                for row in publish_rows(pages, latency, args.workers, Path(tmp)):
                    print(row, flush=True)


if __name__ == "__main__":
    main()
