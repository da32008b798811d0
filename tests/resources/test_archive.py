"""Pruning by archive: Cloud's long task is followed to its end within a bound, a task still
running is a clear note on a done change, and Data Center (no archiving in its REST API) leaves
the pages as orphans that say what to do instead."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.output import print_report
from teamcomms.engine.report import ApplyReport
from teamcomms.engine.resource import Prune
from teamcomms.engine.workspace import load_workspace
from teamcomms.site.confluence_tasks import (
    LONG_TASK_WAIT,
    ArchiveFailed,
    ArchiveUnsupported,
    wait_for_archive,
)
from teamcomms.site.connection import Site
from teamcomms.site.http import HttpConfig, HttpPolicy
from tests.conftest import SandboxHandle
from tests.resources.conftest import PAGES_YAML, connect_to
from tests.resources.test_faults_and_interruptions import assert_no_duplicates

LONGTASK = "/wiki/rest/api/longtask/"


class FakeTime:
    """A monotonic clock that the sleeper moves forward."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def timed(sandbox_site: SandboxHandle, fake_time: FakeTime) -> Iterator[Site]:
    """A connection whose policy sleeps on ``fake_time``."""
    from teamcomms.engine.connect import open_site
    from tests.resources.conftest import credentials_env

    policy = HttpPolicy(
        HttpConfig(write_interval=0.0),
        sleeper=fake_time.sleep,
        clock=lambda: fake_time.now,
        jitter=lambda: 0.5,
    )
    with open_site(
        sandbox_site.url, env=credentials_env(sandbox_site), policy=policy, workers=4
    ) as site:
        yield site


def drop_handbook(project: Path) -> None:
    """Leave only the promise page (no longer under the handbook) and the template."""
    docs = project / "docs.yaml"
    docs.write_text(PAGES_YAML.split("---\n", 1)[1].replace("parent: Team Handbook\n", ""))


def prune(project: Path, site: Site, mode: Prune) -> ApplyReport:
    return apply_plan(plan_project(load_workspace(project), site, prune=mode), site)


def test_archive_waits_for_the_long_task_then_reports_done(
    project: Path, sandbox_site: SandboxHandle, timed: Site, fake_time: FakeTime
) -> None:
    apply_plan(plan_project(load_workspace(project), timed), timed)
    sandbox_site.faults.configure("longtask-polls:3")
    drop_handbook(project)
    report = prune(project, timed, "archive")
    (archived,) = [r for r in report.results if r.action == "archive"]
    assert (archived.outcome, archived.message) == ("done", None)
    # Running at polls 1 to 3, finished at the 4th; the gaps double from half a second.
    assert sandbox_site.count("GET", LONGTASK) == 4
    assert fake_time.sleeps == [0.5, 1.0, 2.0]
    handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
    assert handbook is not None and handbook["status"] == "archived"
    assert not plan_project(load_workspace(project), timed, prune="archive").has_changes


def test_a_task_still_running_at_the_bound_is_a_note_not_a_failure(
    project: Path,
    sandbox_site: SandboxHandle,
    timed: Site,
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
) -> None:
    apply_plan(plan_project(load_workspace(project), timed), timed)
    sandbox_site.faults.configure("longtask-polls:1000")
    drop_handbook(project)
    with caplog.at_level(logging.WARNING, logger="teamcomms.site.confluence_tasks"):
        report = prune(project, timed, "archive")
    assert report.ok
    (archived,) = [r for r in report.results if r.action == "archive"]
    assert archived.outcome == "done"
    assert archived.message is not None and "still archiving" in archived.message
    assert sum(fake_time.sleeps) <= LONG_TASK_WAIT
    assert sum(fake_time.sleeps) > LONG_TASK_WAIT - 5  # it did wait up to the bound
    assert sandbox_site.count("GET", LONGTASK) == len(fake_time.sleeps) + 1
    assert any("still running" in r.getMessage() for r in caplog.records)  # progress, once
    assert len(caplog.records) == 1
    out = io.StringIO()
    print_report(report, Console(file=out, width=1000, no_color=True))
    assert f"done    archive page/handbook 'Team Handbook': {archived.message}" in out.getvalue()
    # Nothing for a later run to repeat or duplicate.
    assert not plan_project(load_workspace(project), timed, prune="archive").has_changes
    assert_no_duplicates(sandbox_site.state, jira=False)


@pytest.mark.parametrize("sandbox_site", ["datacenter"], indirect=True)
def test_data_center_keeps_orphans_instead_of_archiving_and_deletes_them_on_request(
    project: Path, sandbox_site: SandboxHandle
) -> None:
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    with connect_to(sandbox_site) as site:
        apply_plan(plan_project(load_workspace(project), site), site)
        sandbox_site.state.create_page(space["id"], "Someone's page", "<p>keep</p>", None)
        drop_handbook(project)
        archiving = plan_project(load_workspace(project), site, prune="archive")
        (orphan,) = [c for c in archiving.changes if c.address == "page/handbook"]
        assert orphan.action == "orphan"
        assert "cannot archive pages" in (orphan.reason or "")
        assert "--prune=delete" in (orphan.reason or "")
        # Only the promise page moves (its parent is gone from its definition).
        assert [r.action for r in apply_plan(archiving, site).results] == ["move"]
        handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
        assert handbook is not None and handbook["status"] == "current"
        report = prune(project, site, "delete")
        assert [r.action for r in report.results] == ["delete"]
        again = plan_project(load_workspace(project), site, prune="delete")
    assert not again.has_changes
    handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
    assert handbook is not None and handbook["status"] == "trashed"
    for kept in ("Our customer promise", "Someone's page"):  # only owned orphans are deleted
        page = sandbox_site.state.page_by_title("TEAM", kept)
        assert page is not None and page["status"] == "current"


@pytest.mark.parametrize("sandbox_site", ["datacenter"], indirect=True)
def test_archiving_on_data_center_is_refused_before_anything_is_sent(
    sandbox_site: SandboxHandle,
) -> None:
    refusal = pytest.raises(ArchiveUnsupported, match="no REST API for archiving")
    with connect_to(sandbox_site) as site, refusal as refused:
        site.confluence.archive_page("10005")
    assert "--prune=delete" in refused.value.format()
    assert sandbox_site.requests == []


class _Tasks:
    """Long-task answers in order (the poller's only collaborator besides the policy)."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)

    def get(self, path: str) -> dict[str, Any]:
        assert path == "rest/api/longtask/77"
        return self.answers.pop(0)


def test_a_task_that_ends_unsuccessfully_is_an_error_with_confluence_s_reason(
    fake_time: FakeTime,
) -> None:
    policy = HttpPolicy(sleeper=fake_time.sleep, clock=lambda: fake_time.now)
    tasks = _Tasks(
        {"finished": False, "percentageComplete": 40},
        {
            "finished": True,
            "successful": False,
            "messages": [{"translation": "Page is restricted"}],
        },
    )
    with pytest.raises(ArchiveFailed, match="could not archive page 9: Page is restricted"):
        wait_for_archive(tasks, policy, "9", "77")
    assert fake_time.sleeps == [0.5]
