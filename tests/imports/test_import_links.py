"""Links between rows: a link type named by its name or either direction, made once."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SandboxHandle
from tests.imports.conftest import issues_of, run

MAPPING = """\
kind: import
name: launch
id: Key
fields: {summary: Title}
links:
  - {column: After, type: is blocked by, split: ";"}
  - {column: See, type: Relates}
"""


def test_links_follow_the_direction_the_mapping_names(
    project: Path, on_site: str, sandbox_site: SandboxHandle
) -> None:
    (project / "launch-import.yaml").write_text(MAPPING)
    source = project / "launch.csv"
    source.write_text(
        "Key,Title,After,See\nL-1,Design,,\nL-2,Build,L-1,L-4\nL-3,Ship,L-1;L-2,\nL-4,Docs,,\n"
    )
    mapping = str(project / "launch-import.yaml")
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    issues = issues_of(sandbox_site.state, "import-launch")
    title = {i["id"]: i["fields"]["summary"] for i in issues}
    outward = sorted(
        (title[i["id"]], link["type"]["name"], title[link["outwardIssue"]["id"]])
        for i in issues
        for link in i["links"]
        if "outwardIssue" in link
    )
    assert outward == [
        ("Build", "Blocks", "Ship"),
        ("Build", "Relates", "Docs"),
        ("Design", "Blocks", "Build"),
        ("Design", "Blocks", "Ship"),
    ]
    before = sandbox_site.count("POST", "/rest/api/3/issueLink")
    code, _, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    assert sandbox_site.count("POST", "/rest/api/3/issueLink") == before
