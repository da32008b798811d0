"""Rendering: Markdown + Jinja to Confluence storage XHTML and to ADF, previews, workflow diagrams.

Everything here is a pure function over plain values returning frozen values; nothing talks to
a site. The publisher calls :func:`render_storage` / :func:`render_definition` for pages and
templates, :func:`markdown_to_adf` for Jira descriptions and :func:`workflow_page` for the page
that explains a workflow.
"""

from __future__ import annotations

from teamcomms.render.adf import markdown_to_adf
from teamcomms.render.model import (
    Attachment,
    LinkResolver,
    MappingLinkResolver,
    PageRef,
    RenderedPage,
)
from teamcomms.render.storage import render_storage
from teamcomms.render.templating import render_title

__all__ = [
    "Attachment",
    "LinkResolver",
    "MappingLinkResolver",
    "PageRef",
    "RenderedPage",
    "markdown_to_adf",
    "render_storage",
    "render_title",
]
