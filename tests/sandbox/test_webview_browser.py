"""The sandbox web view after applying the example, in a real headless Chromium: the page tree,
one page and one workflow, as screenshots and as the DOM a person would read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.connect import sandbox_state_file
from teamcomms.sandbox import SandboxSite, start_sandbox
from tests.browser_support import needs_chromium, png_size_and_colours, run_chromium, screenshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
pytestmark = needs_chromium


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.links: dict[str, str] = {}
        self._href: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")
        self._href = None if tag == "a" else self._href

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
            if self._href is not None and data.strip():
                self.links[data.strip()] = self._href

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxSite]:
    project = tmp_path_factory.mktemp("web") / "ecommerce"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".teamcomms"))
    applied = CliRunner().invoke(app, ["apply", str(project), "--site", "sandbox", "--yes"])
    assert applied.exit_code == 0, applied.output
    with start_sandbox(sandbox_state_file(project)) as running:
        yield running


def _look(url: str, tmp_path: Path, name: str) -> _Dom:
    """The page's DOM as Chromium built it, after checking a screenshot of it shows something."""
    shot = screenshot(url, tmp_path / f"{name}.png", tmp_path / f"profile-{name}")
    size, colours = png_size_and_colours(shot.read_bytes())
    assert size == (1200, 1600)
    assert colours > 100, f"{name}: the screenshot looks blank"
    dom = _Dom()
    dom.feed(run_chromium(url, tmp_path / f"dom-{name}", "--dump-dom"))
    return dom


def test_the_page_tree_shows_every_page_the_example_made(site: SandboxSite, tmp_path: Path) -> None:
    tree = _look(site.url + "/_sandbox/spaces/TEAM", tmp_path, "tree")
    words = tree.words
    assert "Team (TEAM)" in words
    assert f"Page tree ({len(site.state.pages_in_space('TEAM'))})" in words
    # Owned pages carry the teamcomms badge, nested under their parents, with labels.
    assert (
        "teamcomms Northwind Team Handbook v1 handbook teamcomms Glossary of store terms v1 "
        "glossary teamcomms Our customer promise v1" in words
    )
    assert "teamcomms How the Order Fulfillment workflow works v1 workflow" in words
    assert tree.links["Onboarding"].startswith("/_sandbox/pages/")


def test_a_page_shows_its_body_version_labels_and_marker(site: SandboxSite, tmp_path: Path) -> None:
    [page] = [p for p in site.state.table("pages").values() if p["title"] == "Onboarding"]
    dom = _look(f"{site.url}/_sandbox/pages/{page['id']}", tmp_path, "page")
    words = dom.words
    assert "Version 1 by Sandbox User" in words
    assert "Labels onboarding" in words
    assert '"definition": "page/onboarding-home"' in words
    assert "Home / TEAM / Team Home" in words


def test_a_workflow_page_and_a_workflow_show_their_diagrams(
    site: SandboxSite, tmp_path: Path
) -> None:
    [page] = [
        p
        for p in site.state.table("pages").values()
        if p["title"] == "How the Order Fulfillment workflow works"
    ]
    dom = _look(f"{site.url}/_sandbox/pages/{page['id']}", tmp_path, "workflow-page")
    assert "Attachments order-fulfillment-workflow.png (image/png" in dom.words
    [diagram] = dom.images
    assert (diagram.get("src") or "").startswith("data:image/png;base64,")
    workflow = _look(site.url + "/_sandbox/workflows/10200", tmp_path, "workflow")
    assert "New issues start in To Do" in workflow.words
    assert workflow.links["SHOP"] == "/_sandbox/projects/SHOP"  # a project that uses it
    [drawn] = workflow.images
    assert (drawn.get("src") or "").startswith("data:image/svg+xml;base64,")
