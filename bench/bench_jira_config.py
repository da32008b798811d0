"""Requests and wall time of plan and apply for Jira configuration, on the local sandbox.

Run: python bench/bench_jira_config.py [--latency 0 50] [--workflows 20 --fields 100 --filters 30
--boards 30] [--skip-example]

Two projects, each on a fresh sandbox: the starter kit's example (examples/ecommerce: Confluence,
Jira configuration and onboarding together), and a generated Jira-only project of the given size
(each workflow with five statuses and six transitions, fields of select type with five options
scoped to a project, filters, kanban boards on those filters). For each: first apply, then an
unchanged plan, with the reads, writes and seconds each took. Writes are not paced (the sandbox has
no rate limits unless asked), so the time is the requests' own.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.connect import open_site
from teamcomms.engine.workspace import load_workspace
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"
PROJECTS = ("OPS", "DIST", "SHOP", "PROD", "QA")


def generate(root: Path, workflows: int, fields: int, filters: int, boards: int) -> Path:
    """A Jira-only project of the given size."""
    root.mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {project: OPS}\n")
    documents = []
    for n in range(workflows):
        statuses = [f"Stage {n}-{i}" for i in range(5)]
        listed = "\n".join(
            f"  - {{name: {s}, category: {'done' if i == 4 else 'in_progress' if i else 'todo'}}}"
            for i, s in enumerate(statuses)
        )
        moves = "\n".join(
            f"  - {{name: Step {i}, from: {statuses[i]}, to: {statuses[i + 1]}}}" for i in range(4)
        )
        documents.append(
            f"kind: workflow\nname: Flow {n}\nstatuses:\n{listed}\ninitial: {statuses[0]}\n"
            f"transitions:\n{moves}\n  - {{name: Back {n}, from: any, to: {statuses[0]}}}\n"
            f"  - {{name: Skip {n}, from: {statuses[0]}, to: {statuses[4]}}}\n"
        )
    for n in range(fields):
        project = PROJECTS[n % len(PROJECTS)]
        documents.append(
            f"kind: field\nname: Attribute {n}\ntype: select\n"
            f"options: [One, Two, Three, Four, Five]\n"
            f"contexts: [{{name: In {project}, projects: [{project}]}}]\n"
        )
    for n in range(filters):
        project = PROJECTS[n % len(PROJECTS)]
        documents.append(f"kind: filter\nname: Queue {n}\njql: project = {project} ORDER BY Rank\n")
    for n in range(min(boards, filters)):
        project = PROJECTS[n % len(PROJECTS)]
        documents.append(
            f"kind: board\nname: Board {n}\ntype: kanban\nfilter: Queue {n}\nproject: {project}\n"
        )
    (root / "jira.yaml").write_text("---\n".join(documents))
    return root


def measure(project: Path, latency_ms: int, label: str) -> list[str]:
    """First apply and unchanged plan of ``project`` on a fresh sandbox."""
    sandbox = start_sandbox(None, latency_ms=latency_ms)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    rows = []
    try:
        from teamcomms.api import provision_sandbox

        workspace = load_workspace(project)
        provision_sandbox(sandbox.state, workspace.project)
        policy = HttpPolicy(HttpConfig(write_interval=0.0))
        with open_site(sandbox.url, env=env, policy=policy) as site:
            site.policy.reset_stats()
            started = time.perf_counter()
            plan = plan_project(workspace, site)
            report = apply_plan(plan, site)
            seconds = time.perf_counter() - started
            assert report.ok, [r for r in report.results if r.outcome != "done"]
            stats = site.stats
            rows.append(
                f"{label:<34} {latency_ms:>4} {'first apply':<16} {len(plan.changes):>7} "
                f"{stats.reads:>6} {stats.writes:>7} {seconds:>8.2f}"
            )
            site.policy.reset_stats()
            started = time.perf_counter()
            again = plan_project(load_workspace(project), site)
            seconds = time.perf_counter() - started
            assert not again.has_changes, again.summary()
            stats = site.stats
            rows.append(
                f"{label:<34} {latency_ms:>4} {'unchanged plan':<16} {len(again.changes):>7} "
                f"{stats.reads:>6} {stats.writes:>7} {seconds:>8.2f}"
            )
    finally:
        sandbox.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--workflows", type=int, default=20)
    parser.add_argument("--fields", type=int, default=100)
    parser.add_argument("--filters", type=int, default=30)
    parser.add_argument("--boards", type=int, default=30)
    parser.add_argument("--skip-example", action="store_true")
    args = parser.parse_args()
    size = f"{args.workflows} wf, {args.fields} fields, {args.filters} filt, {args.boards} boards"
    print(
        f"{'project':<34} {'ms':>4} {'phase':<16} {'changes':>7} {'reads':>6} {'writes':>7} "
        f"{'seconds':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".teamcomms"))
        generated = generate(
            Path(tmp) / "generated", args.workflows, args.fields, args.filters, args.boards
        )
        for latency in args.latency:
            if not args.skip_example:
                for row in measure(example, latency, "examples/ecommerce"):
                    print(row, flush=True)
            for row in measure(generated, latency, size):
                print(row, flush=True)


if __name__ == "__main__":
    main()
