"""Every row is checked against the project's create metadata before anything is written; each
problem names the file, the line, the row and the column; ``--skip-invalid`` imports the rest."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import SandboxHandle
from tests.imports.conftest import HEADER, issues_of, run, writes

GOOD = "S-1;Good row;;Feature;Normal;;Checkout;;;3;web;;;;Open"
BAD_ROWS = [
    GOOD,
    "S-2;Bad priority;;Feature;Blocker;;;;;;;;;;",  # line 3
    "S-3;Unknown type;;Initiative;;;;;;;;;;;",
    "S-4;Not a number;;;;;;;;lots;;;;;",
    "S-5;Not a channel;;;;;;;;;Phone;;;;",
    "S-6;Bad due date;;;;;;31/02/2027;;;;;;;",
    "S-7;Unknown person;;;;;;;nobody@teamcomms.invalid;;;;;;",
    "S-8;Unknown parent;;;;;;;;;;;E-404;;",
    "S-9;Unknown status;;;;;;;;;;;;;Parked",
    ";No id;;;;;;;;;;;;;",
    'S-1;"Twice, and the\ndescription holds a newline";;;;;;;;;;;;;',
    "S-12;Links to nothing;;;;;;;;;;;;S-99;",
    "S-13;Unknown area;;;;;Warehouse;;;;;;;;",
    "S-14;Not a date;;;;;;;;;;someday;;;",
    "S-15;" + "Long " * 60 + ";;;;;;;;;;;;;",
]


def write_rows(project: Path, rows: list[str]) -> Path:
    source = project / "backlog.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return source


def test_invalid_rows_are_reported_with_row_and_column_and_nothing_is_written(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    source = write_rows(project, BAD_ROWS)
    mapping = str(project / "backlog-import.yaml")
    before = len(sandbox_site.requests)
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 1, err
    for expected in (
        f"{source}:3:5: error: row 2 column 'Priority': 'Blocker' is not one of Highest, High, "
        "Medium, Low, Lowest",
        f"{source}:4:4: error: row 3 column 'Type': 'Initiative' is not an issue type of SHOP",
        f"{source}:5:10: error: row 4 column 'Points': 'lots' is not a number",
        f"{source}:6:11: error: row 5 column 'Channel': 'Phone' is not one of Web shop, "
        "Marketplace, Retail store",
        f"{source}:7:8: error: row 6 column 'Due': '31/02/2027' is not a date in the format "
        "%d/%m/%Y",
        f"{source}:8:9: error: row 7 column 'Owner': no Jira user has the email "
        "nobody@teamcomms.invalid",
        f"{source}:9:13: error: row 8 column 'Epic': parent 'E-404' is neither a row of the "
        "file nor an issue this import created",
        f"{source}:10:15: error: row 9 column 'State': 'Parked' is not a status of Task in SHOP",
        f"{source}:11:1: error: row 10 column 'Key': no id",
        f"{source}:12:1: error: row 11 column 'Key': id 'S-1' is also row 1's",
        f"{source}:14:14: error: row 12 column 'Blocks': 'S-99' is neither a row",
        f"{source}:15:7: error: row 13 column 'Area': 'Warehouse' is not one of Checkout, "
        "Search, Catalog",
        f"{source}:16:12: error: row 14 column 'Launch': 'someday' is not a date",
        f"{source}:17:2: error: row 15 column 'Title': the summary is 299 characters long; Jira "
        "takes 255",
        "14 problems in",
        "nothing was written",
    ):
        assert expected in err
    assert not writes(sandbox_site, since=before)
    assert not issues_of(sandbox_site.state)


def test_skip_invalid_imports_the_valid_rows_and_the_report_says_why_the_others_are_missing(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    rows = [
        *BAD_ROWS[:3],
        "S-20;Child of a bad row;;;;;;;;;;;S-3;;",
        "E-1;An epic;;Epic;;;;;;;;;;;",
    ]
    source = write_rows(project, rows)
    report = project / "report.csv"
    mapping = str(project / "backlog-import.yaml")
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes",
                         "--skip-invalid", "--report", str(report), "--format", "json")  # fmt: skip
    assert code == 0, err
    assert "left out:" in err and "row 2 column 'Priority'" in err
    document = json.loads(out)
    assert document["rows"]["created"] == 2 and document["rows"]["invalid"] == 3
    outcomes = {i["id"]: (i["outcome"], i["message"]) for i in document["issues"]}
    assert outcomes["S-20"] == ("invalid", "its parent, row 3, is left out")
    assert outcomes["S-1"][0] == "created"
    assert [i["fields"]["summary"] for i in issues_of(sandbox_site.state)] == [
        "Good row",
        "An epic",
    ]
    with report.open(encoding="utf-8") as stream:
        lines = {line["external_id"]: line for line in csv.DictReader(stream)}
    assert lines["S-2"]["outcome"] == "invalid" and not lines["S-2"]["key"]
    assert lines["S-2"]["message"].startswith("'Blocker' is not one of Highest")
    assert lines["E-1"]["key"] == issues_of(sandbox_site.state)[1]["key"]


def test_a_field_the_project_requires_must_be_mapped_and_filled(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    sandbox_site.state.require_field("SHOP", fields["Story Points"])
    source = write_rows(project, [GOOD, "S-2;No points;;Feature;;;;;;;;;;;"])
    mapping = str(project / "backlog-import.yaml")
    before = len(sandbox_site.requests)
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--dry-run")
    assert code == 1
    assert (
        f"{source}:3:10: error: row 2 column 'Points': Jira requires Story Points for Story in "
        "SHOP, and the row has none" in err
    )
    assert "row 1" not in err
    assert not writes(sandbox_site, since=before)


def test_the_dry_run_checks_and_shows_the_plan_without_writing(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    source = write_rows(
        project, [GOOD, "E-1;An epic;;Epic;;;;;;;;;;;", "S-2;Under it;;;;;;;;;;;E-1;S-1;"]
    )
    mapping = str(project / "backlog-import.yaml")
    before = len(sandbox_site.requests)
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--dry-run",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    by_address = {c["address"]: c for c in plan["changes"]}
    assert by_address["import/backlog"]["counts"]["to create"] == 3
    first, second = by_address["import/backlog/create-1"], by_address["import/backlog/create-2"]
    assert [r["id"] for r in first["rows"]] == ["S-1", "E-1"]
    assert second["rows"] == [{"id": "S-2", "row": 3, "summary": "Under it", "parent": "E-1"}]
    assert by_address["import/backlog/links-1"]["links"] == [
        {"type": "Blocks", "from": "S-2", "to": "S-1"}
    ]
    assert not writes(sandbox_site, since=before)


def test_a_link_type_the_site_lacks_stops_the_import_and_names_the_ones_it_has(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    mapping = project / "backlog-import.yaml"
    mapping.write_text(mapping.read_text().replace("type: blocks", "type: depends on"))
    source = write_rows(project, [GOOD, "S-2;Second;;;;;;;;;;;;S-1;"])
    code, _, err = run("import", str(source), "-m", str(mapping), "--site", on_site, "--yes",
                       "--skip-invalid")  # fmt: skip
    assert code == 1
    assert "column 'Blocks': no link type is called 'depends on'" in err
    assert "the site's link types: Blocks (blocks / is blocked by), Relates" in err
    assert not issues_of(sandbox_site.state)
