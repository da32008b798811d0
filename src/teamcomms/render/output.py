"""Writes rendered pages to a folder: storage XHTML, HTML previews, attachments and an index."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from teamcomms.definitions.files import reporting_write_errors
from teamcomms.errors import OperationFailed
from teamcomms.render.diagram import slug
from teamcomms.render.model import RenderedPage
from teamcomms.render.preview import html_document, page_html

KIND_HEADINGS = {
    "page": "Pages",
    "template": "Templates",
    "workflow": "Workflow pages",
    "glossary": "Glossary pages",
}


@dataclass(frozen=True)
class WrittenPage:
    """Where one page's files went, relative to the output folder."""

    page: RenderedPage
    storage_file: str
    preview_file: str


@dataclass(frozen=True)
class PreviewFolder:
    """What :func:`write_preview` wrote."""

    folder: Path
    index: Path
    pages: tuple[WrittenPage, ...]


def file_stem(page: RenderedPage) -> str:
    """``template-deployment-readiness`` for ``template/deployment-readiness``."""
    kind, _, name = page.definition.partition("/")
    return f"{kind}-{slug(name)}" if name else slug(page.title)


def _stems(pages: Sequence[RenderedPage]) -> list[tuple[RenderedPage, str]]:
    """Each page with a file stem no other page has: ``Order Flow`` and ``Order-Flow`` are two
    workflows with one slug, and the second must not overwrite the first's files."""
    taken: set[str] = set()
    result = []
    for page in pages:
        stem, number = file_stem(page), 1
        while stem in taken:
            number += 1
            stem = f"{file_stem(page)}-{number}"
        taken.add(stem)
        result.append((page, stem))
    return result


def write_preview(pages: Sequence[RenderedPage], folder: Path) -> PreviewFolder:
    """Write ``STEM.xml`` (storage), ``STEM.html`` (preview), ``STEM.attachments/``, ``index.html``.

    Links between managed pages point at the other previews. Raises
    :class:`~teamcomms.errors.OperationFailed` naming the path when the folder cannot be written.
    """
    if folder.exists() and not folder.is_dir():
        raise OperationFailed(f"{folder} is a file", hint="give --out a folder")
    with reporting_write_errors("give --out a folder you can write to"):
        return _write(pages, folder)


def _write(pages: Sequence[RenderedPage], folder: Path) -> PreviewFolder:
    folder.mkdir(parents=True, exist_ok=True)
    written = [WrittenPage(p, f"{stem}.xml", f"{stem}.html") for p, stem in _stems(pages)]
    by_title = {(w.page.title, w.page.space): w.preview_file for w in written}
    by_title_only = {w.page.title: w.preview_file for w in written}

    def page_links(title: str, space: str | None) -> str | None:
        return by_title.get((title, space)) or by_title_only.get(title)

    for item in written:
        (folder / item.storage_file).write_text(item.page.storage + "\n", encoding="utf-8")
        (folder / item.preview_file).write_text(
            page_html(item.page, page_links=page_links), encoding="utf-8"
        )
        if item.page.attachments:
            attachments = folder / item.storage_file.replace(".xml", ".attachments")
            attachments.mkdir(exist_ok=True)
            for attachment in item.page.attachments:
                (attachments / attachment.filename).write_bytes(attachment.read())
    index = folder / "index.html"
    index.write_text(index_html(written), encoding="utf-8")
    return PreviewFolder(folder, index, tuple(written))


def index_html(written: Sequence[WrittenPage]) -> str:
    """The index: every rendered page with its space, parent and labels, grouped by kind."""
    sections = []
    for kind, heading in KIND_HEADINGS.items():
        rows = [w for w in written if w.page.definition.startswith(f"{kind}/")]
        if not rows:
            continue
        body = "".join(_row(w) for w in rows)
        sections.append(
            f'<h2>{heading} ({len(rows)})</h2><table class="tc-index"><tbody>'
            "<tr><th>Title</th><th>Space</th><th>Parent</th><th>Labels</th><th>Definition</th>"
            f"<th>Storage</th></tr>{body}</tbody></table>"
        )
    title = "teamcomms preview"
    intro = (
        f'<h1 class="tc-title">{title}</h1><p>{len(written)} pages rendered. Each links to its '
        "preview; <em>Storage</em> is the XHTML sent to Confluence.</p>"
    )
    return html_document(title, intro + "".join(sections), bar="teamcomms render", wide=True)


def _row(item: WrittenPage) -> str:
    page = item.page
    labels = "".join(f'<span class="tc-label">{html.escape(label)}</span>' for label in page.labels)
    cells = [
        f'<a href="{html.escape(item.preview_file)}">{html.escape(page.title)}</a>',
        html.escape(page.space or ""),
        html.escape(page.parent or "(space home)"),
        labels,
        f"<code>{html.escape(page.definition)}</code>",
        f'<a href="{html.escape(item.storage_file)}">{html.escape(item.storage_file)}</a>',
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
