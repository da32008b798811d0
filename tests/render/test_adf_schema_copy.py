"""The vendored ADF schema is the one in ../shared, unchanged (see tests/render/SOURCES.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.render.support import SCHEMA

SHARED = Path(__file__).resolve().parents[3] / "shared" / "atlassian-adf" / "adf-schema-full.json"
RECORDED_SHA256 = "5128562b75278c8a83e7e3619a570205bc80d59696985ec31a7a7883cff66fbe"


def test_the_vendored_schema_has_the_recorded_digest() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == RECORDED_SHA256
    assert RECORDED_SHA256 in (SCHEMA.parent / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} is not present (not in the workspace)")
def test_the_vendored_schema_still_matches_the_shared_copy() -> None:
    assert SCHEMA.read_bytes() == SHARED.read_bytes()
