"""Workflow diagrams and the page that explains a workflow."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from teamcomms.render.diagram import GraphvizMissing, graphviz_available, workflow_diagram
from teamcomms.render.workflow_page import workflow_page
from tests.render.support import GOLDEN, parse_storage, storage_text
from tests.render.workflows import ORDER_FULFILLMENT

needs_graphviz = pytest.mark.skipif(
    not graphviz_available(), reason="Graphviz `dot` is not installed (apt-get install graphviz)"
)


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


@needs_graphviz
def test_svg_shows_every_status_and_the_any_status_box() -> None:
    svg = workflow_diagram(ORDER_FULFILLMENT, "svg")
    assert isinstance(svg, bytes)
    root = ET.fromstring(svg)  # noqa: S314 (Graphviz output)
    texts = {t.strip() for t in root.itertext() if t.strip()}
    assert {"Awaiting Payment", "Picking", "Delivered", "Any status", "Cancel"} <= texts
    assert "#e3fcef" in svg.decode().lower()


@needs_graphviz
def test_png_is_a_png() -> None:
    png = workflow_diagram(ORDER_FULFILLMENT, "png")
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_without_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(GraphvizMissing) as error:
        workflow_diagram(ORDER_FULFILLMENT, "svg")
    assert "apt-get install graphviz" in error.value.format()
    assert "--format mermaid" in error.value.format()


@needs_graphviz
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


def test_workflow_page_without_graphviz_embeds_the_mermaid_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    page = workflow_page(ORDER_FULFILLMENT)
    assert page.attachments == ()
    text = storage_text(page.storage)
    assert "Graphviz" in text
    assert "flowchart TD" in text
    assert "Label printed & parcel handed over" in text


def test_workflow_page_storage_matches_golden() -> None:
    page = workflow_page(ORDER_FULFILLMENT, image=None)
    _golden("order-fulfillment-page.xml", page.storage + "\n")
    assert Path(GOLDEN / "order-fulfillment-page.xml").exists()
