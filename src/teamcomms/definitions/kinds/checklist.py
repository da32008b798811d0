"""``kind: checklist``: an onboarding checklist for a role, turned into a Jira epic and tasks."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from teamcomms.definitions.common import (
    EMAIL_PATTERN,
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

OWNER_ROLES = ("hire", "manager", "buddy", "it")
LINK_PATTERN = r"^(page|template):[a-z0-9][a-z0-9-]*$|^https://\S+$"


def _owner(value: str) -> str:
    if value not in OWNER_ROLES and not re.fullmatch(EMAIL_PATTERN, value):
        raise DefinitionValueError(
            f"'{value}' is not an owner", "use hire, manager, buddy, it or an email address"
        )
    return value


Owner = Annotated[
    str,
    AfterValidator(_owner),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(OWNER_ROLES)},
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


class ChecklistItem(StrictModel):
    """One task of the checklist: who does it and when, relative to the start date."""

    title: str = Field(min_length=1)
    owner: Owner
    due: RelativeDue
    description: str = ""
    link: Link | None = None


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
    team: Literal["product", "customer-acquisition", "customer-retention", "operations"] | None = (
        None
    )
    jira: ChecklistJira
    welcome_page: WelcomePage | None = None
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


CheckListDefinition = ChecklistDefinition
