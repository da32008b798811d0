"""``kind: report``: progress reports over the projects and workflows of the definitions,
computed and published by ``teamcomms report``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from teamcomms.definitions.common import (
    Definition,
    ProjectKey,
    Slug,
    SpaceKey,
    as_tuple,
    default_space,
    known_timezone,
)

Period = Literal["day", "week", "month", "quarter", "year"]


class ReportDefinition(Definition):
    """Where a report's pages go and what it covers.

    Each period gets its own page (``title`` with ``period`` and ``label``), under an index page
    (``index_title``) that links them all, under ``parent`` (the space's home page when none).
    """

    kind: Literal["report"] = "report"
    name: Slug
    projects: Annotated[tuple[ProjectKey, ...], BeforeValidator(as_tuple)] = ()
    """Jira projects to report on. Empty: every project a workflow definition is used by."""
    jql: str | None = Field(default=None, min_length=1)
    """Narrows the issues further (``AND``-ed with the projects), e.g. ``issuetype != Epic``."""
    period: Period = "week"
    """The period when ``--period`` is not given."""
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    index_title: str = Field(min_length=1, default="Progress reports")
    title: str = Field(min_length=1, default="Progress {{ period }} {{ label }}")
    template: Slug | None = None
    """A ``template`` definition for the period pages (the built-in page otherwise); it is
    rendered with ``period``, ``label`` and ``report`` (the figures)."""
    oldest: int = Field(default=10, ge=1, le=100)
    """How many of the oldest open issues to list."""
    labels: Annotated[tuple[str, ...], BeforeValidator(as_tuple)] = ("report",)
    timezone: Annotated[str, AfterValidator(known_timezone)] = "UTC"
    """The IANA time zone days start in (``America/Los_Angeles``)."""
