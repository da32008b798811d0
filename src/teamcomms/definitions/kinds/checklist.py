"""``kind: checklist``: an onboarding checklist for a role, turned into a Jira epic and tasks for
each hire (see ``teamcomms onboard``)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from teamcomms.definitions.common import (
    EMAIL_PATTERN,
    SLUG_PATTERN,
    Definition,
    DefinitionValueError,
    JiraLabel,
    Matching,
    ProjectKey,
    Slug,
    SpaceKey,
    StrictModel,
    default_project,
)
from teamcomms.definitions.due import RelativeDue
from teamcomms.definitions.lint_settings import DefinitionLint
from teamcomms.definitions.project_file import DEFAULT_TEAMS, PERSON_ROLES

LINK_PATTERN = r"^(page|template):[a-z0-9][a-z0-9-]*$|^https://\S+$"


def _teams(info: ValidationInfo) -> tuple[str, ...] | None:
    """The team names the project file lists (the loader passes them), or ``None`` when it lists
    none (the default teams apply)."""
    teams = (info.context or {}).get("teams")
    return tuple(teams) if teams is not None else None


def _owner(value: str, info: ValidationInfo) -> str:
    teams = _teams(info) or tuple(DEFAULT_TEAMS)
    if value in PERSON_ROLES or value in teams or re.fullmatch(EMAIL_PATTERN, value):
        return value
    raise DefinitionValueError(
        f"'{value}' is not an owner",
        f"use {', '.join(PERSON_ROLES)}, a team of teamcomms.yaml ({', '.join(teams) or 'none'}) "
        "or an email address",
    )


def _team(value: str | None, info: ValidationInfo) -> str | None:
    teams = _teams(info)
    if value is None or teams is None or value in teams:
        return value
    raise DefinitionValueError(
        f"team '{value}' is not defined in teamcomms.yaml",
        f"add it under `teams:` in teamcomms.yaml, or use one of: {', '.join(teams) or 'none'}",
    )


Owner = Annotated[
    str,
    AfterValidator(_owner),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(PERSON_ROLES)},
                {"type": "string", "pattern": SLUG_PATTERN, "description": "A team name."},
                {"type": "string", "pattern": EMAIL_PATTERN},
            ]
        }
    ),
]
Link = Annotated[
    str,
    Matching(
        LINK_PATTERN,
        "a link",
        "write page:NAME or template:NAME (a definition of that kind) or an https:// URL",
    ),
]


def item_key(title: str) -> str:
    """An item id made from its title: ``Laptop ready`` gives ``laptop-ready``."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "item"


class ChecklistItem(StrictModel):
    """One task of the checklist: who does it and when, relative to the start date."""

    id: Slug | None = Field(
        default=None,
        description="Keeps the item the same Jira task when its title changes (default: made "
        "from the title).",
    )
    title: str = Field(min_length=1, max_length=255)
    owner: Owner
    due: RelativeDue
    description: str = ""
    link: Link | None = None

    @property
    def key(self) -> str:
        """The item's id: ``id``, else made from the title."""
        return self.id or item_key(self.title)


class ChecklistJira(StrictModel):
    """Where the onboarding epic and its tasks are created."""

    project: Annotated[ProjectKey, BeforeValidator(default_project)] = Field(
        default=None, validate_default=True
    )
    epic: str = Field(default="Onboarding: {{ hire.name }}", min_length=1)
    issue_type: str = "Task"
    labels: tuple[JiraLabel, ...] = ()


class WelcomePage(StrictModel):
    """The welcome page made for each hire from a ``template`` definition."""

    template: Slug
    space: SpaceKey | None = None
    parent: str | None = None


class ChecklistDefinition(Definition):
    """An onboarding checklist for one role."""

    kind: Literal["checklist"] = "checklist"
    name: Slug
    role: str = Field(min_length=1)
    team: Annotated[Slug | None, AfterValidator(_team)] = Field(
        default=None, description="The team of teamcomms.yaml this role belongs to."
    )
    jira: ChecklistJira
    welcome_page: WelcomePage | None = None
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    lint: DefinitionLint = Field(default_factory=DefinitionLint)

    @model_validator(mode="after")
    def _item_ids_unique(self) -> ChecklistDefinition:
        seen: dict[str, int] = {}
        for number, entry in enumerate(self.items):
            if entry.key in seen:
                where = "id" if entry.id else "title"
                raise DefinitionValueError(
                    f"item id '{entry.key}' is also the id of items[{seen[entry.key]}]",
                    "give one of them its own `id:` (items with the same title need one)",
                    at=("items", number, where),
                )
            seen[entry.key] = number
        return self
