"""``teamcomms schema``: the JSON Schema of the definition format, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console


def schema(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="One kind (workflow, field, filter, board, checklist, hire, template, page, "
            "standup, report, glossary, import) or 'project' for teamcomms.yaml. Default: any "
            "YAML file of a project.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the definition format, generated from the models.

    Without --kind the schema accepts any definition (a oneOf over kinds, chosen by `kind`)
    and the project file, so one schema serves every YAML file of a project.
    """
    from teamcomms.definitions import json_schema
    from teamcomms.definitions.files import reporting_write_errors

    text = json.dumps(json_schema(kind), indent=2) + "\n"
    if out is None:
        console.stdout().out(text, end="", highlight=False)
        return
    with reporting_write_errors("give --out a file in a folder you can write to"):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    console.stderr().print(f"wrote {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``schema`` to the CLI."""
    app.command(
        "schema",
        epilog="Example: teamcomms schema --out .teamcomms/schema.json",
    )(schema)
