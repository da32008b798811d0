from __future__ import annotations

from dataclasses import replace

import pytest

from teamcomms.engine.resource import PlanOptions
from teamcomms.engine.targets import UnknownTarget
from teamcomms.resources.confluence_state import CurrentState
from tests.resources.factories import (
    compute_plan,
    desired,
    hand_edit,
    site,
    unmanaged,
    want,
    written,
)


def test_pages_missing_from_the_site_are_created_with_their_marker() -> None:
    page = want("onboarding-home", "Onboarding", labels=("onboarding",))
    plan = compute_plan(desired(page), site())
    (change,) = plan.changes
    assert change.action == "create"
    assert change.fields == ("title", "body", "labels", "marker")
    assert (
        change.detail.marker is not None
        and change.detail.marker.definition == "page/onboarding-home"
    )
    assert plan.summary() == "1 to create"
    assert plan.has_changes


def test_a_page_as_teamcomms_wrote_it_is_unchanged() -> None:
    page = want("onboarding-home", labels=("a", "b"))
    plan = compute_plan(desired(page), site(written(page, "10", version=3)))
    assert [c.action for c in plan.changes] == ["no-op"]
    assert not plan.has_changes
    assert plan.summary() == "1 unchanged"


def test_renaming_a_title_renames_the_same_page() -> None:
    old = want("onboarding-home", "Onboarding")
    new = replace(old, title="Welcome aboard")
    (change,) = compute_plan(desired(new), site(written(old, "10", version=2))).changes
    assert change.action == "rename"
    assert change.target_id == "10"
    assert change.fields == ("title", "marker")
    assert change.detail.marker is not None and change.detail.marker.version == 3


def test_a_hand_edit_is_drift_with_who_and_when() -> None:
    page = want("onboarding-home", body="<p>v2</p>")
    edited = hand_edit(written(replace(page, body="<p>v1</p>"), "10", version=2), "<p>mine</p>")
    (change,) = compute_plan(desired(page), site(edited)).changes
    assert change.action == "drifted"
    assert change.drift is not None
    assert (change.drift.author, change.drift.version, change.drift.written_version) == (
        "grace",
        3,
        2,
    )
    assert "body" in change.fields
    assert "grace" in (change.reason or "")


def test_a_hand_edit_that_matches_the_definition_is_not_drift() -> None:
    page = want("onboarding-home", body="<p>v2</p>")
    edited = hand_edit(written(replace(page, body="<p>v1</p>"), "10", version=2), "<p>v2</p>")
    (change,) = compute_plan(desired(page), site(edited)).changes
    assert change.action == "update"
    assert change.fields == ("marker",)


def test_an_unmanaged_page_with_the_same_title_is_a_conflict() -> None:
    page = want("onboarding-home", "Onboarding")
    (change,) = compute_plan(desired(page), site(unmanaged("55", "Onboarding"))).changes
    assert change.action == "conflict"
    assert change.target_id == "55"
    assert "adopt: true" in (change.reason or "")
    assert compute_plan(desired(page), site(unmanaged("55", "Onboarding"))).blocking


def test_adopt_takes_over_an_unmanaged_page() -> None:
    page = want("onboarding-home", "Onboarding", adopt=True)
    (change,) = compute_plan(desired(page), site(unmanaged("55", "Onboarding"))).changes
    assert change.action == "adopt"
    assert change.target_id == "55"
    assert set(change.fields) == {"body", "marker"}


def test_a_create_whose_marker_write_was_interrupted_is_adopted() -> None:
    page = want("onboarding-home", "Onboarding", labels=("x",))
    left_over = replace(unmanaged("77", "Onboarding", body=page.body), version=1)
    (change,) = compute_plan(desired(page), site(left_over)).changes
    assert change.action == "adopt"
    assert change.target_id == "77"
    assert set(change.fields) == {"labels", "marker"}
    assert "interrupted" in (change.reason or "")


def test_a_page_owned_by_another_definition_is_a_conflict() -> None:
    other = want("other", "Onboarding")
    page = want("onboarding-home", "Onboarding")
    moved_away = replace(other, title="Other")
    plan = compute_plan(desired(page, moved_away), site(written(other, "10")))
    actions = {c.address: c.action for c in plan.changes}
    assert actions == {"page/onboarding-home": "conflict", "page/other": "rename"}
    assert "belongs to page/other" in (plan.changes[0].reason or "")


def test_labels_removed_by_hand_are_put_back() -> None:
    page = want("onboarding-home", labels=("a", "b"))
    current = replace(written(page, "10"), labels=("a",))
    (change,) = compute_plan(desired(page), site(current)).changes
    assert change.action == "relabel"
    assert change.fields == ("labels",)


def test_moving_under_another_parent() -> None:
    parent = want("releases", "Releases")
    child = want("readiness", "Readiness")
    moved = replace(child, parent_title="Releases")
    plan = compute_plan(desired(parent, moved), site(written(parent, "20"), written(child, "21")))
    change = next(c for c in plan.changes if c.address == "page/readiness")
    assert change.action == "move"
    assert change.detail.parent_id == "20"


def test_declared_parents_are_created_first_and_children_wait_for_them() -> None:
    child = want("readiness", "Readiness", parent="Releases")
    parent = want("releases", "Releases")
    plan = compute_plan(desired(child, parent), site())
    assert [c.address for c in plan.changes] == ["page/releases", "page/readiness"]
    assert plan.changes[1].detail.parent == "page/releases"


def test_an_undeclared_missing_parent_is_a_conflict() -> None:
    child = want("readiness", "Readiness", parent="Releases")
    (change,) = compute_plan(desired(child), site()).changes
    assert change.action == "conflict"
    assert "Releases" in (change.reason or "")


def test_a_missing_space_is_a_conflict() -> None:
    page = want("x", space="NOPE")
    (change,) = compute_plan(desired(page), CurrentState()).changes
    assert change.action == "conflict"


def test_orphans_are_reported_pruned_only_on_request_and_unowned_pages_never() -> None:
    gone = want("old-page", "Old")
    current = site(written(gone, "30"), unmanaged("31", "Someone else's"))
    (reported,) = compute_plan(desired(), current).changes
    assert (reported.action, reported.target_id) == ("orphan", "30")
    (archived,) = compute_plan(desired(), current, PlanOptions(prune="archive")).changes
    assert (archived.action, archived.target_id) == ("archive", "30")
    (deleted,) = compute_plan(desired(), current, PlanOptions(prune="delete")).changes
    assert deleted.action == "delete"


def test_duplicate_owned_pages_keep_the_oldest_and_report_the_rest() -> None:
    page = want("onboarding-home")
    twin = replace(written(page, "41"), title="Copy")
    plan = compute_plan(desired(page), site(written(page, "40"), twin))
    assert [(c.action, c.target_id) for c in plan.changes] == [("no-op", "40"), ("orphan", "41")]


def test_the_oldest_duplicate_is_the_lowest_page_number_not_the_first_in_text_order() -> None:
    page = want("onboarding-home")
    twin = replace(written(page, "10"), title="Copy")
    plan = compute_plan(desired(page), site(twin, written(page, "9")))
    assert [(c.action, c.target_id) for c in plan.changes] == [("no-op", "9"), ("orphan", "10")]


def test_renaming_a_parent_leaves_its_children_where_they_are() -> None:
    parent = want("releases", "Releases")
    child = want("readiness", "Readiness", parent="Releases")
    on_site = site(written(parent, "10"), replace(written(child, "11"), parent_id="10"))
    renamed = replace(parent, title="Release notes")
    plan = compute_plan(desired(renamed, replace(child, parent_title="Release notes")), on_site)
    assert [(c.address, c.action, c.fields) for c in plan.changes] == [
        ("page/releases", "rename", ("title", "marker")),
        ("page/readiness", "update", ("marker",)),  # not moved: only its definition changed
    ]


def test_targets_limit_the_plan_and_bring_missing_parents_along() -> None:
    parent = want("releases", "Releases")
    child = want("readiness", "Readiness", parent="Releases")
    other = want("other")
    plan = compute_plan(
        desired(parent, child, other), site(), PlanOptions(targets=("page/readiness",))
    )
    assert [c.address for c in plan.changes] == ["page/releases", "page/readiness"]
    with pytest.raises(UnknownTarget, match="unknown target page/nope"):
        compute_plan(desired(parent), site(), PlanOptions(targets=("page/nope",)))


def test_attachments_are_uploaded_only_when_their_bytes_change() -> None:
    from teamcomms.resources.confluence_state import DesiredAttachment

    diagram = DesiredAttachment("flow.svg", b"<svg/>", "image/svg+xml")
    page = replace(want("flow"), attachments=(diagram,))
    current = written(page, "10")
    assert current.marker is not None
    with_diagram = replace(current.marker, attachments={"flow.svg": diagram.digest})
    stored = replace(current, marker=with_diagram)
    assert [c.action for c in compute_plan(desired(page), site(stored)).changes] == ["no-op"]
    (change,) = compute_plan(desired(page), site(current)).changes
    assert change.action == "update"
    assert [a.name for a in change.detail.attachments] == ["flow.svg"]


def test_a_page_whose_definition_name_changed_is_taken_over_not_duplicated() -> None:
    old = want("old-name", "Onboarding")
    new = replace(old, address="page/new-name")
    plan = compute_plan(desired(new), site(written(old, "10", version=2)))
    (change,) = plan.changes
    assert (change.action, change.target_id) == ("adopt", "10")
    assert change.reason == "was page/old-name"
    assert change.detail.marker is not None and change.detail.marker.definition == "page/new-name"
    assert change.fields == ("marker",)


def test_two_definitions_with_one_title_in_a_space_is_a_conflict() -> None:
    owned_by_b = want("b", "Same")
    plan = compute_plan(desired(want("a", "Same"), owned_by_b), site(written(owned_by_b, "10")))
    assert [(c.address, c.action, c.target_id) for c in plan.changes] == [
        ("page/a", "conflict", None),
        ("page/b", "conflict", "10"),
    ]
    assert "another definition wants the title 'Same'" in (plan.changes[0].reason or "")
