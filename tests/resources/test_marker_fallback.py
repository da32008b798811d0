"""Issue 8 item 7: the ownership marker is found even when the site leaves the property expansion
out of its bulk reads (the ``no-properties`` fault), on Cloud and on Data Center."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources.confluence_read import read_pages
from teamcomms.site.confluence_model import RemotePage
from tests.conftest import SandboxHandle
from tests.resources.conftest import BOTH_DEPLOYMENTS, connect_to
from tests.resources.test_faults_and_interruptions import assert_no_duplicates, copy_example

# The marker read on its own: Cloud's v2 property listing by key, Data Center's property by key.
MARKER_READ = {
    "cloud": re.compile(r"^/wiki/api/v2/pages/\d+/properties$"),
    "datacenter": re.compile(r"^/rest/api/content/\d+/property/teamcomms$"),
}


def marker_reads(site: SandboxHandle, since: int = 0) -> int:
    pattern = MARKER_READ[site.deployment]
    return sum(1 for m, path, _ in site.requests[since:] if m == "GET" and pattern.match(path))


def pages_in(site: SandboxHandle, spaces: list[str]) -> int:
    return sum(
        1
        for key in spaces
        for page in site.state.pages_in_space(key)
        if page["status"] == "current"
    )


@BOTH_DEPLOYMENTS
def test_without_the_property_expansion_the_example_converges_without_duplicates(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    project = copy_example(tmp_path, sandbox_site.deployment)
    workspace = load_workspace(project)
    sandbox_site.faults.configure("no-properties:1")  # every bulk read, as a mode
    with connect_to(sandbox_site) as site:
        first = plan_project(workspace, site)
        report = apply_plan(first, site)
        assert report.ok, [r for r in report.results if r.outcome != "done"]
        served = len(sandbox_site.requests)
        again = plan_project(workspace, site)
        second = apply_plan(again, site)
    assert not again.has_changes, again.summary()
    assert second.results == ()
    assert_no_duplicates(sandbox_site.state, jira=sandbox_site.deployment == "cloud")
    assert all(kind == "no-properties" for kind, _, _ in sandbox_site.faults.injected)
    spaces = sorted({c.scope for c in first.changes if c.resource == "page"})
    # One marker read per current page of the spaces read (the example's pages and each space's
    # homepage), and no more; applying a plan with no changes reads nothing further.
    per_read = pages_in(sandbox_site, spaces)
    assert marker_reads(sandbox_site, served) == per_read
    print(
        f"\n{sandbox_site.deployment}: {per_read} extra marker reads per plan of the example "
        f"without the property expansion ({len(sandbox_site.requests) - served} requests for "
        "plan and apply with no changes)"
    )


@BOTH_DEPLOYMENTS
def test_markers_are_read_one_by_one_only_for_pages_the_bulk_read_left_without(
    project: Path, sandbox_site: SandboxHandle
) -> None:
    with connect_to(sandbox_site) as site:
        apply_plan(plan_project(load_workspace(project), site), site)
        served = len(sandbox_site.requests)
        whole = read_pages(site.confluence, ["TEAM"])
        assert marker_reads(sandbox_site, served) == 0  # the expansion was there: no extra reads

        sandbox_site.faults.inject("no-properties", method="GET")
        served = len(sandbox_site.requests)
        fallback = read_pages(site.confluence, ["TEAM"], workers=2)
    assert marker_reads(sandbox_site, served) == pages_in(sandbox_site, ["TEAM"])
    owners = Counter(p.marker.definition for p in fallback.pages() if p.marker is not None)
    assert owners == Counter({"page/handbook": 1, "page/promise": 1})
    assert [(p.id, p.marker, p.marker_property) for p in fallback.pages()] == [
        (p.id, p.marker, p.marker_property) for p in whole.pages()
    ]


@BOTH_DEPLOYMENTS
def test_a_page_deleted_between_the_listing_and_its_marker_read_has_no_marker(
    project: Path, sandbox_site: SandboxHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    with connect_to(sandbox_site) as site:
        apply_plan(plan_project(load_workspace(project), site), site)
        handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
        assert handbook is not None
        listing = site.confluence.list_pages
        hidden: dict[str, str] = {}

        def list_then_delete(
            key: str, *, property_keys: Sequence[str] = (), labels: bool = True
        ) -> list[RemotePage]:
            pages = listing(key, property_keys=property_keys, labels=labels)
            # Someone moves the page to the trash right after the listing.
            hidden["id"] = str(handbook["id"])
            site.confluence.delete_page(hidden["id"])
            return pages

        monkeypatch.setattr(site.confluence, "list_pages", list_then_delete)
        sandbox_site.faults.inject("no-properties", method="GET")
        state = read_pages(site.confluence, ["TEAM"])
    page = next(p for p in state.pages() if p.id == hidden["id"])
    assert page.marker is None
