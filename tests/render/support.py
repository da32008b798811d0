"""Shared helpers for the render tests: the XML well-formedness check and the ADF validator."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from teamcomms.render.model import MappingLinkResolver, PageRef
from teamcomms.render.xml import wrap

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SCHEMA = HERE / "adf-schema-full.json"

LINKS = MappingLinkResolver(
    {
        ("page", "deployment-readiness"): PageRef("Deployment readiness", "ENG"),
        ("page", "onboarding-home"): PageRef("Onboarding", "TEAM"),
        ("template", "new-hire-welcome"): PageRef("Welcome", "TEAM"),
    }
)


def parse_storage(storage: str) -> ET.Element:
    """Parse a storage fragment as XML inside a root declaring the Confluence namespaces."""
    return ET.fromstring(wrap(storage))  # noqa: S314 (our own output)


def storage_text(storage: str) -> str:
    """All character data of a storage fragment, as a reader would see it."""
    return "".join(parse_storage(storage).itertext())


@cache
def _validator() -> Any:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def assert_valid_adf(document: dict[str, Any]) -> None:
    """Fail with every schema error (the path of each) when ``document`` is not valid ADF."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])
