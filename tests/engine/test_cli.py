"""``teamcomms plan`` and ``apply`` from the command line, on the sandbox."""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.commands.options import with_optional_values
from teamcomms.engine.connect import sandbox_state_file
from teamcomms.errors import ExitCode
from teamcomms.sandbox import SiteState
from tests.conftest import SandboxHandle
from tests.resources.conftest import PAGES_YAML, UNPACED_TEAMCOMMS, write_project

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
DEBUG_APPLY = [*UNPACED_TEAMCOMMS, "--debug", "apply"]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    project = tmp_path / "ecommerce"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".teamcomms"))
    return project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_apply_example_creates_everything_and_a_second_plan_has_no_changes(
    example: Path,
) -> None:
    code, _, _ = run("plan", str(example), "--site", "sandbox", "--detailed-exitcode")
    assert code == 2
    code, out, err = run("apply", str(example), "--site", "sandbox", "--yes")
    assert code == 0, err
    assert "Apply: 105 done, 0 failed, 0 skipped" in out
    code, out, err = run(
        "plan", str(example), "--site", "sandbox", "--format", "json", "--detailed-exitcode"
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["summary"] == {"no-op": 107}
    assert document["has_changes"] is False
    state = SiteState(sandbox_state_file(example))
    titles = {p["title"] for p in state.table("pages").values()}
    assert {
        "Onboarding",
        "Releases",
        "How the Order Fulfillment workflow works",
        "Glossary of store terms",
    } <= titles
    names = {t["name"] for t in state.table("templates").values()}
    assert "Deployment readiness: {release}" in names
    assert len(names) == 5


def test_an_apply_with_nothing_to_do_reports_the_time_it_spent_reading(example: Path) -> None:
    run("apply", str(example), "--site", "sandbox", "--yes")
    code, out, err = run("apply", str(example), "--site", "sandbox", "--yes", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["done"] == 0 and report["requests"]["reads"] > 0
    assert report["seconds"] > 0


def test_apply_without_a_terminal_asks_for_yes(example: Path) -> None:
    code, _, err = run("apply", str(example), "--site", "sandbox")
    assert code == 1
    assert "--yes" in err
    assert "no terminal" in err
    code, _, _ = run("plan", str(example), "--site", "sandbox", "--detailed-exitcode")
    assert code == 2  # nothing was written


def test_apply_asks_on_a_terminal_and_writes_only_after_yes(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("teamcomms.commands.apply._has_terminal", lambda: True)
    refused = CliRunner().invoke(app, ["apply", str(example), "--site", "sandbox"], input="n\n")
    assert refused.exit_code == 1
    assert "Apply these 105 change(s)?" in refused.stderr
    assert "nothing was written" in refused.stderr
    agreed = CliRunner().invoke(app, ["apply", str(example), "--site", "sandbox"], input="y\n")
    assert agreed.exit_code == 0, agreed.stderr
    assert "105 done" in agreed.stdout


def test_a_saved_plan_applies_once_and_is_refused_when_stale(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example)
    code, _, err = run("plan", ".", "--site", "sandbox", "--out", "plan.json")
    assert code == 0, err
    code, out, err = run("apply", "plan.json", "--site", "sandbox", "--yes")
    assert code == 0, err
    assert "105 done" in out
    code, _, err = run("apply", "plan.json", "--site", "sandbox", "--yes")
    assert code == 1
    assert "changed since this plan was saved" in err


def test_plan_diff_shows_the_changed_lines(example: Path) -> None:
    assert run("apply", str(example), "--site", "sandbox", "--yes")[0] == 0
    body = example / "docs" / "pages" / "onboarding-home.md"
    body.write_text(body.read_text() + "\nA new closing paragraph.\n")
    code, out, _ = run(
        "plan", str(example), "--site", "sandbox", "--diff=storage", "--detailed-exitcode"
    )
    assert code == 2
    assert "~ update    page/onboarding-home" in out
    assert "+<p>A new closing paragraph.</p>" in out
    assert "Plan: 1 to update, 106 unchanged." in out


def test_a_one_word_change_in_a_task_list_is_a_one_line_diff(example: Path) -> None:
    assert run("apply", str(example), "--site", "sandbox", "--yes")[0] == 0
    body = example / "docs" / "pages" / "onboarding-home.md"
    body.write_text(body.read_text().replace("Block the first-day", "Reserve the first-day"))
    code, out, _ = run("plan", str(example), "--site", "sandbox", "--diff")
    assert code == 0
    diff = [line[6:] for line in out.splitlines() if line.startswith("      ")]
    changed = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
    assert changed == [
        "-- [ ] Block the first-day schedule in your calendar.",
        "+- [ ] Reserve the first-day schedule in your calendar.",
    ]


def test_unknown_target_says_which_exist(example: Path) -> None:
    code, _, err = run(
        "plan", str(example), "--site", "sandbox", "--target", "page/nope", "--detailed-exitcode"
    )
    assert code == 1
    assert "unknown target page/nope" in err
    assert "page/onboarding-home" in err


def test_no_token_in_debug_output(tmp_path: Path, sandbox_site: SandboxHandle) -> None:
    project = tmp_path / "ecommerce"
    shutil.copytree(EXAMPLE, project)
    env = {
        **os.environ,
        "TEAMCOMMS_EMAIL": sandbox_site.email,
        "TEAMCOMMS_API_TOKEN": sandbox_site.token,
    }
    done = subprocess.run(
        [*DEBUG_APPLY, str(project), "--site", sandbox_site.url, "--yes"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "DEBUG" in output  # the debug log really ran
    basic = base64.b64encode(f"{sandbox_site.email}:{sandbox_site.token}".encode()).decode()
    assert sandbox_site.token not in output
    assert basic not in output


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_help_does_not_load_the_http_clients(command: str) -> None:
    probe = (
        "import sys\nfrom teamcomms.cli import main\n"
        f"try:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = {'requests', 'atlassian', 'jira', 'urllib3'} & loaded\n"
        "print(sorted(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        (["--prune", "proj"], ["--prune=archive", "proj"]),
        (["proj", "--prune"], ["proj", "--prune=archive"]),
        (["--prune", "delete", "proj"], ["--prune=delete", "proj"]),
        (["--prune=delete", "proj"], ["--prune=delete", "proj"]),
        (["--target", "--prune", "proj"], ["--target", "--prune", "proj"]),
        (["--", "--prune"], ["--", "--prune"]),
    ],
)
def test_a_bare_prune_means_archive_and_never_takes_the_path(
    given: list[str], parsed: list[str]
) -> None:
    assert with_optional_values(given, {"--target"}) == parsed


@pytest.mark.usefixtures("unpaced")
def test_apply_prune_delete_deletes_only_owned_orphans(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    project = write_project(tmp_path / "project")
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}

    def cli(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, [*args, "--site", sandbox_site.url], env=env)
        return result.exit_code, result.stdout, result.stderr

    assert cli("apply", str(project), "--yes")[0] == 0
    space = sandbox_site.state.space_by_key("TEAM")
    assert space is not None
    sandbox_site.state.create_page(space["id"], "Someone's page", "<p>keep</p>", None)
    # Keep only the customer promise: the handbook page and the template lose their definitions.
    promise = PAGES_YAML.split("---\n")[1].replace("parent: Team Handbook\n", "")
    (project / "docs.yaml").write_text(promise)
    code, out, _ = cli("plan", "--prune", str(project))
    assert code == 0
    assert "archive" in out and "Team Handbook" in out
    code, out, err = cli("apply", "--prune=delete", str(project), "--yes")
    assert code == 0, err
    assert "Apply: 3 done, 0 failed, 0 skipped" in out  # a move and two deletes
    pages = {p["title"]: p["status"] for p in sandbox_site.state.table("pages").values()}
    assert pages["Team Handbook"] == "trashed"
    assert pages["Someone's page"] == "current"
    assert pages["Our customer promise"] == "current"
    assert not [
        t for t in sandbox_site.state.table("templates").values() if "readiness" in t["name"]
    ]
    code, _, err = cli("apply", str(project), "--prune", "delete", "--yes")
    assert code == 0
    assert "Nothing to do" in err


def test_an_unknown_prune_mode_is_a_usage_error(example: Path) -> None:
    code, _, err = run("plan", str(example), "--prune=purge")
    assert code == ExitCode.USAGE
    assert "purge" in err


def test_ctrl_c_while_reading_the_site_is_a_short_message_and_exit_130(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from teamcomms.engine import planner

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(planner, "read_states", interrupted)
    # An earlier --debug test leaves a root log handler on a closed CliRunner stream.
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    for command in (["plan"], ["apply", "--yes"]):
        code, out, err = run(*command, str(example), "--site", "sandbox")
        assert code == 130
        assert "interrupted while reading the site; nothing was written" in err
        assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        # A YAML syntax error, an unknown kind and a Jinja syntax error in a page body.
        ("yaml", "docs.yaml:4:7: error: invalid YAML"),
        ("kind", "docs.yaml:1:7: error:"),
        ("jinja", "handbook.md:3:1: error: page 'handbook': Jinja syntax error"),
    ],
)
def test_apply_with_a_definition_error_writes_nothing_to_the_site(
    tmp_path: Path, sandbox_site: SandboxHandle, broken: str, where: str
) -> None:
    project = write_project(tmp_path / "project")
    if broken == "yaml":
        (project / "docs.yaml").write_text(PAGES_YAML.replace("title: Team Handbook", "title: [x"))
    elif broken == "kind":
        (project / "docs.yaml").write_text(PAGES_YAML.replace("kind: page", "kind: pagee", 1))
    else:
        (project / "handbook.md").write_text("# Handbook\n\n{{ store \n")
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}
    before = {name: len(sandbox_site.state.table(name)) for name in ("pages", "templates")}
    result = CliRunner().invoke(
        app, ["apply", str(project), "--site", sandbox_site.url, "--yes"], env=env
    )
    assert result.exit_code == 1
    assert where in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "nothing was sent to the site" in result.stderr
    assert sandbox_site.requests == []  # not even a read: the definitions are checked first
    assert {name: len(sandbox_site.state.table(name)) for name in before} == before
