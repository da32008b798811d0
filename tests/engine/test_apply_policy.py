"""apply's order and failure policy, on a fake site that records calls."""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from teamcomms.engine.change import Plan
from teamcomms.engine.report import ApplyReport
from teamcomms.engine.runner import ApplyInterrupted, ApplyOptions, PlanBlocked
from teamcomms.engine.runner import apply_plan as run_plan
from teamcomms.errors import SiteError
from teamcomms.resources import RESOURCES
from teamcomms.site.confluence_model import RemotePage, RemoteProperty
from teamcomms.site.errors import AuthenticationFailed
from teamcomms.site.http import RequestStats
from tests.resources.factories import (
    compute_plan,
    desired,
    hand_edit,
    site,
    unmanaged,
    want,
    written,
)


def apply_plan(plan: Plan, fake: FakeSite, options: ApplyOptions | None = None) -> ApplyReport:
    """Apply on a site whose Confluence is ``fake``."""
    connection = SimpleNamespace(
        confluence=fake,
        stats=RequestStats(),
        opened_at=time.monotonic(),
        label="fake",
    )
    return run_plan(plan, connection, RESOURCES, options or ApplyOptions())  # type: ignore[arg-type]


class FakeSite:
    """Creates pages in memory; titles in ``failing`` fail with the given error."""

    def __init__(self, failing: dict[str, SiteError] | None = None) -> None:
        self.failing = failing or {}
        self.calls: list[tuple[str, ...]] = []
        self.next_id = 100

    def create_page(
        self, space: str, title: str, body: str, *, parent_id: str | None = None
    ) -> RemotePage:
        self.calls.append(("create", title, str(parent_id)))
        if title in self.failing:
            raise self.failing[title]
        self.next_id += 1
        return RemotePage(str(self.next_id), title, "100", parent_id, 1, body)

    def add_labels(self, page_id: str, labels: Any) -> None:
        self.calls.append(("labels", page_id))

    def create_property(self, page_id: str, key: str, value: Any) -> RemoteProperty:
        self.calls.append(("marker", page_id, value["definition"]))
        return RemoteProperty("p" + page_id, key, value, 1)


def test_children_wait_for_their_parent_and_are_skipped_when_it_fails() -> None:
    pages = (
        want("parent", "Parent"),
        want("child", "Child", parent="Parent"),
        want("grandchild", "Grandchild", parent="Child"),
        want("other", "Other"),
    )
    plan = compute_plan(desired(*pages), site())
    fake = FakeSite({"Parent": SiteError("boom", status=500)})
    report = apply_plan(plan, fake)
    outcomes = {r.address: r.outcome for r in report.results}
    assert outcomes == {
        "page/parent": "failed",
        "page/child": "skipped",
        "page/grandchild": "skipped",
        "page/other": "done",
    }
    assert sorted(c[1] for c in fake.calls if c[0] == "create") == ["Other", "Parent"]
    assert not report.ok


def test_parents_are_created_before_children_under_the_new_id() -> None:
    pages = (want("parent", "Parent"), want("child", "Child", parent="Parent"))
    fake = FakeSite()
    report = apply_plan(compute_plan(desired(*pages), site()), fake)
    assert report.ok
    creates = [c for c in fake.calls if c[0] == "create"]
    assert creates == [("create", "Parent", "1"), ("create", "Child", "101")]
    assert ("marker", "102", "page/child") in fake.calls


def test_rejected_credentials_stop_the_run() -> None:
    pages = (want("a", "A"), want("b", "B"), want("c", "C"))
    denied = AuthenticationFailed(status=401, method="POST", url="/wiki/api/v2/pages")
    fake = FakeSite({"A": denied, "B": denied, "C": denied})
    plan = compute_plan(desired(*pages), site())
    report = apply_plan(plan, fake, ApplyOptions(workers=1))
    assert [r.outcome for r in report.results] == ["failed", "skipped", "skipped"]
    assert len([c for c in fake.calls if c[0] == "create"]) == 1


class Interrupted(FakeSite):
    """Ctrl-C arrives while the page titled ``at`` is being created."""

    def __init__(self, at: str) -> None:
        super().__init__()
        self.at = at

    def create_page(
        self, space: str, title: str, body: str, *, parent_id: str | None = None
    ) -> RemotePage:
        if title == self.at:
            raise KeyboardInterrupt
        return super().create_page(space, title, body, parent_id=parent_id)


def test_ctrl_c_is_a_short_message_with_exit_code_130_and_counts() -> None:
    pages = (want("a", "A"), want("b", "B", parent="A"), want("c", "C", parent="B"))
    plan = compute_plan(desired(*pages), site())
    with pytest.raises(ApplyInterrupted) as caught:
        apply_plan(plan, Interrupted("B"), ApplyOptions(workers=1))
    assert caught.value.exit_code == 130
    assert caught.value.format().startswith("interrupted: 1 of 3 change(s) were applied")
    assert "run apply again" in caught.value.format()


def test_a_plan_with_a_conflict_and_a_drift_asks_to_resolve_the_conflict_not_to_force() -> None:
    handbook, promise = want("handbook", "Team Handbook"), want("promise", "Our promise")
    ours = hand_edit(written(handbook, "10"), "<p>my notes</p>")
    plan = compute_plan(
        desired(replace(handbook, body="<p>new</p>"), promise),
        site(ours, unmanaged("11", "Our promise")),
    )
    assert sorted(c.action for c in plan.changes) == ["conflict", "drifted"]
    fake = FakeSite()
    for force in (False, True):
        with pytest.raises(PlanBlocked) as refused:
            apply_plan(plan, fake, ApplyOptions(force=force))
        message = refused.value.format()
        assert "conflict page/promise 'Our promise'" in message
        assert "adopt: true" in message and "--force overwrites" not in message
    assert fake.calls == []
