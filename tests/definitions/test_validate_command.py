"""`teamcomms validate` as a user runs it: exit codes, summary, warnings, JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pytest import MonkeyPatch
from typer.testing import CliRunner

from teamcomms.cli import app

runner = CliRunner()


def test_a_valid_project_prints_the_summary_and_exits_0(project_dir: Path) -> None:
    result = runner.invoke(app, ["validate", str(project_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "1 workflow, 0 fields, 1 filter, 1 board, 1 checklist, 1 hire, 2 templates, 1 page, "
        "0 standups, 0 reports, 0 glossaries, 0 imports (8 definitions); 0 errors, 0 warnings"
    )
    assert result.stderr == ""


def test_warnings_alone_exit_0_and_are_printed(project_dir: Path) -> None:
    text = (project_dir / "workflows.yaml").read_text()
    (project_dir / "workflows.yaml").write_text(
        text.replace(
            "  - {name: Delivered, category: done}",
            "  - {name: Delivered, category: done}\n  - {name: On Hold, category: todo}",
        ).replace("  - {name: Cancel, from: any, to: Delivered}\n", "")
    )
    result = runner.invoke(app, ["validate", str(project_dir)])
    assert result.exit_code == 0, result.output
    assert "warning: workflow 'Order Fulfillment' statuses[3]: status 'On Hold'" in result.stderr
    assert result.stdout.strip().endswith("0 errors, 2 warnings")


def test_json_format_lists_problems_with_positions(project_dir: Path) -> None:
    text = (project_dir / "workflows.yaml").read_text()
    (project_dir / "workflows.yaml").write_text(text.replace("type: kanban", "type: kanbn"))
    result = runner.invoke(app, ["validate", str(project_dir), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] == 1
    [problem] = report["problems"]
    assert problem["file"].endswith("workflows.yaml")
    assert (problem["line"], problem["column"]) == (22, 7)
    assert problem["definition"] == "board 'Fulfillment'"
    assert problem["path"] == "type"
    assert problem["hint"] == "did you mean 'kanban'?"


def test_problems_are_sorted_by_file_and_line_across_files(project_dir: Path) -> None:
    (project_dir / "workflows.yaml").write_text(
        (project_dir / "workflows.yaml").read_text().replace("to: Picking", "to: Pickng")
    )
    (project_dir / "onboarding.yaml").write_text(
        (project_dir / "onboarding.yaml").read_text().replace("due: 3bd", "due: soon")
    )
    result = runner.invoke(app, ["validate", str(project_dir)])
    assert result.exit_code == 1
    located = [line.split(": ")[0] for line in result.stderr.splitlines() if ": error: " in line]
    assert [entry.rsplit("/", 1)[-1] for entry in located] == [
        "onboarding.yaml:9:56",
        "workflows.yaml:10:58",
    ]


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    # A symlink loop cannot be read even by root, unlike a chmod 000 file.
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "loop.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("loop.yaml: error: cannot read file: ")
    assert "Traceback" not in result.output


def test_one_file_of_a_project_is_checked_against_the_whole_project(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    """As a pre-commit hook runs it: references to other files of the project resolve."""
    example = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
    shutil.copytree(example, tmp_path / "shop")
    monkeypatch.chdir(tmp_path / "shop")
    files = ["jira/boards.yaml", "onboarding/storefront-developer.yaml", "docs/pages.yaml"]
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert "(18 definitions); 0 errors" in result.stdout
    boards = Path("jira/boards.yaml")
    boards.write_text(boards.read_text().replace("filter: QA board", "filter: QA bord"))
    result = runner.invoke(app, ["validate", "jira/boards.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "jira/boards.yaml:41:9: error: board 'QA' filter: filter 'QA bord' is not defined: "
        "did you mean 'QA board'?"
    )
