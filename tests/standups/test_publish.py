"""``teamcomms standup --publish`` and ``teamcomms report --publish`` on the sandbox: one page a
day, updated in place, hand-ticked and hand-added action items kept; report pages under an
index page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.resource import PlanOptions
from teamcomms.engine.workspace import load_workspace
from teamcomms.render.storage_merge import tasks_of
from teamcomms.resources import NOT_PLANNED
from teamcomms.resources.confluence_desired import desired_pages
from teamcomms.resources.confluence_pages import ConfluencePages
from teamcomms.resources.page_publish import read_spaces
from tests.conftest import SandboxHandle
from tests.resources.conftest import connect_to
from tests.sandbox.clients import forgive_numeric_transition_ids, jira_cloud

DAY = "2026-11-27"
ADDRESS = f"standup/ops@{DAY}"


def run(*args: str) -> tuple[int, Any, str]:
    result = CliRunner().invoke(app, list(args))
    out = json.loads(result.stdout) if result.stdout.startswith("{") else result.stdout
    return result.exit_code, out, result.stderr


@pytest.fixture
def on_site(seeded: SandboxHandle, unpaced: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEAMCOMMS_EMAIL", seeded.email)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", seeded.token)
    return seeded.url


def owned(site: SandboxHandle, address: str) -> list[dict[str, Any]]:
    return [
        page
        for page in site.state.pages_in_space("OPS")
        if any(
            prop["key"] == "teamcomms" and prop["value"].get("definition") == address
            for prop in page["properties"].values()
        )
    ]


def publish(project: Path, url: str, *extra: str) -> tuple[int, Any, str]:
    return run("standup", "ops", "-p", str(project), "--site", url, "--date", DAY, "--publish",
               "--format", "json", *extra)  # fmt: skip


def test_publishing_twice_a_day_updates_one_page_and_keeps_hand_edits(
    project: Path, on_site: str, seeded: SandboxHandle
) -> None:
    code, first, err = publish(project, on_site)
    assert code == 0, err
    assert first["format_version"] == 1
    assert first["published"]["action"] == "create" and first["published"]["ok"]
    (page,) = owned(seeded, ADDRESS)
    assert page["title"] == f"Ops standup {DAY}"
    parent = seeded.state.page_by_title("OPS", "Standups")
    assert parent is not None and page["parentId"] == parent["id"]
    assert [(t.text, t.complete) for t in tasks_of(page["body"])] == [
        ("OPS-3: unblock 'Carrier API' (Bob Example)", False),
        ("OPS-4: unblock 'Returns cage' (Bob Example)", False),
        ("OPS-5: agree a new due date (was 2026-11-25) (Bob Example)", False),
    ]
    # In the meeting: the first action item is ticked, one is added, a note is written.
    body = page["body"].replace(
        "<ac:task-status>incomplete</ac:task-status>",
        "<ac:task-status>complete</ac:task-status>",
        1,
    )
    added = (
        "<ac:task><ac:task-id>99</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>Kate calls the carrier</ac:task-body></ac:task></ac:task-list>"
    )
    body = body.replace("</ac:task-list>", added, 1) + "<p>Peak staffing agreed.</p>"
    seeded.state.edit_page_as_user(page["id"], body=body)
    # Later that day Bob closes OPS-5, and the standup is published again.
    jira_cloud(seeded).set_issue_status("OPS-5", "Closed")
    forgive_numeric_transition_ids(seeded)
    code, second, err = publish(project, on_site)
    assert code == 0, err
    assert second["published"]["merged"] and second["published"]["ok"]
    assert second["published"]["page_id"] == page["id"]
    (again,) = owned(seeded, ADDRESS)
    assert again["version"]["number"] == 3
    assert [(t.text, t.complete) for t in tasks_of(again["body"])] == [
        ("OPS-3: unblock 'Carrier API' (Bob Example)", True),
        ("OPS-4: unblock 'Returns cage' (Bob Example)", False),
        ("Kate calls the carrier", False),
    ]
    assert "<p>Peak staffing agreed.</p>" in again["body"]
    bob = next(p for p in second["people"] if p["name"] == "Bob Example")
    assert [i["key"] for i in bob["done"]] == ["OPS-5"]
    assert "Restock" in again["body"]  # the refreshed figures: OPS-5 is now done
    # A third run with nothing new changes nothing.
    code, third, err = publish(project, on_site)
    assert code == 0, err
    assert third["published"]["action"] == "no-op"
    assert owned(seeded, ADDRESS)[0]["version"]["number"] == 3


def test_a_standup_of_another_day_is_another_page_and_plan_leaves_both_alone(
    project: Path, on_site: str, seeded: SandboxHandle
) -> None:
    assert publish(project, on_site)[0] == 0
    code, _, err = run("standup", "ops", "-p", str(project), "--site", on_site, "--date",
                       "2026-11-25", "--publish")  # fmt: skip
    assert code == 0, err
    assert len(owned(seeded, ADDRESS)) == len(owned(seeded, "standup/ops@2026-11-25")) == 1
    # The project's page plan lists neither day's page as an orphan (with --prune it would
    # archive them); `plan` names the command that handles standups.
    with connect_to(seeded) as connection:
        current = read_spaces(connection, ["OPS"], workers=2)
    desired = desired_pages(load_workspace(project))
    changes = ConfluencePages().diff(desired, current, PlanOptions(prune="delete"))
    assert ("page/standups", "no-op") in [(c.address, c.action) for c in changes]
    assert not [c for c in changes if c.action in ("orphan", "archive", "delete")]
    assert not [c for c in changes if c.address.startswith("standup/")]
    assert NOT_PLANNED["standup"] == "teamcomms standup NAME --publish"


def test_report_pages_go_under_an_index_that_links_every_period(
    project: Path, on_site: str, seeded: SandboxHandle
) -> None:
    for period, day in (("week", "2026-11-25"), ("week", "2026-11-18"), ("month", DAY)):
        code, figures, err = run("report", "-p", str(project), "--site", on_site,
                                 "--period", period, "--date", day, "--publish",
                                 "--format", "json")  # fmt: skip
        assert code == 0, err
        assert figures["published"]["ok"]
    (index,) = owned(seeded, "report/ops-progress@index")
    assert index["title"] == "Ops progress reports"
    children = [p for p in seeded.state.pages_in_space("OPS") if p["parentId"] == index["id"]]
    assert sorted(p["title"] for p in children) == [
        "Progress month 2026-11",
        "Progress week 2026-W47",
        "Progress week 2026-W48",
    ]
    body = index["body"]
    assert body.index("Progress week 2026-W48") < body.index("Progress week 2026-W47")
    assert '<ri:page ri:content-title="Progress month 2026-11"/>' in body
    (week,) = owned(seeded, "report/ops-progress@week-2026-W48")
    assert '<ac:structured-macro ac:name="chart"' in week["body"]
    assert '<ac:parameter ac:name="dataOrientation">vertical</ac:parameter>' in week["body"]


def test_publishing_a_report_again_writes_nothing_when_its_figures_are_the_same(
    project: Path, on_site: str, seeded: SandboxHandle
) -> None:
    def publish(day: str) -> Any:
        code, figures, err = run("report", "-p", str(project), "--site", on_site,
                                 "--period", "week", "--date", day, "--publish",
                                 "--format", "json")  # fmt: skip
        assert code == 0, err
        return figures["published"]

    publish(DAY)
    (current,) = owned(seeded, "report/ops-progress@week-2026-W48")
    assert "from Jira as of 2026-11-27." in current["body"]
    # The same day, a moment later: no new version, so watchers are not notified again.
    assert publish(DAY)["pages"] == []
    assert owned(seeded, "report/ops-progress@week-2026-W48")[0]["version"] == current["version"]
    # A period that is over says so, whatever day it is published.
    publish("2026-11-18")
    (finished,) = owned(seeded, "report/ops-progress@week-2026-W47")
    assert "from Jira after the period ended." in finished["body"]
