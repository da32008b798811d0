"""What a lost answer and search lag do to an import: a bulk create whose answer is lost is
looked up before anything is sent again; a run right after another, while search does not see
the new issues yet, finds them through the import's ledger. Nothing is created twice."""

from __future__ import annotations

from pathlib import Path

from teamcomms.api import apply_import, import_resource, plan_import
from teamcomms.engine.workspace import load_workspace
from teamcomms.imports import read_source
from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.imports.backlog import backlog
from tests.imports.conftest import issues_of
from tests.imports.test_import_backlog import assert_matches, site_issues


def import_once(project: Path, source: Path, site: Site) -> tuple[int, int]:
    """Plan and apply the backlog import; ``(issues created, rows already there)``."""
    workspace = load_workspace([project / "backlog-import.yaml"])
    rows = import_resource(workspace.project.imports[0], read_source(source, "csv"))
    plan = plan_import(workspace, site, rows)
    report = apply_import(plan, site, rows)
    assert report.ok, [r for r in report.results if r.outcome != "done"]
    assert not rows.run.failed, rows.run.failed
    outcomes = rows.outcomes(plan)
    return (
        sum(1 for o in outcomes if o.outcome == "created"),
        sum(1 for o in outcomes if o.outcome == "existing"),
    )


def test_a_bulk_create_whose_answer_is_lost_is_looked_up_not_sent_again(
    project: Path, fields: dict[str, str], site: Site, sandbox_site: SandboxHandle
) -> None:
    text, expected = backlog(120)
    source = project / "backlog.csv"
    source.write_text(text, encoding="utf-8")
    # The first two bulk creates land, and each time the connection drops before the answer.
    sandbox_site.faults.inject("reset-after", method="POST", path="/rest/api/3/issue/bulk")
    sandbox_site.faults.inject("reset-after", method="POST", path="/rest/api/3/issue/bulk")
    assert import_once(project, source, site) == (120, 0)
    assert [kind for kind, _, _ in sandbox_site.faults.injected] == ["reset-after"] * 2
    found = site_issues(sandbox_site.state, fields)  # raises on any row created twice
    for key, want in expected.items():
        assert_matches(found[key], want, key)


def test_a_run_right_after_another_finds_its_issues_despite_search_lag(
    project: Path, fields: dict[str, str], site: Site, sandbox_site: SandboxHandle
) -> None:
    text, _ = backlog(120)
    source = project / "backlog.csv"
    source.write_text(text, encoding="utf-8")
    sandbox_site.faults.configure("search-delay-ms:600000")  # search sees nothing new for 10 min
    assert import_once(project, source, site) == (120, 0)
    bulk = sandbox_site.count("POST", "/rest/api/3/issue/bulk")
    assert import_once(project, source, site) == (0, 120)
    assert sandbox_site.count("POST", "/rest/api/3/issue/bulk") == bulk
    assert len(issues_of(sandbox_site.state)) == 120
