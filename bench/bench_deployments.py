"""Requests of plan + apply on a Cloud and on a Data Center sandbox, side by side.

Run: python bench/bench_deployments.py [--project examples/ecommerce] [--pages 100 500]
     [--no-properties] [--pacing]

Projects, each on a fresh in-memory sandbox of each deployment it suits:

- ``docs``: the example's pages and content templates only, on both (the same Confluence work);
- ``docs+workflows``: also the workflows, i.e. their explanation pages with diagrams (and on
  Cloud the Jira workflows, statuses and schemes): on Data Center this is all of the example it
  takes, since its REST API cannot write the Jira configuration and onboarding needs Cloud;
- ``whole``: the whole example, on Cloud;
- with ``--pages``, generated projects of labelled pages in space TEAM (every tenth under the
  first page), on both.

For each:

- first apply: read the spaces, plan, create every page (body, labels, marker), templates and
  attachments;
- unchanged re-apply: read again, plan, nothing to write.

``--no-properties`` also runs each case with the sandbox leaving the property expansion out of
its bulk reads (the ``no-properties`` fault), so every marker is read on its own. Prints requests
(reads and writes) and wall-clock seconds; writes are not paced unless ``--pacing``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.connect import open_site
from teamcomms.engine.workspace import Workspace, load_workspace
from teamcomms.sandbox import SANDBOX_EMAIL, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import generate  # a sibling script, not a package

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"
DOCS = ("docs/*.yaml",)
DOCS_AND_WORKFLOWS = ("docs/*.yaml", "workflows/*.yaml")
HEADER = (
    f"{'project':<22} {'deployment':<11} {'expansion':<10} {'phase':<19} "
    f"{'requests':>8} {'reads':>6} {'writes':>7} {'seconds':>8}"
)


def run_once(
    name: str, project: Workspace, deployment: str, *, no_properties: bool, pacing: bool
) -> list[str]:
    """Two rows of figures: first apply and unchanged re-apply."""
    sandbox = start_sandbox(deployment=deployment)  # type: ignore[arg-type]
    if no_properties:
        sandbox.faults.configure("no-properties:1")
    if deployment == "datacenter":
        env = {"TEAMCOMMS_PAT": sandbox.token, "TEAMCOMMS_DEPLOYMENT": "datacenter"}
    else:
        env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": sandbox.token}
    config = HttpConfig() if pacing else HttpConfig(write_interval=0.0)
    rows = []
    try:
        with open_site(sandbox.url, env=env, policy=HttpPolicy(config)) as site:
            for phase in ("first apply", "unchanged re-apply"):
                site.policy.reset_stats()
                started = time.perf_counter()
                report = apply_plan(plan_project(project, site), site)
                seconds = time.perf_counter() - started
                assert report.ok, [r for r in report.results if r.outcome != "done"]
                stats = site.stats
                expansion = "dropped" if no_properties else "honoured"
                rows.append(
                    f"{name:<22} {deployment:<11} {expansion:<10} {phase:<19} "
                    f"{stats.requests:>8} {stats.reads:>6} {stats.writes:>7} {seconds:>8.2f}"
                )
    finally:
        sandbox.stop()
    return rows


def narrowed(example: Path, root: Path, patterns: tuple[str, ...]) -> Path:
    """A copy of ``example`` whose ``include:`` keeps only ``patterns``."""
    project = root / "-".join(p.split("/")[0] for p in patterns)
    shutil.copytree(example, project)
    settings = project / "teamcomms.yaml"
    text = settings.read_text()
    start, end = text.index("include:\n"), text.index("exclude:")
    kept = "".join(f'  - "{pattern}"\n' for pattern in patterns)
    settings.write_text(text[:start] + "include:\n" + kept + text[end:])
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=EXAMPLE)
    parser.add_argument("--pages", type=int, nargs="*", default=[])
    parser.add_argument("--no-properties", action="store_true", help="also without expansion")
    parser.add_argument("--pacing", action="store_true", help="pace writes as on a real site")
    args = parser.parse_args()
    print(HEADER)
    both = ("cloud", "datacenter")
    with tempfile.TemporaryDirectory() as tmp:
        docs = narrowed(args.project, Path(tmp), DOCS)
        with_workflows = narrowed(args.project, Path(tmp), DOCS_AND_WORKFLOWS)
        projects = [
            ("docs", load_workspace(docs), both),
            ("docs+workflows", load_workspace(with_workflows), both),
            ("whole", load_workspace(args.project), ("cloud",)),
        ]
        projects += [
            (f"{n} pages", load_workspace(generate(Path(tmp) / f"p{n}", n)), both)
            for n in args.pages
        ]
        for name, project, deployments in projects:
            for deployment in deployments:
                for dropped in (False, True) if args.no_properties else (False,):
                    rows = run_once(
                        name, project, deployment, no_properties=dropped, pacing=args.pacing
                    )
                    print("\n".join(rows), flush=True)


if __name__ == "__main__":
    main()
