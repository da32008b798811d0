"""``kind: page``: a Confluence page published from a Markdown body."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from teamcomms.definitions.common import Definition, Slug, SpaceKey, default_space, resolve_body

VarValue = str | int | float | bool


class PageDefinition(Definition):
    """A Confluence page; ``vars`` gives the values of the body's variables."""

    kind: Literal["page"] = "page"
    name: Slug
    title: str = Field(min_length=1)
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    labels: tuple[str, ...] = ()
    body: Annotated[Path, BeforeValidator(resolve_body)] = Field(
        description="Markdown + Jinja file, relative to the definition file."
    )
    vars: dict[str, VarValue] = Field(default_factory=dict)
    adopt: bool = False
