"""The three-way merge of a standup page (pure): what people did survives, new figures land."""

from __future__ import annotations

import pytest

from teamcomms.render.storage_merge import merge_storage, tasks_of


def tasks(*items: tuple[str, bool], first_id: int = 1) -> str:
    return (
        "<ac:task-list>"
        + "".join(
            f"<ac:task><ac:task-id>{first_id + n}</ac:task-id><ac:task-status>"
            f"{'complete' if done else 'incomplete'}</ac:task-status>"
            f"<ac:task-body>{text}</ac:task-body></ac:task>"
            for n, (text, done) in enumerate(items)
        )
        + "</ac:task-list>"
    )


def page(figure: str, task_list: str, notes: str = "<p>Notes</p>") -> str:
    table = f"<table><tbody><tr><td>{figure}</td></tr></tbody></table>"
    return f"<h2>Figures</h2>{table}{task_list}{notes}"


def states(body: str) -> list[tuple[str, bool]]:
    return [(t.text, t.complete) for t in tasks_of(body)]


def test_new_figures_land_and_every_hand_edit_survives() -> None:
    base = page("3 done", tasks(("Unblock A", False), ("Unblock B", False)))
    theirs = page(
        "3 done",
        tasks(("Unblock A", True), ("Unblock B", False), ("Call the carrier", False)),
        "<p>Notes</p><p>Peak staffing agreed.</p>",
    )
    mine = page("5 done", tasks(("Unblock A", False), ("Unblock C", False)))
    result = merge_storage(base, theirs, mine)
    assert "<td>5 done</td>" in result.body
    assert "<p>Peak staffing agreed.</p>" in result.body
    # A kept its tick; B (ours, untouched, no longer suggested) is gone; C is new; the hand task
    # stays.
    assert states(result.body) == [
        ("Unblock A", True),
        ("Unblock C", False),
        ("Call the carrier", False),
    ]
    assert result.kept_edits == []


def test_a_task_deleted_by_hand_is_not_added_again_and_ids_stay_unique() -> None:
    base = page("1", tasks(("Unblock A", False), ("Unblock B", False)))
    theirs = page("1", tasks(("Unblock A", False)))
    mine = page("1", tasks(("Unblock A", False), ("Unblock B", False), ("Unblock D", False)))
    result = merge_storage(base, theirs, mine)
    assert states(result.body) == [("Unblock A", False), ("Unblock D", False)]
    ids = [line.split("</ac:task-id>")[0] for line in result.body.split("<ac:task-id>")[1:]]
    assert len(ids) == len(set(ids))


def test_a_ticked_task_that_is_no_longer_suggested_stays() -> None:
    base = page("1", tasks(("Unblock A", False)))
    theirs = page("1", tasks(("Unblock A", True)))
    mine = page("2", tasks(("Unblock Z", False)))
    assert states(merge_storage(base, theirs, mine).body) == [
        ("Unblock Z", False),
        ("Unblock A", True),
    ]


def test_a_block_both_sides_changed_keeps_the_hand_edit_and_says_so() -> None:
    base = page("3 done", tasks(("A", False)))
    theirs = page("3 done (one was a duplicate)", tasks(("A", False)))
    mine = page("4 done", tasks(("A", False)))
    result = merge_storage(base, theirs, mine)
    assert "one was a duplicate" in result.body and "4 done" not in result.body
    assert result.kept_edits == ["4 done"]


def test_editor_attributes_and_white_space_are_not_edits() -> None:
    base = page("3 done", tasks(("A", False)))
    theirs = base.replace("<table>", '<table data-layout="default" ac:local-id="x1">').replace(
        "<h2>", "<h2>\n  "
    )
    mine = page("4 done", tasks(("A", False)))
    result = merge_storage(base, theirs, mine)
    assert "<td>4 done</td>" in result.body and result.kept_edits == []


def test_without_a_base_hand_edits_win_and_html_entities_are_read() -> None:
    theirs = page("3&nbsp;done", tasks(("A", True), ("Mine", False)))
    mine = page("4 done", tasks(("A", False), ("B", False)))
    result = merge_storage(None, theirs, mine)
    assert "4 done" not in result.body
    assert states(result.body) == [("A", True), ("B", False), ("Mine", False)]


def test_a_body_that_is_not_storage_is_refused() -> None:
    with pytest.raises(ValueError, match="not well-formed"):
        merge_storage(None, "<p>unclosed", page("1", ""))
