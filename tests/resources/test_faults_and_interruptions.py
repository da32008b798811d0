"""Rate limits, outages, dropped connections and a killed process: the site ends up the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.workspace import load_workspace
from teamcomms.sandbox import SiteState, start_sandbox
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.resources.conftest import BOTH_DEPLOYMENTS, connect_to, credentials_env

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
# Random faults on every endpoint, rare enough that no request runs out of its 8 attempts...
FAULTS = "429:0.05,429-date:0.03,503:0.03,503-retry:0.03,reset:0.03,reset-after:0.03"
# ...plus the ones that matter most, forced so that every run meets them.
FORCED = {
    "cloud": (
        ("reset-after", "POST", "/wiki/api/v2/pages"),  # created, answer lost
        ("reset", "POST", "/wiki/api/v2/pages"),  # never created, answer lost
        ("reset-after", "POST", "/wiki/api/v2/pages/*/properties"),
        ("reset-after", "POST", "/wiki/rest/api/template"),
        ("reset-after", "PUT", "/wiki/rest/api/content/*/child/attachment"),
        ("429", "GET", "/wiki/api/v2/pages"),
        ("503", "GET", "/wiki/rest/api/content/search"),
    ),
    "datacenter": (
        ("reset-after", "POST", "/rest/api/content"),
        ("reset", "POST", "/rest/api/content"),
        ("reset-after", "POST", "/rest/api/content/*/property"),
        ("reset-after", "POST", "/rest/experimental/template"),
        # An upload is a POST on Data Center: a lost answer must not make a second attachment.
        ("reset-after", "POST", "/rest/api/content/*/child/attachment"),
        ("429", "GET", "/rest/api/content"),
        ("503", "GET", "/rest/api/space/*"),
    ),
}


# What of the example a Data Center site takes: its pages (with the workflows' explanation pages
# and their diagrams) and content templates. Data Center's REST API cannot write the Jira
# configuration (the Jira resources report it as not supported) and onboarding needs Jira Cloud.
DATACENTER_INCLUDE = ("docs/*.yaml", "workflows/*.yaml")


def copy_example(root: Path, deployment: str) -> Path:
    """The example project under ``root``: whole for Cloud, its Confluence part for Data Center."""
    project = root / "ecommerce"
    shutil.copytree(EXAMPLE, project)
    if deployment == "datacenter":
        settings = project / "teamcomms.yaml"
        text = settings.read_text()
        start = text.index("include:\n")
        end = text.index("exclude:", start)
        wanted = "".join(f'  - "{pattern}"\n' for pattern in DATACENTER_INCLUDE)
        settings.write_text(text[:start] + "include:\n" + wanted + text[end:])
    return project


def site_content(state: SiteState) -> dict[str, Any]:
    """Everything a user sees, without ids: pages by space and title, and templates."""
    pages = [p for p in state.table("pages").values() if p["status"] == "current"]
    by_id = {p["id"]: p for p in pages}
    spaces = {s["id"]: s["key"] for s in state.table("spaces").values()}
    content = Counter(
        (
            spaces[p["spaceId"]],
            p["title"],
            p["body"],
            by_id[p["parentId"]]["title"] if p["parentId"] in by_id else None,
            tuple(sorted(lb["name"] for lb in p["labels"])),
            tuple(
                sorted(str(prop["value"].get("definition")) for prop in p["properties"].values())
            ),
            tuple(sorted(a["title"] for a in p["attachments"])),
        )
        for p in pages
    )
    templates = Counter(
        (t.get("space", {}).get("key"), t["name"], t["body"], t["description"])
        for t in state.table("templates").values()
    )
    return {"pages": content, "templates": templates}


def apply_project(project: Path, site: Site) -> None:
    plan = plan_project(load_workspace(project), site)
    report = apply_plan(plan, site)
    assert report.ok, [r for r in report.results if r.outcome != "done"]


def assert_no_duplicates(state: SiteState, *, jira: bool = True) -> None:
    """One page per title and per marker, and (``jira``: the project has Jira objects, as the
    example has on Cloud) one Jira object of each kind per name."""
    titles = Counter(
        (p["spaceId"], p["title"])
        for p in state.table("pages").values()
        if p["status"] == "current"
    )
    assert max(titles.values()) == 1
    owners = Counter(
        prop["value"]["definition"]
        for p in state.table("pages").values()
        for prop in p["properties"].values()
    )
    assert owners and max(owners.values()) == 1
    if not jira:
        return
    for table in ("statuses", "workflows", "workflowschemes", "filters", "boards"):
        names = Counter(str(item["name"]).casefold() for item in state.table(table).values())
        assert names and max(names.values()) == 1, (table, names.most_common(3))
    fields = Counter(
        f["name"] for f in state.table("fields").values() if f["custom"] and not f.get("trashed")
    )
    assert fields and max(fields.values()) == 1
    markers = Counter(
        json.dumps(prop, sort_keys=True)
        for issue in state.table("issues").values()
        for key, prop in (issue.get("properties") or {}).items()
        if key.startswith("teamcomms")
    )
    assert markers and max(markers.values()) == 1, markers.most_common(3)


@BOTH_DEPLOYMENTS
def test_a_run_with_faults_on_every_endpoint_ends_like_a_run_without(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    deployment = sandbox_site.deployment
    project = copy_example(tmp_path, deployment)
    clean = start_sandbox(
        tmp_path / "clean.json", sleeper=lambda seconds: None, deployment=deployment
    )
    try:
        clean_handle = SandboxHandle(tmp_path / "clean.json", deployment, site=clean)
        with connect_to(clean_handle) as site:
            apply_project(project, site)
        expected = site_content(clean.state)
    finally:
        clean.stop()
    sandbox_site.faults.configure(FAULTS)
    for kind, method, path in FORCED[deployment]:
        sandbox_site.faults.inject(kind, method=method, path=path)
    with connect_to(sandbox_site) as site:
        apply_project(project, site)
    injected = {(kind, method) for kind, method, _ in sandbox_site.faults.injected}
    assert {("reset-after", "POST"), ("reset", "POST"), ("429", "GET"), ("503", "GET")} <= injected
    assert site_content(sandbox_site.state) == expected
    assert_no_duplicates(sandbox_site.state, jira=deployment == "cloud")


# Writes after which the run is killed. Cloud: among the Jira configuration (statuses, fields,
# workflows), among the onboarding issues, and among the pages (a first apply sends about 200).
# Data Center (the example's Confluence part, about 60 writes): among the first pages and
# among the later pages with their diagrams.
KILL_POINTS = (15, 90, 170)
DATACENTER_KILL_POINTS = (15, 45)


@pytest.mark.parametrize(
    ("sandbox_site", "kill_after"),
    [("cloud", n) for n in KILL_POINTS] + [("datacenter", n) for n in DATACENTER_KILL_POINTS],
    indirect=["sandbox_site"],
)
def test_a_run_killed_midway_converges_when_run_again(
    tmp_path: Path, sandbox_site: SandboxHandle, kill_after: int
) -> None:
    project = copy_example(tmp_path, sandbox_site.deployment)
    reached, release = threading.Event(), threading.Event()

    def hold_after_some_writes(seconds: float) -> None:
        writes = sum(1 for method, _, _ in sandbox_site.requests if method != "GET")
        if writes >= kill_after:
            reached.set()
            release.wait(timeout=30)

    sandbox_site.running.sleeper = hold_after_some_writes
    sandbox_site.running.latency_ms = 1
    env = {**os.environ, **credentials_env(sandbox_site)}
    # The real CLI with its write pacing: unpaced, four writes are in flight at the kill and one
    # cut off mid-send reaches the sandbox as a truncated request (a contract violation, ~1 in 4).
    command = [sys.executable, "-m", "teamcomms", "apply", str(project), "--site"]
    process = subprocess.Popen(
        [*command, sandbox_site.url, "--yes"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert reached.wait(timeout=120), process.stderr.read() if process.stderr else ""
        process.kill()
        process.wait(timeout=30)
    finally:
        sandbox_site.running.latency_ms = 0
        release.set()
        process.kill()  # a no-op after the kill above; ends the child if the wait failed
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
    written = sum(1 for method, _, _ in sandbox_site.requests if method != "GET")
    assert kill_after <= written < 200, "the kill should land part-way through the first apply"
    with connect_to(sandbox_site) as site:
        apply_project(project, site)
        again = plan_project(load_workspace(project), site)
    assert not again.has_changes, again.summary()
    assert_no_duplicates(sandbox_site.state, jira=sandbox_site.deployment == "cloud")
