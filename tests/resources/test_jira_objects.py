"""Planning Jira objects matched by name: ownership, adoption, drift and interrupted writes."""

from __future__ import annotations

from teamcomms.resources.jira_objects import PENDING, Existing, Spec, Wanted, plan_objects
from teamcomms.resources.marker_tag import short

WANT = Wanted(address="board/Returns", spec=Spec("Returns", {"type": "kanban", "filter": "F"}))


def test_an_unmarked_object_identical_to_the_wanted_one_is_adopted_as_an_interrupted_create() -> (
    None
):
    same = Existing(id="7", spec=WANT.spec)
    (change,) = plan_objects("board", "board", [WANT], [same], None)
    assert (change.action, change.target_id) == ("adopt", "7")
    assert "interrupted" in (change.reason or "")
    other = Existing(id="8", spec=Spec("Returns", {"type": "scrum", "filter": "F"}))
    (change,) = plan_objects("board", "board", [WANT], [other], None)
    assert change.action == "conflict"


def test_a_pending_marker_is_finished_not_taken_for_a_hand_edit() -> None:
    half_done = Existing(
        id="7",
        spec=Spec("Returns", {"type": "kanban", "filter": "Old"}),
        owner="board/Returns",
        written=PENDING,
    )
    (change,) = plan_objects("board", "board", [WANT], [half_done], None)
    assert change.action == "update"
    edited = Existing(
        id="7",
        spec=Spec("Returns", {"type": "kanban", "filter": "Old"}),
        owner="board/Returns",
        written=short(Spec("Returns", {"type": "scrum", "filter": "F"}).hash),
    )
    (change,) = plan_objects("board", "board", [WANT], [edited], None)
    assert change.action == "drifted"


def test_leftovers_are_orphans_and_deleted_only_with_prune() -> None:
    gone = Existing(id="9", spec=Spec("Old", {}), owner="board/Old", written="x")
    unowned = Existing(id="10", spec=Spec("Theirs", {}))
    (orphan,) = plan_objects("board", "board", [], [gone, unowned], None)
    assert (orphan.action, orphan.target_id) == ("orphan", "9")
    (delete,) = plan_objects("board", "board", [], [gone, unowned], "archive")
    assert delete.action == "delete"
