"""A Trello board export imported with the ``trello`` preset: a card per issue, its list mapped to
a Jira status (reached through the workflow's transitions), labels, due date, checklists,
members and custom fields; archived cards left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SandboxHandle
from tests.imports.conftest import DATA, issues_of, run, writes

BOARD = DATA / "trello-board.json"
MAPPING = """\
kind: import
name: storefront-board
preset: trello
status:
  values: {Backlog: To Do, Doing: In Progress, "Done ✅": Done}
fields:
  assignee:
    column: members
    values: {alicee: alice@teamcomms.invalid, bobexample: bob@teamcomms.invalid}
custom:
  Story Points: Story points
  Sales Channel: Channel
"""


def nodes(document: Any, kind: str) -> list[dict[str, Any]]:
    found = []
    if isinstance(document, dict):
        if document.get("type") == kind:
            found.append(document)
        for child in document.get("content") or []:
            found.extend(nodes(child, kind))
    return found


def test_a_trello_board_imports_with_its_lists_mapped_to_statuses(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    mapping = project / "board-import.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    code, out, err = run("import", str(BOARD), "-m", str(mapping), "--site", on_site, "--yes",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["rows"]["created"] == 5
    state = sandbox_site.state
    statuses, users = state.table("statuses"), state.table("users")
    found = {i["fields"]["summary"]: i for i in issues_of(state, "import-storefront-board")}
    assert {name: statuses[i["fields"]["status"]]["name"] for name, i in found.items()} == {
        "One-page checkout": "In Progress",
        "Apple Pay": "To Do",
        "Gift cards": "To Do",
        "Fix coupon rounding": "Done",
        "Saved carts": "In Progress",
    }  # the archived card and the card of the archived list are left out
    checkout = found["One-page checkout"]["fields"]
    assert set(checkout["labels"]) == {"Checkout", "import-storefront-board"}
    assert set(found["Apple Pay"]["fields"]["labels"]) >= {"Checkout", "Quick-win"}
    assert "purple" in found["Gift cards"]["fields"]["labels"]  # a label with only a colour
    assert checkout["duedate"] == "2027-03-01"
    assert users[checkout["assignee"]]["emailAddress"] == "alice@teamcomms.invalid"
    assert users[found["Fix coupon rounding"]["fields"]["assignee"]]["displayName"] == (
        "Bob Example"
    )
    assert checkout[fields["Story Points"]] == 8
    assert checkout[fields["Sales Channel"]]["value"] == "Web shop"
    assert found["Saved carts"]["fields"][fields["Sales Channel"]]["value"] == "Marketplace"
    items = nodes(checkout["description"], "taskItem")
    assert [(i["attrs"]["state"], i["content"][0]["text"]) for i in items] == [
        ("DONE", "Load test the *new* flow"),
        ("TODO", "Update the help centre"),
    ]
    assert nodes(checkout["description"], "text")[0]["text"].startswith("Replace the three-step")
    # Run again: every card is there; nothing is created or moved.
    before = len(sandbox_site.requests)
    code, out, err = run("import", str(BOARD), "-m", str(mapping), "--site", on_site, "--yes")
    assert code == 0, err
    assert "Import: 5 already there." in out
    assert not writes(sandbox_site, since=before)


def test_archived_cards_come_too_when_asked(
    project: Path, on_site: str, sandbox_site: SandboxHandle
) -> None:
    mapping = project / "board-import.yaml"
    mapping.write_text(
        "kind: import\nname: everything\npreset: trello\ninclude_archived: true\n"
        'status: {values: {"Done ✅": Done, Parked ideas: Done, Backlog: To Do, Doing: To Do}}\n',
        encoding="utf-8",
    )
    code, out, err = run("import", str(BOARD), "-m", str(mapping), "--site", on_site, "--yes")
    assert code == 0, err
    assert "Import: 7 created." in out
