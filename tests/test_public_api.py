"""The public API named in ``teamcomms.__all__`` works as its docstring shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import teamcomms
from teamcomms.site.http import HttpPolicy

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"


def test_every_public_name_resolves() -> None:
    for name in teamcomms.__all__:
        assert getattr(teamcomms, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = teamcomms.no_such_thing


def test_load_plan_apply_then_nothing_to_do(tmp_path: Path) -> None:
    project_dir = shutil.copytree(
        EXAMPLE, tmp_path / "shop", ignore=shutil.ignore_patterns(".teamcomms")
    )
    project = teamcomms.load_project(project_dir)
    now = [0.0]

    def sleep(seconds: float) -> None:  # write pacing waits on this clock, not for real
        now[0] += seconds

    policy = HttpPolicy(sleeper=sleep, clock=lambda: now[0])
    with teamcomms.open_site(
        "sandbox", project=project, project_dir=project_dir, policy=policy
    ) as site:
        plan = teamcomms.plan_project(project, site)
        assert plan.has_changes
        report = teamcomms.apply_plan(plan, site)
        assert report.ok
        assert [r.outcome for r in report.results] == ["done"] * 105
    with teamcomms.open_site("sandbox", project=project, project_dir=project_dir) as site:
        assert not teamcomms.plan_project(project, site).has_changes


def test_bad_definitions_raise_a_definition_error_with_positions(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\n")
    (tmp_path / "w.yaml").write_text("kind: workflow\nname: W\nstatusses: []\n")
    with pytest.raises(teamcomms.DefinitionError) as error:
        teamcomms.load_project(tmp_path)
    assert any(
        p.line == 3 and "statuses" in (p.message + (p.hint or "")) for p in error.value.problems
    )


def test_all_names_exactly_the_lazy_exports() -> None:
    assert set(teamcomms.__all__) == {"__version__", *teamcomms._LAZY}


def test_paths_may_be_given_as_strings() -> None:
    from_text = teamcomms.load_project(str(EXAMPLE))
    assert from_text.counts() == teamcomms.load_project(EXAMPLE).counts()
    several = teamcomms.validate_project([str(EXAMPLE / "workflows"), EXAMPLE / "jira"])
    assert several.project.workflows and several.project.boards
