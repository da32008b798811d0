"""The ``render`` and ``diagram`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.errors import ExitCode
from teamcomms.render.diagram import graphviz_available
from tests.render.support import parse_storage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ecommerce"
runner = CliRunner()


def test_render_writes_storage_previews_and_an_index(tmp_path: Path) -> None:
    out = tmp_path / "preview"
    result = runner.invoke(
        app, ["render", str(EXAMPLE), "--out", str(out), "--var", "release=2027.03.2"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "index.html")
    assert "Rendered 11 pages, 7 templates, 5 workflows" in result.stderr
    storage = (out / "template-deployment-readiness.xml").read_text(encoding="utf-8")
    parse_storage(storage)
    assert '<at:var at:name="release_date"/>' in storage
    preview = (out / "template-deployment-readiness.html").read_text(encoding="utf-8")
    assert "Deployment readiness: 2027.03.2" in preview
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Deployment readiness: 2027.03.2" in index
    assert 'href="workflow-order-fulfillment.html"' in index
    assert "How the Order Fulfillment workflow works" in index
    for xml_file in out.glob("*.xml"):
        parse_storage(xml_file.read_text(encoding="utf-8"))


def test_render_reports_template_errors_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\ndefaults: {space: TEAM}\n")
    (tmp_path / "pages.yaml").write_text(
        "kind: page\nname: home\ntitle: Home\nbody: home.md\nvars: {store: N}\n"
    )
    # A link made by Jinja is only known when rendering; validate cannot see it.
    (tmp_path / "home.md").write_text("# {{ store }}\n\nSee [x](page:{{ 'missing-page' }}).\n")
    result = runner.invoke(app, ["render", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'home.md'}:3: error: page 'home': link to unknown page `missing-page`"
        in result.stderr
    )


@pytest.mark.parametrize("below", ["", "sub"])
def test_render_into_a_file_or_below_one_names_it_without_a_traceback(
    tmp_path: Path, below: str
) -> None:
    (tmp_path / "taken").write_text("a file\n")
    out = tmp_path / "taken" / below if below else tmp_path / "taken"
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    assert str(tmp_path / "taken") in result.stderr


def test_diagram_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "order.mmd"
    result = runner.invoke(app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 1
    assert f"cannot write {out}: No such file or directory" in result.stderr


def test_diagram_prints_mermaid_by_default() -> None:
    result = runner.invoke(app, ["diagram", "Order Fulfillment", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart TD\n")
    assert 'any_status["Any status"]:::any' in result.stdout


def test_diagram_format_follows_the_out_suffix(tmp_path: Path) -> None:
    out = tmp_path / "order.dot"
    result = runner.invoke(app, ["diagram", "order fulfillment", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith('digraph "Order Fulfillment" {')


@pytest.mark.skipif(not graphviz_available(), reason="Graphviz `dot` is not installed")
def test_diagram_writes_svg(tmp_path: Path) -> None:
    out = tmp_path / "order.svg"
    result = runner.invoke(
        app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--format", "svg", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")


def test_diagram_svg_without_graphviz_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = runner.invoke(
        app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(tmp_path / "o.svg")]
    )
    assert result.exit_code == 1
    assert "Graphviz (`dot`) is not installed" in result.stderr
    assert "apt-get install graphviz" in result.stderr


def test_diagram_of_an_unknown_workflow_suggests_the_nearest_and_lists_them() -> None:
    result = runner.invoke(app, ["diagram", "Order Fulfilment", str(EXAMPLE)])
    assert result.exit_code == ExitCode.USAGE
    assert "no workflow named 'Order Fulfilment': did you mean 'Order Fulfillment'?" in (
        result.stderr
    )
    assert "Bug and Test Management" in result.stderr


def test_diagram_of_part_of_a_name_suggests_the_workflow() -> None:
    result = runner.invoke(app, ["diagram", "fulfillment", str(EXAMPLE)])
    assert result.exit_code == ExitCode.USAGE
    assert "did you mean 'Order Fulfillment'?" in result.stderr


def test_diagram_finds_a_workflow_by_its_slug() -> None:
    result = runner.invoke(app, ["diagram", "order-fulfillment", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart")
    assert '"Ready to Pick"' in result.stdout


@pytest.mark.parametrize("bad", ["novalue", "=2.4", "hire.=Ada", ".name=Ada", "hire..name=Ada"])
def test_render_var_of_a_bad_form_is_a_usage_error(bad: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(tmp_path), "--var", bad])
    assert result.exit_code == ExitCode.USAGE
    assert f"--var {bad!r} is not NAME=VALUE" in result.stderr
    assert not (tmp_path / "index.html").exists()


@pytest.mark.parametrize(
    ("first", "second"), [("hire=Ada", "hire.name=Bob"), ("hire.name=Bob", "hire=Ada")]
)
def test_render_var_given_whole_and_in_parts_is_a_usage_error(
    first: str, second: str, tmp_path: Path
) -> None:
    args = ["render", str(EXAMPLE), "--out", str(tmp_path), "--var", first, "--var", second]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE
    assert f"--var {second!r} conflicts with --var {first!r}" in result.stderr


def test_render_warns_about_a_var_nothing_uses_and_suggests_the_name(tmp_path: Path) -> None:
    args = ["render", str(EXAMPLE), "--out", str(tmp_path), "--var", "relase=2027.03.2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "--var relase: no page or template uses `relase`; did you mean `release`?" in (
        result.stderr
    )


def test_render_of_one_file_renders_its_definitions_with_links_to_the_rest(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(EXAMPLE / "docs" / "templates.yaml"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Rendered 0 pages, 7 templates, 0 workflows" in result.stderr
    storage = (out / "template-how-to-article.xml").read_text(encoding="utf-8")
    assert '<ri:page ri:content-title="Northwind Team Handbook" ri:space-key="TEAM"/>' in storage


def test_render_shows_the_definitions_warnings(tmp_path: Path) -> None:
    (tmp_path / "teamcomms.yaml").write_text("name: T\ndefaults: {space: TEAM}\n")
    (tmp_path / "pages.yaml").write_text(
        "kind: page\nname: home\ntitle: Home\nbody: home.md\nvars: {store: N, unused: x}\n"
    )
    (tmp_path / "home.md").write_text("# {{ store }}\n")
    result = runner.invoke(app, ["render", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning: page 'home' vars.unused: 'unused' is given in vars but the page does not" in (
        result.stderr
    )
