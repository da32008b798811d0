"""``teamcomms plan``: show what ``apply`` would change in Confluence, without changing it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperOption

from teamcomms import console
from teamcomms.errors import ExitCode

if TYPE_CHECKING:
    from typer._click import Context

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


class PruneMode(StrEnum):
    """What ``--prune`` does with owned pages whose definition is gone."""

    archive = "archive"
    delete = "delete"


PruneOption = Annotated[
    PruneMode | None,
    typer.Option(
        "--prune",
        help="Archive owned pages whose definition is gone; --prune=delete deletes them "
        "(and orphaned content templates).",
        metavar="[=archive|delete]",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="Parallel requests (default: TEAMCOMMS_WORKERS, then 4)."),
]


class PruneValueCommand(TyperCommand):
    """A command whose ``--prune`` may be given without a value, meaning ``--prune=archive``.

    Typer's parser has no options with an optional value (click's ``flag_value`` with
    ``is_flag=False`` is not supported), so the arguments are normalised here, before parsing:
    a bare ``--prune`` becomes ``--prune=archive``, and ``--prune delete`` / ``--prune archive``
    keep their value. A bare ``--prune`` never swallows the PATH that follows it.
    """

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse ``args`` after giving a bare ``--prune`` its value."""
        takes_value = {
            name
            for param in self.get_params(ctx)
            if isinstance(param, TyperOption) and not param.is_flag and not param.count
            for name in param.opts
        }
        return super().parse_args(ctx, with_prune_value(args, takes_value))


def with_prune_value(args: list[str], takes_value: set[str]) -> list[str]:
    """``args`` with every bare ``--prune`` given its value (``archive`` unless the next
    argument is a prune mode); the values of other options are left alone."""
    modes = {mode.value for mode in PruneMode}
    normalised: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == "--":
            normalised.extend(args[index:])
            break
        if arg == "--prune":
            explicit = following in modes
            normalised.append(f"--prune={following if explicit else PruneMode.archive.value}")
            index += 2 if explicit else 1
            continue
        normalised.append(arg)
        if arg in takes_value and following is not None:
            normalised.append(following)
            index += 1
        index += 1
    return normalised


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
    prune: PruneOption = None,
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
        the_plan = plan_project(project, connection, targets=target or (), prune=prune_mode(prune))
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
        cls=PruneValueCommand,
        epilog="Example: teamcomms plan examples/ecommerce --site sandbox --diff",
    )(plan)
