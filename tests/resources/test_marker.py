from __future__ import annotations

from teamcomms.resources.confluence_marker import (
    TEMPLATE_DESCRIPTION_LIMIT,
    Marker,
    content_hash,
    same_template_hash,
    template_description,
    template_marker,
)


def test_marker_round_trips_through_its_property_value() -> None:
    marker = Marker("page/onboarding-home", "sha256:abc", 4, {"flow.svg": "sha256:def"})
    assert Marker.from_json(marker.to_json()) == marker
    assert marker.to_json()["definition"] == "page/onboarding-home"
    assert marker.to_json()["version"] == 4


def test_malformed_property_values_are_not_markers() -> None:
    assert Marker.from_json("page/x") is None
    assert Marker.from_json({"definition": "page/x"}) is None
    assert Marker.from_json({"definition": "page/x", "hash": "h", "version": "2"}) is None
    assert Marker.from_json({"definition": "page/x", "hash": "h", "version": True}) is None


def test_hash_ignores_label_order_but_not_content() -> None:
    first = content_hash("T", "<p>a</p>", ["b", "a"], None)
    assert first == content_hash("T", "<p>a</p>", ["a", "b", "a"], None)
    assert first != content_hash("T", "<p>b</p>", ["a", "b"], None)
    assert first != content_hash("T", "<p>a</p>", ["a", "b"], "Parent")


def test_template_description_carries_the_marker_within_confluences_limit() -> None:
    marker = Marker("template/deployment-readiness", content_hash("n", "b", [], None))
    text = template_description("A very long description " * 20, marker)
    assert len(text) <= TEMPLATE_DESCRIPTION_LIMIT
    found = template_marker(text)
    assert found is not None
    assert found.definition == "template/deployment-readiness"
    assert same_template_hash(found.hash, marker.hash)
    assert template_marker("Made by hand") is None
