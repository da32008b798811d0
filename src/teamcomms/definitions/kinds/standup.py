"""``kind: standup``: a daily standup notes page fed by a JQL query."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from teamcomms.definitions.common import Definition, Slug, SpaceKey, default_space


class StandupDefinition(Definition):
    """A standup page; ``template`` optionally names a ``template`` definition."""

    kind: Literal["standup"] = "standup"
    name: Slug
    team: str = Field(min_length=1)
    jql: str = Field(min_length=1)
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    title: str = Field(min_length=1, default="{{ team }} standup {{ date }}")
    template: Slug | None = None
