"""``teamcomms onboard``: onboard hires (a plan over their epics, tasks and welcome pages), see
where they stand (``onboard status``) and close what is left (``offboard``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from teamcomms import console
from teamcomms.commands.options import OutputFormat, SiteOption, WorkersOption
from teamcomms.errors import UsageError

if TYPE_CHECKING:
    from teamcomms.definitions import HireDefinition, Project
    from teamcomms.engine.workspace import Workspace

ProjectOption = Annotated[
    Path, typer.Option("--project", "-p", help="Project folder (default: the current folder).")
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
]
onboard_app = typer.Typer(
    help="Onboard hires: an epic, a task per checklist item and a welcome page each.",
    no_args_is_help=False,
)


@onboard_app.callback(invoke_without_command=True)
def onboard(
    ctx: typer.Context,
    project: ProjectOption = Path(),
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="Full name of the hire.")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", metavar="EMAIL", help="The hire's email.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", metavar="ROLE", help="Checklist name, or the role it is for."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="YYYY-MM-DD", help="First day, YYYY-MM-DD.")
    ] = None,
    manager: Annotated[
        str | None, typer.Option("--manager", metavar="EMAIL", help="Manager's email.")
    ] = None,
    buddy: Annotated[
        str | None, typer.Option("--buddy", metavar="EMAIL", help="Buddy's email.")
    ] = None,
    hire: Annotated[
        list[Path] | None, typer.Option("--hire", help="A `hire` definition file; repeatable.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="A CSV or YAML list of hires (one row per hire)."),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="FIELD=HEADER",
            help="FIELD=HEADER for --from, e.g. full_name='Employee Name'.",
        ),
    ] = None,
    site: SiteOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; write nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Onboard without asking.")] = False,
    unassigned: Annotated[
        bool,
        typer.Option("--unassigned", help="Create tasks whose owner has no Jira user unassigned."),
    ] = False,
    output: FormatOption = OutputFormat.text,
    workers: WorkersOption = None,
) -> None:
    """Onboard hires from flags, `hire` files or an HR export; without any, the project's
    `hires/`. Safe to repeat: only what is missing is created."""
    if ctx.invoked_subcommand is not None:
        return
    from teamcomms.api import apply_plan, plan_onboarding
    from teamcomms.commands.apply import _confirm
    from teamcomms.engine.connect import connected
    from teamcomms.engine.output import plan_to_json, print_plan, print_report, report_to_json
    from teamcomms.engine.runner import ApplyOptions, raise_for_failures
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.resources import ONBOARDING_RESOURCES

    workspace = load_workspace(project)
    hires = _hires(workspace, name, email, role, start, manager, buddy, hire, from_file, column)
    with connected(site, project=workspace.project, workers=workers) as connection:
        plan = plan_onboarding(workspace, connection, hires, unassigned=unassigned)
        if dry_run:
            if output is OutputFormat.json:
                document = plan_to_json(plan, ONBOARDING_RESOURCES)
                console.stdout().out(json.dumps(document), highlight=False)
            else:
                print_plan(plan, ONBOARDING_RESOURCES, console.stdout(), verbose=True)
            return
        print_plan(plan, ONBOARDING_RESOURCES, console.stderr())
        report = apply_plan(
            plan,
            connection,
            ApplyOptions(workers=connection.pool.workers),
            confirm=lambda _plan, count: _confirm(count, yes=yes),
        )
        names = sorted({h.name for h in hires} or {h.name for h in workspace.project.hires})
        keys = _created_keys(connection, workspace.project, names)
    if output is OutputFormat.json:
        document = {**report_to_json(report), "hires": keys}
        console.stdout().out(json.dumps(document), highlight=False)
    else:
        print_report(report, console.stdout())
        for entry in keys:
            console.stdout().print(
                f"{entry['hire']}: epic {entry['epic'] or '-'}, {len(entry['tasks'])} task(s)",
                markup=False,
            )
    raise_for_failures(report)


def _hires(
    workspace: Workspace,
    name: str | None,
    email: str | None,
    role: str | None,
    start: str | None,
    manager: str | None,
    buddy: str | None,
    files: list[Path] | None,
    from_file: Path | None,
    column: list[str] | None,
) -> list[HireDefinition]:
    from teamcomms.definitions.common import Location
    from teamcomms.definitions.hire_list import hire_from_values, parse_columns, read_hires

    project = workspace.project
    found: list[HireDefinition] = []
    flags = {"full_name": name, "email": email, "checklist": role, "start": start,
             "manager": manager, "buddy": buddy}  # fmt: skip
    if any(flags.values()):
        found.append(hire_from_values(flags, project, Location(file=Path("--flags")), {}))
    for path in files or ():
        found.extend(read_hires(path, project))
    if from_file is not None:
        found.extend(read_hires(from_file, project, parse_columns(column or [])))
    names = [h.name for h in found]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(
            f"hire {', '.join(twice)} is given more than once",
            hint="give each hire once (names come from the full name unless a `name` is given)",
        )
    return found


def _created_keys(connection: Any, project: Project, names: list[str]) -> list[dict[str, Any]]:
    """Each hire's epic and task keys, read back after the writes."""
    from teamcomms.resources.onboarding_status import onboarding_status

    projects = sorted({c.jira.project for c in project.checklists})
    found = onboarding_status(connection, projects, names, today=date.today())
    return [
        {"hire": s.hire, "epic": s.epic, "tasks": [item.key for item in s.items]} for s in found
    ]


@onboard_app.command("status", epilog="Example: teamcomms onboard status --all --format json")
def status(
    hire: Annotated[str | None, typer.Argument(help="The hire's name (e.g. maya-chen).")] = None,
    project: ProjectOption = Path(),
    every: Annotated[bool, typer.Option("--all", help="Every hire in progress.")] = False,
    site: SiteOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Per hire: tasks done, open and overdue, from Jira."""
    from rich.table import Table

    from teamcomms.definitions import load_project
    from teamcomms.engine.connect import connected
    from teamcomms.resources.onboarding_status import hires_in_progress, onboarding_status

    loaded = load_project(project)
    projects = sorted({c.jira.project for c in loaded.checklists})
    # No hire named: the project's own hires (and, with --all, every one in progress).
    names = [hire] if hire else ([] if every else [h.name for h in loaded.hires])
    with connected(site, project=loaded) as connection:
        if every:
            names = sorted({*names, *hires_in_progress(connection, projects)})
        found = onboarding_status(connection, projects, names, today=date.today())
    if output is OutputFormat.json:
        console.stdout().out(json.dumps([s.to_json() for s in found]), highlight=False)
        return
    table = Table("hire", "epic", "done", "open", "overdue")
    for entry in found:
        table.add_row(
            entry.hire,
            entry.epic or "-",
            str(entry.done),
            str(entry.open),
            str(entry.overdue),
        )
    console.stdout().print(table)


def offboard(
    hire: Annotated[str, typer.Argument(help="The hire's name (e.g. maya-chen).")],
    project: ProjectOption = Path(),
    comment: Annotated[
        str | None, typer.Option("--comment", help="Comment added to each closed task.")
    ] = None,
    site: SiteOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List; close nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Close without asking.")] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Close a hire's open onboarding tasks and epic with a comment (nothing is deleted)."""
    from teamcomms.commands.apply import _confirm
    from teamcomms.definitions import load_project
    from teamcomms.engine.connect import connected
    from teamcomms.resources.onboarding_status import DEFAULT_COMMENT, close_items, open_items

    loaded = load_project(project)
    projects = sorted({c.jira.project for c in loaded.checklists})
    with connected(site, project=loaded) as connection:
        items = open_items(connection, projects, hire)
        for item in items:
            how = (
                f"-> {item.transition.to_status}" if item.transition else "(no closing transition)"
            )
            console.stderr().print(
                f"  {item.key} {item.summary!r} {item.status} {how}", markup=False
            )
        closed: list[str] = []
        if items and not dry_run and _confirm(len(items), yes=yes):
            closed = close_items(connection, items, comment or DEFAULT_COMMENT)
    if output is OutputFormat.json:
        document = {"hire": hire, "open": [i.key for i in items], "closed": closed}
        console.stdout().out(json.dumps(document), highlight=False)
    else:
        console.stdout().print(f"{hire}: {len(closed)} of {len(items)} open item(s) closed.")


@onboard_app.command("cancel", epilog="Example: teamcomms onboard cancel maya-chen --yes")
def cancel(
    hire: Annotated[str, typer.Argument(help="The hire's name (e.g. maya-chen).")],
    project: ProjectOption = Path(),
    comment: Annotated[str | None, typer.Option("--comment", help="Comment on each.")] = None,
    site: SiteOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List; close nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Close without asking.")] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """The same as `teamcomms offboard`."""
    offboard(hire, project, comment, site, dry_run, yes, output)


def register(app: typer.Typer) -> None:
    """Add ``onboard`` (with ``status`` and ``cancel``) and ``offboard`` to the CLI."""
    app.add_typer(
        onboard_app,
        name="onboard",
        epilog="Example: teamcomms onboard -p examples/ecommerce --site sandbox --hire "
        "examples/ecommerce/hires/maya-chen.yaml --yes",
    )
    app.command("offboard", epilog="Example: teamcomms offboard maya-chen --yes")(offboard)
