"""The glossary kind: its checks, its Confluence page (escaped) and its place in `render`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.definitions import GlossaryDefinition, load_project, validate_project
from teamcomms.render import glossary_page, render_project
from teamcomms.render.xml import wrap
from tests.lint.support import make_project

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_starter_glossary_has_e_commerce_terms_with_plain_alternatives() -> None:
    glossary = load_project(REPO / "templates" / "ecommerce").glossaries
    assert len(glossary) == 1
    terms = {entry.term: entry.plain for entry in glossary[0].terms}
    assert len(terms) >= 20
    for term in ("AOV", "SKU", "PDP", "RMA", "3PL", "CAC", "LTV", "ROAS", "SLA", "WMS"):
        assert terms[term].strip(), term
    assert glossary[0].page is not None and glossary[0].page.space == "TEAM"


def test_a_term_listed_twice_is_a_located_error(tmp_path: Path) -> None:
    glossary = (
        "kind: glossary\nname: g\nterms:\n  - {term: SKU, plain: a}\n  - {term: SKU, plain: b}\n"
    )
    root = make_project(tmp_path / "p", extra={"glossary.yaml": glossary})
    errors = validate_project(root).errors
    assert [(Path(p.file).name, p.line, p.message) for p in errors] == [
        ("glossary.yaml", 5, "'SKU' is listed twice (also under terms[0])")
    ]


def test_a_name_both_known_and_a_term_is_an_error(tmp_path: Path) -> None:
    glossary = "kind: glossary\nname: g\nterms: [{term: SKU, plain: a}]\nknown: [UPS, SKU]\n"
    root = make_project(tmp_path / "p", extra={"glossary.yaml": glossary})
    messages = [p.message for p in validate_project(root).errors]
    assert messages == ["'SKU' is both a term and known (also under terms[0])"]


def test_the_page_is_a_table_with_every_value_escaped() -> None:
    glossary = GlossaryDefinition.model_validate(
        {
            "name": "g",
            "description": "Words & <b>terms</b>",
            "terms": [
                {"term": "R&D", "plain": "research <and> development", "notes": 'a "lab"'},
                {"term": "AOV", "plain": "average order value", "aliases": ["A.O.V."]},
                {"term": "synergy", "plain": "working together", "allowed_once_spelled_out": False},
            ],
            "known": ["UPS"],
            "page": {"space": "TEAM", "parent": "Handbook", "title": "Our words"},
        }
    )
    page = glossary_page(glossary)
    root = ET.fromstring(wrap(page.storage))  # noqa: S314 (our own renderer's output)
    rows = [["".join(cell.itertext()) for cell in row] for row in root.iter("tr")]
    assert rows == [
        ["Term", "Write instead", "Notes"],
        ["AOV (also A.O.V.)", "average order value", ""],
        ["R&D", "research <and> development", 'a "lab"'],
        ["synergy", "working together (always)", ""],
    ]
    assert "Words &amp; &lt;b&gt;terms&lt;/b&gt;" in page.storage
    assert "<and>" not in page.storage
    assert (page.title, page.space, page.parent, page.labels) == (
        "Our words",
        "TEAM",
        "Handbook",
        ("glossary",),
    )


def test_without_a_page_block_it_goes_to_the_default_space() -> None:
    glossary = GlossaryDefinition.model_validate({"name": "g", "known": ["UPS"]})
    page = glossary_page(glossary, "DOCS")
    assert (page.title, page.space, page.parent) == ("Glossary", "DOCS", None)
    assert page.storage == "<p>Names everyone knows, used as they are: UPS.</p>"


def test_render_includes_the_glossary_page(tmp_path: Path) -> None:
    project = load_project(REPO / "examples" / "ecommerce")
    pages = {page.definition: page for page in render_project(project)}
    page = pages["glossary/ecommerce-terms"]
    assert page.title == "Glossary of store terms"
    assert "<td>warehouse management system</td>" in page.storage
    out = tmp_path / "preview"
    result = runner.invoke(app, ["render", str(REPO / "examples" / "ecommerce"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 workflows, 1 glossary to" in result.stderr
    assert "Glossary of store terms" in (out / "index.html").read_text(encoding="utf-8")
