"""The HTML preview, loaded in a real headless Chromium: what a person would see."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from teamcomms.definitions import load_project
from teamcomms.render.output import write_preview
from teamcomms.render.project import render_project
from tests.browser_support import needs_chromium, run_chromium

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
pytestmark = needs_chromium


class _Visible(HTMLParser):
    """Text of a DOM outside <style>/<script>, and the elements seen, by tag and class."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def with_class(self, css: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if css in (a.get("class") or "").split()]


def _dom(page: Path, profile: Path) -> _Visible:
    visible = _Visible()
    visible.feed(run_chromium(page.resolve().as_uri(), profile, "--dump-dom"))
    return visible


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    write_preview(render_project(load_project(EXAMPLE), {"release": "2027.03.2"}), out)
    return out


def test_the_index_lists_every_page_with_space_parent_and_labels(
    preview: Path, tmp_path: Path
) -> None:
    dom = _dom(preview / "index.html", tmp_path)
    text = " ".join(" ".join(dom.text).split())
    assert "24 pages rendered" in text
    assert "Deployment readiness: 2027.03.2 ENG Releases deployment checklist storefront" in text
    assert "How the Order Fulfillment workflow works TEAM" in text
    links = {a.get("href") for tag, a in dom.elements if tag == "a"}
    assert "template-deployment-readiness.html" in links


def test_a_template_page_shows_panels_tasks_code_and_placeholders(
    preview: Path, tmp_path: Path
) -> None:
    dom = _dom(preview / "template-deployment-readiness.html", tmp_path)
    text = " ".join(" ".join(dom.text).split())
    assert "Deployment readiness: 2027.03.2" in text
    assert "No storefront releases on Fridays" in text
    assert [p.get("title") for p in dom.with_class("tc-placeholder")][:1] == ["Template variable"]
    assert "{release_date}" in text
    assert len(dom.with_class("tc-task")) >= 10
    assert dom.with_class("tc-panel-note")
    assert dom.with_class("tc-code")
    checkboxes = [a for tag, a in dom.elements if tag == "input" and a.get("type") == "checkbox"]
    assert len(checkboxes) == len(dom.with_class("tc-task"))


def test_the_workflow_page_shows_the_diagram_and_lozenges(preview: Path, tmp_path: Path) -> None:
    dom = _dom(preview / "workflow-order-fulfillment.html", tmp_path)
    text = " ".join(" ".join(dom.text).split())
    assert "How the Order Fulfillment workflow works" in text
    assert "Statuses" in text
    assert "Transitions" in text
    lozenges = {" ".join((a.get("class") or "").split()) for a in dom.with_class("tc-status")}
    assert {
        "tc-status tc-status-grey",
        "tc-status tc-status-blue",
        "tc-status tc-status-green",
    } <= lozenges
    images = [a for tag, a in dom.elements if tag == "img"]
    assert images
    assert (images[0].get("src") or "").startswith("data:image/png;base64,")
    assert "flowchart TD" not in text


_MEASURE = """<script>
(() => {
const body = document.body;
const lineRects = (element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return [...range.getClientRects()];
};
const wrapped = [...document.querySelectorAll("li.tc-task")].find(
  (li) => li.getBoundingClientRect().height > 40);
if (wrapped) {
  const lines = lineRects(wrapped.querySelector(".tc-task-body"));
  const box = wrapped.querySelector("input").getBoundingClientRect();
  body.dataset.hang = String(Math.round(Math.min(...lines.map((r) => r.left)) - box.right));
}
const empty = document.querySelector("td:empty");
if (empty) {
  const header = empty.closest("table").querySelector("th");
  body.dataset.emptyRow = String(Math.round(empty.offsetHeight - header.offsetHeight));
}
const panelElement = document.querySelector(".tc-panel");
if (panelElement) {
  const panel = panelElement.getBoundingClientRect();
  const kids = panelElement.children;
  const above = kids[0].getBoundingClientRect().top - panel.top;
  const below = panel.bottom - kids[kids.length - 1].getBoundingClientRect().bottom;
  body.dataset.panelSlack = String(Math.round(Math.abs(below - above)));
}
const code = document.querySelector(".tc-code pre code");
if (code) {
  const starts = new Map();
  for (const r of lineRects(code)) {
    const top = Math.round(r.top);
    starts.set(top, Math.min(starts.get(top) ?? r.left, r.left));
  }
  const lefts = [...starts.values()];
  body.dataset.codeLines = String(lefts.length);
  body.dataset.codeIndent = String(Math.round(Math.max(...lefts) - Math.min(...lefts)));
}
})();
</script>"""


def _measure(page: Path, tmp_path: Path) -> dict[str, str | None]:
    """The page's layout figures, as the script above measures them in Chromium."""
    measured = tmp_path / f"measured-{page.name}"
    html = page.read_text(encoding="utf-8")
    measured.write_text(html.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    profile = tmp_path / f"profile-{page.stem}"
    [body] = [a for tag, a in _dom(measured, profile).elements if tag == "body"]
    return body


def test_preview_layout_is_like_confluence(preview: Path, tmp_path: Path) -> None:
    """Wrapped task text hangs right of its checkbox, an empty table row keeps its height, a
    panel has the same space above and below its text, and code lines start at one margin."""
    readiness = _measure(preview / "template-deployment-readiness.html", tmp_path)
    assert int(readiness["data-hang"] or "-99") > 0
    assert int(readiness["data-empty-row"] or "-99") >= -4
    assert int(readiness["data-panel-slack"] or "99") <= 2
    setup = _measure(preview / "page-storefront-dev-setup.html", tmp_path)
    assert int(setup["data-code-lines"] or "0") > 1
    assert int(setup["data-code-indent"] or "99") == 0
