"""``teamcomms apply``: make Confluence match the definitions (or a saved plan)."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console
from teamcomms.commands.plan import (
    OutputFormat,
    PruneOption,
    PruneValueCommand,
    SiteOption,
    TargetOption,
    WorkersOption,
)
from teamcomms.errors import TeamcommsError, UsageError


def apply(
    path: Annotated[
        Path,
        typer.Argument(
            help="Project folder, or a plan saved by `plan --out` (default: the current folder).",
            show_default=False,
        ),
    ] = Path(),
    site: SiteOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite pages and templates edited by hand.")
    ] = False,
    target: TargetOption = None,
    prune: PruneOption = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Report as text or json.")
    ] = OutputFormat.text,
    workers: WorkersOption = None,
) -> None:
    """Show the plan, ask, then carry out exactly its changes and report each one.

    Asks for confirmation unless --yes (and refuses to ask without a terminal). Exit code 0
    when every change was applied, 1 otherwise.
    """
    from teamcomms.publish import session
    from teamcomms.publish.apply import (
        ApplyOptions,
        apply_plan,
        check_applicable,
        raise_for_failures,
        writing_changes,
    )
    from teamcomms.publish.output import print_plan, print_report, report_to_json
    from teamcomms.publish.progress import progress_bar
    from teamcomms.publish.report import ApplyReport
    from teamcomms.publish.saved_plan import is_saved_plan, load_plan

    if is_saved_plan(path):
        if target or prune:
            raise UsageError(
                "--target and --prune are fixed in a saved plan",
                hint="pass them to `teamcomms plan --out` instead",
            )
        the_plan = load_plan(path)
        project = None
    else:
        from teamcomms.definitions import load_project

        project = load_project(path)
    started = time.monotonic()
    with session.connected(site, project=project, workers=workers) as connection:
        # --workers, else TEAMCOMMS_WORKERS, else the default: resolved once, by the site layer.
        options = ApplyOptions(force=force, workers=connection.pool.workers)
        if project is None:
            session.check_saved_plan(the_plan, connection)
        else:
            the_plan = session.plan_project(
                project, connection, targets=target or (),
                prune=session.prune_mode(prune),
            )  # fmt: skip
        print_plan(the_plan, console.stderr())
        todo = writing_changes(the_plan, force=force)
        if not todo and not the_plan.blocking:
            console.stderr().print("Nothing to do: Confluence already matches the definitions.")
            report = ApplyReport(results=())
        else:
            check_applicable(the_plan, force=force)
            _confirm(len(todo), yes=yes)
            with progress_bar(len(todo)) as advance:
                report = apply_plan(
                    the_plan, connection.confluence, options,
                    on_result=advance, stats=lambda: connection.stats,
                )  # fmt: skip
        # Report everything this command sent and its whole time, reading for the plan included.
        stats = connection.stats
        report = replace(
            report, reads=stats.reads, writes=stats.writes, retries=stats.retries,
            waited=stats.wait_seconds, seconds=time.monotonic() - started,
        )  # fmt: skip
    if output is OutputFormat.json:
        console.stdout().print_json(json.dumps(report_to_json(report)))
    else:
        print_report(report, console.stdout())
    raise_for_failures(report)


def _confirm(count: int, *, yes: bool) -> None:
    if yes:
        return
    if not _has_terminal():
        raise TeamcommsError(
            "apply asks before writing, but there is no terminal to ask on",
            hint="review the plan above and pass --yes to apply it",
        )
    if not typer.confirm(f"Apply these {count} change(s)?", default=False, err=True):
        raise TeamcommsError("nothing was written", hint="run apply again when ready")


def _has_terminal() -> bool:
    return sys.stdin.isatty()


def register(app: typer.Typer) -> None:
    """Add ``apply`` to the CLI."""
    app.command(
        "apply",
        cls=PruneValueCommand,
        epilog="Example: teamcomms apply examples/ecommerce --site sandbox --yes",
    )(apply)
