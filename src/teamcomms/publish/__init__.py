"""Publishing to Confluence: desired state, current state, plan, apply.

The flow is ``desired_state(project)`` + ``read_current(site, spaces)`` ->
``compute_plan(desired, current)`` -> ``apply_plan(plan, site)``. Everything up to the plan is
pure and importable without the HTTP clients.
"""

from __future__ import annotations

from teamcomms.publish.changes import Change, Content, Plan
from teamcomms.publish.desired import DesiredAttachment, DesiredPage, DesiredState, DesiredTemplate
from teamcomms.publish.marker import MARKER_KEY, Marker
from teamcomms.publish.plan import PlanOptions, compute_plan
from teamcomms.publish.report import ApplyReport, ChangeResult
from teamcomms.publish.state import CurrentPage, CurrentSpace, CurrentState, CurrentTemplate

__all__ = [
    "MARKER_KEY",
    "ApplyReport",
    "Change",
    "ChangeResult",
    "Content",
    "CurrentPage",
    "CurrentSpace",
    "CurrentState",
    "CurrentTemplate",
    "DesiredAttachment",
    "DesiredPage",
    "DesiredState",
    "DesiredTemplate",
    "Marker",
    "Plan",
    "PlanOptions",
    "compute_plan",
]
