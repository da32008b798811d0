"""``teamcomms plan``: show what ``apply`` would change in Confluence, without changing it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console
from teamcomms.errors import ExitCode

SiteOption = Annotated[
    str | None,
    typer.Option(
        "--site", help="Site URL, or `sandbox` (default: TEAMCOMMS_SITE, then teamcomms.yaml)."
    ),
]
TargetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        help="Limit to this definition (KIND/NAME, e.g. page/onboarding-home); repeatable.",
        show_default=False,
    ),
]
PruneOption = Annotated[
    bool, typer.Option("--prune", help="Archive owned pages whose definition is gone.")
]
PruneDeleteOption = Annotated[
    bool,
    typer.Option(
        "--prune-delete",
        help="Delete (not archive) owned pages and templates whose definition is gone.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="Parallel requests (default: TEAMCOMMS_WORKERS, then 4)."),
]


class OutputFormat(StrEnum):
    """How ``plan`` prints the plan."""

    text = "text"
    json = "json"


def plan(
    path: Annotated[
        Path,
        typer.Argument(help="Project folder (default: the current folder).", show_default=False),
    ] = Path(),
    site: SiteOption = None,
    diff: Annotated[bool, typer.Option("--diff", help="Show a unified diff of each body.")] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
    ] = OutputFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also save the plan for `teamcomms apply FILE`."),
    ] = None,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when nothing would change, 2 when something would."
        ),
    ] = False,
    target: TargetOption = None,
    prune: PruneOption = False,
    prune_delete: PruneDeleteOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="List unchanged pages too.")] = False,
    workers: WorkersOption = None,
) -> None:
    """Show every change apply would make to Confluence pages and content templates.

    Nothing is written. Exit code 0 (or, with --detailed-exitcode, 0 = no changes and
    2 = changes), 1 on errors.
    """
    from teamcomms.definitions import load_project
    from teamcomms.publish.output import plan_to_json, print_plan
    from teamcomms.publish.saved_plan import save_plan
    from teamcomms.publish.session import connected, plan_project, prune_mode

    project = load_project(path)
    with connected(site, project=project, workers=workers) as connection:
        the_plan = plan_project(
            project, connection, targets=target or (), prune=prune_mode(prune, prune_delete)
        )
    if output is OutputFormat.json:
        console.stdout().print_json(json.dumps(plan_to_json(the_plan)))
    else:
        print_plan(the_plan, console.stdout(), diff=diff, verbose=verbose)
    if out is not None:
        save_plan(the_plan, out)
        console.stderr().print(f"saved the plan to {out}; apply it with `teamcomms apply {out}`")
    if detailed_exitcode and the_plan.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the CLI."""
    app.command(
        "plan",
        epilog="Example: teamcomms plan examples/ecommerce --site sandbox --diff",
    )(plan)
