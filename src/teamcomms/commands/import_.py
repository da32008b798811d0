"""``teamcomms import FILE --mapping MAPPING.yaml``: create Jira issues from the rows of a CSV,
JSON lines or Trello export file, checked first, safe to run again (a plan over the file's
rows; see docs/import.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from teamcomms import console
from teamcomms.commands.options import OutputFormat, SiteOption, WorkersOption
from teamcomms.errors import UsageError

if TYPE_CHECKING:
    from teamcomms.definitions import ImportDefinition
    from teamcomms.engine.change import Plan
    from teamcomms.engine.report import ChangeResult
    from teamcomms.engine.workspace import Workspace
    from teamcomms.resources.imported_issues import ImportedIssues, RowOutcome

REPORT_COLUMNS = ("row", "external_id", "key", "issue_id", "outcome", "message")
FileArgument = Annotated[
    Path, typer.Argument(help="The rows: a CSV, JSON lines or Trello export file.")
]
MappingOption = Annotated[
    Path,
    typer.Option(
        "--mapping",
        "-m",
        help="The `kind: import` definition that maps the columns to Jira fields.",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Check every row and show the plan; write nothing.")
]
SkipInvalidOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Import the valid rows; leave out the invalid ones (and rows under them) instead "
        "of writing nothing.",
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report", help="Write a CSV mapping each row's id to its issue key.", metavar="OUT.csv"
    ),
]


def import_issues(
    file: FileArgument,
    mapping: MappingOption,
    site: SiteOption = None,
    dry_run: DryRunOption = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Import without asking.")] = False,
    skip_invalid: SkipInvalidOption = False,
    output: FormatOption = OutputFormat.text,
    report: ReportOption = None,
    workers: WorkersOption = None,
) -> None:
    """Create a Jira issue per row of FILE, as the mapping says.

    Every row is checked against the project's create metadata first (required fields, allowed
    values, types): with any problem nothing is written (unless --skip-invalid). Issues are
    created 50 at a time, parents first, then moved to their statuses and linked. Each issue
    carries the row's id, so running again creates only what is missing.
    """
    from teamcomms.api import apply_import, import_resource, plan_import, sandbox_provision
    from teamcomms.commands.apply import _confirm
    from teamcomms.engine.connect import connected
    from teamcomms.engine.output import plan_to_json, print_plan, print_report, report_to_json
    from teamcomms.engine.progress import progress_bar
    from teamcomms.engine.runner import ApplyOptions, raise_for_failures, writing_changes
    from teamcomms.engine.workspace import load_workspace
    from teamcomms.imports import InvalidRows, format_for, read_source

    workspace = load_workspace([mapping])
    definition = _the_import(workspace, mapping)
    source_format = "trello" if definition.preset == "trello" else definition.format
    chosen = format_for(file, source_format)
    if chosen is None:
        raise UsageError(
            f"cannot tell the format of {file} from its name",
            hint="name it .csv or .jsonl, or set `format: csv` (or jsonl) in the mapping",
        )
    table = read_source(file, chosen)
    rows = import_resource(definition, table, skip_invalid=skip_invalid)
    provision = sandbox_provision(workspace.project)
    with connected(
        site, project=workspace.project, workers=workers, provision=provision
    ) as connection:
        for note in connection.notes:
            console.stderr().print(note, markup=False)
        plan = plan_import(workspace, connection, rows)
        summary = plan.changes[0]
        problems = summary.detail.problems
        if summary.action == "conflict":
            if report is not None:
                write_report(report, rows.outcomes(plan))
            if output is OutputFormat.json:
                console.stdout().out(json.dumps(plan_to_json(plan, [rows])), highlight=False)
            raise InvalidRows(table.file, problems)
        for problem in problems:
            console.stderr().print(f"left out: {problem.format()}", style="yellow", markup=False)
        if dry_run:
            if output is OutputFormat.json:
                console.stdout().out(json.dumps(plan_to_json(plan, [rows])), highlight=False)
            else:
                print_plan(plan, [rows], console.stdout(), verbose=True)
            if report is not None:
                write_report(report, rows.outcomes(plan))
            return
        print_plan(plan, [rows], console.stderr(), verbose=True)
        sizes = {c.key: c.detail.size for c in writing_changes(plan, force=False)}
        with ExitStack() as progress:
            advance: list[Callable[[ChangeResult], None]] = []

            def confirm(plan: Plan, count: int) -> bool:
                confirmed = _confirm(count, yes=yes)
                if confirmed:
                    bar = progress_bar(
                        sum(sizes.values()),
                        weight=lambda result: sizes.get(result.key, 1),
                        label="importing",
                    )
                    advance.append(progress.enter_context(bar))
                return confirmed

            try:
                applied = apply_import(
                    plan,
                    connection,
                    rows,
                    ApplyOptions(workers=connection.pool.workers),
                    confirm=confirm,
                    on_result=lambda result: advance[0](result) if advance else None,
                )
            finally:
                if report is not None:
                    write_report(report, rows.outcomes(plan))
    outcomes = rows.outcomes(plan)
    if output is OutputFormat.json:
        document = {**report_to_json(applied), **_import_json(outcomes, rows)}
        console.stdout().out(json.dumps(document), highlight=False)
    else:
        print_report(applied, console.stdout())
        for line in rows.run.link_failures:
            console.stdout().print(f"  link not made: {line}", markup=False)
        for outcome in outcomes:
            if outcome.outcome == "failed" or (outcome.message and outcome.outcome != "invalid"):
                console.stdout().print(
                    f"  row {outcome.row} ({outcome.ext_id}): {outcome.message}", markup=False
                )
        console.stdout().print(f"Import: {_counts_line(outcomes)}.", markup=False)
    raise_for_failures(applied)
    _raise_for_rows(outcomes, rows)


def _the_import(workspace: Workspace, mapping: Path) -> ImportDefinition:
    imports = workspace.project.imports
    if len(imports) != 1:
        raise UsageError(
            f"{mapping} holds {len(imports)} import definitions, not one",
            hint="give a file with one `kind: import` document",
        )
    return imports[0]


def _counts_line(outcomes: list[RowOutcome]) -> str:
    counted: dict[str, int] = {}
    for outcome in outcomes:
        counted[outcome.outcome] = counted.get(outcome.outcome, 0) + 1
    order = ("created", "existing", "invalid", "failed", "not created")
    words = {"existing": "already there", "invalid": "invalid (left out)"}
    return (
        ", ".join(f"{counted[o]} {words.get(o, o)}" for o in order if counted.get(o)) or "no rows"
    )


def _import_json(outcomes: list[RowOutcome], rows: ImportedIssues) -> dict[str, Any]:
    return {
        "rows": {o: sum(1 for x in outcomes if x.outcome == o) for o in
                 ("created", "existing", "invalid", "failed", "not created")},
        "issues": [
            {"row": o.row, "id": o.ext_id, "key": o.key or None, "outcome": o.outcome,
             "message": o.message or None}
            for o in outcomes
        ],
        "link_failures": list(rows.run.link_failures),
    }  # fmt: skip


def _raise_for_rows(outcomes: list[RowOutcome], rows: ImportedIssues) -> None:
    from teamcomms.errors import OperationFailed

    failed = [o for o in outcomes if o.outcome == "failed" or (o.message and o.key)]
    if failed or rows.run.link_failures:
        raise OperationFailed(
            f"{len(failed)} row(s) and {len(rows.run.link_failures)} link(s) failed; "
            "everything else was imported",
            hint="fix the cause shown above and run the import again: only what is missing is "
            "created",
        )


def write_report(path: Path, outcomes: list[RowOutcome]) -> None:
    """The report CSV: a line per row with its id, its issue's key, and what happened."""
    import csv

    from teamcomms.files import write_atomically

    lines: list[list[str]] = [list(REPORT_COLUMNS)]
    lines += [[str(o.row), o.ext_id, o.key, o.issue_id, o.outcome, o.message] for o in outcomes]
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    write_atomically(path, buffer.getvalue())


def register(app: typer.Typer) -> None:
    """Add ``import`` to the CLI."""
    app.command(
        "import",
        epilog="Example: teamcomms import backlog.csv --mapping backlog-import.yaml "
        "--report backlog-keys.csv --yes",
    )(import_issues)
