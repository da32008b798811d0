"""Rows per second and requests per row of ``teamcomms import`` on the local sandbox.

Run: python bench/bench_import.py [--rows 1000] [--latency 0 50] [--no-pacing]
     python bench/bench_import.py --rows 10000          # the figure the import issue asks for

For each added latency (milliseconds per request, real sleeps in the sandbox) a fresh sandbox
gets three custom fields (a number, a select, a date) and a CSV of ``--rows`` rows: one epic per
25 rows with the other rows under them, a link from every seventh row, the custom fields filled.
Then the import is planned and applied (as ``teamcomms import --yes`` does), then run again
(nothing to create). Prints rows per second and requests per row for both runs and the first
run's requests by endpoint. The policy counts every POST as a write, so ``POST search/jql`` (a
read) is among the writes. Write pacing is on unless ``--no-pacing`` (Cloud's burst limits).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections import Counter
from pathlib import Path

from teamcomms.api import apply_import, import_resource, plan_import
from teamcomms.engine.connect import open_site
from teamcomms.engine.runner import ApplyOptions
from teamcomms.engine.workspace import load_workspace
from teamcomms.imports import read_source
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, start_sandbox
from teamcomms.site.connection import Site
from teamcomms.site.http import HttpConfig, HttpPolicy

CUSTOM = "com.atlassian.jira.plugin.system.customfieldtypes:"
MAPPING = """\
kind: import
name: bench
project: SHOP
id: Key
fields:
  summary: Title
  description: Details
  issue_type: {column: Type, default: Task}
  priority: Priority
  labels: {column: Tags, add: [bench]}
custom:
  Story Points: Points
  Sales Channel: Channel
  Launch Date: Launch
parent: Epic
links:
  - {column: Blocks, type: blocks}
"""
PRIORITIES = ("High", "Medium", "Low")
CHANNELS = ("Web shop", "Marketplace")


def generate(root: Path, rows: int) -> Path:
    """The mapping and a CSV of ``rows`` rows under ``root``; returns the CSV."""
    root.mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {project: SHOP}\n")
    (root / "bench-import.yaml").write_text(MAPPING)
    path = root / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Key", "Title", "Details", "Type", "Priority", "Tags", "Points",
                         "Channel", "Launch", "Epic", "Blocks"])  # fmt: skip
        for n in range(rows):
            epic = n % 25 == 0
            writer.writerow(
                [
                    f"R-{n}",
                    f"Row {n}: tidy up product page {n}",
                    f"The **product page** for SKU {n} has no image.\n\n- find one\n- add it",
                    "Epic" if epic else "",
                    PRIORITIES[n % 3],
                    "catalog,images" if n % 2 else "catalog",
                    "" if epic else str(n % 8),
                    CHANNELS[n % 2],
                    "2027-05-01" if epic else "",
                    "" if epic else f"R-{n - n % 25}",
                    f"R-{n - 1}" if n % 7 == 0 and n % 25 > 1 else "",
                ]
            )
    return path


def add_fields(site: Site) -> None:
    """The custom fields the mapping fills, each with a global context."""
    fields = site.jira
    for name, kind, searcher, options in (
        ("Story Points", "float", "exactnumber", ()),
        ("Sales Channel", "select", "multiselectsearcher", CHANNELS),
        ("Launch Date", "datepicker", "daterange", ()),
    ):
        field = fields.create_field(
            name, type_key=CUSTOM + kind, searcher=CUSTOM + searcher, description=""
        )
        if options:
            # Jira gives a new field a global context; its options go there.
            (context,) = fields.contexts(field.id, options=False)
            fields.add_options(field.id, context.id, list(options))


def endpoint(method: str, path: str) -> str:
    """A request's endpoint, ids folded: ``POST /rest/api/3/issue/bulk``."""
    parts = [
        "{id}" if (p.isdigit() and len(p) > 1) or p.startswith("teamcomms.") else p
        for p in path.split("/")
    ]
    return f"{method} {'/'.join(parts)}"


def run_once(rows: int, latency_ms: int, *, pacing: bool, work: Path) -> list[str]:
    """Lines of figures: the import, by endpoint, then the re-run."""
    source = generate(work / f"r{rows}-{latency_ms}", rows)
    workspace = load_workspace([source.parent / "bench-import.yaml"])
    definition = workspace.project.imports[0]
    sandbox = start_sandbox(None, latency_ms=latency_ms)
    config = HttpConfig() if pacing else HttpConfig(write_interval=0.0)
    env = {"TEAMCOMMS_EMAIL": SANDBOX_EMAIL, "TEAMCOMMS_API_TOKEN": SANDBOX_TOKEN}
    lines = []
    try:
        with open_site(sandbox.url, env=env, policy=HttpPolicy(config)) as site:
            add_fields(site)
        for label in ("import", "re-run (nothing to do)"):
            before = len(sandbox.requests)
            started = time.perf_counter()
            with open_site(sandbox.url, env=env, policy=HttpPolicy(config)) as site:
                table = read_source(source, "csv")
                resource = import_resource(definition, table)
                plan = plan_import(workspace, site, resource)
                report = apply_import(plan, site, resource, ApplyOptions(workers=site.pool.workers))
                assert report.ok and not resource.run.failures, resource.run.failed
                stats = site.stats
            seconds = time.perf_counter() - started
            lines.append(
                f"{rows:>6} {latency_ms:>4} ms  {label:<24} {rows / seconds:>8.1f} rows/s  "
                f"{stats.requests / rows:>6.3f} requests/row ({stats.reads} reads, "
                f"{stats.writes} writes)  {seconds:>7.2f} s"
            )
            if label == "import":
                counted = Counter(endpoint(m, p) for m, p, _ in sandbox.requests[before:])
                lines.extend(f"{'':>14}{n:>6}  {name}" for name, n in sorted(counted.items()))
    finally:
        sandbox.stop()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1000, help="rows to import (try 10000)")
    parser.add_argument("--latency", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--no-pacing", action="store_true", help="do not pace writes")
    args = parser.parse_args()
    print("  rows latency  run                       rows per second   requests per row")
    with tempfile.TemporaryDirectory() as work:
        for latency in args.latency:
            for line in run_once(args.rows, latency, pacing=not args.no_pacing, work=Path(work)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
