"""``kind: standup``: a team's daily standup, read from Jira and published as the day's
meeting-notes page by ``teamcomms standup``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from teamcomms.definitions.common import (
    Definition,
    Email,
    SpaceKey,
    StrictModel,
    as_tuple,
    default_space,
    known_timezone,
)
from teamcomms.definitions.common import Slug as TemplateName


class Deployments(StrictModel):
    """Which issues are the team's deployments: those with a fix version or a label."""

    fix_version: str | None = Field(default=None, min_length=1)
    """A fix version name; an issue is due on the version's release date (else its due date)."""
    label: str | None = Field(default=None, min_length=1, pattern=r"^\S+$")
    """A Jira label (no spaces); an issue is due on its due date."""

    @model_validator(mode="after")
    def _one_of(self) -> Deployments:
        if (self.fix_version is None) == (self.label is None):
            raise ValueError("give exactly one of fix_version and label")
        return self


class StandupDefinition(Definition):
    """A standup: who is in it, which issues it walks, and where its daily page goes.

    ``template`` optionally names a ``template`` definition for the page (the built-in page
    otherwise); it is rendered with ``team``, ``date``, ``jql`` and ``standup`` (the figures).
    """

    kind: Literal["standup"] = "standup"
    name: TemplateName
    team: str = Field(min_length=1)
    jql: str = Field(min_length=1)
    """The issues the standup walks (its scope); people and figures come from these."""
    members: Annotated[tuple[Email, ...], BeforeValidator(as_tuple)] = ()
    """The people in the standup, by the email of their Atlassian account, in the order the
    standup goes round. Empty: everyone assigned an issue in scope."""
    blocked_statuses: Annotated[tuple[str, ...], BeforeValidator(as_tuple)] = ("Blocked",)
    """Statuses that mean blocked (a flagged issue is blocked whatever its status)."""
    deployments: Deployments | None = None
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    title: str = Field(min_length=1, default="{{ team }} standup {{ date }}")
    template: TemplateName | None = None
    labels: Annotated[tuple[str, ...], BeforeValidator(as_tuple)] = ("standup",)
    timezone: Annotated[str, AfterValidator(known_timezone)] = "UTC"
    """The IANA time zone days start in (``America/Los_Angeles``)."""
