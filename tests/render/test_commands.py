"""The ``render`` and ``diagram`` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.errors import ExitCode
from tests.render.graphviz_support import remove_graphviz
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


def test_diagram_writes_svg(tmp_path: Path) -> None:
    out = tmp_path / "order.svg"
    result = runner.invoke(
        app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--format", "svg", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("order.pdf", b"%PDF-"),
        ("order.PNG", b"\x89PNG"),
        ("order.svg", b"<?xml"),
        ("order.gv", b"digraph"),
        ("order.mermaid", b"flowchart TD"),
    ],
)
def test_diagram_format_follows_the_out_extension(tmp_path: Path, name: str, start: bytes) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)


def test_diagram_out_with_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "order.txt"
    result = runner.invoke(app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        f"cannot tell the diagram format from the file name '{out}'",
        "  hint: end --out with one of .mmd .mermaid .dot .gv .svg .png .pdf, or give --format",
    ]
    assert not out.exists()


def test_diagram_out_with_an_unknown_extension_and_a_format_writes_it(tmp_path: Path) -> None:
    out = tmp_path / "order.txt"
    args = ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(out), "--format", "dot"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("digraph")


def test_diagram_out_extension_that_contradicts_the_format_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "order.pdf"
    args = ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(out), "--format", "mermaid"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        f"--out {out} names a pdf file, but --format is mermaid",
        "  hint: drop --format, or end --out with one of .mmd .mermaid .dot .gv .svg .png .pdf "
        "that matches it",
    ]
    assert not out.exists()


def test_diagram_svg_without_graphviz_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remove_graphviz(monkeypatch)
    result = runner.invoke(
        app, ["diagram", "Order Fulfillment", str(EXAMPLE), "--out", str(tmp_path / "o.svg")]
    )
    assert result.exit_code == 1
    assert "Graphviz is not available" in result.stderr
    assert "pip install --force-reinstall teamcomms" in result.stderr


def test_render_without_graphviz_warns_for_each_workflow_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remove_graphviz(monkeypatch)
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 5
    assert warnings[0] == (
        "warning: workflow/Bug and Test Management (workflow-bug-and-test-management.html): the "
        "diagram was not drawn, the page shows its Mermaid source: Graphviz is not available: "
        "pygraphviz cannot be imported and there is no `dot` program on the PATH (hint: "
        "reinstall teamcomms so that its `pygraphviz` dependency is installed (`pip install "
        "--force-reinstall teamcomms`), or install Graphviz (Debian/Ubuntu: `sudo apt-get "
        "install graphviz`, macOS: `brew install graphviz`, Windows: `winget install "
        "graphviz`); --format mermaid or dot need neither)"
    )


def test_render_with_graphviz_has_no_warnings_and_attaches_the_diagrams(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    diagrams = sorted(out.glob("workflow-*.attachments/*.png"))
    assert len(diagrams) == 5
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in diagrams)


def test_render_open_says_when_no_browser_could_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def no_browser(url: str) -> bool:
        opened.append(url)
        return False

    monkeypatch.setattr("webbrowser.open", no_browser)
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(out), "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [(out / "index.html").resolve().as_uri()]
    assert result.stderr.splitlines()[-1] == (
        f"note: no web browser could be opened here; open {out / 'index.html'} yourself"
    )


def test_render_open_is_quiet_when_the_browser_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url: True)
    result = runner.invoke(app, ["render", str(EXAMPLE), "--out", str(tmp_path), "--open"])
    assert result.exit_code == 0, result.output
    assert "browser" not in result.stderr


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
