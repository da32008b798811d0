"""The HTML preview of storage XHTML (without a browser)."""

from __future__ import annotations

from pathlib import Path

from teamcomms.render.model import Attachment, RenderedPage
from teamcomms.render.output import write_preview
from teamcomms.render.preview import page_html, storage_to_html
from teamcomms.render.storage import render_storage
from tests.render.support import LINKS

SOURCE = Path("/project/docs/page.md")


def _html(markdown: str, **variables: object) -> str:
    storage = render_storage(
        markdown, variables, source=SOURCE, links=LINKS, placeholders=("release",)
    ).storage
    return storage_to_html(
        storage, page_links=lambda title, space: "page-x.html" if title == "Onboarding" else None
    )


def test_a_hostile_value_stays_text_in_the_preview() -> None:
    html = _html("Hi {{ name }}", name="<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_macros_become_styled_elements() -> None:
    html = _html(
        "[[toc]]\n\n# Release {{ release }}\n\n{status:green|Done} [[jira:OPS-1]]\n\n"
        ":::warning Careful\nbody\n:::\n\n- [x] done\n- [ ] open\n"
    )
    assert '<a href="#h-1">Release {release}</a>' in html
    assert '<h1 id="h-1">Release <span class="tc-placeholder"' in html
    assert '<span class="tc-status tc-status-green">Done</span>' in html
    assert '<span class="tc-jira" title="Jira issue">OPS-1</span>' in html
    assert (
        '<div class="tc-panel tc-panel-warning"><div class="tc-panel-title">Careful</div>' in html
    )
    assert '<li class="tc-task tc-task-done"><input type="checkbox" disabled checked>' in html


def test_links_to_previewed_pages_open_the_preview_and_others_are_marked() -> None:
    html = _html("[a](page:onboarding-home#week-1) [b](page:deployment-readiness)")
    assert '<a href="page-x.html#week-1">a</a>' in html
    assert '<a class="tc-unresolved" title="Confluence page: Deployment readiness">b</a>' in html


def test_attachments_are_embedded_so_the_preview_is_self_contained() -> None:
    page = RenderedPage(
        title="T",
        storage='<ac:image ac:alt="x"><ri:attachment ri:filename="a.png"/></ac:image>',
        attachments=(Attachment("a.png", "image/png", data=b"\x89PNG"),),
        space="TEAM",
        parent="Home",
        labels=("one",),
    )
    html = page_html(page)
    assert '<img alt="x" src="data:image/png;base64,iVBORw==">' in html
    assert "TEAM / Home" in html
    assert '<span class="tc-label">one</span>' in html
    assert "<link" not in html


def test_two_workflows_with_one_slug_get_their_own_preview_files(tmp_path: Path) -> None:
    pages = [
        RenderedPage(
            title=f"How the {name} workflow works",
            storage=f"<p>{name}</p>",
            definition=f"workflow/{name}",
        )
        for name in ("Order Flow", "Order-Flow")
    ]
    result = write_preview(pages, tmp_path)
    files = [written.preview_file for written in result.pages]
    assert files == ["workflow-order-flow.html", "workflow-order-flow-2.html"]
    assert "<p>Order-Flow</p>" in (tmp_path / "workflow-order-flow-2.html").read_text()
    assert "<p>Order Flow</p>" in (tmp_path / "workflow-order-flow.html").read_text()
