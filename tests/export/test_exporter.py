"""The generic exporter: which resources it reads, how it merges what they give, and the files
it writes (never over existing ones without force)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from teamcomms.engine.export import (
    ExportResult,
    chosen_kinds,
    export_site,
    merge_exports,
    planned_files,
    write_files,
)
from teamcomms.engine.resource import (
    Exported,
    ExportedDefinition,
    ExportNote,
    ExportSelection,
    Resource,
)
from teamcomms.engine.workspace import validate_project
from teamcomms.errors import OperationFailed, UsageError
from teamcomms.resources import RESOURCES
from tests.engine.test_toy_resource import Notes, toy_site

FILTER = ExportedDefinition("filter", "Open", "jira/filters.yaml", {"jql": "project = OPS"})


def test_a_board_brings_its_filter_and_unknown_kinds_are_a_usage_error() -> None:
    assert chosen_kinds(RESOURCES, ["board"]) == ("filter", "board")
    assert chosen_kinds(RESOURCES, None) == (
        "field", "workflow", "filter", "board", "page", "template",
    )  # fmt: skip
    with pytest.raises(UsageError, match="hire, status cannot be exported"):
        chosen_kinds(RESOURCES, ["workflow", "status", "hire"])


def test_every_registered_resource_says_what_it_exports() -> None:
    silent = {r.kind for r in RESOURCES if not r.exports}
    assert silent == {"status", "onboarding-epic", "onboarding-tasks"}
    for resource in RESOURCES:
        scope = resource.export_scope(ExportSelection(spaces=("TEAM",), projects=("OPS",)))
        assert bool(scope) == bool(resource.exports), resource.kind


def test_parts_are_merged_into_their_definition_and_a_second_name_is_a_note() -> None:
    workflow = ExportedDefinition(
        "workflow", "Orders", "w.yaml", {"initial": "Open", "adopt": True}
    )
    use = {"project": "OPS", "issue_types": ["Task"]}
    parts = Exported(
        (
            ExportedDefinition("workflow", "Orders", "", {"used_by": [use]}, part=True),
            ExportedDefinition(
                "workflow", "Orders", "", {"used_by": [{**use, "project": "DIST"}]}, part=True
            ),
            ExportedDefinition("workflow", "jira", "", {"used_by": [use]}, part=True),
        )
    )
    twice = Exported((FILTER, FILTER), (ExportNote("filter 'Open'", "seen"),))
    merged = merge_exports([parts, Exported((workflow,)), twice], ("workflow", "filter"))
    orders = merged.definitions[("workflow", "Orders")].document
    assert list(orders) == ["initial", "used_by", "adopt"]
    assert [u["project"] for u in orders["used_by"]] == ["OPS", "DIST"]
    assert ("workflow", "jira") not in merged.definitions
    assert merged.notes[0].what == "seen"
    assert "only the first is exported" in merged.notes[1].what


def test_the_files_load_as_a_project_with_comments_and_bodies(tmp_path: Path) -> None:
    page = ExportedDefinition(
        "page",
        "home",
        "confluence/TEAM/pages.yaml",
        {"title": "Home: yes", "space": "TEAM", "body": "pages/home.md", "adopt": True},
        files={"confluence/TEAM/pages/home.md": "Hello\n"},
        comment="Not adopted:\n- why",
    )
    result = ExportResult((FILTER, page), (ExportNote("x", "y", "a.md:3"),), ("filter", "page"))
    files = planned_files(result, {"name": "Exported", "site": "https://acme.atlassian.net"})
    assert files["confluence/TEAM/pages.yaml"].startswith("# Not adopted:\n# - why\nkind: page\n")
    assert "- x (a.md:3): y" in files["export-report.md"]
    write_files(tmp_path, files, force=False)
    validation = validate_project(tmp_path)
    assert validation.errors == ()
    (loaded,) = validation.project.pages
    assert (loaded.title, loaded.adopt) == ("Home: yes", True)
    assert validation.project.filters[0].jql == "project = OPS"


def test_existing_files_are_never_overwritten_without_force(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: mine\n")
    (tmp_path / "notes.txt").write_text("kept")
    files = {"teamcomms.yaml": "name: new\n", "jira/filters.yaml": "kind: filter\n"}
    with pytest.raises(
        OperationFailed, match=r"already holds teamcomms\.yaml; nothing was written"
    ):
        write_files(tmp_path, files, force=False)
    assert (tmp_path / "teamcomms.yaml").read_text() == "name: mine\n"
    assert not (tmp_path / "jira").exists()
    write_files(tmp_path, files, force=True)
    assert (tmp_path / "teamcomms.yaml").read_text() == "name: new\n"
    assert (tmp_path / "notes.txt").read_text() == "kept"


def test_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OperationFailed, match="outside"):
        write_files(tmp_path / "out", {"../escape.yaml": "x"}, force=True)
    assert not (tmp_path / "escape.yaml").exists()


def test_a_toy_resource_exports_through_the_engine_unchanged() -> None:
    """A new kind needs nothing in the exporter: the toy resource reads and exports."""
    site = toy_site()
    registry: list[Resource] = [Notes({})]
    lines: list[str] = []
    result = export_site(registry, site, ExportSelection(), workers=2, progress=lines.append)  # type: ignore[arg-type]
    (note,) = result.definitions
    assert (note.kind, note.name, dict(note.document)) == (
        "note", "lunch", {"text": "noon", "adopt": True},
    )  # fmt: skip
    assert site.reads == 1
    assert lines == ["reading Notes (board)", "Notes: 1 definitions, 0 notes"]


def test_a_resource_with_nothing_chosen_is_not_read() -> None:
    site = toy_site()

    class Unscoped(Notes):
        def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
            return ()

    lines: list[str] = []
    registry: list[Any] = [Unscoped({})]
    result = export_site(registry, site, ExportSelection(), workers=2, progress=lines.append)  # type: ignore[arg-type]
    assert (result.definitions, site.reads) == ((), 0)
    assert lines == ["Notes: nothing chosen to read (see --space and --project)"]


def test_titles_and_bodies_with_jinja_and_markdown_in_their_text_come_back_as_text(
    tmp_path: Path,
) -> None:
    from teamcomms.engine.export import merge_exports
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.render.storage_compare import same_storage
    from teamcomms.resources.confluence_export import export_pages
    from teamcomms.resources.confluence_state import CurrentPage, CurrentSpace, CurrentState

    title = "Use {{ braces }} and {% tags %} *as is*"
    body = "<p>{{ not.a.variable }} {# nor a comment #} <strong>[[toc]]</strong> @[x](y)</p>"
    page = CurrentPage("5", "TEAM", title, 3, body, parent_id="1")
    state = CurrentState(spaces=(CurrentSpace("TEAM", "100", "1", pages=(page,)),))
    merged = merge_exports([export_pages(state)], ("page",))
    result = ExportResult(tuple(merged.definitions.values()), (), ("page",))
    write_files(tmp_path, planned_files(result, {"name": "t"}), force=False)
    workspace = load_workspace(tmp_path)
    rendered = workspace.rendered(workspace.project.pages[0])
    assert rendered.title == title
    assert same_storage(rendered.storage, body)
