"""Page titles from their Jinja patterns, and problems located at a definition's keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from teamcomms.definitions.yaml_source import display_name
from teamcomms.errors import DefinitionError, Problem
from teamcomms.render.templating import render_title

if TYPE_CHECKING:
    from teamcomms.definitions.common import Definition
    from teamcomms.definitions.kinds.page import PageDefinition
    from teamcomms.definitions.kinds.template import TemplateDefinition


def template_values(
    template: TemplateDefinition, variables: Mapping[str, object]
) -> tuple[dict[str, object], tuple[str, ...]]:
    """The values a template renders with, and the declared variables that still have none."""
    values: dict[str, object] = {
        name: spec.default for name, spec in template.variables.items() if spec.default is not None
    }
    values.update(variables)
    missing = tuple(name for name in template.variables if name not in values)
    return values, missing


def title_of(
    definition: TemplateDefinition | PageDefinition,
    values: Mapping[str, object],
    placeholders: tuple[str, ...] = (),
) -> str:
    """The rendered title; variables in ``placeholders`` appear as ``{name}``."""
    try:
        return render_title(
            definition.title, values, source=definition.source.file, placeholders=placeholders
        )
    except DefinitionError as error:
        # The title lives in the YAML file: point at its key, not at line 1 of the pattern.
        raise DefinitionError(
            [
                definition_problem(definition, p.message, path="title", hint=p.hint)
                for p in error.problems
            ]
        ) from None


def definition_problem(
    definition: Definition, message: str, *, path: str | None = None, hint: str | None = None
) -> Problem:
    """A problem located at the key ``path`` of ``definition`` (at its start without one)."""
    where = definition.source.at(path) if path else definition.source
    return Problem(
        display_name(where.file),
        where.line,
        where.column,
        message,
        definition=definition.label,
        path=path,
        hint=hint,
    )
