"""Plan and apply over HTTP against the contract-checked sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.api import apply_plan, load_plan, plan_project, save_plan
from teamcomms.engine.change import Plan
from teamcomms.engine.report import ApplyReport
from teamcomms.engine.resource import Prune
from teamcomms.engine.runner import ApplyOptions, PlanBlocked
from teamcomms.engine.saved_plan import StalePlanError, verify_saved_plan
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources import RESOURCES
from teamcomms.resources.confluence_read import read_pages, read_templates
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.resources.conftest import BOTH_DEPLOYMENTS, PAGES_YAML

HAND_EDITOR = {"cloud": "712020:hand-editor", "datacenter": "hand-editor"}
"""Who ``edit_page_as_user`` edits as: an account id on Cloud, a user name on Data Center."""


def plan_for(project: Path, confluence: Site, prune: Prune | None = None) -> Plan:
    return plan_project(load_workspace(project), confluence, prune=prune)


def check_saved_plan(plan: Plan, confluence: Site) -> None:
    verify_saved_plan(plan, confluence, RESOURCES, workers=4)


def apply(plan: Plan, confluence: Site, *, force: bool = False) -> ApplyReport:
    report = apply_plan(plan, confluence, ApplyOptions(force=force))
    assert report.ok, report.results
    return report


def page(sandbox: SandboxHandle, title: str) -> dict[str, object]:
    found = sandbox.state.page_by_title("TEAM", title)
    assert found is not None, title
    return found


@BOTH_DEPLOYMENTS
def test_first_apply_creates_pages_and_template_then_nothing_changes(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    plan = plan_for(project, confluence)
    assert plan.counts() == {"create": 3}
    apply(plan, confluence)
    handbook, promise = (
        page(sandbox_site, "Team Handbook"),
        page(sandbox_site, "Our customer promise"),
    )
    assert promise["parentId"] == handbook["id"]
    assert "Northwind" in str(promise["body"])
    assert sorted(lb["name"] for lb in promise["labels"]) == ["handbook", "service"]  # type: ignore[attr-defined]
    again = plan_for(project, confluence)
    assert again.counts() == {"no-op": 3}
    assert not again.has_changes


@BOTH_DEPLOYMENTS
def test_renaming_a_title_keeps_the_page_id(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan_for(project, confluence), confluence)
    before = page(sandbox_site, "Team Handbook")
    docs = project / "docs.yaml"
    docs.write_text(docs.read_text().replace("Team Handbook", "How we work"))
    plan = plan_for(project, confluence)
    renamed = next(c for c in plan.changes if c.address == "page/handbook")
    assert renamed.action == "rename"
    apply(plan, confluence)
    after = page(sandbox_site, "How we work")
    assert after["id"] == before["id"]
    assert sandbox_site.state.page_by_title("TEAM", "Team Handbook") is None
    assert page(sandbox_site, "Our customer promise")["parentId"] == after["id"]
    assert not plan_for(project, confluence).has_changes


@BOTH_DEPLOYMENTS
def test_a_hand_edit_is_reported_with_its_author_and_not_overwritten_without_force(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan_for(project, confluence), confluence)
    handbook = page(sandbox_site, "Team Handbook")
    sandbox_site.state.edit_page_as_user(str(handbook["id"]), body="<p>my notes</p>")
    (project / "handbook.md").write_text("# Handbook\n\nHow we work now.\n")
    plan = plan_for(project, confluence)
    drifted = next(c for c in plan.changes if c.address == "page/handbook")
    assert drifted.action == "drifted"
    assert drifted.drift is not None
    assert drifted.drift.author == HAND_EDITOR[sandbox_site.deployment]
    assert drifted.drift.modified_at
    with pytest.raises(PlanBlocked, match="drifted page/handbook") as refused:
        apply_plan(plan, confluence)
    assert "--force" in refused.value.format()
    assert page(sandbox_site, "Team Handbook")["body"] == "<p>my notes</p>"
    apply(plan, confluence, force=True)
    assert "How we work now" in str(page(sandbox_site, "Team Handbook")["body"])
    assert not plan_for(project, confluence).has_changes


@BOTH_DEPLOYMENTS
def test_an_unowned_page_with_the_same_title_is_protected_unless_adopted(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    theirs = sandbox_site.state.create_page(space["id"], "Team Handbook", "<p>theirs</p>", None)
    plan = plan_for(project, confluence)
    conflict = next(c for c in plan.changes if c.address == "page/handbook")
    assert (conflict.action, conflict.target_id) == ("conflict", theirs["id"])
    with pytest.raises(PlanBlocked, match="conflict page/handbook") as refused:
        apply_plan(plan, confluence)
    assert "adopt: true" in refused.value.format()
    assert page(sandbox_site, "Team Handbook")["body"] == "<p>theirs</p>"
    docs = project / "docs.yaml"
    docs.write_text(docs.read_text().replace("body: handbook.md", "body: handbook.md\nadopt: true"))
    adopting = plan_for(project, confluence)
    assert next(c for c in adopting.changes if c.address == "page/handbook").action == "adopt"
    apply(adopting, confluence)
    assert page(sandbox_site, "Team Handbook")["id"] == theirs["id"]
    assert not plan_for(project, confluence).has_changes


def test_prune_archives_only_owned_pages(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan_for(project, confluence), confluence)
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    sandbox_site.state.create_page(space["id"], "Someone's page", "<p>keep</p>", None)
    docs = project / "docs.yaml"
    docs.write_text(PAGES_YAML.split("---\n", 1)[1].replace("parent: Team Handbook\n", ""))
    reported = plan_for(project, confluence)
    orphan = next(c for c in reported.changes if c.action == "orphan")
    assert orphan.address == "page/handbook"
    pruning = plan_for(project, confluence, prune="archive")
    assert [c.title for c in pruning.changes if c.action == "archive"] == ["Team Handbook"]
    apply(pruning, confluence)
    assert page(sandbox_site, "Team Handbook")["status"] == "archived"
    assert page(sandbox_site, "Someone's page")["status"] == "current"
    assert page(sandbox_site, "Our customer promise")["status"] == "current"
    assert not plan_for(project, confluence, prune="archive").has_changes


@BOTH_DEPLOYMENTS
def test_a_saved_plan_goes_stale_when_a_page_it_touches_changes(
    project: Path, confluence: Site, sandbox_site: SandboxHandle, tmp_path: Path
) -> None:
    apply(plan_for(project, confluence), confluence)
    (project / "handbook.md").write_text("# Handbook\n\nChanged.\n")
    saved = tmp_path / "plan.json"
    save_plan(plan_for(project, confluence), saved)
    check_saved_plan(load_plan(saved), confluence)  # still fresh
    handbook = page(sandbox_site, "Team Handbook")
    sandbox_site.state.edit_page_as_user(str(handbook["id"]), title="Handbook (draft)")
    with pytest.raises(StalePlanError, match="changed since"):
        check_saved_plan(load_plan(saved), confluence)


@BOTH_DEPLOYMENTS
def test_an_unchanged_reapply_sends_no_writes(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan_for(project, confluence), confluence)
    writes_before = len([r for r in sandbox_site.requests if r[0] != "GET"])
    report = apply(plan_for(project, confluence), confluence)
    assert report.results == ()
    assert len([r for r in sandbox_site.requests if r[0] != "GET"]) == writes_before


@BOTH_DEPLOYMENTS
def test_a_label_change_makes_no_new_page_version(
    project: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    apply(plan_for(project, confluence), confluence)
    docs = project / "docs.yaml"
    docs.write_text(docs.read_text().replace("labels: [handbook]", "labels: [handbook, team]"))
    plan = plan_for(project, confluence)
    assert next(c for c in plan.changes if c.address == "page/handbook").action == "relabel"
    apply(plan, confluence)
    handbook = page(sandbox_site, "Team Handbook")
    assert handbook["version"]["number"] == 1  # type: ignore[index]
    assert sorted(lb["name"] for lb in handbook["labels"]) == ["handbook", "team"]  # type: ignore[attr-defined]
    assert not plan_for(project, confluence).has_changes


@BOTH_DEPLOYMENTS
def test_a_missing_space_is_marked_so_and_costs_only_its_lookup(
    confluence: Site, sandbox_site: SandboxHandle
) -> None:
    state = read_pages(confluence.confluence, ["TEAM", "NOPE"])
    read_templates(confluence.confluence, ["TEAM", "NOPE"])
    team, nope = state.space("TEAM"), state.space("NOPE")
    assert team is not None and team.exists and team.pages
    assert nope is not None and not nope.exists
    # Cloud: one lookup for both spaces, then for TEAM only: page listing, CQL, template listing.
    # Data Center: one lookup per space, then the content listing (properties and labels
    # expanded) and the template listing.
    assert confluence.stats.reads == 4
    if sandbox_site.deployment == "cloud":
        assert sandbox_site.count("GET", "/wiki/api/v2/spaces") == 1
    else:
        assert sandbox_site.count("GET", "/rest/api/space/") == 2
