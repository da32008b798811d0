"""``kind: template``: a Confluence doc template written in Markdown with Jinja variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from teamcomms.definitions.common import ConfluenceContent, StrictModel, Title
from teamcomms.definitions.lint_settings import DefinitionLint


class VariableSpec(StrictModel):
    """A variable the template's title and body may use."""

    required: bool = False
    description: str = ""
    default: str | None = None


class TemplateDefinition(ConfluenceContent):
    """A Confluence doc template; ``body`` is resolved to an absolute path when loaded."""

    kind: Literal["template"] = "template"
    title: Title = Field(min_length=1, description="Jinja title pattern.")
    variables: dict[str, VariableSpec] = Field(default_factory=dict)
    confluence_template: bool = False
    adopt: bool = False
    lint: DefinitionLint = Field(default_factory=DefinitionLint)
