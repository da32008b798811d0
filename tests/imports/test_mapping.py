"""The ``import`` mapping: how a row's cells become field values (pure, before the site is
asked), and the checks ``validate`` makes of the mapping itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from teamcomms.definitions import ImportDefinition, validate_project
from teamcomms.imports import SourceRow, SourceTable
from teamcomms.resources.imported_issues_desired import desired_import


def definition(**keys: Any) -> ImportDefinition:
    base: dict[str, Any] = {"kind": "import", "name": "rows", "project": "SHOP", "id": "Key"}
    return ImportDefinition.model_validate({**base, **keys})


def table(*rows: dict[str, Any], columns: tuple[str, ...] = ()) -> SourceTable:
    names = columns or tuple(dict.fromkeys(k for row in rows for k in row))
    return SourceTable(
        "rows.csv",
        "csv",
        names,
        tuple(SourceRow(n, n + 1, row) for n, row in enumerate(rows, start=1)),
        {name: n for n, name in enumerate(names, start=1)},
    )


def messages(wanted: Any) -> list[str]:
    return [f"{p.location} {p.definition} {p.path}: {p.message}" for _, p in wanted.problems]


def test_value_maps_defaults_splits_and_additions() -> None:
    mapping = definition(
        fields={
            "summary": "Title",
            "issue_type": {"column": "Type", "values": {"feature": "Story"}, "default": "Task"},
            "priority": {"column": "Prio", "values": {"1": "Highest", "drop": None}},
            "labels": {"column": "Tags", "split": "|", "add": ["imported"]},
            "components": {"column": "Area", "default": ["Web"]},
            "due_date": {"column": "Due", "format": "%d.%m.%Y"},
        },
        status={"column": "State", "values": {"wip": "In Progress"}},
    )
    rows = table(
        {"Key": "A-1", "Title": "  Two   spaces ", "Type": "FEATURE", "Prio": "1",
         "Tags": "big sale| web |", "Area": "Shop, App", "Due": "28.02.2027", "State": "WIP"},
        {"Key": "A-2", "Title": "Defaults", "Type": None, "Prio": "drop", "Tags": None,
         "Area": None, "Due": None, "State": "Done"},
    )  # fmt: skip
    first, second = desired_import(mapping, rows).rows
    assert (first.summary, first.issue_type, first.priority) == ("Two spaces", "Story", "Highest")
    assert first.labels == ("big-sale", "web", "imported")
    assert first.components == ("Shop", "App")
    assert (first.due, first.status) == ("2027-02-28", "In Progress")
    assert (second.issue_type, second.priority, second.labels) == ("Task", None, ("imported",))
    assert (second.components, second.status) == (("Web",), "Done")


def test_row_problems_name_the_row_and_the_column() -> None:
    mapping = definition(
        fields={"summary": "Title", "assignee": "Owner", "due_date": "Due",
                "description": "Body"},
        parent="Parent",
    )  # fmt: skip
    wanted = desired_import(
        mapping,
        table(
            {"Key": "A-1", "Title": "ok", "Owner": "ada", "Due": "2027-13-01", "Body": None,
             "Parent": "A-1"},
            {"Key": "A-1", "Title": "twice", "Owner": None, "Due": None, "Body": None,
             "Parent": None},
            {"Key": None, "Title": "no id", "Owner": None, "Due": None, "Body": "[[bad:key]]",
             "Parent": None},
        ),
    )  # fmt: skip
    assert sorted(messages(wanted)) == [
        "rows.csv:2:3 row 1 column 'Owner': 'ada' is not an email",
        "rows.csv:2:4 row 1 column 'Due': '2027-13-01' is not a date",
        "rows.csv:2:6 row 1 column 'Parent': the row is its own parent",
        "rows.csv:3:1 row 2 column 'Key': id 'A-1' is also row 1's",
        "rows.csv:4:1 row 3 column 'Key': no id",
    ]
    assert [r.ext_id for r in wanted.rows] == ["A-1"]


def test_a_column_the_file_lacks_is_one_problem_for_the_file_not_one_per_row() -> None:
    wanted = desired_import(
        definition(fields={"summary": "Titel"}),
        table({"Key": "A-1", "Title": "x"}, {"Key": "A-2", "Title": "y"}),
    )
    assert messages(wanted) == [
        "rows.csv import 'rows' None: the mapping reads column 'Titel' (summary), which the "
        "file does not have"
    ]
    assert wanted.problems[0][1].hint == "the file's columns: Key, Title"
    assert not wanted.rows


def test_the_trello_preset_maps_card_columns_unless_told_otherwise() -> None:
    mapping = ImportDefinition.model_validate(
        {"kind": "import", "name": "board", "project": "SHOP", "preset": "trello",
         "status": {"values": {"Doing": "In Progress"}}}
    )  # fmt: skip
    cards = table(
        {"id": "c1", "name": "Card", "description": "Hi", "labels": ("Quick win",),
         "due": "2027-03-01T17:00:00.000Z", "list": "Doing", "archived": "false"},
        {"id": "c2", "name": "Old", "description": None, "labels": None, "due": None,
         "list": "Done", "archived": "true"},
    )  # fmt: skip
    wanted = desired_import(mapping, cards)
    (card,) = wanted.rows
    assert (card.ext_id, card.summary, card.description) == ("c1", "Card", "Hi")
    assert (card.labels, card.due, card.status) == (("Quick-win",), "2027-03-01", "In Progress")
    assert wanted.left_out == 1


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "teamcomms.yaml").write_text("name: t\ndefaults: {project: SHOP}\n")
    path = tmp_path / "rows-import.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kind: import\nname: rows\n",
            "rows-import.yaml:1:1: error: import 'rows': no 'id' column",
        ),
        (
            "kind: import\nname: rows\nid: Key\nfields: {priority: {column: P, add: [x]}}\n",
            "rows-import.yaml:4:37: error: import 'rows' fields.priority.add: 'add' is for lists",
        ),
        (
            "kind: import\nname: rows\nid: Key\nfields: {summary: {column: T, format: '%d'}}\n",
            "error: import 'rows' fields.summary.format: 'format' is for dates",
        ),
        (
            "kind: import\nname: rows\npreset: trello\nformat: csv\n",
            "rows-import.yaml:4:9: error: import 'rows' format: the trello preset reads its own",
        ),
        (
            "kind: import\nname: rows\nid: Key\nfields: {sumary: Title}\n",
            "unknown key 'sumary': did you mean 'summary'?",
        ),
    ],
)
def test_validate_checks_the_mapping(tmp_path: Path, text: str, expected: str) -> None:
    validation = validate_project([write(tmp_path, text)])
    assert expected in "\n".join(p.format() for p in validation.problems)


def test_a_valid_mapping_takes_the_project_from_the_defaults(tmp_path: Path) -> None:
    validation = validate_project([write(tmp_path, "kind: import\nname: rows\nid: Key\n")])
    assert not validation.problems
    assert validation.project.imports[0].project == "SHOP"
