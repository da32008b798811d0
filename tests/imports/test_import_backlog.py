"""``teamcomms import`` of a 1,000-row backlog on the contract-checked sandbox: every issue as the
rows say (types, parents three levels deep, custom fields, links, statuses), a report of keys, and
a second run that creates nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from tests.conftest import SandboxHandle
from tests.imports.backlog import Expected, backlog
from tests.imports.conftest import issues_of, run, writes


def site_issues(state: Any, fields: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What the site holds for each imported row, by the row's key (from the marker)."""
    types, statuses = state.table("issuetypes"), state.table("statuses")
    priorities, users = state.table("priorities"), state.table("users")
    components = state.table("components")
    issues = issues_of(state)
    by_id = {i["id"]: i for i in issues}
    found: dict[str, dict[str, Any]] = {}
    for issue in issues:
        stored = issue["fields"]
        key = issue["properties"]["teamcomms"]["item"]
        assert key not in found, f"{key} was imported twice"
        channel = stored.get(fields["Sales Channel"])
        parent = by_id.get(stored.get("parent") or "")
        found[key] = {
            "jira": issue["key"],
            "summary": stored["summary"],
            "type": types[stored["issuetype"]]["name"],
            "priority": priorities[stored["priority"]]["name"],
            "labels": set(stored["labels"]),
            "components": {components[c]["name"] for c in stored.get("components", [])},
            "due": stored.get("duedate"),
            "assignee": users[stored["assignee"]]["emailAddress"]
            if stored.get("assignee")
            else None,
            "points": stored.get(fields["Story Points"]),
            "channel": channel["value"] if channel else None,
            "launch": stored.get(fields["Launch Date"]),
            "parent": parent["properties"]["teamcomms"]["item"] if parent else None,
            "blocks": {
                by_id[link["outwardIssue"]["id"]]["properties"]["teamcomms"]["item"]
                for link in issue["links"]
                if "outwardIssue" in link and link["type"]["name"] == "Blocks"
            },
            "status": statuses[stored["status"]]["name"],
            "description": str(stored.get("description") or ""),
        }
    return found


def assert_matches(found: dict[str, Any], want: Expected, key: str) -> None:
    got = {name: found[name] for name in (
        "summary", "type", "priority", "labels", "components", "due", "assignee", "channel",
        "launch", "parent", "blocks", "status")}  # fmt: skip
    expected = {name: getattr(want, name) for name in got}
    assert got == expected, key
    assert (found["points"] is None) == (want.points is None), key
    if want.points is not None:
        assert float(found["points"]) == want.points, key
    assert want.text in found["description"], key


def test_a_thousand_rows_become_the_expected_issues_and_a_rerun_creates_none(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    text, expected = backlog(1000)
    source = project / "backlog.csv"
    source.write_text(text, encoding="utf-8")
    report = project / "keys.csv"
    mapping = str(project / "backlog-import.yaml")
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes",
                         "--report", str(report))  # fmt: skip
    assert code == 0, err
    assert "Import: 1000 created." in out
    found = site_issues(sandbox_site.state, fields)
    assert found.keys() == expected.keys()
    for key, want in expected.items():
        assert_matches(found[key], want, key)
    # Three levels: an epic, a story under it, a sub-task under the story.
    chains = [k for k, w in expected.items() if w.parent and expected[w.parent].parent]
    assert chains and found[chains[0]]["type"] == "Subtask"
    with report.open(encoding="utf-8") as stream:
        lines = list(csv.DictReader(stream))
    assert {line["external_id"]: line["key"] for line in lines} == {
        k: v["jira"] for k, v in found.items()
    }
    assert {line["outcome"] for line in lines} == {"created"}
    # 1,000 rows in bulk creates of 50, each level of the hierarchy (epics and issues without
    # a parent, issues under them, sub-tasks) in its own: 20 full ones and at most 2 partial.
    assert 20 <= sandbox_site.count("POST", "/rest/api/3/issue/bulk") <= 22
    assert not [p for m, p, _ in sandbox_site.requests if (m, p) == ("POST", "/rest/api/3/issue")]

    before = len(sandbox_site.requests)
    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    assert "Import: 1000 already there." in out
    assert not writes(sandbox_site, since=before)
    assert len(issues_of(sandbox_site.state)) == 1000
