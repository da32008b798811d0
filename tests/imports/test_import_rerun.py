"""Running an import again: it finishes what an earlier run owes (statuses of issues nobody has
started on) and leaves alone what people changed, and what it did not make."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SandboxHandle
from tests.imports.conftest import HEADER, SiteApi, issues_of, run

ROWS = ["S-1;First;;;;;;;;;;;;;Open", "S-2;Second;;;;;;;;;;;;;Open", "S-3;Third;;;;;;;;;;;;;Open"]


def write_rows(project: Path, rows: list[str]) -> Path:
    source = project / "backlog.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return source


def status_of(sandbox: SandboxHandle, summary: str) -> str:
    issue = next(i for i in issues_of(sandbox.state) if i["fields"]["summary"] == summary)
    return str(sandbox.state.table("statuses")[issue["fields"]["status"]]["name"])


def test_a_rerun_moves_untouched_issues_and_leaves_started_ones_where_people_put_them(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    mapping = str(project / "backlog-import.yaml")
    source = write_rows(project, ROWS)
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    started = next(i for i in issues_of(sandbox_site.state) if i["fields"]["summary"] == "Second")
    SiteApi(sandbox_site).ok("POST", f"/rest/api/3/issue/{started['key']}/transitions",
                             json={"transition": {"id": "21"}})  # fmt: skip
    # The old tracker moved on too: every row is closed now.
    source = write_rows(project, [row.replace(";Open", ";Closed") for row in ROWS])
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    assert "Import: 3 already there." in out
    assert [status_of(sandbox_site, s) for s in ("First", "Second", "Third")] == [
        "Done", "In Progress", "Done",
    ]  # fmt: skip
    assert len(issues_of(sandbox_site.state)) == 3


def test_issues_with_the_label_but_not_this_imports_marker_are_not_taken_for_its_rows(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    api = SiteApi(sandbox_site)
    shop = api.ok("GET", "/rest/api/3/project/SHOP")["id"]
    base = {"project": {"id": shop}, "issuetype": {"name": "Task"}, "labels": ["import-backlog"]}
    other = {"key": "teamcomms", "value": {"definition": "import/other", "item": "S-1"}}
    api.ok("POST", "/rest/api/3/issue", json={"fields": {**base, "summary": "Made by hand"}})
    theirs = {"fields": {**base, "summary": "Another import's"}, "properties": [other]}
    api.ok("POST", "/rest/api/3/issue", json=theirs)
    source = write_rows(project, ROWS[:1])
    mapping = str(project / "backlog-import.yaml")
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    assert "Import: 1 created." in out
    mine = [
        i
        for i in issues_of(sandbox_site.state)
        if i["properties"].get("teamcomms", {}).get("definition") == "import/backlog"
    ]
    assert [i["fields"]["summary"] for i in mine] == ["First"]
