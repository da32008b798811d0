"""What every Jira configuration resource does the same way: the engine's view of its objects,
the marker check, the field-by-field description, and the plan from
:func:`~teamcomms.resources.jira_objects.plan_objects`.

A resource subclasses :class:`JiraObjectResource`, names its ``kind`` and ``noun``, and
implements what differs: the desired objects, how to read them, the pre-flight checks, how to
carry out one change, and its export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from teamcomms.resources import jira_describe, jira_objects
from teamcomms.resources.jira_objects import Existing, ObjectDetail, Spec, WantedObjects

if TYPE_CHECKING:
    from teamcomms.engine.change import Change
    from teamcomms.engine.resource import DiffView, Observed, PlanOptions


class JiraObjectResource:
    """The shared half of a Jira configuration resource."""

    kind: str
    noun: str
    """How the plan names one object in messages ("custom field", "workflow scheme")."""
    before_type = Spec
    detail_type = ObjectDetail

    def observe(self, current: tuple[Existing, ...]) -> Iterable[Observed]:
        """The objects in the engine's terms."""
        return jira_objects.observe(self.kind, current)

    def diff(
        self, desired: WantedObjects, current: tuple[Existing, ...], options: PlanOptions
    ) -> list[Change]:
        """See :func:`teamcomms.resources.jira_objects.plan_objects`."""
        return jira_objects.plan_objects(
            self.kind, self.noun, desired.objects, current, options.prune
        )

    def check_change(self, change: Change) -> str | None:
        """A write must carry the marker of its own definition and content."""
        return jira_objects.marker_problem(change)

    def describe(self, change: Change) -> list[str]:
        """``transition 'Ship': from [Picking] -> [Picking, Packing]``, ``statuses: +Packing``."""
        return jira_describe.describe(change)

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Jira objects have no body (a workflow's explanation page has)."""
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        """``before`` and ``after`` values."""
        return jira_describe.summary_json(change)
