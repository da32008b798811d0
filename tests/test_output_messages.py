"""Quiet, honest output: what a new user reads for a slip of ``sandbox``, with ``--debug``, with
``NO_COLOR``, in ``--help``, after ``init``, and in every JSON document's version."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"
runner = CliRunner()
SANDBOX_SLIP = [
    "  hint: --site sandbox (all lower case) is the built-in local site; a real site is a URL "
    "such as https://acme.atlassian.net",
]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "ecommerce"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".teamcomms"))
    return copy


@pytest.mark.parametrize("slip", ["sandbx", "sanbox", "Sandbox ", "SANDBOX", "sandbox2"])
def test_a_slip_of_sandbox_says_did_you_mean_sandbox(example: Path, slip: str) -> None:
    result = runner.invoke(app, ["plan", str(example), "--site", slip])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"no site called {slip.strip()!r}: did you mean sandbox?",
        *SANDBOX_SLIP,
    ]
    assert not (example / ".teamcomms").exists()  # no sandbox was started


def test_a_slip_of_sandbox_in_the_environment_says_so_too(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAMCOMMS_SITE", "sanbox")
    result = runner.invoke(app, ["plan", str(example)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "no site called 'sanbox': did you mean sandbox?"


@pytest.mark.parametrize("site", ["sand", "sandbox.io", "sandbox:80", "https://sandbox"])
def test_a_host_or_url_is_not_taken_for_a_slip_of_sandbox(
    example: Path, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TEAMCOMMS_EMAIL", "TEAMCOMMS_API_TOKEN", "TEAMCOMMS_PAT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("teamcomms.site.settings.system_keyring", lambda service, user: None)
    result = runner.invoke(app, ["plan", str(example), "--site", site])
    assert result.exit_code == 1
    assert "did you mean sandbox" not in result.stderr


@pytest.mark.usefixtures("debug_logging_undone")
def test_debug_shows_teamcomms_and_http_logs_but_not_every_librarys(example: Path) -> None:
    result = runner.invoke(app, ["plan", str(example), "--site", "sandbox", "--debug"])
    assert result.exit_code == 0, result.output
    loggers = {line.split()[1] for line in result.stderr.splitlines() if line.startswith("DEBUG ")}
    assert "teamcomms.site.http:" in loggers
    assert "urllib3.connectionpool:" in loggers
    assert {name.split(".")[0] for name in loggers} <= {"teamcomms", "urllib3"}


@pytest.mark.usefixtures("debug_logging_undone")
def test_debug_all_shows_every_librarys_logs(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    quiet = runner.invoke(app, ["render", str(example), "--out", str(out), "--debug"])
    # Another body, so the Markdown is parsed again rather than taken from this process's cache.
    (example / "docs" / "pages" / "customer-promise.md").write_text(
        (example / "docs" / "pages" / "customer-promise.md").read_text() + "\nOne more line.\n"
    )
    loud = runner.invoke(app, ["render", str(example), "--out", str(out), "--debug=all"])
    assert quiet.exit_code == loud.exit_code == 0
    assert "DEBUG markdown_it" not in quiet.stderr
    assert loud.stderr.count("DEBUG markdown_it") > 100


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "teamcomms", *args],
        capture_output=True,
        text=True,
        env={**environ, **env, "COLUMNS": "100"},
        timeout=120,
        check=False,
    )


def _broken_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "teamcomms.yaml").write_text("name: T\ndefaults: {space: TEAM}\n")
    (folder / "pages.yaml").write_text("kind: page\nname: home\ntitle: Home\nbody: missing.md\n")
    return folder


@pytest.mark.parametrize(
    ("how", "env"),
    [("NO_COLOR", {"NO_COLOR": "1"}), ("--no-color", {})],
)
def test_no_color_means_no_escape_codes_at_all(
    tmp_path: Path, how: str, env: dict[str, str], example: Path
) -> None:
    broken = _broken_project(tmp_path / "broken")
    flag = ["--no-color"] if how == "--no-color" else []
    commands = [
        ["validate", str(broken)],  # errors in red on stderr
        ["plan", str(example), "--site", "sandbox"],  # a plan in colours on stdout
        ["plan", "--help"],
        ["--help"],
        ["diagram", "x", "y"],
    ]
    for args in commands:
        forced = _run([*flag, *args], FORCE_COLOR="1", **env)  # as on a colour terminal
        assert "\x1b" not in forced.stdout + forced.stderr, args
    # The guard: on a colour terminal without them, there are escape codes.
    coloured = _run(["validate", str(broken)], FORCE_COLOR="1")
    assert "\x1b[" in coloured.stderr
    assert "\x1b[" in _run(["plan", str(example), "--site", "sandbox"], FORCE_COLOR="1").stdout


def test_an_empty_no_color_is_no_request_for_plain_output(tmp_path: Path) -> None:
    broken = _broken_project(tmp_path / "broken")
    assert "\x1b[" in _run(["validate", str(broken)], FORCE_COLOR="1", NO_COLOR="").stderr


def _all_help(args: list[str]) -> list[tuple[list[str], str]]:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    found = [(args, result.stdout)]
    # Help is plain click help: a "Commands:" section, one "  name  summary" line each.
    commands = re.search(r"^Commands:\n((?:  \S.*\n)+)", result.stdout, re.M)
    for line in commands.group(1).splitlines() if commands else []:
        name = line.split()[0]
        found += _all_help([*args, name])
    return found


def test_help_shows_values_as_people_write_them() -> None:
    pages = _all_help([])
    assert len(pages) >= 12  # every command, sandbox serve and edit too
    free_text = {"--body", "--append", "--comment"}  # where any text is the value
    for args, text in pages:
        assert not re.search(r"<[a-z][a-z\[\]|_]*>", text), (args, text)
        # Click's type names are not how anyone writes a value.
        for option, value in re.findall(
            r"^\s+(?:-\w, )?(--[\w-]+) (TEXT|INTEGER|FLOAT)\b", text, re.M
        ):
            assert option in free_text, (args, option, value)
    by_command = {" ".join(args): text for args, text in pages}
    plan = by_command["plan"]
    for shown in ("--site  URL|sandbox", "--target  KIND/NAME", "--workers  N", "--out  FILE"):
        option, value = shown.split("  ")
        assert re.search(rf"{re.escape(option)}\s+{re.escape(value)}\s", plan), shown
    assert re.search(r"--verbose\s+List unchanged", plan)  # a flag shows no value
    onboard = by_command["onboard"]
    for shown in ("--email EMAIL", "--start YYYY-MM-DD", "--column FIELD=HEADER"):
        assert shown in onboard, shown
    assert "report, glossary, import" in " ".join(by_command["schema"].split())
    top = by_command[""]
    assert re.search(r"--debug\s+\[=all\]\s+Show teamcomms' debug log", top)


GITIGNORE = (
    "# teamcomms: sandbox state and other local files; the schema stays for editors\n"
    ".teamcomms/*\n"
    "!.teamcomms/schema.json\n"
)


def test_init_writes_a_gitignore_for_teamcomms_local_files(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / ".gitignore").read_text() == GITIGNORE
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(target)], check=True)
        (target / ".teamcomms" / "sandbox-state.json").write_text("{}")
        ignored = subprocess.run(
            ["git", "-C", str(target), "check-ignore", ".teamcomms/sandbox-state.json",
             ".teamcomms/schema.json"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert ignored.stdout.splitlines() == [".teamcomms/sandbox-state.json"]


def test_init_adds_to_an_existing_gitignore_and_says_so(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n" + GITIGNORE
    assert result.stderr.splitlines()[1] == (
        "added .teamcomms/ (sandbox state, saved plans) to the existing .gitignore"
    )
    again = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n" + GITIGNORE
    assert "gitignore" not in again.stderr


def test_json_documents_carry_a_format_version(example: Path) -> None:
    validate = runner.invoke(app, ["validate", str(example), "--format", "json"])
    assert json.loads(validate.stdout)["format_version"] == 1
    doctor = runner.invoke(app, ["doctor", str(example), "--site", "sandbox", "--format", "json"])
    assert doctor.exit_code == 0, doctor.output
    assert json.loads(doctor.stdout)["format_version"] == 1
    plan = runner.invoke(app, ["plan", str(example), "--site", "sandbox", "--format", "json"])
    assert json.loads(plan.stdout)["format_version"] >= 1
