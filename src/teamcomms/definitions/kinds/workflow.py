"""``kind: workflow``: a Jira workflow with its statuses, transitions and the projects using it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator

from teamcomms.definitions.common import (
    Definition,
    DefinitionValueError,
    ProjectKey,
    StrictModel,
    as_tuple,
)
from teamcomms.definitions.lint_settings import DefinitionLint

StatusCategory = Literal["todo", "in_progress", "done"]


class Status(StrictModel):
    """A workflow status and the Jira status category it belongs to."""

    name: str = Field(min_length=1)
    category: StatusCategory
    description: str = ""


def _sources(value: Any) -> Any:
    if value == "any":
        return None
    if value == []:
        raise DefinitionValueError(
            "'from' names no status", "list at least one status, or write 'from: any'"
        )
    return as_tuple(value)


class Transition(StrictModel):
    """A move between statuses. ``sources`` is ``None`` for a global transition (``from: any``)."""

    name: str = Field(min_length=1)
    sources: Annotated[
        tuple[str, ...] | None,
        BeforeValidator(_sources),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                ],
                "description": "A status name, a list of status names, or 'any'.",
            }
        ),
        Field(alias="from"),
    ]
    to: str = Field(min_length=1)
    description: str = ""
    requires: tuple[str, ...] = Field(
        default=(),
        description="Fields (by name) that must have a value before the transition "
        "(Jira's 'field required' validator).",
    )
    groups: tuple[str, ...] = Field(
        default=(), description="Only members of these groups may make the transition."
    )
    roles: tuple[str, ...] = Field(
        default=(),
        description="Only people in these project roles may make the transition "
        "(with groups: either is enough).",
    )


class UsedBy(StrictModel):
    """A project and the issue types in it that use the workflow."""

    project: ProjectKey
    issue_types: tuple[str, ...] = Field(min_length=1)


class WorkflowDefinition(Definition):
    """A Jira workflow, matched on the site by name."""

    kind: Literal["workflow"] = "workflow"
    statuses: tuple[Status, ...] = Field(min_length=1)
    initial: str = Field(min_length=1)
    transitions: tuple[Transition, ...] = ()
    used_by: tuple[UsedBy, ...] = ()
    resolution: str | None = Field(
        default="Done",
        description="The resolution set by every transition into a 'done' status (null: none).",
    )
    status_mapping: dict[str, str] = Field(
        default_factory=dict,
        description="When a status is removed while issues are in it: where those issues go "
        "(old status -> new status).",
    )
    adopt: bool = False
    """Take over an object of this name that teamcomms did not create, instead of a conflict."""
    lint: DefinitionLint = Field(default_factory=DefinitionLint)

    @field_validator("initial", mode="before")
    @classmethod
    def _one_initial(cls, value: Any) -> Any:
        if isinstance(value, list):
            raise ValueError("a workflow has exactly one initial status; name a single status here")
        return value

    def status(self, name: str) -> Status | None:
        """The status called ``name``, if any."""
        return next((status for status in self.statuses if status.name == name), None)
