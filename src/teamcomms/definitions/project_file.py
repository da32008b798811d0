"""The project file ``teamcomms.yaml``: site, deployment, defaults and which files to load."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from teamcomms.definitions.common import (
    DefinitionValueError,
    ProjectKey,
    SpaceKey,
    StrictModel,
)
from teamcomms.definitions.lint_settings import LintConfig

PROJECT_FILE = "teamcomms.yaml"
DEFAULT_INCLUDE = ("**/*.yaml", "**/*.yml")


class Defaults(StrictModel):
    """Keys used when a definition names none."""

    space: SpaceKey | None = None
    project: ProjectKey | None = None


class ProjectConfig(StrictModel):
    """The contents of ``teamcomms.yaml``. Never holds credentials."""

    name: str = ""
    site: str | None = None
    deployment: Literal["cloud", "datacenter"] = "cloud"
    defaults: Defaults = Field(default_factory=Defaults)
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
