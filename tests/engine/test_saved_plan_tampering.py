"""A saved plan edited by hand can do no more than the plan that was printed: ownership comes
from the markers on the site, the digest covers the file, and nothing is written when either
fails. Each case is one way an attacker (or a careless edit) changed ``plan.json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.saved_plan import plan_digest
from tests.conftest import SandboxHandle
from tests.resources.conftest import write_project

Edit = Callable[[dict[str, Any], dict[str, str]], None]


def _entry(document: dict[str, Any], address: str) -> dict[str, Any]:
    return next(e for e in document["changes"] if e["address"] == address)


def to_archive_of_unowned(document: dict[str, Any], ids: dict[str, str]) -> None:
    entry = _entry(document, "page/handbook")
    entry["action"], entry["id"] = "archive", ids["theirs"]


def to_delete_of_unowned(document: dict[str, Any], ids: dict[str, str]) -> None:
    entry = _entry(document, "page/handbook")
    entry["action"], entry["id"] = "delete", ids["theirs"]


def to_update_of_unowned(document: dict[str, Any], ids: dict[str, str]) -> None:
    _entry(document, "page/promise")["id"] = ids["theirs"]


def to_update_of_another_managed_page(document: dict[str, Any], ids: dict[str, str]) -> None:
    _entry(document, "page/promise")["id"] = ids["handbook"]


def body_edited(document: dict[str, Any], ids: dict[str, str]) -> None:
    _entry(document, "page/promise")["full"]["after"]["body"] = "<p>pay me instead</p>"


def marker_edited(document: dict[str, Any], ids: dict[str, str]) -> None:
    _entry(document, "page/promise")["full"]["detail"]["marker"]["definition"] = "page/other"


@pytest.mark.usefixtures("unpaced")
@pytest.mark.parametrize(
    ("edit", "redigest", "message"),
    [
        (to_archive_of_unowned, True, "belongs to nobody"),
        (to_delete_of_unowned, True, "belongs to nobody"),
        (to_update_of_unowned, True, "belongs to nobody"),
        (to_update_of_another_managed_page, True, "which belongs to page/handbook"),
        (body_edited, False, "digest does not match"),
        (body_edited, True, "hash is not the hash of the content"),
        (marker_edited, True, "marker names page/other"),
    ],
)
def test_a_tampered_saved_plan_writes_nothing(
    tmp_path: Path, sandbox_site: SandboxHandle, edit: Edit, redigest: bool, message: str
) -> None:
    project = write_project(tmp_path / "project")
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}

    def cli(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.stdout + result.stderr

    assert cli("apply", str(project), "--site", sandbox_site.url, "--yes")[0] == 0
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    theirs = sandbox_site.state.create_page(space["id"], "Someone's page", "<p>theirs</p>", None)
    handbook = sandbox_site.state.page_by_title("TEAM", "Team Handbook")
    assert handbook is not None
    (project / "promise.md").write_text("Orders ship within 12 hours.\n")
    saved = tmp_path / "plan.json"
    assert cli("plan", str(project), "--site", sandbox_site.url, "--out", str(saved))[0] == 0
    document = json.loads(saved.read_text())
    edit(document, {"theirs": str(theirs["id"]), "handbook": str(handbook["id"])})
    if redigest:
        document["digest"] = plan_digest(document)
    saved.write_text(json.dumps(document))
    served = len(sandbox_site.requests)

    code, output = cli("apply", str(saved), "--site", sandbox_site.url, "--yes")

    assert code == 1
    assert message in output
    assert "nothing was written" in output
    assert "Traceback" not in output
    assert all(method == "GET" for method, _, _ in sandbox_site.requests[served:])
    assert sandbox_site.state.page_by_title("TEAM", "Someone's page") is not None
    unchanged = sandbox_site.state.page_by_title("TEAM", "Someone's page")
    assert unchanged is not None and unchanged["status"] == "current"
    assert unchanged["body"] == "<p>theirs</p>"


@pytest.mark.usefixtures("unpaced")
def test_the_same_plan_untampered_applies(tmp_path: Path, sandbox_site: SandboxHandle) -> None:
    project = write_project(tmp_path / "project")
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}
    saved = tmp_path / "plan.json"
    runner = CliRunner()
    result = runner.invoke(
        app, ["plan", str(project), "--site", sandbox_site.url, "--out", str(saved)], env=env
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["apply", str(saved), "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert "Apply: 3 done" in result.stdout
