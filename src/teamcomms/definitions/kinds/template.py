"""``kind: template``: a Confluence doc template written in Markdown with Jinja variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from teamcomms.definitions.common import (
    Definition,
    Slug,
    SpaceKey,
    StrictModel,
    default_space,
    resolve_body,
)


class VariableSpec(StrictModel):
    """A variable the template's title and body may use."""

    required: bool = False
    description: str = ""
    default: str | None = None


class TemplateDefinition(Definition):
    """A Confluence doc template; ``body`` is resolved to an absolute path when loaded."""

    kind: Literal["template"] = "template"
    name: Slug
    title: str = Field(min_length=1, description="Jinja title pattern.")
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    labels: tuple[str, ...] = ()
    body: Annotated[Path, BeforeValidator(resolve_body)] = Field(
        description="Markdown + Jinja file, relative to the definition file."
    )
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    confluence_template: bool = False
    adopt: bool = False
