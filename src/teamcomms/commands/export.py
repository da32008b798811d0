"""``teamcomms export``: write a project from what a site already has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import SiteOption, WorkersOption
from teamcomms.errors import OperationFailed, UsageError

if TYPE_CHECKING:
    from teamcomms.engine.export import ExportReport
    from teamcomms.site.connection import Site


def export(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Folder to write the project to (default: the current folder).",
            show_default=False,
        ),
    ] = Path(),
    site: SiteOption = None,
    space: Annotated[
        list[str] | None,
        typer.Option(
            "--space",
            help="Export this Confluence space's pages and content templates; repeatable.",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    project: Annotated[
        list[str] | None,
        typer.Option(
            "--project",
            help="Export this Jira project's boards and which workflows it uses; repeatable.",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    kinds: Annotated[
        str | None,
        typer.Option(
            "--kinds",
            help="Only these kinds, comma-separated: workflow, field, filter, board, page, "
            "template (default: all; a board brings its filter).",
            metavar="KIND,...",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files of an earlier export in the folder.")
    ] = False,
    workers: WorkersOption = None,
) -> None:
    """Read a site and write a teamcomms project that describes it.

    Workflows (with their statuses and rules), custom fields, filters, boards, pages (as
    Markdown) and content templates become definitions; objects teamcomms does not own yet get
    `adopt: true`, so `teamcomms plan` of the result shows only markers to add. What the
    definitions cannot say is listed in export-report.md. Only reads the site; writes nothing
    there. Exit code 0, or 1 when the folder holds an earlier export (see --force).
    """
    from teamcomms.api import export_project
    from teamcomms.definitions.common import PROJECT_KEY_PATTERN, SPACE_KEY_PATTERN
    from teamcomms.engine.connect import connected
    from teamcomms.engine.resource import ExportSelection

    spaces = _keys(space, SPACE_KEY_PATTERN, "--space", "a Confluence space key such as TEAM")
    projects = _keys(project, PROJECT_KEY_PATTERN, "--project", "a Jira project key such as OPS")
    chosen = [k.strip() for k in kinds.split(",") if k.strip()] if kinds is not None else None
    messages = console.stderr()
    with connected(site, project_dir=directory, workers=workers) as connection:
        _check_selection(connection, spaces, projects)
        report = export_project(
            connection,
            directory,
            ExportSelection(spaces=spaces, projects=projects),
            kinds=chosen,
            force=force,
            progress=lambda line: messages.print(line, markup=False),
        )
    _print(report, directory, site)


def _keys(given: list[str] | None, pattern: str, option: str, example: str) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(k.strip() for k in given or ()))
    for key in keys:
        if not re.fullmatch(pattern, key):
            raise UsageError(f"{option} {key!r} is not a key", hint=f"give {example}")
    return keys


def _check_selection(connection: Site, spaces: tuple[str, ...], projects: tuple[str, ...]) -> None:
    found = connection.confluence.spaces(spaces) if spaces else {}
    missing = [f"space {key}" for key in spaces if key not in found]
    missing += [f"project {key}" for key in projects if connection.jira.cached_project(key) is None]
    if missing:
        raise OperationFailed(
            f"{', '.join(missing)}: not on the site, or you cannot see it; nothing was written",
            hint="check the keys (a space key is not its name), and that your account can see them",
        )


def _print(report: ExportReport, directory: Path, site: str | None) -> None:
    from teamcomms.engine.export import REPORT_FILE

    out, messages = console.stdout(), console.stderr()
    counts = ", ".join(f"{count} {kind}" for kind, count in report.result.counts().items())
    for note in report.result.notes:
        place = f" ({note.file})" if note.file else ""
        out.print(f"{note.where}{place}: {note.what}", markup=False, soft_wrap=True)
    messages.print(
        f"exported {counts or 'nothing'} to {directory} ({len(report.written)} files); "
        f"{len(report.result.notes)} notes on what the definitions do not carry exactly, in "
        f"{directory / REPORT_FILE}",
        markup=False,
    )
    if report.errors:
        for problem in report.errors:
            messages.print(str(problem), markup=False)
        raise OperationFailed(
            f"the exported project does not validate ({len(report.errors)} errors)",
            hint="this is a bug in teamcomms export: please report it with the lines above",
        )
    given = f" --site {site}" if site else ""
    messages.print(
        f"next: `teamcomms plan {directory}{given}` shows what the first apply does (it adds "
        "teamcomms' markers, and changes nothing else)",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``export`` to the CLI."""
    app.command(
        "export",
        epilog="Example: teamcomms export my-site --site https://acme.atlassian.net "
        "--space TEAM --project OPS",
    )(export)
