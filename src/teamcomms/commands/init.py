"""``teamcomms init``: start a project from a starter kit."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console


def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the new project (created if missing).")
    ] = Path(),
    preset: Annotated[str, typer.Option("--preset", help="Starter kit to copy.")] = "ecommerce",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
) -> None:
    """Create a project from a starter kit: workflows, onboarding checklists, doc templates.

    Every YAML file gets a yaml-language-server modeline pointing at .teamcomms/schema.json,
    so editors check the files as you type. Existing files are never overwritten without --force.
    """
    from teamcomms.definitions.scaffold import init_project

    done = init_project(directory, preset, force=force)
    err = console.stderr()
    err.print(
        f"created {len(done.written)} files in {directory} from the '{preset}' starter kit"
        + (f" ({len(done.overwritten)} overwritten)" if done.overwritten else ""),
        markup=False,
    )
    if done.gitignore == "extended":
        err.print(
            "added .teamcomms/ (sandbox state, saved plans) to the existing .gitignore",
            markup=False,
        )
    folder = "" if directory == Path() else f" {shlex.quote(str(directory))}"
    project_file = shlex.quote(str(directory / "teamcomms.yaml"))
    steps = [
        (f"teamcomms validate{folder}", "check the definitions"),
        (f"edit {project_file}", "set your site URL, default space and project"),
        (
            "export TEAMCOMMS_EMAIL=... TEAMCOMMS_API_TOKEN=...",
            "credentials (Data Center: TEAMCOMMS_PAT)",
        ),
    ]
    width = max(len(command) for command, _ in steps)
    err.print(
        "next steps:\n" + "\n".join(f"  {c.ljust(width)}   {why}" for c, why in steps),
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``init`` to the CLI."""
    app.command(
        "init",
        epilog="Example: teamcomms init northwind --preset ecommerce",
    )(init)
