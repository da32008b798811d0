"""``teamcomms lint``: plain-language checks of pages, templates, workflows and checklists."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.errors import DefinitionError, TeamcommsError

if TYPE_CHECKING:
    from teamcomms.lint import LintReport


class LintFormat(StrEnum):
    """How ``lint`` prints its findings."""

    text = "text"
    json = "json"
    github = "github"


def _print_text(report: LintReport) -> None:
    from rich.table import Table

    from teamcomms.lint.output import summary

    out = console.stdout()
    for problem in report.problems:
        out.print(problem.format(), style="yellow", markup=False)
    if report.scores:
        table = Table(title="Readability (Flesch reading ease: higher is easier)", box=None)
        for column in ("page", "reading ease", "US grade", "words"):
            table.add_column(column, justify="left" if column == "page" else "right")
        for score in sorted(report.scores, key=lambda s: s.reading_ease):
            table.add_row(
                score.definition,
                f"{score.reading_ease:g}",
                f"{score.grade:g}",
                str(score.words),
            )
        out.print(table)
    out.print(summary(report), markup=False)


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Project folder (default: the current folder), definition files or Markdown "
            "bodies of it.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there is any finding.")
    ] = False,
    output: Annotated[
        LintFormat,
        typer.Option(
            "--format", help="text (for people), json (for tools) or github (CI annotations)."
        ),
    ] = LintFormat.text,
) -> None:
    """Check the team's texts for jargon, undefined acronyms, long sentences, passive voice,
    readability and vague link text.

    Reads page and template bodies (positions in the Markdown), checklist items and workflow,
    status and transition descriptions (positions in the YAML). Findings are warnings with a
    rule id and a suggested rewrite; exit code 0 unless --strict and there is a finding.
    Switch rules off in teamcomms.yaml (lint: disable: [...]), per definition (lint:), or per
    line with <!-- teamcomms-lint: disable=RULE --> or # teamcomms-lint: disable=RULE.
    """
    from teamcomms.lint import lint_paths
    from teamcomms.lint.output import github_annotation, report_json

    validation, report = lint_paths(paths or [Path()])
    if validation.errors:
        raise DefinitionError(validation.problems)
    if output is LintFormat.json:
        console.stdout().print_json(json.dumps(report_json(report)))
    elif output is LintFormat.github:
        for problem in report.problems:
            console.stdout().out(github_annotation(problem), highlight=False)
    else:
        _print_text(report)
    if strict and report.problems:
        count = len(report.problems)
        raise TeamcommsError(
            f"{count} lint {'finding' if count == 1 else 'findings'} (--strict)",
            hint="rewrite the text as suggested, or switch the rule off where it does not fit "
            "(see `teamcomms lint --help`)",
        )


def register(app: typer.Typer) -> None:
    """Add ``lint`` to the CLI."""
    app.command(
        "lint",
        epilog="Example: teamcomms lint examples/ecommerce --strict --format github",
    )(lint)
