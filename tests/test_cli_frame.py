"""The CLI frame: version, help, usage errors and the single error handler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from teamcomms import __version__
from teamcomms.cli import app
from teamcomms.errors import ExitCode
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"teamcomms {__version__}"


def test_unknown_option_is_a_usage_error_with_exit_code_64() -> None:
    result = runner.invoke(app, ["validate", "--no-such-option"])
    assert result.exit_code == ExitCode.USAGE
    assert ExitCode.USAGE.value == 64  # sysexits.h EX_USAGE, as documented
    assert "No such option: --no-such-option" in result.output
    assert "Try 'teamcomms validate -h' for help." in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--detailed-exitcode", "--no-such-flag"],
        ["plan", "--detailed-exitcode", "--workers", "many"],
        ["plan", "--format", "yaml"],
        ["--no-such-flag", "plan"],
        ["plann"],
        ["sandbox", "serve", "--port", "x"],
        [],
    ],
    ids=["unknown-option", "bad-value", "bad-choice", "group-option", "command", "nested", "none"],
)
def test_a_usage_error_never_exits_like_a_plan_with_changes(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE
    assert result.exit_code not in (ExitCode.OK, ExitCode.CHANGES, ExitCode.FAILED)


def test_exit_codes_are_all_different() -> None:
    codes = [code.value for code in ExitCode]
    assert len(codes) == len(set(codes))


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "teamcomms", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def _command_paths() -> list[list[str]]:
    """Every command and subcommand, as the words a user types before ``--help``."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            paths.append([*prefix, name])
            walk(command, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("words", _command_paths(), ids=lambda w: " ".join(w) or "teamcomms")
def test_every_command_has_help_with_an_example(words: list[str]) -> None:
    result = runner.invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output


@pytest.mark.usefixtures("debug_logging_undone")
def test_global_flags_work_after_the_command_too(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\n")
    (tmp_path / "w.yaml").write_text("kind: workflow\nname: W\n")
    before = runner.invoke(app, ["--debug", "validate", str(tmp_path)])
    after = runner.invoke(app, ["validate", str(tmp_path), "--debug", "--no-color"])
    assert before.exit_code == after.exit_code == 1
    # --debug shows the traceback of the reported error; without it there is none.
    assert "Traceback" in before.output
    assert "Traceback" in after.output
    plain = runner.invoke(app, ["validate", str(tmp_path)])
    assert "Traceback" not in plain.output


def test_ctrl_c_in_any_command_is_exit_130_with_a_short_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teamcomms.engine.workspace

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", interrupted)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert "Traceback" not in result.output


def test_an_error_message_is_shown_verbatim_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import teamcomms.engine.workspace
    from teamcomms.errors import ConfigError
    from teamcomms.redaction import register_secret

    register_secret("tok-frame-161803")

    def failing(*_: object, **__: object) -> None:
        # Square brackets must not be taken for rich markup (file names and YAML messages).
        raise ConfigError("token tok-frame-161803 rejected for [bold]notes[/bold].yaml", hint="x")

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", failing)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "token **** rejected for [bold]notes[/bold].yaml" in result.stderr
    assert "tok-frame-161803" not in result.output
    assert "Traceback" not in result.output


def _broken_validate(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    import teamcomms.engine.workspace

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError(message)

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", broken)


def test_a_bug_is_an_internal_error_with_its_own_exit_code_and_a_crash_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from teamcomms.redaction import register_secret

    register_secret("tok-frame-314159")
    monkeypatch.setenv("TEAMCOMMS_CRASH_DIR", str(tmp_path / "crashes"))
    _broken_validate(monkeypatch, "boom near tok-frame-314159 in items[/0]")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.INTERNAL
    assert ExitCode.INTERNAL.value == 3
    assert "internal error: RuntimeError: boom near **** in items[/0]" in result.stderr
    assert isinstance(result.exception, SystemExit)  # handled, not escaping to the interpreter
    assert "tok-frame-314159" not in result.output
    assert "Traceback" not in result.output
    [log] = (tmp_path / "crashes").iterdir()
    assert f"crash log: {log}" in result.stderr
    assert "report it with the crash log" in result.stderr
    text = log.read_text(encoding="utf-8")
    assert f"command: teamcomms validate {tmp_path}" in text
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: boom near **** in items[/0]" in text
    assert "tok-frame-314159" not in text
    assert f"teamcomms: {__version__}" in text
    assert "requests 2." in text and "pydantic 2." in text
    assert log.stat().st_mode & 0o077 == 0  # only the user may read it


def test_the_crash_log_names_the_teamcomms_variables_but_not_their_values(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TEAMCOMMS_CRASH_DIR", str(tmp_path))
    monkeypatch.setenv("TEAMCOMMS_EMAIL", "ada@example.com")
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", "ATATT-crash-env-2718281828")
    _broken_validate(monkeypatch, "failed with Authorization: Basic " + "QWRhOnNlY3JldA==")
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == ExitCode.INTERNAL
    [log] = [p for p in tmp_path.iterdir() if p.name.startswith("crash-")]
    text = log.read_text(encoding="utf-8")
    assert "TEAMCOMMS_API_TOKEN, TEAMCOMMS_CRASH_DIR, TEAMCOMMS_EMAIL" in text
    assert "ATATT-crash-env" not in text and "ada@example.com" not in text
    assert "QWRhOnNlY3JldA==" not in text and "Authorization: Basic ****" in text


def test_a_crash_log_that_cannot_be_written_still_ends_in_the_internal_error_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TEAMCOMMS_CRASH_DIR", str(blocker / "crashes"))
    _broken_validate(monkeypatch, "boom")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == ExitCode.INTERNAL
    assert "could not write a crash log" in result.stderr
    assert "TEAMCOMMS_CRASH_DIR" in result.stderr
    assert "please report it" in result.stderr


@pytest.mark.usefixtures("debug_logging_undone")
def test_the_last_line_of_a_debug_traceback_is_masked_even_when_wrapped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from teamcomms.errors import SiteError
    from teamcomms.redaction import register_secret

    secret = "ATATT3xFfGF0-traceback-" + "9" * 60
    register_secret(secret)
    monkeypatch.setenv("COLUMNS", "40")  # rich used to wrap the message, splitting the token

    def echoed(*_: object, **__: object) -> None:
        raise SiteError(f"the site said: bad token {secret} for you", status=401)

    import teamcomms.engine.workspace

    monkeypatch.setattr(teamcomms.engine.workspace, "validate_project", echoed)
    result = runner.invoke(app, ["--debug", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    last = [line for line in result.stderr.splitlines() if "SiteError" in line][-1]
    assert "bad token **** for you" in last
    for piece in (secret[:20], secret[20:40], secret[-20:]):
        assert piece not in result.output


def _readme_ci_step() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [step] = [line for line in readme.splitlines() if "--detailed-exitcode ||" in line]
    return step


@pytest.mark.parametrize(
    ("typo", "passes"),
    [
        (None, True),
        (("--detailed-exitcode", "--detailed-exitcod"), False),
        (("--out plan.json", "--out plan.json --workers many"), False),
        (("plan .", "plna ."), False),
    ],
    ids=["changes", "misspelt-option", "bad-value", "misspelt-command"],
)
def test_the_readme_ci_step_accepts_changes_and_fails_on_a_typo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typo: tuple[str, str] | None, passes: bool
) -> None:
    import shutil

    example = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"
    project = tmp_path / "project"
    shutil.copytree(example, project, ignore=shutil.ignore_patterns(".teamcomms"))
    step = _readme_ci_step()
    if typo:
        step = step.replace(*typo)
    command = step.replace("teamcomms ", f"'{sys.executable}' -m teamcomms ", 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMCOMMS_")}
    done = subprocess.run(
        ["bash", "-e", "-c", command],
        cwd=project,
        env={**env, "TEAMCOMMS_SITE": "sandbox"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode == 0) is passes, done.stderr
    assert (project / "plan.json").is_file() is passes
