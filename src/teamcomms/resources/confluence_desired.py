"""Definitions -> the desired Confluence state of the page and template resources.

What a project publishes to Confluence:
- every ``page`` definition, as a page;
- every ``workflow``, as its explanation page (with the diagram attached) in the default space;
- every ``glossary``, as a page listing its terms (where its ``page:`` block says);
- every ``hire`` whose checklist has a ``welcome_page``, as the page its template makes with the
  hire's values (owned by the hire's definition, ``hire/NAME``);
- every ``template`` with ``confluence_template: true``, as a space content template whose name
  is the title pattern with its variables as ``{placeholders}``. A template does not otherwise
  yield a page: pages from a template are made per release or per use (``standup``, a hire).

Bodies come from the workspace, so each is rendered once per run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from teamcomms.errors import DefinitionError, Problem
from teamcomms.resources.confluence_state import (
    DesiredAttachment,
    DesiredPage,
    DesiredState,
    DesiredTemplate,
)

if TYPE_CHECKING:
    from teamcomms.definitions.common import Definition
    from teamcomms.engine.workspace import Workspace
    from teamcomms.render import RenderedPage


def desired_pages(workspace: Workspace) -> DesiredState:
    """Every page the project publishes (its ``templates`` left empty).

    Raises :class:`~teamcomms.errors.DefinitionError` with every rendering problem at once, and
    for a page without a space when the project file names no default space.
    """
    project = workspace.project
    problems: list[Problem] = []
    pages: list[DesiredPage] = []
    workflows = project.workflows
    if workflows and project.config.defaults.space is None:
        # The explanation pages go to the default space; a Jira-only project has none.
        workspace.warn(
            "the workflows' explanation pages are not published: teamcomms.yaml names no "
            "default space (add `defaults: {space: KEY}` to publish them)"
        )
        workflows = ()
    for definition in (*project.pages, *workflows, *project.glossaries):
        placed = _in_space(workspace, definition, problems)
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
    pages.extend(_welcome_pages(workspace, problems))
    if problems:
        raise DefinitionError(problems)
    return DesiredState(pages=tuple(pages), spaces=_default_space(workspace))


def _welcome_pages(workspace: Workspace, problems: list[Problem]) -> list[DesiredPage]:
    """Each hire's welcome page, from its checklist's template with the hire's values."""
    from teamcomms.render import render_definition
    from teamcomms.resources.onboarding_desired import checklist_of, hire_variables

    project = workspace.project
    whole = workspace.context or project
    pages: list[DesiredPage] = []
    for hire in project.hires:
        checklist = checklist_of(whole, hire)
        welcome = checklist.welcome_page
        template = next(
            (t for t in whole.templates if welcome and t.name == welcome.template), None
        )
        if welcome is None or template is None:
            continue
        variables = {"hire": hire_variables(hire, checklist)}
        try:
            rendered = render_definition(whole, template, variables, strict=True)
        except DefinitionError as error:
            problems.extend(error.problems)
            continue
        space = welcome.space or rendered.space or project.config.defaults.space
        if space is None:
            problems.append(_no_space(template))
            continue
        pages.append(
            DesiredPage(
                address=hire.identity,
                space=space,
                title=rendered.title,
                body=rendered.storage,
                parent_title=welcome.parent if welcome.parent is not None else rendered.parent,
                labels=tuple(rendered.labels),
                attachments=_attachments(rendered),
            )
        )
    return pages


def desired_templates(workspace: Workspace) -> DesiredState:
    """Every content template the project publishes (its ``pages`` left empty)."""
    problems: list[Problem] = []
    templates: list[DesiredTemplate] = []
    for template in workspace.project.templates:
        if not template.confluence_template:
            continue
        placed = _in_space(workspace, template, problems)
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
    return DesiredState(templates=tuple(templates), spaces=_default_space(workspace))


def _default_space(workspace: Workspace) -> tuple[str, ...]:
    # The default space is read even when nothing is published there, so orphans left in it
    # after the last definition was removed are still found.
    space = workspace.project.config.defaults.space
    return (space,) if space else ()


def _in_space(
    workspace: Workspace, definition: Definition, problems: list[Problem]
) -> tuple[RenderedPage, str] | None:
    try:
        rendered = workspace.rendered(definition)
    except DefinitionError as error:
        problems.extend(error.problems)
        return None
    space = rendered.space or workspace.project.config.defaults.space
    if space is None:
        problems.append(_no_space(definition))
        return None
    return rendered, space


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
