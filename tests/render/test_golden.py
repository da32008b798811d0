"""Golden files: each Markdown feature's input, storage XHTML and ADF, checked in.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/render/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from teamcomms.render.adf import markdown_to_adf
from teamcomms.render.storage import render_storage
from tests.render.support import GOLDEN, LINKS, assert_valid_adf, parse_storage

VARIABLES: dict[str, object] = {
    "store": "Northwind Outfitters",
    "hire": '<ac:structured-macro ac:name="html"> ]]> {{ 7*7 }}',
    "url": 'https://example.com/?a=1&b="2"',
    "markdown": "*not emphasis* [not a link](http://x) # not a heading",
    "template": "{% if true %}{{ 7*7 }}{% endif %}",
}
PLACEHOLDERS = {"template-variables.md": ("release", "owner")}
INPUTS = sorted(GOLDEN.glob("*.md"))


def _compare(expected_file: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"run UPDATE_GOLDEN=1 to create {expected_file.name}"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", INPUTS, ids=[p.stem for p in INPUTS])
def test_storage_matches_golden_and_is_well_formed(source: Path) -> None:
    page = render_storage(
        source.read_text(encoding="utf-8"),
        VARIABLES,
        source=source,
        links=LINKS,
        placeholders=PLACEHOLDERS.get(source.name, ()),
    )
    parse_storage(page.storage)
    _compare(source.with_suffix(".xml"), page.storage + "\n")


@pytest.mark.parametrize("source", INPUTS, ids=[p.stem for p in INPUTS])
def test_adf_matches_golden_and_schema(source: Path) -> None:
    variables = {**VARIABLES, "release": "2.4.0", "owner": "Grace Hopper"}
    document = markdown_to_adf(source.read_text(encoding="utf-8"), variables, source=source)
    assert_valid_adf(document)
    _compare(source.with_suffix(".json"), json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def test_every_golden_output_has_its_input_and_every_input_both_outputs() -> None:
    # A renamed or deleted input would otherwise leave its outputs unchecked, silently.
    assert len(INPUTS) >= 15
    stems = {p.stem for p in INPUTS}
    outputs = [p for p in GOLDEN.iterdir() if p.suffix in (".xml", ".json")]
    workflow_page = {"order-fulfillment-page"}  # checked by test_diagram.py
    assert sorted(p.name for p in outputs if p.stem not in stems | workflow_page) == []
    for stem in stems:
        assert (GOLDEN / f"{stem}.xml").is_file() and (GOLDEN / f"{stem}.json").is_file(), stem
