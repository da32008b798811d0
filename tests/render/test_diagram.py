"""Workflow diagrams and the page that explains a workflow."""

from __future__ import annotations

import os
import stat
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from teamcomms.render.diagram import to_dot, workflow_diagram
from teamcomms.render.graphviz import DiagramFailed, GraphvizMissing, draw, graphviz_backend
from teamcomms.render.workflow_page import workflow_page
from tests.render.graphviz_support import remove_graphviz
from tests.render.support import GOLDEN, parse_storage, storage_text
from tests.render.workflows import ORDER_FULFILLMENT


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_mermaid_matches_golden() -> None:
    text = workflow_diagram(ORDER_FULFILLMENT, "mermaid")
    assert isinstance(text, str)
    assert 'any_status -.->|"Cancel"| s4' in text
    assert 's3["Delivered"]:::done' in text
    _golden("order-fulfillment.mmd", text)


def test_dot_matches_golden() -> None:
    text = workflow_diagram(ORDER_FULFILLMENT, "dot")
    assert isinstance(text, str)
    assert 'any -> s4 [label="Cancel", style=dashed];' in text
    _golden("order-fulfillment.dot", text)


def test_svg_shows_every_status_and_the_any_status_box() -> None:
    svg = workflow_diagram(ORDER_FULFILLMENT, "svg")
    assert isinstance(svg, bytes)
    root = ET.fromstring(svg)  # noqa: S314 (Graphviz output)
    texts = {t.strip() for t in root.itertext() if t.strip()}
    assert {"Awaiting Payment", "Picking", "Delivered", "Any status", "Cancel"} <= texts
    assert "#e3fcef" in svg.decode().lower()


def test_png_and_pdf_are_drawn_by_the_bundled_graphviz_without_a_dot_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert graphviz_backend() == "pygraphviz"
    png = workflow_diagram(ORDER_FULFILLMENT, "png")
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # The same drawing every time: the page's attachment is compared by its hash.
    assert workflow_diagram(ORDER_FULFILLMENT, "png") == png
    pdf = workflow_diagram(ORDER_FULFILLMENT, "pdf")
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-")


def test_drawing_keeps_graphviz_chatter_off_the_terminal(
    capfd: pytest.CaptureFixture[str],
) -> None:
    draw('digraph { a [shape=nosuchshape]; a -> b [label="x"]; }', "svg")
    assert capfd.readouterr().err == ""


def test_dot_that_graphviz_refuses_names_graphvizs_error() -> None:
    with pytest.raises(DiagramFailed) as error:
        draw("digraph { a -> }", "png")
    assert error.value.format().splitlines() == [
        "Graphviz could not draw the diagram: Error: syntax error in line 1 near '}'",
        "  hint: run `teamcomms diagram WORKFLOW --format dot` and check the DOT text",
    ]


def _dot_program(folder: Path) -> None:
    """A ``dot`` program on the PATH that draws like Graphviz's (it is Graphviz underneath),
    for the fallback where pygraphviz cannot be imported."""
    program = folder / "dot"
    program.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "import pygraphviz\n"
        "fmt = sys.argv[1].removeprefix('-T')\n"
        "try:\n"
        "    graph = pygraphviz.AGraph(string=sys.stdin.read())\n"
        "except ValueError:\n"
        "    sys.stderr.write('Error: <stdin>: syntax error\\n')\n"
        "    sys.exit(1)\n"
        "sys.stdout.buffer.write(graph.draw(format=fmt, prog='dot'))\n",
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


def test_without_pygraphviz_the_dot_program_draws(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _dot_program(tmp_path)
    remove_graphviz(monkeypatch, keep_dot_program=True)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert graphviz_backend() == "dot"
    svg = draw(to_dot(ORDER_FULFILLMENT), "svg")
    assert b"Awaiting Payment" in svg
    with pytest.raises(DiagramFailed) as error:
        draw("digraph { a -> }", "svg")
    message = str(error.value)
    assert message.startswith("Graphviz could not draw the diagram: ")
    assert message.endswith("Error: <stdin>: syntax error")


def test_svg_without_any_graphviz_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    remove_graphviz(monkeypatch)
    assert graphviz_backend() is None
    with pytest.raises(GraphvizMissing) as error:
        workflow_diagram(ORDER_FULFILLMENT, "svg")
    assert error.value.format().splitlines() == [
        "Graphviz is not available: pygraphviz cannot be imported and there is no `dot` "
        "program on the PATH",
        "  hint: reinstall teamcomms so that its `pygraphviz` dependency is installed "
        "(`pip install --force-reinstall teamcomms`), or install Graphviz (Debian/Ubuntu: "
        "`sudo apt-get install graphviz`, macOS: `brew install graphviz`, Windows: "
        "`winget install graphviz`); --format mermaid or dot need neither",
    ]


def test_workflow_page_attaches_the_diagram_and_lists_statuses_and_transitions() -> None:
    page = workflow_page(ORDER_FULFILLMENT)
    assert page.title == "How the Order Fulfillment workflow works"
    [attachment] = page.attachments
    assert attachment.filename == "order-fulfillment-workflow.png"
    assert attachment.read().startswith(b"\x89PNG")
    root = parse_storage(page.storage)
    image = root.find(".//{http://atlassian.com/resource/identifier}attachment")
    assert image is not None
    assert image.get("{http://atlassian.com/resource/identifier}filename") == attachment.filename
    rows = ["|".join(cell.itertext()) for cell in root.iter("tr")]
    assert 'Delivered|Green|Done|Carrier said "delivered" <signed>' in rows
    assert "Cancel|Any status|Cancelled|Customer or fraud check cancelled" in rows
    assert page.warnings == ()


def test_workflow_page_without_graphviz_embeds_the_mermaid_source_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remove_graphviz(monkeypatch)
    page = workflow_page(ORDER_FULFILLMENT)
    assert page.attachments == ()
    text = storage_text(page.storage)
    assert "could not be drawn" in text
    assert "flowchart TD" in text
    assert "Label printed & parcel handed over" in text
    [warning] = page.warnings
    assert warning.startswith(
        "the diagram was not drawn, the page shows its Mermaid source: Graphviz is not available"
    )


def test_workflow_page_whose_drawing_fails_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(dot: str, fmt: str) -> bytes:
        raise DiagramFailed("Error: out of memory")

    monkeypatch.setattr(sys.modules[workflow_page.__module__], "draw", refuse)
    page = workflow_page(ORDER_FULFILLMENT)
    assert page.attachments == ()
    assert page.warnings == (
        "the diagram was not drawn, the page shows its Mermaid source: "
        "Graphviz could not draw the diagram: Error: out of memory (hint: run `teamcomms "
        "diagram WORKFLOW --format dot` and check the DOT text)",
    )
    with pytest.raises(DiagramFailed):
        workflow_page(ORDER_FULFILLMENT, image="png")


def test_workflow_page_storage_matches_golden() -> None:
    page = workflow_page(ORDER_FULFILLMENT, image=None)
    _golden("order-fulfillment-page.xml", page.storage + "\n")
    assert Path(GOLDEN / "order-fulfillment-page.xml").exists()
