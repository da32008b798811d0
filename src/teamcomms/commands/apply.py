"""``teamcomms apply``: make the site match the definitions (or a saved plan)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import (
    OptionalValueCommand,
    OutputFormat,
    PruneOption,
    SiteOption,
    TargetOption,
    WorkersOption,
)
from teamcomms.errors import TeamcommsError, UsageError

if TYPE_CHECKING:
    from teamcomms.engine.change import Plan
    from teamcomms.engine.report import ChangeResult


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
        bool, typer.Option("--force", help="Overwrite objects edited by hand.")
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
    from teamcomms.api import apply_plan, load_plan, plan_project, sandbox_provision
    from teamcomms.engine.connect import connected
    from teamcomms.engine.output import print_plan, print_report, report_to_json
    from teamcomms.engine.planner import prune_mode
    from teamcomms.engine.progress import progress_bar
    from teamcomms.engine.runner import ApplyOptions, raise_for_failures, writing_changes
    from teamcomms.engine.saved_plan import is_saved_plan
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.resources import RESOURCES

    saved: Plan | None = None
    workspace = None
    if is_saved_plan(path):
        if target or prune:
            raise UsageError(
                "--target and --prune are fixed in a saved plan",
                hint="pass them to `teamcomms plan --out` instead",
            )
        saved = load_plan(path)
        site = _site_of_saved_plan(saved, site)
    else:
        workspace = load_workspace(path)
    project = workspace.project if workspace else None
    project_dir = Path(saved.project_root) if saved and saved.project_root else None
    with connected(
        site,
        project=project,
        project_dir=project_dir,
        workers=workers,
        provision=sandbox_provision(project),
    ) as connection:
        for note in connection.notes:
            console.stderr().print(note, markup=False)
        if workspace is not None:
            the_plan = plan_project(
                workspace, connection, targets=target or (), prune=prune_mode(prune)
            )
        else:
            assert saved is not None
            the_plan = saved
        print_plan(the_plan, RESOURCES, console.stderr())
        total = len(writing_changes(the_plan, force=force))
        if not total and not the_plan.blocking:
            console.stderr().print("Nothing to do: the site already matches the definitions.")
        with ExitStack() as progress:
            advance: list[Callable[[ChangeResult], None]] = []

            def confirm(plan: Plan, count: int) -> bool:
                # The bar starts once the user said yes, never over the question.
                confirmed = _confirm(count, yes=yes)
                if confirmed:
                    advance.append(progress.enter_context(progress_bar(count)))
                return confirmed

            report = apply_plan(
                the_plan,
                connection,
                ApplyOptions(force=force, workers=connection.pool.workers),
                confirm=confirm,
                on_result=lambda result: advance[0](result) if advance else None,
            )
    if output is OutputFormat.json:
        console.stdout().out(json.dumps(report_to_json(report)), highlight=False)
    else:
        print_report(report, console.stdout())
    raise_for_failures(report)


def _site_of_saved_plan(saved: Plan, site: str | None) -> str | None:
    """The site a saved plan was made for; an explicit ``--site`` must be that one."""
    if site is None or saved.site is None:
        return site or saved.site
    from teamcomms.engine.connect import is_sandbox
    from teamcomms.site.settings import normalise_site_url

    given = "sandbox" if is_sandbox(site) else normalise_site_url(site)
    if given != saved.site:
        raise UsageError(
            f"the plan was made for {saved.site}, not {given}",
            hint=f"leave out --site (the plan remembers {saved.site}), or plan again for {given}",
        )
    return site


def _confirm(count: int, *, yes: bool) -> bool:
    if yes:
        return True
    if not _has_terminal():
        raise TeamcommsError(
            "apply asks before writing, but there is no terminal to ask on",
            hint="review the plan above and pass --yes to apply it",
        )
    return typer.confirm(f"Apply these {count} change(s)?", default=False, err=True)


def _has_terminal() -> bool:
    return sys.stdin.isatty()


def register(app: typer.Typer) -> None:
    """Add ``apply`` to the CLI."""
    app.command(
        "apply",
        cls=OptionalValueCommand,
        epilog="Example: teamcomms apply examples/ecommerce --site sandbox --yes",
    )(apply)
