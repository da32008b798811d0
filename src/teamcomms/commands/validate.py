"""``teamcomms validate``: check definitions and report every problem, then a summary."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console
from teamcomms.errors import TeamcommsError

VALIDATE_FORMAT_VERSION = 1
"""Version of ``validate --format json``'s document (docs/commands-definitions.md); raised on a
change that breaks its readers."""


class OutputFormat(StrEnum):
    """How ``validate`` prints its report."""

    text = "text"
    json = "json"


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Project folders or definition files (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
    ] = OutputFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too (lint findings among them).")
    ] = False,
) -> None:
    """Check the definitions and print every problem, sorted by file and line.

    Once there are no errors, the plain-language checks of `teamcomms lint` run too (all but
    readability, which `lint` reports) and their findings are warnings.
    Exit code 0 when there are no errors (warnings allowed unless --strict), 1 otherwise.
    Nothing is sent to a site.
    """
    from dataclasses import replace

    from teamcomms.definitions.report import summary, validation_json
    from teamcomms.engine.workspace import validate_project
    from teamcomms.lint import lint_paths

    given = paths or [Path()]
    validation = validate_project(given)
    if not validation.errors:
        _, report = lint_paths(given, validation, readability=False)
        problems = tuple(sorted((*validation.problems, *report.problems)))
        validation = replace(validation, problems=problems)
    if output is OutputFormat.json:
        document = {"format_version": VALIDATE_FORMAT_VERSION, **validation_json(validation)}
        console.stdout().print_json(json.dumps(document))
    else:
        for problem in validation.problems:
            style = "red" if problem.severity == "error" else "yellow"
            console.stderr().print(problem.format(), style=style, markup=False)
        console.stdout().print(summary(validation), markup=False)
    errors = len(validation.errors)
    if errors:
        raise TeamcommsError(
            f"{errors} {'error' if errors == 1 else 'errors'} in the definitions",
            hint="fix them and run `teamcomms validate` again",
        )
    warnings = len(validation.problems)
    if strict and warnings:
        raise TeamcommsError(
            f"{warnings} {'warning' if warnings == 1 else 'warnings'} (--strict)",
            hint="fix them, or switch a lint rule off where it does not fit (see docs/lint.md)",
        )


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command(
        "validate",
        epilog="Example: teamcomms validate examples/ecommerce --format json",
    )(validate)
