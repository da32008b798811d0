"""Rendering: Markdown + Jinja to Confluence storage XHTML and to ADF, previews, workflow diagrams.

Everything here is a pure function over plain values returning frozen values; nothing talks to
a site. The publisher calls :func:`render_definition` (or :func:`render_storage`) for pages and
templates, :func:`markdown_to_adf` for Jira descriptions and :func:`workflow_page` for the page
that explains a workflow, :func:`glossary_page` for a glossary's page. See ``docs/rendering.md``.

Most names below are imported on first use: importing one module of this package (the sandbox's
web view uses :mod:`teamcomms.render.preview`) must not load the Markdown parser, Jinja and the
definitions that rendering a project needs. ``workflow_page`` is imported at once (it is light):
it is also the name of its module, which would otherwise take the package attribute once loaded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from teamcomms.render.glossary_page import glossary_page
from teamcomms.render.workflow_page import workflow_page

if TYPE_CHECKING:
    from teamcomms.render.adf import markdown_to_adf
    from teamcomms.render.diagram import workflow_diagram
    from teamcomms.render.graphviz import GraphvizMissing, graphviz_available
    from teamcomms.render.model import (
        Attachment,
        LinkResolver,
        MappingLinkResolver,
        PageRef,
        RenderedPage,
    )
    from teamcomms.render.project import (
        ProjectLinkResolver,
        parse_variables,
        render_definition,
        render_project,
    )
    from teamcomms.render.storage import render_storage
    from teamcomms.render.templating import render_title
    from teamcomms.render.text_view import storage_to_text

_LAZY = {
    "markdown_to_adf": "adf",
    "workflow_diagram": "diagram",
    "GraphvizMissing": "graphviz",
    "graphviz_available": "graphviz",
    "Attachment": "model",
    "LinkResolver": "model",
    "MappingLinkResolver": "model",
    "PageRef": "model",
    "RenderedPage": "model",
    "ProjectLinkResolver": "project",
    "parse_variables": "project",
    "render_definition": "project",
    "render_project": "project",
    "render_storage": "storage",
    "render_title": "templating",
    "storage_to_text": "text_view",
}

__all__ = [
    "Attachment",
    "GraphvizMissing",
    "LinkResolver",
    "MappingLinkResolver",
    "PageRef",
    "ProjectLinkResolver",
    "RenderedPage",
    "glossary_page",
    "graphviz_available",
    "markdown_to_adf",
    "parse_variables",
    "render_definition",
    "render_project",
    "render_storage",
    "render_title",
    "storage_to_text",
    "workflow_diagram",
    "workflow_page",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teamcomms.render' has no attribute {name!r}")
    return getattr(import_module(f"teamcomms.render.{module}"), name)
