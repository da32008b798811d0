"""The project file ``teamcomms.yaml``: site, deployment, defaults, teams, the working calendar
and which files to load."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from teamcomms.definitions.common import (
    DefinitionValueError,
    Email,
    ProjectKey,
    Slug,
    SpaceKey,
    StrictModel,
)
from teamcomms.definitions.lint_settings import LintConfig

PROJECT_FILE = "teamcomms.yaml"
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml")
PERSON_ROLES = ("hire", "manager", "buddy")
"""Owners of checklist items that every hire names for themselves (in the ``hire`` definition)."""


class Defaults(StrictModel):
    """Keys used when a definition names none."""

    space: SpaceKey | None = None
    project: ProjectKey | None = None


class Team(StrictModel):
    """A team checklist items are assigned to: one person, or a Jira group and the person in it
    who takes the group's onboarding tasks (Jira assigns an issue to a person, never a group)."""

    user: Email | None = Field(
        default=None,
        description="Email of the Jira user who gets the team's tasks; without it they are "
        "created unassigned.",
    )
    group: str | None = Field(
        default=None, min_length=1, description="The team's Jira group, for reference."
    )
    description: str = ""


DEFAULT_TEAMS: dict[str, Team] = {
    "it": Team(description="Accounts, hardware and access; unassigned until a user is set.")
}
"""The teams a project has when ``teamcomms.yaml`` lists none."""


class Calendar(StrictModel):
    """Working days for due dates counted in business days: Monday to Friday, less the public
    holidays of a country (and region), less the company's own days off."""

    country: str | None = Field(
        default=None, description="ISO 3166 country code for public holidays, e.g. US or DE."
    )
    region: str | None = Field(
        default=None, description="Subdivision code within the country, e.g. CA or BY."
    )
    days_off: tuple[date, ...] = Field(default=(), description="Company days off (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _known_to_holidays(self) -> Calendar:
        if self.country is None:
            if self.region is not None:
                raise DefinitionValueError(
                    "a region needs a country", "add `country:` (for example US)", at=("region",)
                )
            return self
        import holidays

        try:
            holidays.country_holidays(self.country, subdiv=self.region)
        except NotImplementedError as error:
            at = ("region",) if self.region and "subdivision" in str(error) else ("country",)
            raise DefinitionValueError(
                f"{error}",
                "use an ISO 3166 country code and one of its subdivision codes as the "
                "`holidays` package knows them (https://holidays.readthedocs.io)",
                at=at,
            ) from None
        return self


class OnboardingSettings(StrictModel):
    """How onboarding treats what it cannot find on the site."""

    unknown_users: Literal["fail", "unassigned"] = Field(
        default="fail",
        description="An owner's email with no Jira user: `fail` stops the plan with a message, "
        "`unassigned` creates the task without an assignee.",
    )


class ProjectConfig(StrictModel):
    """The contents of ``teamcomms.yaml``. Never holds credentials."""

    name: str = ""
    site: str | None = None
    deployment: Literal["cloud", "datacenter"] = "cloud"
    defaults: Defaults = Field(default_factory=Defaults)
    teams: dict[Slug, Team] = Field(
        default_factory=lambda: dict(DEFAULT_TEAMS),
        description="Teams checklist items may name as `owner` and checklists as `team`.",
    )
    calendar: Calendar = Field(default_factory=Calendar)
    onboarding: OnboardingSettings = Field(default_factory=OnboardingSettings)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    lint: LintConfig = Field(default_factory=LintConfig)

    @field_validator("site")
    @classmethod
    def _site_is_a_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")) or "@" in value:
            raise DefinitionValueError(
                f"'{value}' is not a site URL"
                if "@" not in value
                else "it holds a user name or password",
                "write the base URL, e.g. https://example.atlassian.net (no user or token in it)",
            )
        return value.rstrip("/")

    @field_validator("teams")
    @classmethod
    def _not_a_person_role(cls, value: dict[str, Team]) -> dict[str, Team]:
        for name in value:
            if name in PERSON_ROLES:
                raise DefinitionValueError(
                    f"'{name}' is a person every hire names, not a team",
                    f"choose another team name; {', '.join(PERSON_ROLES)} are reserved",
                    at=(name,),
                )
        return value
