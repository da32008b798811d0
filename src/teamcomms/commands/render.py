"""``teamcomms render``: storage XHTML and HTML previews of every page, template and workflow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console


def render(
    path: Annotated[
        Path,
        typer.Argument(
            help="Project folder (default: the current folder), or one definition file of it."
        ),
    ] = Path(),
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the .xml, .html and index.html files.")
    ] = Path("preview"),
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            help="NAME=VALUE for template and page variables; repeat it. Dots nest: hire.name=Ada.",
        ),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open index.html in the web browser afterwards.")
    ] = False,
) -> None:
    """Render every page, template, workflow page and glossary page offline, without a site.

    Writes the Confluence storage XHTML (.xml) and a self-contained preview (.html) per page,
    and index.html listing them with space, parent and labels. Template variables without a
    value show as {name}. Prints the path of index.html.
    """
    from teamcomms.engine.workspace import load_project
    from teamcomms.render.output import write_preview
    from teamcomms.render.project import parse_variables, render_project, unused_variables

    values = parse_variables(var or [])
    project = load_project(path)
    only = None
    if path.is_file():
        # Render that file's definitions; links resolve against its whole project.
        only = {definition.identity for definition in project.all()}
        project = load_project(project.root)
    for problem in project.warnings:
        console.stderr().print(problem.format(), style="yellow", markup=False)
    for warning in unused_variables(project, values):
        console.stderr().print(f"warning: {warning}", style="yellow", markup=False)
    result = write_preview(render_project(project, values, only=only), out)
    counts = dict.fromkeys(("page", "template", "workflow", "glossary"), 0)
    for written in result.pages:
        counts[written.page.definition.split("/")[0]] += 1
    plural = {"glossary": "glossaries"}
    summary = ", ".join(
        f"{n} {kind if n == 1 else plural.get(kind, kind + 's')}" for kind, n in counts.items()
    )
    console.stderr().print(f"Rendered {summary} to {out}", markup=False)
    for written in result.pages:
        for warning in written.page.warnings:
            console.stderr().print(
                f"warning: {written.page.definition} ({written.preview_file}): {warning}",
                style="yellow",
                markup=False,
            )
    console.stdout().print(str(result.index), markup=False, soft_wrap=True)
    if open_browser:
        import webbrowser

        if not webbrowser.open(result.index.resolve().as_uri()):
            console.stderr().print(
                f"note: no web browser could be opened here; open {result.index} yourself",
                style="yellow",
                markup=False,
            )


def register(app: typer.Typer) -> None:
    """Add ``render`` to the CLI."""
    app.command(
        "render",
        epilog="Example: teamcomms render examples/ecommerce --out preview/ --var release=2.4",
    )(render)
