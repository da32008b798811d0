"""The onboarding resources: for each ``hire`` definition, an epic named from its checklist's
pattern (``onboarding-epic``) and one task per checklist item under it (``onboarding-tasks``).

One change per hire for each: the epic is one create request, the tasks one bulk create per 50
(the engine carries out one change at a time, so a hire's tasks are one change); the tasks change
requires the epic change and finds the epic's id through it. See
:mod:`teamcomms.resources.onboarding_plan` for the rules and
:mod:`teamcomms.resources.onboarding_writes` for how the writes converge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import Applied, DiffView, Observed, PlanOptions
from teamcomms.resources.onboarding_desired import desired_onboarding
from teamcomms.resources.onboarding_plan import epic_key, plan_epics, plan_tasks
from teamcomms.resources.onboarding_read import read_onboarding
from teamcomms.resources.onboarding_state import (
    EPIC_RESOURCE,
    TASKS_RESOURCE,
    CurrentOnboarding,
    EpicSpec,
    HireTasks,
    OnboardingDetail,
    WantedOnboarding,
)

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site


def _observe(kind: str, current: CurrentOnboarding, epics: bool) -> Iterable[Observed]:
    for issue in current.issues:
        if bool(issue.marker.item) == epics:
            continue
        yield Observed(
            resource=kind,
            id=issue.id,
            scope=issue.project,
            name=issue.summary,
            owner=issue.marker.definition,
            state=[issue.state, issue.status_category, issue.marker.to_json()],
        )


def _detail(change: Change) -> OnboardingDetail:
    detail = change.detail
    return detail if isinstance(detail, OnboardingDetail) else OnboardingDetail(hire="", project="")


def _notes(detail: OnboardingDetail) -> list[str]:
    lines = [
        f"left alone: {left.key} {left.summary!r}: {left.reason}" for left in detail.left_alone
    ]
    return lines + list(detail.notes)


class OnboardingEpics:
    """A hire's epic: create, update while nobody has moved it on."""

    kind = EPIC_RESOURCE
    after: tuple[str, ...] = ()
    title = "Onboarding epics"
    before_type = EpicSpec
    detail_type = OnboardingDetail

    def desired(self, workspace: Workspace) -> WantedOnboarding:
        """Every hire's epic and tasks."""
        return desired_onboarding(workspace)

    def scope(self, desired: WantedOnboarding) -> tuple[str, ...]:
        """The Jira projects and the hires."""
        return desired.scope(with_users=False)

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> CurrentOnboarding:
        """The hires' epics."""
        return read_onboarding(site, scope, workers=workers, epics=True)

    def observe(self, current: CurrentOnboarding) -> Iterable[Observed]:
        """Each epic."""
        return _observe(self.kind, current, epics=True)

    def diff(
        self, desired: WantedOnboarding, current: CurrentOnboarding, options: PlanOptions
    ) -> list[Change]:
        """One change per hire (see :mod:`teamcomms.resources.onboarding_plan`)."""
        return plan_epics(desired, current)

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """An epic change writes its own hire's epic."""
        detail = _detail(change)
        if change.address != f"hire/{detail.hire}" or not isinstance(change.after, EpicSpec):
            return f"it writes the epic of hire/{detail.hire}, not {change.address}"
        return None

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create or update the epic."""
        from teamcomms.resources.onboarding_writes import carry_out_epic

        assert isinstance(change.after, EpicSpec)
        return carry_out_epic(site, change.address, change.after, _detail(change))

    def describe(self, change: Change) -> list[str]:
        """What changes, and what is left alone."""
        lines: list[str] = []
        after, before = change.after, change.before
        if change.action == "create" and isinstance(after, EpicSpec):
            lines.append(f"due {after.due}; labels {', '.join(after.labels)}")
        elif isinstance(after, EpicSpec) and isinstance(before, EpicSpec):
            for name in change.fields:
                old, new = getattr(before, name, None), getattr(after, name, None)
                if name != "description":
                    lines.append(f"{name}: {old!r} -> {new!r}")
        return lines + _notes(_detail(change))

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Epics have no page body."""
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        """``epic`` as planned, and what is left alone."""
        after = change.after
        return {
            "hire": _detail(change).hire,
            "epic": asdict(after) if isinstance(after, EpicSpec) else None,
            "left_alone": [asdict(left) for left in _detail(change).left_alone],
            "notes": list(_detail(change).notes),
        }


class OnboardingTasks:
    """A hire's tasks: create the missing ones, update the untouched ones the checklist changed."""

    kind = TASKS_RESOURCE
    after: tuple[str, ...] = ()
    title = "Onboarding tasks"
    before_type = HireTasks
    detail_type = OnboardingDetail

    def desired(self, workspace: Workspace) -> WantedOnboarding:
        """Every hire's epic and tasks."""
        return desired_onboarding(workspace)

    def scope(self, desired: WantedOnboarding) -> tuple[str, ...]:
        """The Jira projects, the hires and the owners' emails."""
        return desired.scope(with_users=True)

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> CurrentOnboarding:
        """The hires' tasks and the owners' Jira accounts."""
        return read_onboarding(site, scope, workers=workers, epics=False)

    def observe(self, current: CurrentOnboarding) -> Iterable[Observed]:
        """Each task."""
        return _observe(self.kind, current, epics=False)

    def diff(
        self, desired: WantedOnboarding, current: CurrentOnboarding, options: PlanOptions
    ) -> list[Change]:
        """One change per hire (see :mod:`teamcomms.resources.onboarding_plan`)."""
        return plan_tasks(desired, current)

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """A tasks change writes only tasks of its own hire's checklist."""
        detail = _detail(change)
        after = change.after
        if change.address != f"hire/{detail.hire}" or not isinstance(after, HireTasks):
            return f"it writes the tasks of hire/{detail.hire}, not {change.address}"
        wanted = set(after.tasks)
        if any(write.spec not in wanted for write in detail.writes):
            return "it writes a task its hire's checklist does not ask for"
        return None

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create the missing tasks (one bulk request per 50) and update the changed ones."""
        from teamcomms.resources.onboarding_writes import carry_out_tasks

        detail = _detail(change)
        epic_id = applied.id_of(epic_key(change.address)) or detail.epic_id
        carry_out_tasks(site, change.address, detail, epic_id)
        return None

    def describe(self, change: Change) -> list[str]:
        """A line per task to create or update, then what is left alone."""
        lines = []
        for write in _detail(change).writes:
            spec = write.spec
            who = spec.email or "nobody"
            if write.issue_id is None:
                lines.append(f"+ {spec.summary!r}: {spec.owner} ({who}), due {spec.due}")
            else:
                lines.append(f"~ {write.key} {spec.summary!r} ({', '.join(write.fields)})")
        return lines + _notes(_detail(change))

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Tasks have no page body."""
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        """The tasks to create and update (with owner and due date), and what is left alone."""
        detail = _detail(change)
        return {
            "hire": detail.hire,
            "create": [_task_json(w.spec) for w in detail.writes if w.issue_id is None],
            "update": [
                {**_task_json(w.spec), "key": w.key, "fields": list(w.fields)}
                for w in detail.writes
                if w.issue_id is not None
            ],
            "left_alone": [asdict(left) for left in detail.left_alone],
            "notes": list(detail.notes),
        }


def _task_json(spec: Any) -> dict[str, Any]:
    return {
        "item": spec.item,
        "summary": spec.summary,
        "owner": spec.owner,
        "email": spec.email,
        "due": spec.due,
    }
