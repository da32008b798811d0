"""Every ``teamcomms ...`` command that a starter-kit page, a doc, a README or a CI example
names exists in the CLI (sub-commands included): nobody is told to run what would answer "No
such command"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from teamcomms.cli import app

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [
        REPO / "README.md",
        *REPO.glob("docs/**/*.md"),
        *REPO.glob("templates/**/*"),
        *REPO.glob("examples/**/*.md"),
        *REPO.glob("examples/**/*.y*ml"),
        *REPO.glob("src/teamcomms/resources/*.md"),
    ]
)
# Pages, docs and CI jobs: the files where a user reads a command to type.
SOURCES = [p for p in SOURCES if p.is_file() and p.suffix in (".md", ".yaml", ".yml")]
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^ {0,3}(```|~~~)[^\n]*\n(.*?)^ {0,3}\1", re.M | re.S)
_COMMAND_LINE = re.compile(r"^\s*(?:[-$>]\s+|run:\s+|-\s+run:\s+)?(teamcomms\s.*)$", re.M)
# A command starts a line or a code span, or follows a shell separator (`a && teamcomms b`);
# "keyring set teamcomms HOST" or "<teamcomms repository>" are not commands.
_MENTION = re.compile(r"(?:^|[;&|(])[ \t]*(?:\$[ \t]+)?teamcomms((?:[ \t]+[a-z][a-z-]*)+)", re.M)


def command_texts(path: Path) -> list[str]:
    """The pieces of ``path`` that are commands: code spans and code blocks in Markdown; code
    spans and command lines in YAML (CI jobs, comments)."""
    text = path.read_text(encoding="utf-8")
    pieces = _CODE_SPAN.findall(text)
    if path.suffix == ".md":
        pieces += [block for _, block in _FENCE.findall(text)]
    else:
        pieces += _COMMAND_LINE.findall(text)
    return pieces


def mentions(path: Path) -> list[list[str]]:
    """Each command mentioned: the words after ``teamcomms``, up to the first option."""
    found = []
    for piece in command_texts(path):
        for match in _MENTION.finditer(piece):
            found.append(match.group(1).split())
    return found


def unknown(words: list[str], group: Any) -> str | None:
    """The first word of ``words`` that names no command of ``group``, or None (Typer's click
    groups: ``commands`` by name; a group run without a sub-command takes arguments)."""
    command = group.commands.get(words[0])
    if command is None:
        return words[0]
    subcommands = getattr(command, "commands", None)
    if subcommands is not None and len(words) > 1:
        if words[1] in subcommands:
            return unknown(words[1:], command)
        if not command.invoke_without_command:
            return words[1]
    return None


def test_the_scan_finds_the_commands_it_is_meant_to_check(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Run `teamcomms standup ops --publish`; teamcomms keeps pages.\n\n"
        "```bash\nteamcomms onboard status --all\nkeyring set teamcomms host\n"
        "teamcomms validate && teamcomms frobnicate\n```\n"
    )
    assert mentions(page) == [
        ["standup", "ops"],
        ["onboard", "status"],
        ["validate"],
        ["frobnicate"],
    ]
    cli = typer.main.get_command(app)
    assert [unknown(m, cli) for m in mentions(page)] == [None, None, None, "frobnicate"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_command_named_exists(path: Path) -> None:
    cli = typer.main.get_command(app)
    missing = [" ".join(m) for m in mentions(path) if unknown(m, cli) is not None]
    assert missing == [], f"{path.relative_to(REPO)} names commands that do not exist"
