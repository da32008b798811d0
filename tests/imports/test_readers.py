"""The readers: CSV in any delimiter, with or without a byte-order mark, quoted newlines and
repeated headers; JSON lines; Trello's board export. Bad input names file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.imports import InvalidRows, read_source
from teamcomms.imports.csv_reader import choose_delimiter
from tests.imports.conftest import DATA


def csv_file(tmp_path: Path, text: str, *, bom: bool = False, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_delimiter_is_found_even_with_the_others_inside_cells(
    tmp_path: Path, delimiter: str
) -> None:
    others = "".join(d for d in ",;|" if d != delimiter)
    lines = [
        ["Key", "Title", "Points"],
        ["A-1", f'"Mixed {others} inside"', "3"],
        ["A-2", "Plain", "5"],
    ]
    path = csv_file(tmp_path, "\n".join(delimiter.join(line) for line in lines) + "\n")
    table = read_source(path, "csv")
    assert table.columns == ("Key", "Title", "Points")
    assert [row.values["Title"] for row in table.rows] == [f"Mixed {others} inside", "Plain"]


def test_a_byte_order_mark_quoted_newlines_and_blank_rows(tmp_path: Path) -> None:
    text = 'Key,Title,Details\r\nA-1,First,"two\r\nlines, and a comma"\r\n,,\r\nA-2,Second,\r\n'
    table = read_source(csv_file(tmp_path, text, bom=True), "csv")
    assert table.columns[0] == "Key"  # not "\ufeffKey"
    first, second = table.rows
    assert first.values["Details"] == "two\r\nlines, and a comma"
    assert (first.number, first.line, second.number, second.line) == (1, 2, 2, 5)
    assert second.values["Details"] is None


def test_a_repeated_header_gives_a_list_of_its_non_empty_cells(tmp_path: Path) -> None:
    table = read_source(csv_file(tmp_path, "Key,Labels,Labels,Labels\nA-1,web,,sale\n"), "csv")
    assert table.rows[0].values["Labels"] == ("web", "sale")
    assert table.positions["Labels"] == 2


def test_a_row_with_too_many_cells_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Key;Title\nA-1;One\nA-2;Two;Three\n")
    with pytest.raises(InvalidRows) as raised:
        read_source(path, "csv")
    assert raised.value.format().startswith(f"{path}:3:3: error: row 2 has 3 cells, the header 2")


def test_text_that_is_not_utf8_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Key,Title\nA-1,Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InvalidRows) as raised:
        read_source(path, "csv")
    assert f"{path}:2:8: error: not UTF-8 text" in raised.value.format()
    assert "CSV UTF-8" in raised.value.format()


def test_a_single_column_file_is_read_with_the_default_delimiter() -> None:
    assert choose_delimiter("Key\nA-1\nA-2\n") == ","


def test_json_lines_flatten_objects_and_keep_lists(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"id": 7, "fields": {"summary": "Fix it", "done": false}, "tags": ["a", 2]}\n\n'
        '{"id": "8", "fields": {"summary": "Again"}, "tags": []}\n',
        encoding="utf-8",
    )
    table = read_source(path, "jsonl")
    first, second = table.rows
    assert first.values == {
        "id": "7", "fields.summary": "Fix it", "fields.done": "false", "tags": ("a", "2"),
    }  # fmt: skip
    assert second.line == 3 and second.values["tags"] is None
    line = path.read_text(encoding="utf-8").splitlines()[0]
    for column, key in (("tags", '"tags"'), ("fields.summary", '"summary"')):
        assert line[table.column_number(first, column) - 1 :].startswith(key)


def test_a_bad_json_line_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": 1}\n["not", "an object"]\n{"id": 2,,}\n', encoding="utf-8")
    with pytest.raises(InvalidRows) as raised:
        read_source(path, "jsonl")
    text = raised.value.format()
    assert f"{path}:2:1: error: each line must be a JSON object of columns" in text
    assert f"{path}:3:10: error: not JSON: Expecting property name" in text


def test_a_trello_export_gives_a_row_per_card() -> None:
    table = read_source(DATA / "trello-board.json", "trello")
    cards = {row.values["name"]: row for row in table.rows}
    assert len(cards) == 7
    checkout = cards["One-page checkout"].values
    assert checkout["list"] == "Doing"
    assert checkout["labels"] == ("Checkout",)
    assert checkout["members"] == ("alicee",)
    assert checkout["due"] == "2027-03-01T17:00:00.000Z"
    assert checkout["Story points"] == "8" and checkout["Channel"] == "Web shop"
    assert str(checkout["description"]).endswith(
        "**Before launch**\n\n- [x] Load test the \\*new\\* flow\n- [ ] Update the help centre"
    )
    assert cards["Gift cards"].values["labels"] == ("purple",)
    assert cards["Saved carts"].values["members"] == ("alicee", "bobexample")
    archived = {name for name, row in cards.items() if row.values["archived"] == "true"}
    assert archived == {"Old banner test", "Voice search"}
    assert cards["Apple Pay"].label == "(card 'Apple Pay')"


def test_a_json_file_that_is_no_trello_export_says_how_to_get_one(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    path.write_text('{"name": "a board"}', encoding="utf-8")
    with pytest.raises(InvalidRows) as raised:
        read_source(path, "trello")
    assert "not a Trello board export" in raised.value.format()
    assert "Export as JSON" in raised.value.format()
