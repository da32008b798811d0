"""The vendored spec slices are exactly what slice_specs.py cuts from the full documents."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.contract.slice_specs import DEFAULT_SOURCE, OPERATIONS, SPEC_DIR, build


@pytest.mark.skipif(not DEFAULT_SOURCE.is_dir(), reason=f"{DEFAULT_SOURCE} is not present")
def test_vendored_slices_match_the_full_specs() -> None:
    slices, hashes = build(DEFAULT_SOURCE)
    for name, text in slices.items():
        assert (SPEC_DIR / name).read_text(encoding="utf-8") == text, (
            f"specs/{name} is stale: run python tests/contract/slice_specs.py"
        )
    recorded = dict(
        re.findall(
            r"\| `specs/(\S+)` \| `\S+` \| `([0-9a-f]{64})`", (SPEC_DIR / "SOURCES.md").read_text()
        )
    )
    assert recorded == hashes


def test_sources_md_records_every_slice_and_its_hash() -> None:
    text = (SPEC_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in OPERATIONS:
        assert (SPEC_DIR / name).is_file()
        assert re.search(
            rf"`specs/{re.escape(name)}` \| `{re.escape(name)}` \| `[0-9a-f]{{64}}`", text
        )
    assert re.search(r"Sliced on \d{4}-\d{2}-\d{2}", text)
    assert hashlib.sha256(b"").hexdigest() not in text
