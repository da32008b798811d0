"""``kind: board``: a Jira Software board built on a filter."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from teamcomms.definitions.common import Definition, ProjectKey, default_project


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
