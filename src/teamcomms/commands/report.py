"""``teamcomms report``: progress figures for a period in the terminal (or JSON, Markdown), and
with ``--publish`` the period's Confluence page under the report's index page (a plan with those
pages, carried out by the engine)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import PlanFormat, SiteOption, WorkersOption
from teamcomms.commands.standup import FormatOption, ProjectOption, parse_day

if TYPE_CHECKING:
    from teamcomms.progress.periods import Period
    from teamcomms.progress.report import ReportFigures


def report(
    name: Annotated[
        str | None,
        typer.Argument(help="The report definition (default: the only one, or every project)."),
    ] = None,
    project: ProjectOption = Path(),
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="day, week, month, quarter or year (default: the report's, else week).",
            metavar="day|week|month|quarter|year",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date", help="A day in the period, YYYY-MM-DD (default: today).", metavar="D"
        ),
    ] = None,
    previous: Annotated[
        bool,
        typer.Option(
            "--previous", help="The period before the one that holds --date (on Monday: last week)."
        ),
    ] = False,
    publish: Annotated[
        bool, typer.Option("--publish", help="Write the period's page and the index page.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite report pages someone edited by hand.")
    ] = False,
    site: SiteOption = None,
    output: FormatOption = PlanFormat.text,
    workers: WorkersOption = None,
) -> None:
    """Created vs resolved, throughput per week, cycle time per workflow, work in progress per
    status and per person, and the oldest open issues, for the period that holds --date."""
    from teamcomms.api import apply_plan, sandbox_provision
    from teamcomms.engine.connect import connected
    from teamcomms.engine.output import print_plan, print_report
    from teamcomms.engine.runner import ApplyOptions, raise_for_failures
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.errors import UsageError
    from teamcomms.progress import FORMAT_VERSION
    from teamcomms.resources.page_publish import PAGES
    from teamcomms.resources.reports import compute_report, pick_report, plan_report_pages

    workspace = load_workspace(project)
    chosen = pick_report(workspace.project, name)
    wanted = period or chosen.period
    from teamcomms.progress.periods import PERIODS

    if wanted not in PERIODS:
        raise UsageError(f"--period {wanted!r} is not a period", hint=f"use {', '.join(PERIODS)}")
    chosen_period: Period = wanted
    when = parse_day(day, chosen.timezone)
    if previous:
        from datetime import timedelta

        from teamcomms.progress.periods import window

        when = window(chosen_period, when).start - timedelta(days=1)
    if (
        publish
        and not workspace.project.reports
        and workspace.project.config.defaults.space is None
    ):
        raise UsageError(
            "no space to publish the report in",
            hint="add a `kind: report` definition with a space, or `defaults: {space: KEY}`",
        )
    provision = sandbox_provision(workspace.project) if publish else None
    with connected(site, project=workspace.project, workers=workers, provision=provision) as conn:
        figures = compute_report(
            conn, workspace.project, chosen, chosen_period, when, datetime.now(UTC)
        )
        applied = None
        if publish:
            plan = plan_report_pages(workspace, conn, chosen, figures, workers=conn.pool.workers)
            print_plan(plan, [PAGES], console.stderr())
            applied = apply_plan(plan, conn, ApplyOptions(force=force, workers=conn.pool.workers))
    if output is PlanFormat.json:
        document = {"format_version": FORMAT_VERSION, **figures.to_json()}
        if applied is not None:
            document["published"] = {"ok": applied.ok, "pages": [
                {"address": r.address, "action": r.action, "outcome": r.outcome,
                 "page_id": r.target_id} for r in applied.results
            ]}  # fmt: skip
        console.stdout().out(json.dumps(document), highlight=False)
    elif output is PlanFormat.markdown:
        console.stdout().out(report_markdown(figures), highlight=False)
    else:
        print_figures(figures)
        if applied is not None:
            print_report(applied, console.stderr())
    if applied is not None:
        raise_for_failures(applied)


def print_figures(figures: ReportFigures) -> None:
    """The report as rich tables."""
    from rich.table import Table

    out = console.stdout()
    span = figures.window
    out.print(
        f"{span.period} {span.label} ({span.start} to {span.end}, end excluded) over "
        f"{', '.join(figures.projects)}: {figures.created} created, {figures.resolved} resolved",
        markup=False,
    )
    weeks = Table("week", "created", "resolved (throughput)", title="Per week")
    for week in figures.weeks:
        weeks.add_row(week.label, str(week.created), str(week.resolved))
    out.print(weeks)
    cycle = Table("workflow", "issues", "median", "mean", "longest", title="Cycle time (days)")
    for row in figures.cycle_times:
        cycle.add_row(row.workflow, str(row.count), *(f"{v:.1f}" for v in (row.median,
                      row.mean, row.longest)))  # fmt: skip
    out.print(cycle)
    wip = Table("status", "issues", title="Work in progress per status")
    for status, count in figures.wip_by_status:
        wip.add_row(status, str(count))
    out.print(wip)
    people = Table("person", "issues", title="Work in progress per person")
    for person, count in figures.wip_by_person:
        people.add_row(person, str(count))
    out.print(people)
    oldest = Table("issue", "status", "assignee", "created", "age (days)", title="Oldest open")
    for issue in figures.oldest_open:
        oldest.add_row(f"{issue.key} {issue.summary}", issue.status, issue.assignee or "-",
                       issue.created.isoformat(), str(issue.age_days))  # fmt: skip
    out.print(oldest)


def report_markdown(figures: ReportFigures) -> str:
    """The report as Markdown tables."""
    from teamcomms.commands.standup import _md

    span = figures.window
    lines = [
        f"## Progress {span.period} {span.label}",
        "",
        f"{figures.created} created, {figures.resolved} resolved "
        f"({', '.join(figures.projects)}, {span.start} to {span.end}).",
        "",
        "| Week | Created | Resolved |",
        "|---|---|---|",
        *(f"| {w.label} | {w.created} | {w.resolved} |" for w in figures.weeks),
        "",
        "| Workflow | Issues | Median days | Mean days | Longest |",
        "|---|---|---|---|---|",
        *(
            f"| {_md(c.workflow)} | {c.count} | {c.median} | {c.mean} | {c.longest} |"
            for c in figures.cycle_times
        ),
        "",
        "| In progress | Issues |",
        "|---|---|",
        *(f"| {_md(person)} | {count} |" for person, count in figures.wip_by_person),
        "",
        "| Oldest open | Age (days) |",
        "|---|---|",
        *(f"| {o.key} {_md(o.summary)} | {o.age_days} |" for o in figures.oldest_open),
    ]
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    """Add ``report`` to the CLI."""
    app.command(
        "report",
        epilog="Example: teamcomms report -p examples/ecommerce --site sandbox --period week "
        "--publish",
    )(report)
