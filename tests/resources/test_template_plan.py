from __future__ import annotations

from dataclasses import replace

from teamcomms.engine.resource import PlanOptions
from teamcomms.resources.confluence_state import CurrentTemplate
from tests.resources.factories import compute_plan, desired, site, template, template_written


def test_templates_are_created_then_unchanged() -> None:
    wanted = template("deployment-readiness")
    (created,) = compute_plan(desired(templates=(wanted,)), site()).changes
    assert (created.resource, created.action) == ("template", "create")
    current = site(templates=(template_written(wanted, "7"),))
    (same,) = compute_plan(desired(templates=(wanted,)), current).changes
    assert same.action == "no-op"


def test_a_changed_template_body_is_an_update_and_a_hand_edit_is_drift() -> None:
    wanted = template("deployment-readiness")
    current = template_written(wanted, "7")
    changed = replace(wanted, body="<p>new {{release}}</p>")
    (update,) = compute_plan(desired(templates=(changed,)), site(templates=(current,))).changes
    assert update.action == "update"
    assert update.fields == ("body", "marker")
    edited = replace(current, body="<p>edited by hand</p>")
    (drift,) = compute_plan(desired(templates=(changed,)), site(templates=(edited,))).changes
    assert drift.action == "drifted"


def test_an_unmanaged_template_with_the_same_name_is_protected_unless_adopted() -> None:
    wanted = template("deployment-readiness")
    theirs = CurrentTemplate(id="9", space="TEAM", name=wanted.name, body="<p>theirs</p>")
    (conflict,) = compute_plan(desired(templates=(wanted,)), site(templates=(theirs,))).changes
    assert conflict.action == "conflict"
    adopting = replace(wanted, adopt=True)
    (adopt,) = compute_plan(desired(templates=(adopting,)), site(templates=(theirs,))).changes
    assert (adopt.action, adopt.target_id) == ("adopt", "9")


def test_orphaned_templates_are_deleted_only_with_prune_delete() -> None:
    current = site(templates=(template_written(template("old"), "7"),))
    (orphan,) = compute_plan(desired(), current, PlanOptions(prune="archive")).changes
    assert orphan.action == "orphan"
    assert "cannot archive" in (orphan.reason or "")
    (delete,) = compute_plan(desired(), current, PlanOptions(prune="delete")).changes
    assert (delete.action, delete.target_id) == ("delete", "7")


def test_a_hand_edit_that_matches_the_definition_is_not_drift() -> None:
    wanted = template("deployment-readiness")
    changed = replace(wanted, body="<p>new {{release}}</p>")
    edited_to_match = replace(template_written(wanted, "7"), body=changed.body)
    (change,) = compute_plan(
        desired(templates=(changed,)), site(templates=(edited_to_match,))
    ).changes
    assert (change.action, change.fields) == ("update", ("marker",))


def test_changed_labels_update_the_template() -> None:
    wanted = template("deployment-readiness")
    current = template_written(wanted, "7")
    relabelled = replace(wanted, labels=("checklist", "release"))
    (change,) = compute_plan(desired(templates=(relabelled,)), site(templates=(current,))).changes
    assert (change.action, change.fields) == ("relabel", ("labels", "marker"))


def test_a_body_read_back_with_surrounding_whitespace_is_unchanged_not_drifted() -> None:
    wanted = template("deployment-readiness")
    padded = replace(template_written(wanted, "7"), body=wanted.body + "\n")
    (same,) = compute_plan(desired(templates=(wanted,)), site(templates=(padded,))).changes
    assert same.action == "no-op"
