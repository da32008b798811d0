"""``kind: page``: a Confluence page published from a Markdown body."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from teamcomms.definitions.common import ConfluenceContent
from teamcomms.definitions.lint_settings import DefinitionLint

VarValue = str | int | float | bool


class PageDefinition(ConfluenceContent):
    """A Confluence page; ``vars`` gives the values of the body's variables."""

    kind: Literal["page"] = "page"
    vars: dict[str, VarValue] = Field(default_factory=dict)
    adopt: bool = False
    lint: DefinitionLint = Field(default_factory=DefinitionLint)
