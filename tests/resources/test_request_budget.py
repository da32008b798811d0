"""How many requests plan and apply send: counted by the sandbox, for 200 pages."""

from __future__ import annotations

from pathlib import Path

from teamcomms.api import apply_plan, plan_project
from teamcomms.engine.workspace import load_workspace
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle

PAGES = 200


def many_pages(root: Path, count: int) -> Path:
    """``count`` labelled pages in space TEAM, every tenth one under the first page."""
    root.mkdir()
    (root / "teamcomms.yaml").write_text("name: Many\ndefaults: {space: TEAM}\n")
    (root / "body.md").write_text("# {{ title }}\n\nSome text about {{ title }}.\n")
    documents = []
    for n in range(count):
        parent = "parent: Page 0\n" if n and n % 10 == 0 else ""
        documents.append(
            f"kind: page\nname: page-{n}\ntitle: Page {n}\nlabels: [generated]\n{parent}"
            f"body: body.md\nvars: {{title: Page {n}}}\n"
        )
    (root / "pages.yaml").write_text("---\n".join(documents))
    return root


def test_first_apply_and_unchanged_reapply_stay_within_the_request_budget(
    tmp_path: Path, confluence: Site, sandbox_site: SandboxHandle
) -> None:
    project = load_workspace(many_pages(tmp_path / "many", PAGES))
    first = plan_project(project, confluence)
    apply_plan(first, confluence)
    writes = sum(1 for method, _, _ in sandbox_site.requests if method != "GET")
    reads = len(sandbox_site.requests) - writes
    # create (body) + labels + marker property per page; reads are the bulk listings only.
    assert writes == 3 * PAGES
    assert reads <= 10
    served = len(sandbox_site.requests)
    again = plan_project(project, confluence)
    report = apply_plan(again, confluence)
    assert report.results == ()
    assert len(sandbox_site.requests) - served <= 10
    assert all(method == "GET" for method, _, _ in sandbox_site.requests[served:])
