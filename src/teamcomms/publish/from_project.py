"""Definitions -> desired Confluence state.

What a project publishes to Confluence:
- every ``page`` definition, as a page;
- every ``workflow``, as its explanation page (with the diagram attached) in the default space;
- every ``template`` with ``confluence_template: true``, as a space content template whose name
  is the title pattern with its variables as ``{placeholders}``. A template does not also yield
  a page: pages from a template are made per release or per use (``standup``, onboarding), not
  by ``apply``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from teamcomms.errors import DefinitionError, Problem
from teamcomms.publish.desired import DesiredAttachment, DesiredPage, DesiredState, DesiredTemplate

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.definitions.common import Definition
    from teamcomms.render import RenderedPage


def desired_state(project: Project) -> DesiredState:
    """Render everything the project publishes to Confluence.

    Raises :class:`~teamcomms.errors.DefinitionError` with every rendering problem at once, and
    for a page without a space when the project file names no default space.
    """
    from teamcomms.render.project import render_definition

    problems: list[Problem] = []
    pages: list[DesiredPage] = []
    templates: list[DesiredTemplate] = []
    default_space = project.config.defaults.space

    def render_in_space(definition: Definition) -> tuple[RenderedPage, str] | None:
        try:
            rendered = render_definition(project, definition)
        except DefinitionError as error:
            problems.extend(error.problems)
            return None
        space = rendered.space or default_space
        if space is None:
            problems.append(_no_space(definition))
            return None
        return rendered, space

    for definition in (*project.pages, *project.workflows):
        placed = render_in_space(definition)
        if placed is None:
            continue
        rendered, space = placed
        pages.append(
            DesiredPage(
                address=definition.identity,
                space=space,
                title=rendered.title,
                body=rendered.storage,
                parent_title=rendered.parent,
                labels=tuple(rendered.labels),
                attachments=_attachments(rendered),
                adopt=bool(getattr(definition, "adopt", False)),
            )
        )
    for template in project.templates:
        placed = render_in_space(template) if template.confluence_template else None
        if placed is None:
            continue
        rendered, space = placed
        templates.append(
            DesiredTemplate(
                address=template.identity,
                space=space,
                name=rendered.title,
                body=rendered.storage,
                description=template.description or "",
                labels=tuple(template.labels),
                adopt=template.adopt,
            )
        )
    if problems:
        raise DefinitionError(problems)
    extra = (default_space,) if default_space else ()
    return DesiredState(pages=tuple(pages), templates=tuple(templates), spaces=extra)


def _attachments(rendered: RenderedPage) -> tuple[DesiredAttachment, ...]:
    return tuple(
        DesiredAttachment(a.filename, a.read(), a.media_type) for a in rendered.attachments
    )


def _no_space(definition: Definition) -> Problem:
    return Problem(
        str(definition.source.file),
        definition.source.line,
        definition.source.column,
        "no Confluence space: the definition names none and teamcomms.yaml has no default",
        definition=f"{definition.kind} '{definition.name}'",
        path="space",
        hint="add `space: KEY` to the definition or `defaults: {space: KEY}` to teamcomms.yaml",
    )
