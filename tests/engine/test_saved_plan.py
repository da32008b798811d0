from __future__ import annotations

import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from teamcomms.engine.change import Plan
from teamcomms.engine.fingerprint import state_fingerprint
from teamcomms.engine.saved_plan import StalePlanError, check_fresh
from teamcomms.engine.saved_plan import load_plan as load
from teamcomms.engine.saved_plan import save_plan as save
from teamcomms.errors import UsageError
from teamcomms.resources import RESOURCES
from teamcomms.resources.confluence_state import CurrentState, DesiredAttachment
from tests.resources.factories import (
    compute_plan,
    desired,
    hand_edit,
    observed,
    site,
    template,
    template_written,
    unmanaged,
    want,
    written,
)


def save_plan(plan: Plan, path: Path) -> None:
    save(plan, path, RESOURCES)


def load_plan(path: Path) -> Plan:
    return load(path, RESOURCES)


def fingerprint(plan: Plan, current: CurrentState) -> str:
    return state_fingerprint(plan.changes, observed(current))


def test_a_saved_plan_loads_back_equal(tmp_path: Path) -> None:
    diagram = DesiredAttachment("flow.svg", b"\x00<svg/>", "image/svg+xml")
    pages = (want("a", labels=("x",)), replace(want("b", parent="A"), attachments=(diagram,)))
    plan = compute_plan(desired(*pages), site(), site="https://northwind.atlassian.net")
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    assert load_plan(path) == plan


def test_a_file_that_is_not_a_plan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"kind": "something"}))
    with pytest.raises(UsageError, match="not a saved teamcomms plan"):
        load_plan(path)


def test_the_fingerprint_ignores_unrelated_pages_but_not_touched_ones() -> None:
    page = want("a", body="<p>new</p>")
    current = written(replace(page, body="<p>old</p>"), "10")
    plan = compute_plan(desired(page), site(current))
    unrelated = site(current, unmanaged("99", "Unrelated"))
    assert fingerprint(plan, unrelated) == plan.fingerprint
    edited = site(hand_edit(current, "<p>hand</p>"))
    with pytest.raises(StalePlanError, match="changed since"):
        check_fresh(plan, fingerprint(plan, edited), None)


def test_a_create_goes_stale_when_someone_creates_the_title_first() -> None:
    plan = compute_plan(desired(want("a", "Alpha")), site())
    now = site(unmanaged("5", "Alpha"))
    with pytest.raises(StalePlanError):
        check_fresh(plan, fingerprint(plan, now), None)


def test_a_plan_for_another_site_is_refused() -> None:
    plan = compute_plan(desired(want("a")), site(), site="https://a.atlassian.net")
    with pytest.raises(StalePlanError, match=r"made for https://a\.atlassian\.net"):
        check_fresh(plan, plan.fingerprint, "https://b.atlassian.net")


def test_a_failed_save_keeps_the_previous_plan_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.json"
    first = compute_plan(desired(want("a")), site())
    save_plan(first, path)

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    def open_on_a_full_disk(fd: int, *args: object, **kwargs: object) -> FullDisk:
        os.close(fd)
        return FullDisk()

    monkeypatch.setattr("teamcomms.files.os.fdopen", open_on_a_full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_plan(compute_plan(desired(want("a"), want("b")), site()), path)
    assert load_plan(path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_saved_update_goes_stale_when_the_page_version_moved_even_to_the_same_content() -> None:
    # Someone edited and reverted: the content is as planned, but the update would now send a
    # version number the site rejects.
    page = want("a", body="<p>new</p>")
    current = written(replace(page, body="<p>old</p>"), "10")
    plan = compute_plan(desired(page), site(current))
    reverted = site(replace(current, version=current.version + 2))
    with pytest.raises(StalePlanError, match="changed since"):
        check_fresh(plan, fingerprint(plan, reverted), None)


def test_a_saved_create_goes_stale_when_another_run_created_the_page_under_another_title() -> None:
    plan = compute_plan(desired(want("a", "Alpha")), site())
    elsewhere = site(written(want("a", "Alpha (copy)"), "7"))
    with pytest.raises(StalePlanError):
        check_fresh(plan, fingerprint(plan, elsewhere), None)


def test_a_saved_template_update_goes_stale_when_the_template_is_edited() -> None:
    wanted = template("readiness", body="<p>{{release}} v2</p>")
    current = template_written(replace(wanted, body="<p>{{release}}</p>"), "70")
    plan = compute_plan(desired(templates=(wanted,)), site(templates=(current,)))
    assert [c.action for c in plan.changes] == ["update"]
    edited = site(templates=(replace(current, body="<p>hand edit</p>"),))
    with pytest.raises(StalePlanError):
        check_fresh(plan, fingerprint(plan, edited), None)
