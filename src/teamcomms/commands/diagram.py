"""``teamcomms diagram``: a workflow as Mermaid, DOT, SVG or PNG."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console
from teamcomms.errors import UsageError


class DiagramFormat(StrEnum):
    """Output formats; SVG and PNG need Graphviz."""

    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"


_SUFFIXES = {".mmd": "mermaid", ".mermaid": "mermaid", ".dot": "dot", ".gv": "dot"}
_SUFFIXES |= {".svg": "svg", ".png": "png"}


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
            help="mermaid or dot (text, need nothing), svg or png (need Graphviz). "
            "Default: from the --out suffix, else mermaid.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Draw a workflow: statuses coloured by category, transitions as labelled arrows.

    Transitions from any status are dashed arrows from an "Any status" box.
    """
    from teamcomms.definitions.files import reporting_write_errors
    from teamcomms.engine.workspace import load_project
    from teamcomms.render.diagram import FORMATS, find_workflow, workflow_diagram

    found = find_workflow(load_project(path).workflows, workflow)
    fmt = output_format.value if output_format else None
    if fmt is None:
        fmt = _SUFFIXES.get(out.suffix.lower(), "mermaid") if out else "mermaid"
    result = workflow_diagram(found, next(f for f in FORMATS if f == fmt))
    data = result.encode() if isinstance(result, str) else result
    if out is not None:
        with reporting_write_errors("give --out a file in a folder you can write to"):
            out.write_bytes(data)
        console.stderr().print(f"Wrote the {found.name} diagram ({fmt}) to {out}", markup=False)
    elif fmt == "png" and sys.stdout.isatty():
        raise UsageError("PNG is binary and stdout is a terminal", hint="add --out FILE.png")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add ``diagram`` to the CLI."""
    app.command(
        "diagram",
        epilog='Example: teamcomms diagram "Order Fulfillment" examples/ecommerce --out order.svg',
    )(diagram)
