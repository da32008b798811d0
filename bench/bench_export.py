"""Requests and wall time of ``teamcomms export`` on the local sandbox.

Run: python bench/bench_export.py [--latency 0 50] [--pages 200]

The site: the starter kit's example applied (its Jira setup: 5 workflows, 10 fields, 11 filters,
3 boards, and its 16 pages and 5 content templates), plus ``--pages`` pages made by hand in a
space of their own, stored as Confluence's editor stores them (no line ends between blocks, macro
ids, task lists, a table with lozenges, a panel, code, and on every tenth page a macro Markdown has
no words for). The export reads every space and project of the example and that space; then the
exported project is planned against the same site, which must show markers to adopt and nothing
else. Printed: definitions written, reads, writes (0: the export only reads, and its tests check
that the site is unchanged) and seconds of the export, and of the plan.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from teamcomms.api import apply_plan, export_project, plan_project, provision_sandbox
from teamcomms.engine.connect import open_site
from teamcomms.engine.resource import ExportSelection
from teamcomms.engine.workspace import load_workspace
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxSite, start_sandbox
from teamcomms.site.http import HttpConfig, HttpPolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"
SPACES = ("TEAM", "ENG", "OPS", "PROD", "DOCS")
PROJECTS = ("OPS", "PEOPLE", "PROD", "DIST", "SHOP", "QA")


def editor_body(n: int) -> str:
    """A page as Confluence's editor stores it."""
    gallery = (
        '<ac:structured-macro ac:name="gallery" ac:macro-id="g{n}"><ac:parameter '
        'ac:name="columns">3</ac:parameter></ac:structured-macro>'
        if n % 10 == 0
        else ""
    )
    return (
        f"<h2>Procedure {n}</h2><p>Orders for <strong>region {n % 7}</strong> ship from the "
        f'<a href="https://wiki.example.com/w/{n}">nearest warehouse</a>.</p>'
        f'<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="i{n}">'
        "<ac:rich-text-body><p>Check stock before promising a date.</p></ac:rich-text-body>"
        "</ac:structured-macro><ac:task-list>"
        + "".join(
            f"<ac:task><ac:task-id>{n * 10 + i}</ac:task-id><ac:task-status>"
            f"{'complete' if i % 2 else 'incomplete'}</ac:task-status><ac:task-body>Step {i}"
            "</ac:task-body></ac:task>"
            for i in range(4)
        )
        + "</ac:task-list><table><tbody><tr><th>Carrier</th><th>State</th></tr>"
        + "".join(
            f'<tr><td>Carrier {i}</td><td><ac:structured-macro ac:name="status" '
            f'ac:macro-id="s{n}-{i}"><ac:parameter ac:name="colour">Green</ac:parameter>'
            '<ac:parameter ac:name="title">Running</ac:parameter></ac:structured-macro></td></tr>'
            for i in range(3)
        )
        + '</tbody></table><ac:structured-macro ac:name="code" ac:macro-id="c{n}">'
        '<ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA['
        f"ship --region {n % 7}]]></ac:plain-text-body></ac:structured-macro>{gallery}"
    )


def prepared_site(pages: int, workdir: Path) -> SandboxSite:
    """A sandbox with the example applied and ``pages`` hand-made pages in space DOCS."""
    sandbox = start_sandbox(None, latency_ms=0)
    example = workdir / "example"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".teamcomms"))
    workspace = load_workspace(example)
    provision_sandbox(sandbox.state, workspace.project)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    with open_site(sandbox.url, env=env, policy=HttpPolicy(HttpConfig(write_interval=0.0))) as site:
        assert apply_plan(plan_project(workspace, site), site).ok
    space = sandbox.state.add_space("DOCS", "Documentation")
    parents = [space["homepageId"]]
    for n in range(pages):
        parent = parents[n % len(parents)]
        page = sandbox.state.create_page(space["id"], f"Procedure {n}", editor_body(n), parent)
        if n < 10:
            parents.append(page["id"])
    return sandbox


def measure(pages: int, latency_ms: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = prepared_site(pages, Path(tmp))
        sandbox.latency_ms = latency_ms  # from now on: preparing the site is not measured
        env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
        rows = []
        try:
            policy = HttpPolicy(HttpConfig(write_interval=0.0))
            with open_site(sandbox.url, env=env, policy=policy) as site:
                folder = Path(tmp) / "exported"
                site.policy.reset_stats()
                started = time.perf_counter()
                report = export_project(site, folder, ExportSelection(SPACES, PROJECTS))
                seconds = time.perf_counter() - started
                stats = site.stats
                assert not report.errors, report.errors
                counts = report.result.counts()
                raw = len({n.where for n in report.result.notes if "kept as storage" in n.what})
                rows.append(
                    f"{latency_ms:>4} {'export':<8} {sum(counts.values()):>11} {stats.reads:>6} "
                    f"{stats.writes:>7} {seconds:>8.2f}   {raw} pages and templates keep storage "
                    "blocks"
                )
                site.policy.reset_stats()
                started = time.perf_counter()
                plan = plan_project(load_workspace(folder), site)
                seconds = time.perf_counter() - started
                stats = site.stats
                others = [c for c in plan.changes if c.writes and c.fields != ("marker",)]
                assert not others, [(c.resource, c.title, c.action, c.fields) for c in others]
                rows.append(
                    f"{latency_ms:>4} {'plan':<8} {len(plan.changes):>11} {stats.reads:>6} "
                    f"{stats.writes:>7} {seconds:>8.2f}   {plan.summary()}"
                )
        finally:
            sandbox.stop()
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    print(f"{args.pages} hand-made pages + examples/ecommerce applied")
    print(f"{'ms':>4} {'phase':<8} {'definitions':>11} {'reads':>6} {'writes':>7} {'seconds':>8}")
    for latency in args.latency:
        for row in measure(args.pages, latency):
            print(row, flush=True)


if __name__ == "__main__":
    main()
