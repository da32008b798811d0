"""``teamcomms init``: copy a starter kit into a folder, with schema modelines and the schema.

The kits live in the repository's top-level ``templates/`` folder. ``teamcomms/starter_kit`` is
a symlink to it, which setuptools follows when building, so the kits ship inside the wheel and
``init`` works after a plain ``pip install``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from teamcomms.definitions.files import reporting_write_errors
from teamcomms.definitions.schema import json_schema
from teamcomms.errors import TeamcommsError, UsageError

SCHEMA_FILE = PurePosixPath(".teamcomms/schema.json")
MODELINE_PREFIX = "# yaml-language-server:"
_SKIPPED = frozenset({"__pycache__", ".DS_Store"})
GITIGNORE = PurePosixPath(".gitignore")
# The sandbox's state (65-150 KB, rewritten on every run), its journal and lock, and saved plans
# live in .teamcomms/ and do not belong in the repository; the schema the YAML modelines point
# at does, or editors on a fresh clone lose their checks.
GITIGNORE_LINES = (
    "# teamcomms: sandbox state and other local files; the schema stays for editors",
    ".teamcomms/*",
    f"!{SCHEMA_FILE}",
)


@dataclass(frozen=True)
class Scaffold:
    """What ``init`` wrote."""

    target: Path
    preset: str
    written: tuple[PurePosixPath, ...]
    overwritten: tuple[PurePosixPath, ...]
    gitignore: str = "created"
    """What happened to ``.gitignore``: ``created``, ``extended`` (an existing one got the
    lines) or ``unchanged`` (it had them)."""


def _kits() -> Traversable:
    return resources.files("teamcomms").joinpath("starter_kit")


def presets() -> list[str]:
    """The starter kits that ship with teamcomms."""
    kits = _kits()
    if not kits.is_dir():
        return []
    return sorted(item.name for item in kits.iterdir() if item.is_dir())


def _walk(folder: Traversable, prefix: PurePosixPath) -> list[tuple[PurePosixPath, bytes]]:
    found: list[tuple[PurePosixPath, bytes]] = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name in _SKIPPED:
            continue
        relative = prefix / item.name
        if item.is_dir():
            found.extend(_walk(item, relative))
        else:
            found.append((relative, item.read_bytes()))
    return found


def with_modeline(text: str, relative: PurePosixPath) -> str:
    """``text`` starting with a yaml-language-server modeline that points at the schema."""
    schema = Path(os.path.relpath(SCHEMA_FILE, relative.parent)).as_posix()
    modeline = f"{MODELINE_PREFIX} $schema={schema}"
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith(MODELINE_PREFIX):
        lines = lines[1:]
    return modeline + "\n" + "".join(lines)


def planned_files(preset: str) -> dict[PurePosixPath, bytes]:
    """Every file ``init`` writes for ``preset``, relative to the target folder."""
    if preset not in presets():
        raise UsageError(
            f"unknown preset '{preset}'",
            hint=f"available presets: {', '.join(presets()) or 'none (broken installation)'}",
        )
    files: dict[PurePosixPath, bytes] = {}
    for relative, content in _walk(_kits().joinpath(preset), PurePosixPath()):
        if relative.suffix in (".yaml", ".yml"):
            content = with_modeline(content.decode("utf-8"), relative).encode("utf-8")
        files[relative] = content
    files[SCHEMA_FILE] = (json.dumps(json_schema(), indent=2) + "\n").encode("utf-8")
    return files


def init_project(target: Path, preset: str = "ecommerce", *, force: bool = False) -> Scaffold:
    """Copy the ``preset`` starter kit into ``target``.

    Refuses (without writing anything) when files would be overwritten, unless ``force``.
    """
    files = planned_files(preset)
    if target.exists() and not target.is_dir():
        raise TeamcommsError(f"{target} is a file", hint="choose a folder for the new project")
    existing = tuple(relative for relative in files if (target / relative).exists())
    if existing and not force:
        shown = ", ".join(str(path) for path in existing[:10])
        more = f" and {len(existing) - 10} more" if len(existing) > 10 else ""
        raise TeamcommsError(
            f"{len(existing)} files already exist in {target}: {shown}{more}",
            hint="pass --force to overwrite them, or choose an empty folder",
        )
    with reporting_write_errors("choose a folder you can write to"):
        for relative, content in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        gitignore = _keep_local_files_out_of_git(target / GITIGNORE)
    written = (*files, GITIGNORE) if gitignore == "created" else tuple(files)
    return Scaffold(target, preset, written, existing, gitignore)


def _keep_local_files_out_of_git(path: Path) -> str:
    """Write ``.gitignore``, or add the lines to the one there (never overwritten: it holds
    the repository's own rules)."""
    if not path.exists():
        path.write_text("\n".join(GITIGNORE_LINES) + "\n", encoding="utf-8")
        return "created"
    text = path.read_text(encoding="utf-8")
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES[1:] if line not in have]
    if not missing:
        return "unchanged"
    separator = "" if not text or text.endswith("\n") else "\n"
    lines = [GITIGNORE_LINES[0], *missing]
    path.write_text(text + separator + "\n".join(lines) + "\n", encoding="utf-8")
    return "extended"
