"""``kind: board``: a Jira Software board built on a filter."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from teamcomms.definitions.common import Definition, ProjectKey, StrictModel, default_project


class BoardColumn(StrictModel):
    """A board column and the statuses it shows."""

    name: str = Field(min_length=1)
    statuses: tuple[str, ...] = Field(min_length=1)


class QuickFilter(StrictModel):
    """A quick filter of the board."""

    name: str = Field(min_length=1)
    jql: str = Field(min_length=1)


class BoardDefinition(Definition):
    """A scrum or kanban board; ``filter`` names a ``filter`` definition."""

    kind: Literal["board"] = "board"
    type: Literal["kanban", "scrum"]
    filter: str = Field(min_length=1)
    project: Annotated[ProjectKey, BeforeValidator(default_project)] = Field(
        default=None, validate_default=True
    )
    adopt: bool = False
    """Take over an object of this name that teamcomms did not create, instead of a conflict."""
    columns: tuple[BoardColumn, ...] = Field(
        default=(),
        description="The columns the board should show. Jira has no API to set them: plan "
        "compares them with the board and says what to change in the board's settings.",
    )
    swimlanes: Literal["none", "queries", "stories", "assignees", "epics", "projects"] | None = (
        Field(
            default=None,
            description="How the board groups its cards (set by hand in the board's settings; "
            "Jira's API cannot read it, so plan reminds you to check it).",
        )
    )
    quick_filters: tuple[QuickFilter, ...] = Field(
        default=(),
        description="Quick filters the board should have (compared with the board; Jira has no "
        "API to create them).",
    )
