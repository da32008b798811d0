"""``kind: filter``: a Jira saved filter (JQL) and who it is shared with."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from teamcomms.definitions.common import Definition, ProjectKey, StrictModel


class ProjectShare(StrictModel):
    """Shared with the members of a project."""

    type: Literal["project"]
    project: ProjectKey


class GroupShare(StrictModel):
    """Shared with a group."""

    type: Literal["group"]
    group: str = Field(min_length=1)


class LoggedInShare(StrictModel):
    """Shared with every logged-in user."""

    type: Literal["loggedin"]


class GlobalShare(StrictModel):
    """Shared with everyone, including anonymous users where the site allows it."""

    type: Literal["global"]


Share = Annotated[
    ProjectShare | GroupShare | LoggedInShare | GlobalShare, Field(discriminator="type")
]


class FilterDefinition(Definition):
    """A Jira saved filter, matched on the site by name."""

    kind: Literal["filter"] = "filter"
    jql: str = Field(min_length=1)
    favourite: bool = False
    share: tuple[Share, ...] = ()
    adopt: bool = False
    """Take over an object of this name that teamcomms did not create, instead of a conflict."""
