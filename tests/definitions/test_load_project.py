"""The public loading API: what other parts of teamcomms get from a valid project."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import teamcomms
from teamcomms.definitions import (
    DefinitionError,
    RelativeDue,
    TemplateDefinition,
    WorkflowDefinition,
    load_project,
    validate_project,
)


def test_a_valid_project_loads_every_kind(project_dir: Path) -> None:
    project = load_project(project_dir)
    assert project.config.name == "Northwind Outfitters"
    assert project.root == project_dir
    counts = project.counts()
    assert counts["workflow"] == 1 and counts["template"] == 2 and counts["hire"] == 1
    assert len(project.all()) == sum(counts.values())
    assert project.warnings == ()


def test_workflow_model_keeps_transitions_and_global_sources(project_dir: Path) -> None:
    workflow = load_project(project_dir).get("workflow", "Order Fulfillment")
    assert isinstance(workflow, WorkflowDefinition)
    assert workflow.initial == "Awaiting Payment"
    assert workflow.transitions[0].sources == ("Awaiting Payment",)
    assert workflow.transitions[2].sources is None
    assert workflow.source.file == project_dir / "workflows.yaml"
    assert (workflow.source.line, workflow.source.column) == (1, 1)


def test_template_space_defaults_and_body_is_absolute(project_dir: Path) -> None:
    project = load_project(project_dir)
    welcome = project.get("template", "new-hire-welcome")
    deploy = project.get("template", "deploy")
    assert isinstance(welcome, TemplateDefinition) and isinstance(deploy, TemplateDefinition)
    assert welcome.space == "TEAM"
    assert deploy.space == "ENG"
    assert welcome.body == project_dir / "docs" / "bodies" / "welcome.md"
    assert welcome.body.is_absolute()
    assert deploy.variables["release"].required is True
    assert deploy.source.line == 1 and welcome.source.line == 10


def test_models_are_frozen(project_dir: Path) -> None:
    workflow = load_project(project_dir).workflows[0]
    with pytest.raises(ValueError, match="frozen"):
        workflow.initial = "Picking"


def test_source_is_not_serialised(project_dir: Path) -> None:
    workflow = load_project(project_dir).workflows[0]
    dumped = workflow.model_dump(by_alias=True)
    assert "source" not in dumped
    assert dumped["transitions"][0]["from"] == ("Awaiting Payment",)


def test_loading_a_broken_project_raises_with_every_problem(project_dir: Path) -> None:
    text = (project_dir / "workflows.yaml").read_text()
    broken = text.replace("to: Picking", "to: Pickng").replace("type: kanban", "type: kanbna")
    (project_dir / "workflows.yaml").write_text(broken)
    with pytest.raises(DefinitionError) as raised:
        load_project(project_dir)
    messages = [problem.message for problem in raised.value.problems]
    assert any("'Pickng'" in message for message in messages)
    assert any("'kanbna'" in message for message in messages)


def test_warnings_do_not_stop_loading(project_dir: Path) -> None:
    text = (project_dir / "workflows.yaml").read_text()
    dead_end = text.replace(
        "  - {name: Delivered, category: done}",
        "  - {name: Delivered, category: done}\n  - {name: On Hold, category: todo}",
    ).replace("  - {name: Cancel, from: any, to: Delivered}\n", "")
    (project_dir / "workflows.yaml").write_text(dead_end)
    project = load_project(project_dir)
    messages = [warning.message for warning in project.warnings]
    assert "status 'On Hold' cannot be reached from 'Awaiting Payment'" in messages
    assert "status 'On Hold' is a dead end: no transition leaves it" in messages


def test_single_files_use_the_nearest_project_file(project_dir: Path) -> None:
    validation = validate_project([project_dir / "workflows.yaml"])
    assert validation.errors == ()
    assert validation.project.config.defaults.project == "OPS"
    assert len(validation.project.all()) == 3


def test_top_level_package_exposes_load_project_lazily(project_dir: Path) -> None:
    assert "load_project" in teamcomms.__all__
    assert teamcomms.load_project(project_dir).config.name == "Northwind Outfitters"


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("-2d", date(2026, 12, 1), date(2026, 11, 29)),
        ("0d", date(2026, 12, 1), date(2026, 12, 1)),
        ("2w", date(2026, 12, 1), date(2026, 12, 15)),
        ("3bd", date(2026, 12, 4), date(2026, 12, 9)),  # Friday + 3 business days = Wednesday
        ("-1bd", date(2026, 12, 7), date(2026, 12, 4)),  # the Friday before a Monday
    ],
)
def test_relative_due_dates(text: str, start: date, expected: date) -> None:
    assert RelativeDue.parse(text).on(start) == expected


def test_relative_due_keeps_its_unit() -> None:
    due = RelativeDue.parse("5bd")
    assert (due.days, due.business_days, due.weeks) == (0, 5, 0)
    assert str(due) == "5bd"


def test_hidden_files_and_folders_are_not_definitions(project_dir: Path) -> None:
    (project_dir / ".github" / "workflows").mkdir(parents=True)
    (project_dir / ".github" / "workflows" / "ci.yaml").write_text("on: push\njobs: {}\n")
    (project_dir / ".pre-commit-config.yaml").write_text("repos: []\n")
    validation = validate_project(project_dir)
    assert validation.problems == ()


def test_a_file_named_twice_is_loaded_once(project_dir: Path) -> None:
    again = project_dir / "docs" / ".." / "workflows.yaml"
    validation = validate_project([project_dir, again])
    assert validation.errors == ()
    assert len(validation.project.workflows) == 1


def test_multi_document_files_keep_each_documents_position(project_dir: Path) -> None:
    project = load_project(project_dir)
    board = project.get("board", "Fulfillment")
    assert board is not None
    assert board.source.file == project_dir / "workflows.yaml"
    assert board.source.line == 20


@pytest.mark.parametrize(
    ("bom", "newline"), [(b"", b"\r\n"), (b"\xef\xbb\xbf", b"\n"), (b"\xef\xbb\xbf", b"\r\n")]
)
def test_bom_and_crlf_files_load_with_the_same_positions(
    tmp_path: Path, bom: bytes, newline: bytes
) -> None:
    (tmp_path / "teamcomms.yaml").write_bytes(bom + newline.join([b"name: T", b""]))
    lines = [
        b"kind: workflow",
        b"name: Returns",
        b"initial: Open",
        b"statuses:",
        b"  - {name: Open, category: todo}",
        b"  - {name: Done, category: done}",
        b"transitions:",
        b"  - {name: Finish, from: Open, to: Donee}",
        b"",
    ]
    (tmp_path / "flow.yaml").write_bytes(bom + newline.join(lines))
    [problem] = [p for p in validate_project([tmp_path]).problems if p.severity == "error"]
    assert (problem.line, problem.column, problem.path) == (8, 36, "transitions[0].to")
    assert problem.definition == "workflow 'Returns'"


def test_a_yaml_merge_key_fills_in_keys_but_the_written_ones_win(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\ndefaults: {project: OPS}\n")
    (tmp_path / "workflow.yaml").write_text(
        "kind: workflow\nname: W\nstatuses:\n"
        "  - &open {name: New, category: todo}\n"
        "  - {<<: *open, name: Triaged}\n"
        "  - {name: Done, category: done}\n"
        "initial: New\n"
        "transitions:\n"
        "  - {name: Triage, from: New, to: Triaged}\n"
        "  - {name: Finish, from: Triaged, to: Done}\n"
    )
    workflow = load_project(tmp_path).get("workflow", "W")
    assert isinstance(workflow, WorkflowDefinition)
    assert [(s.name, s.category) for s in workflow.statuses] == [
        ("New", "todo"),
        ("Triaged", "todo"),
        ("Done", "done"),
    ]
