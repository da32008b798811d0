"""``teamcomms standup``: a standup's figures from Jira in the terminal (or JSON, Markdown), and
with ``--publish`` the day's meeting-notes page (a plan with one page, carried out by the
engine)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from teamcomms import console
from teamcomms.commands.options import PlanFormat, SiteOption, WorkersOption
from teamcomms.errors import UsageError

if TYPE_CHECKING:
    from teamcomms.progress.standup import StandupFigures
    from teamcomms.resources.standups import StandupPublication

ProjectOption = Annotated[
    Path, typer.Option("--project", "-p", help="Project folder (default: the current folder).")
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="The standup's date, YYYY-MM-DD (default: today).", metavar="D"),
]
FormatOption = Annotated[
    PlanFormat,
    typer.Option("--format", help="text (a table), json (for tools) or markdown (for chat)."),
]


def parse_day(text: str | None, zone: str) -> date:
    """``--date``, or today in ``zone``."""
    if text is None:
        return datetime.now(ZoneInfo(zone)).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date", hint="write it as YYYY-MM-DD") from None


def standup(
    name: Annotated[
        str | None, typer.Argument(help="The standup definition (default: the only one).")
    ] = None,
    project: ProjectOption = Path(),
    day: DateOption = None,
    publish: Annotated[
        bool, typer.Option("--publish", help="Write the day's page to Confluence.")
    ] = False,
    working_days_only: Annotated[
        bool,
        typer.Option(
            "--working-days-only",
            help="Do nothing on a weekend, holiday or day off (for a daily scheduled job).",
        ),
    ] = False,
    site: SiteOption = None,
    output: FormatOption = PlanFormat.text,
    workers: WorkersOption = None,
) -> None:
    """Per person: done since the previous working day, in progress, blocked and overdue; and
    the deployments due. Re-publishing the same day updates the same page and keeps the action
    items people ticked or added."""
    from teamcomms.api import apply_plan, sandbox_provision
    from teamcomms.engine.connect import connected
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.resources.standups import compute_standup, pick_standup, plan_standup_page

    workspace = load_workspace(project)
    chosen = pick_standup(workspace.project, name)
    when = parse_day(day, chosen.timezone)
    if working_days_only and not _working(workspace.project, when):
        console.stderr().print(f"{when.isoformat()} is not a working day: nothing to do.")
        return
    provision = sandbox_provision(workspace.project) if publish else None
    with connected(site, project=workspace.project, workers=workers, provision=provision) as conn:
        figures = compute_standup(conn, workspace.project, chosen, when)
        published: dict[str, Any] | None = None
        if publish:
            publication = plan_standup_page(
                workspace, conn, chosen, figures, workers=conn.pool.workers
            )
            published = _publish(publication, conn, apply_plan)
    if output is PlanFormat.json:
        from teamcomms.progress import FORMAT_VERSION

        document = {"format_version": FORMAT_VERSION, **figures.to_json()}
        if published is not None:
            document["published"] = published
        console.stdout().out(json.dumps(document), highlight=False)
    elif output is PlanFormat.markdown:
        console.stdout().out(standup_markdown(figures), highlight=False)
    else:
        print_standup(figures)
    if published is not None and not published["ok"]:
        from teamcomms.errors import OperationFailed

        raise OperationFailed(
            f"the standup page was not written: {published['error']}",
            hint="run the command again: it re-reads the page and merges what people changed",
        )


def _working(project: Any, day: date) -> bool:
    from teamcomms.definitions.due import WorkingDays

    return WorkingDays.of(project.config.calendar).is_working(day)


def _publish(publication: StandupPublication, site: Any, apply: Any) -> dict[str, Any]:
    """Carry out the plan; the page is overwritten only because the merge kept the hand edits."""
    from teamcomms.engine.output import print_plan
    from teamcomms.engine.runner import ApplyOptions
    from teamcomms.resources.page_publish import PAGES

    plan = publication.plan
    print_plan(plan, [PAGES], console.stderr())
    for kept in publication.kept_edits:
        console.stderr().print(f"  kept a hand edit (not refreshed): {kept}", markup=False)
    report = apply(plan, site, ApplyOptions(force=publication.merged, workers=site.pool.workers))
    mine = [r for r in report.results if r.address == publication.address]
    change = next((c for c in plan.changes if c.address == publication.address), None)
    failure = next((r.message for r in report.results if r.outcome != "done"), None)
    if change is not None and change.action == "conflict":
        failure = change.reason
    return {
        "ok": report.ok and failure is None,
        "page": publication.address,
        "page_id": (mine[0].target_id if mine else None) or (change.target_id if change else None),
        "action": change.action if change else None,
        "merged": publication.merged,
        "kept_edits": list(publication.kept_edits),
        "error": failure,
    }


def print_standup(figures: StandupFigures) -> None:
    """The standup as rich tables."""
    from rich.table import Table

    out = console.stdout()
    table = Table(
        "person",
        f"done since {figures.since.isoformat()}",
        "in progress",
        "blocked",
        "overdue",
        title=f"{figures.team} standup {figures.day.isoformat()}",
    )
    for person in figures.people:
        table.add_row(
            person.name,
            *(
                "\n".join(f"{i.key} {i.summary}" for i in getattr(person, part)) or "-"
                for part in ("done", "in_progress", "blocked", "overdue")
            ),
        )
    out.print(table)
    if figures.deployments:
        deployments = Table("deployment", "due", "status", "owner", title="Deployments due")
        for d in figures.deployments:
            deployments.add_row(
                f"{d.key} {d.summary}", d.due.isoformat(), d.status, d.assignee or "-"
            )
        out.print(deployments)
    for item in figures.action_items:
        out.print(f"[ ] {item}", markup=False)


def standup_markdown(figures: StandupFigures) -> str:
    """The standup as Markdown (a chat message, an issue comment)."""
    lines = [f"## {figures.team} standup {figures.day.isoformat()}", ""]
    titles = {
        "done": f"Done since {figures.since.isoformat()}",
        "in_progress": "In progress",
        "blocked": "Blocked",
        "overdue": "Overdue",
    }
    for person in figures.people:
        lines += [f"### {_md(person.name)}", ""]
        for part, title in titles.items():
            issues = getattr(person, part)
            text = "; ".join(f"{i.key} {_md(i.summary)}" for i in issues) or "nothing"
            lines.append(f"- **{title}:** {text}")
        lines.append("")
    if figures.deployments:
        lines += ["### Deployments due", ""]
        lines += [
            f"- {d.key} {_md(d.summary)}, due {d.due.isoformat()}" for d in figures.deployments
        ]
        lines.append("")
    if figures.action_items:
        lines += ["### Action items", ""]
        lines += [f"- [ ] {_md(item)}" for item in figures.action_items]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """``text`` with Markdown's special characters escaped."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>" else c for c in text)


def register(app: typer.Typer) -> None:
    """Add ``standup`` to the CLI."""
    app.command(
        "standup",
        epilog="Example: teamcomms standup fulfillment-standup -p examples/ecommerce "
        "--site sandbox --publish",
    )(standup)
