"""``teamcomms plan``: show what ``apply`` would change on the site, without changing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import (
    DiffMode,
    DiffOption,
    OptionalValueCommand,
    PlanFormat,
    PruneOption,
    SiteOption,
    TargetOption,
    WorkersOption,
)
from teamcomms.errors import ExitCode

if TYPE_CHECKING:
    from teamcomms.engine.resource import DiffView

_VIEWS: dict[DiffMode, DiffView] = {DiffMode.text: "text", DiffMode.storage: "storage"}


def plan(
    path: Annotated[
        Path,
        typer.Argument(help="Project folder (default: the current folder).", show_default=False),
    ] = Path(),
    site: SiteOption = None,
    diff: DiffOption = None,
    output: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            help="text (for people), json (for tools) or markdown (a pull-request comment).",
        ),
    ] = PlanFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Also save the plan for `teamcomms apply FILE`.", metavar="FILE"
        ),
    ] = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when nothing would change, 2 when something would."
        ),
    ] = False,
    target: TargetOption = None,
    prune: PruneOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="List unchanged objects too.")] = False,
    workers: WorkersOption = None,
) -> None:
    """Show every change apply would make on the site.

    Nothing is written. Exit code 0 (or, with --detailed-exitcode, 0 = no changes and
    2 = changes), 1 on errors.
    """
    from teamcomms.api import plan_project, sandbox_provision, save_plan
    from teamcomms.engine.connect import connected
    from teamcomms.engine.output import plan_to_json, print_plan
    from teamcomms.engine.planner import prune_mode
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.resources import RESOURCES

    workspace = load_workspace(path)
    provision = sandbox_provision(workspace.project)
    with connected(
        site, project=workspace.project, workers=workers, provision=provision
    ) as connection:
        for note in connection.notes:
            console.stderr().print(note, markup=False)
        the_plan = plan_project(
            workspace, connection, targets=target or (), prune=prune_mode(prune)
        )
    view: DiffView | None = None if diff is None else _VIEWS[diff]
    if output is PlanFormat.json:
        console.stdout().out(json.dumps(plan_to_json(the_plan, RESOURCES)), highlight=False)
    elif output is PlanFormat.markdown:
        from teamcomms.engine.output_markdown import plan_markdown

        # A pull-request comment folds each body's diff away, so it always carries them.
        markdown = plan_markdown(the_plan, RESOURCES, diff=view or "text")
        console.stdout().out(markdown, highlight=False)
    else:
        print_plan(the_plan, RESOURCES, console.stdout(), diff=view, verbose=verbose)
    if out is not None:
        digest = save_plan(the_plan, out)
        console.stderr().print(
            f"saved the plan to {out} ({digest[:19]}…); apply it with `teamcomms apply {out}`",
            markup=False,
        )
    if detailed_exitcode and the_plan.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the CLI."""
    app.command(
        "plan",
        cls=OptionalValueCommand,
        epilog="Example: teamcomms plan examples/ecommerce --site sandbox --diff",
    )(plan)
