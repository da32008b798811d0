"""The e-commerce starter kit: what `teamcomms init --preset ecommerce` gives a team on day one.

These tests hold the kit to what issue 2 promises its users (roles, templates, workflows), check
that every page body renders, and keep ``examples/ecommerce`` what ``init`` writes plus hires.
"""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from types import ModuleType

import pytest

from teamcomms.definitions import Project, load_project, validate_project
from teamcomms.definitions.scaffold import planned_files
from teamcomms.progress.standup import Deployment, IssueLine, PersonFigures, StandupFigures
from teamcomms.render import MappingLinkResolver, PageRef, render_storage, render_title
from teamcomms.render.xml import wrap

REPO = Path(__file__).resolve().parents[2]
KIT = REPO / "templates" / "ecommerce"
EXAMPLE = REPO / "examples" / "ecommerce"
ROOTS = [pytest.param(KIT, id="kit"), pytest.param(EXAMPLE, id="example")]
DOC_TEMPLATES = {
    "deployment-readiness",
    "product-launch-plan",
    "how-to-article",
    "test-script",
    "troubleshooting-article",
    "standup-notes",
    "new-hire-welcome",
}
SAMPLE_STANDUP = StandupFigures(
    name="fulfillment-standup",
    team="Fulfillment",
    day=date(2027, 3, 2),
    since=date(2027, 3, 1),
    people=(
        PersonFigures(
            "Kate Morgan",
            done=(IssueLine("OPS-12", "sample done order", "Delivered"),),
            blocked=(IssueLine("OPS-14", "Carrier <API> & labels", "On Hold"),),
        ),
    ),
    deployments=(Deployment("OPS-20", "sample carrier change", "To Do", date(2027, 3, 3)),),
    action_items=("OPS-14: unblock 'Carrier <API> & labels' (Kate Morgan)",),
).to_json()
SAMPLE_HIRE = {
    "name": "Maya Chen",
    "email": "maya.chen@northwind.example",
    "role": "Storefront developer",
    "start": "2027-01-11",
    "manager": "daniel.brooks@northwind.example",
    "buddy": "aisha.patel@northwind.example",
    "epic_jql": 'project = PEOPLE AND labels = "hire-maya-chen" AND issuetype = Epic',
    "tasks_jql": 'project = PEOPLE AND labels = "hire-maya-chen" AND issuetype != Epic',
}


def _sync_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_example", REPO / "scripts/sync_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("root", ROOTS)
def test_validates_without_errors_or_warnings(root: Path) -> None:
    validation = validate_project(root)
    assert [f"{p.file}:{p.line}: {p.message}" for p in validation.problems] == []


def test_example_is_what_init_writes_plus_hires() -> None:
    sync = _sync_script()
    found = sync.differences(planned_files("ecommerce"), EXAMPLE)
    assert found == [], "examples/ecommerce is stale: run python scripts/sync_example.py"
    hires = load_project(EXAMPLE).hires
    assert len(hires) >= 2
    assert load_project(KIT).hires == ()


def test_sync_updates_the_example_and_keeps_its_hires(tmp_path: Path) -> None:
    sync = _sync_script()
    example = tmp_path / "example"
    shutil.copytree(EXAMPLE, example)
    expected = dict(planned_files("ecommerce"))
    expected[PurePosixPath("workflows/distribution.yaml")] = b"changed\n"
    (example / "docs" / "pages" / "releases.md").unlink()
    (example / "stale.yaml").write_text("kind: page\n", encoding="utf-8")

    assert sync.differences(expected, example) == [
        "missing: docs/pages/releases.md",
        "differs: workflows/distribution.yaml",
        "not in the kit: stale.yaml",
    ]
    assert sync.sync(expected, example) == ["docs/pages/releases.md", "workflows/distribution.yaml"]
    assert (example / "workflows" / "distribution.yaml").read_bytes() == b"changed\n"
    assert sorted(p.name for p in (example / "hires").glob("*.yaml")) == sorted(
        p.name for p in (EXAMPLE / "hires").glob("*.yaml")
    )
    assert sync.differences(expected, example) == ["not in the kit: stale.yaml"]


def test_sandbox_state_left_by_the_quick_start_is_not_a_difference(tmp_path: Path) -> None:
    sync = _sync_script()
    example = shutil.copytree(EXAMPLE, tmp_path / "example")
    state = example / ".teamcomms"
    for name in ("sandbox-state.json", "sandbox-state.json.journal", "sandbox-state.json.lock"):
        (state / name).write_text("{}", encoding="utf-8")
    assert sync.differences(planned_files("ecommerce"), example) == []


@pytest.mark.parametrize("root", ROOTS)
def test_every_yaml_file_points_its_editor_at_the_schema(root: Path) -> None:
    wrong = []
    for path in sorted(root.rglob("*.yaml")):
        depth = len(path.relative_to(root).parts) - 1
        expected = f"# yaml-language-server: $schema={'../' * depth}.teamcomms/schema.json"
        if path.read_text(encoding="utf-8").splitlines()[0] != expected:
            wrong.append(str(path.relative_to(root)))
    assert wrong == []


def test_checklists_cover_product_acquisition_and_retention() -> None:
    project = load_project(KIT)
    checklists = project.checklists
    assert len(checklists) >= 5
    assert {"product", "customer-acquisition", "customer-retention"} <= {c.team for c in checklists}
    for checklist in checklists:
        assert len(checklist.items) >= 15, checklist.name
        assert checklist.jira is not None and checklist.jira.project == "PEOPLE"
        assert checklist.welcome_page is not None
        assert checklist.welcome_page.template == "new-hire-welcome"
        owners = {item.owner for item in checklist.items}
        assert {"hire", "manager", "buddy", "it"} <= owners, checklist.name
        assert all(item.description.strip() for item in checklist.items), checklist.name


def test_kit_has_the_doc_templates_and_their_parent_pages() -> None:
    project = load_project(KIT)
    assert {t.name for t in project.templates} == DOC_TEMPLATES
    page_titles = {(p.space, p.title) for p in project.pages}
    homes = [(t.name, t.space, t.parent) for t in project.templates]
    homes += [(s.name, s.space, s.parent) for s in project.standups]
    missing = [name for name, space, parent in homes if (space, parent) not in page_titles]
    assert missing == []


def test_workflows_are_used_and_have_a_global_transition() -> None:
    workflows = load_project(KIT).workflows
    assert {w.name for w in workflows} == {
        "Product Management",
        "E-commerce Operations",
        "Order Fulfillment",
        "Distribution",
        "Bug and Test Management",
    }
    for workflow in workflows:
        assert workflow.used_by, workflow.name
        assert any(t.sources is None for t in workflow.transitions), workflow.name


def _links(project: Project) -> MappingLinkResolver:
    targets: dict[tuple[str, str], PageRef] = {}
    for page in project.pages:
        targets[("page", page.name)] = PageRef(page.title, page.space)
    for template in project.templates:
        targets[("template", template.name)] = PageRef(template.title, template.space)
    return MappingLinkResolver(targets)


def _assert_well_formed(storage: str) -> None:
    ET.fromstring(wrap(storage))  # noqa: S314 (our own renderer's output)


def _render(text: str, values: Mapping[str, object], source: Path, project: Project) -> str:
    return render_storage(
        text, values, source=source, links=_links(project), placeholders=(), declared=list(values)
    ).storage


def test_every_page_renders() -> None:
    project = load_project(KIT)
    for page in project.pages:
        storage = _render(page.body.read_text(encoding="utf-8"), page.vars, page.body, project)
        _assert_well_formed(storage)


def test_every_template_renders_with_values_and_as_a_confluence_template() -> None:
    project = load_project(KIT)
    links = _links(project)
    for template in project.templates:
        text = template.body.read_text(encoding="utf-8")
        defaults = {k: v.default for k, v in template.variables.items() if v.default is not None}
        values: dict[str, object] = {k: f"sample {k}" for k in template.variables}
        if "hire" in values:
            values["hire"] = SAMPLE_HIRE
        if "standup" in values:
            values["standup"] = SAMPLE_STANDUP
        filled = render_storage(text, values, source=template.body, links=links)
        _assert_well_formed(filled.storage)
        assert "sample" in filled.storage or "Maya Chen" in filled.storage, template.name
        title = render_title(template.title, values, source=template.body)
        assert title and "{" not in title, template.name

        unfilled = [k for k in template.variables if k not in defaults]
        blank = render_storage(
            text, defaults, source=template.body, links=links, placeholders=unfilled
        )
        _assert_well_formed(blank.storage)
