"""``teamcomms doctor``: check the site, credentials, spaces, projects and permissions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import OutputFormat, SiteOption
from teamcomms.errors import OperationFailed

if TYPE_CHECKING:
    from teamcomms.definitions import Project

DOCTOR_FORMAT_VERSION = 1
"""Version of ``doctor --format json``'s document (docs/site-and-credentials.md); raised on a
change that breaks its readers."""


def doctor(
    path: Annotated[
        Path,
        typer.Argument(help="Project folder (default: the current folder).", show_default=False),
    ] = Path(),
    site: SiteOption = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
    ] = OutputFormat.text,
) -> None:
    """Check that the site and your credentials are ready for this project.

    Checks the site URL, the credentials, Cloud or Data Center, the spaces, projects, issue
    types and groups the definitions use, and what you may do there; says what to do about
    anything missing. Exit code 1 when something required is missing.
    """
    from teamcomms.engine.connect import open_site
    from teamcomms.resources.prerequisites import site_prerequisites
    from teamcomms.site.doctor import format_text, run_doctor

    project = _load(path)
    report = run_doctor(
        lambda: open_site(site, project=project, project_dir=path), site_prerequisites(project)
    )
    if output is OutputFormat.json:
        document = {"format_version": DOCTOR_FORMAT_VERSION, **report.as_json()}
        console.stdout().print_json(json.dumps(document))
    else:
        for line in format_text(report):
            console.stdout().print(line, markup=False)
    if not report.ok:
        raise OperationFailed(
            "the site is not ready for this project", hint="fix the FAIL lines above and run again"
        )


def _load(path: Path) -> Project | None:
    """The project, or None when ``path`` holds no project file (only the site is checked)."""
    from teamcomms.definitions import PROJECT_FILE
    from teamcomms.engine.workspace import load_project

    folder = path if path.is_dir() else path.parent
    if not (folder / PROJECT_FILE).exists():
        return None
    return load_project(folder)


def register(app: typer.Typer) -> None:
    """Add ``doctor`` to the CLI."""
    app.command("doctor", epilog="Example: teamcomms doctor examples/ecommerce --site sandbox")(
        doctor
    )
