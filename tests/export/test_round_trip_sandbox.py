"""Issue 17's done-when on the contract-checked sandbox: a site set up by hand exports to a
project that validates; a plan of it adopts every object with its marker and changes nothing
else; after apply, a plan has no changes. The export only reads."""

from __future__ import annotations

import copy
from pathlib import Path

from teamcomms.api import apply_plan, export_project, plan_project
from teamcomms.engine.change import Plan
from teamcomms.engine.export import ExportReport
from teamcomms.engine.resource import ExportSelection
from teamcomms.engine.workspace import load_workspace
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.export.site_by_hand import set_up_by_hand

CHOSEN = ExportSelection(spaces=("TEAM",), projects=("OPS",))
ADOPTED = {
    ("page", "Team Home"),
    ("page", "Fulfillment handbook"),
    ("page", "Returns"),
    ("page", "Packing checklist"),
    ("template", "Incident review"),
    ("workflow", "Returns Flow"),
    ("workflow", "Purchase Orders"),
    ("field", "Return Reason"),
    ("field", "Warehouse"),
    ("field", "Tracking URL"),
    ("filter", "Open returns"),
    ("filter", "Warehouse orders"),
    ("board", "Returns board"),
}


# Jira reads workflow schemes in bulk through POST; every other POST, PUT or DELETE is a write.
READ_POSTS = {"/rest/api/3/workflowscheme/read"}


def export(site: Site, sandbox: SandboxHandle, folder: Path) -> ExportReport:
    before = len(sandbox.requests)
    state = copy.deepcopy(site_data(sandbox))
    report = export_project(site, folder, CHOSEN)
    sent = sandbox.requests[before:]
    assert [r for r in sent if r[0] != "GET" and r[1] not in READ_POSTS] == []
    assert site_data(sandbox) == state
    return report


def site_data(sandbox: SandboxHandle) -> dict[str, object]:
    """What the site holds (tables a read creates empty, and the save counter, left out)."""
    return {k: v for k, v in sandbox.state.data.items() if k != "generation" and v != {}}


def plan_of(folder: Path, site: Site) -> Plan:
    return plan_project(load_workspace(folder), site)


def test_a_site_set_up_by_hand_round_trips_with_marker_adoptions_only(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    set_up_by_hand(sandbox_site)
    folder = tmp_path / "exported"
    report = export(confluence, sandbox_site, folder)
    assert report.errors == ()
    assert report.result.counts() == {
        "workflow": 2,
        "field": 3,
        "filter": 2,
        "board": 1,
        "page": 4,
        "template": 1,
    }
    plan = plan_of(folder, confluence)
    changing = [c for c in plan.changes if c.writes or c.blocking]
    assert {(c.resource, c.title) for c in changing} == ADOPTED
    assert all((c.action, c.fields) == ("adopt", ("marker",)) for c in changing), [
        (c.resource, c.title, c.action, c.fields, c.reason) for c in changing
    ]
    assert {c.action for c in plan.changes} <= {"adopt", "no-op"}
    # Adopting a workflow rewrites it whole: the plan says so for each one.
    adopted_workflows = [c for c in changing if c.resource == "workflow"]
    assert len(adopted_workflows) == 2
    assert all("new version in teamcomms' form" in " ".join(c.warnings) for c in adopted_workflows)
    result = apply_plan(plan, confluence)
    assert result.ok
    assert not plan_of(folder, confluence).has_changes


def test_what_markdown_cannot_say_is_reported_where_it_is_and_kept_as_storage(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    set_up_by_hand(sandbox_site)
    folder = tmp_path / "exported"
    report = export(confluence, sandbox_site, folder)
    handbook = folder / "confluence/TEAM/pages/fulfillment-handbook.md"
    text = handbook.read_text()
    raw = [n for n in report.result.notes if n.file.startswith(str(handbook.relative_to(folder)))]
    (note,) = raw
    assert "macro 'children'" in note.what and "the attached image 'floor-plan.png'" in note.what
    line = int(note.file.rpartition(":")[2])
    assert text.splitlines()[line - 1] == "```storage"
    assert 'ri:filename="floor-plan.png"' in text
    assert "- [x] Print the pick list" in text
    assert "| UPS | 16:00 | {status:green\\|Running} |" in text
    assert "[returns](page:returns)" in text
    assert "shipstation export --since {{ '{{' }} yesterday }}" in text
    report_file = (folder / "export-report.md").read_text()
    assert f"({note.file}): {note.what}" in report_file


def test_a_workflow_rule_teamcomms_does_not_model_is_reported_and_not_adopted(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    set_up_by_hand(sandbox_site, extra_rule=True)
    folder = tmp_path / "exported"
    report = export(confluence, sandbox_site, folder)
    assert report.errors == ()
    notes = [n.what for n in report.result.notes if n.where == "workflow 'Returns Flow'"]
    assert any("system:change-assignee" in n and "would remove" in n for n in notes), notes
    workflows = (folder / "jira/workflows.yaml").read_text()
    assert "# Not adopted:" in workflows
    plan = plan_of(folder, confluence)
    (change,) = [c for c in plan.changes if c.title == "Returns Flow"]
    assert change.action == "conflict"
    assert "adopt: true" in (change.reason or "")


def test_an_applied_project_exports_to_itself(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    """A site teamcomms already manages exports to definitions that keep its markers: a plan
    of them changes nothing (the space's home page, which nobody owned, is adopted)."""
    from tests.resources.conftest import write_project

    source = write_project(tmp_path / "source")
    (source / "jira.yaml").write_text(
        "kind: filter\nname: Open returns\njql: project = OPS\nshare: [{type: loggedin}]\n"
    )
    assert apply_plan(plan_of(source, confluence), confluence).ok
    folder = tmp_path / "exported"
    report = export_project(confluence, folder, ExportSelection(spaces=("TEAM",)))
    assert report.errors == ()
    names = {(d.kind, d.name) for d in report.result.definitions}
    assert {("page", "handbook"), ("page", "promise"), ("template", "readiness")} <= names
    plan = plan_of(folder, confluence)
    changing = [(c.resource, c.title, c.action) for c in plan.changes if c.writes or c.blocking]
    assert changing == [("page", "Team Home", "adopt")]
