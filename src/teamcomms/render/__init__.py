"""Rendering: Markdown + Jinja to Confluence storage XHTML and to ADF, previews, workflow diagrams.

Everything here is a pure function over plain values returning frozen values; nothing talks to
a site. The publisher calls :func:`render_definition` (or :func:`render_storage`) for pages and
templates, :func:`markdown_to_adf` for Jira descriptions and :func:`workflow_page` for the page
that explains a workflow. See ``docs/rendering.md``.
"""

from __future__ import annotations

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
from teamcomms.render.workflow_page import workflow_page

__all__ = [
    "Attachment",
    "GraphvizMissing",
    "LinkResolver",
    "MappingLinkResolver",
    "PageRef",
    "ProjectLinkResolver",
    "RenderedPage",
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
