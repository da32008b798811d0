"""``teamcomms diagram``: a workflow as Mermaid, DOT, SVG, PNG or PDF."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teamcomms import console
from teamcomms.errors import UsageError

if TYPE_CHECKING:
    from teamcomms.render.diagram import DiagramFormat as DiagramFormatName


class DiagramFormat(StrEnum):
    """Output formats; SVG, PNG and PDF are drawn by Graphviz (which comes with teamcomms)."""

    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"
    pdf = "pdf"


def diagram(
    workflow: Annotated[
        str,
        typer.Argument(help="The workflow's name (any case), or its slug: order-fulfillment."),
    ],
    path: Annotated[
        Path, typer.Argument(help="Project folder (default: the current folder).")
    ] = Path(),
    output_format: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format",
            help="mermaid or dot (text), svg, png or pdf (images). "
            "Default: from the --out extension, else mermaid.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this file instead of stdout; its extension picks the format "
            "(.svg .png .pdf .dot .gv .mmd .mermaid).",
        ),
    ] = None,
) -> None:
    """Draw a workflow: statuses coloured by category, transitions as labelled arrows.

    Transitions from any status are dashed arrows from an "Any status" box.
    """
    from teamcomms.definitions.files import reporting_write_errors
    from teamcomms.engine.workspace import load_project
    from teamcomms.render.diagram import find_workflow, workflow_diagram

    fmt = chosen_format(output_format.value if output_format else None, out)
    found = find_workflow(load_project(path).workflows, workflow)
    if out is None and fmt in ("png", "pdf") and sys.stdout.isatty():
        raise UsageError(
            f"{fmt.upper()} is binary and stdout is a terminal", hint=f"add --out FILE.{fmt}"
        )
    result = workflow_diagram(found, fmt)
    data = result.encode() if isinstance(result, str) else result
    if out is not None:
        with reporting_write_errors("give --out a file in a folder you can write to"):
            out.write_bytes(data)
        console.stderr().print(f"Wrote the {found.name} diagram ({fmt}) to {out}", markup=False)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def chosen_format(given: str | None, out: Path | None) -> DiagramFormatName:
    """The format to write: ``--format``, else the one ``--out``'s extension names, else Mermaid.

    An ``--out`` extension that names no format, or names another format than ``--format``, is
    a usage error: ``--out x.pdf --format mermaid`` would write text into a file called .pdf.
    """
    from teamcomms.render.diagram import FILE_EXTENSIONS, FORMATS, format_for_file

    by_extension = format_for_file(out) if out is not None else None
    extensions = " ".join(FILE_EXTENSIONS)
    if out is not None and by_extension is None and given is None:
        raise UsageError(
            f"cannot tell the diagram format from the file name {str(out)!r}",
            hint=f"end --out with one of {extensions}, or give --format",
        )
    if given is not None and by_extension is not None and by_extension != given:
        raise UsageError(
            f"--out {out} names a {by_extension} file, but --format is {given}",
            hint=f"drop --format, or end --out with one of {extensions} that matches it",
        )
    wanted = given or by_extension or "mermaid"
    return next(f for f in FORMATS if f == wanted)


def register(app: typer.Typer) -> None:
    """Add ``diagram`` to the CLI."""
    app.command(
        "diagram",
        epilog='Example: teamcomms diagram "Order Fulfillment" examples/ecommerce --out order.svg',
    )(diagram)
