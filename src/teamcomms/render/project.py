"""Rendering the definitions of a loaded project: pages, templates and workflow pages.

Decisions (see ``docs/rendering.md``):

- A page renders with its ``vars``, overridden by values given on the command line.
- A template renders with its variables' defaults and the given values; a variable still without
  a value becomes a Confluence template variable (``<at:var>``), shown as ``{name}`` in the
  preview. With ``strict=True`` (creating a real page from a template) a required variable
  without a value is an error instead.
- ``page:NAME`` links go to that page's title. ``template:NAME`` links go to the page the template
  makes when its title needs no missing value, else to the template's parent page (where its pages
  are filed), else to the title with ``{name}`` placeholders.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NoReturn, cast

from teamcomms.definitions.confine import read_body
from teamcomms.definitions.yaml_source import display_name
from teamcomms.errors import DefinitionError, Problem, UsageError
from teamcomms.render.glossary_page import glossary_page
from teamcomms.render.model import PageRef, RenderedPage
from teamcomms.render.site_rules import site_problems
from teamcomms.render.storage import render_storage
from teamcomms.render.templating import Placeholder
from teamcomms.render.titles import definition_problem, template_values, title_of
from teamcomms.render.workflow_page import workflow_page

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.definitions.common import Definition
    from teamcomms.definitions.kinds.page import PageDefinition
    from teamcomms.definitions.kinds.template import TemplateDefinition
    from teamcomms.definitions.kinds.workflow import WorkflowDefinition


class _PartialMapping(dict[str, object]):
    """A value given only in part (``--var hire.name=Ada``): missing keys are placeholders."""

    def __init__(self, items: Mapping[str, object], prefix: str) -> None:
        super().__init__({k: partial_value(v, f"{prefix}.{k}") for k, v in items.items()})
        self._prefix = prefix

    def __missing__(self, key: str) -> Placeholder:
        return Placeholder(f"{self._prefix}.{key}")


def partial_value(value: object, name: str) -> object:
    """``value`` with the keys it lacks standing in as placeholders named ``name.key``."""
    if isinstance(value, Mapping):
        return _PartialMapping(value, name)
    return value


def _in_body(definition: TemplateDefinition | PageDefinition, error: DefinitionError) -> NoReturn:
    """Name the definition in problems of its Markdown body, and the body as validate does."""
    body = str(definition.body)
    raise DefinitionError(
        [
            replace(
                p,
                file=display_name(definition.body) if p.file == body else p.file,
                definition=p.definition or definition.label,
            )
            for p in error.problems
        ]
    ) from None


@dataclass
class ProjectLinkResolver:
    """Resolves ``page:NAME`` and ``template:NAME`` against a project's definitions."""

    project: Project
    variables: Mapping[str, object] = field(default_factory=dict)
    _cache: dict[tuple[str, str], PageRef | None] = field(default_factory=dict)

    def resolve(self, kind: str, name: str) -> PageRef | None:
        """The page ``kind:name`` points at, or ``None`` when no definition has that name."""
        key = (kind, name)
        if key not in self._cache:
            self._cache[key] = self._find(kind, name)
        return self._cache[key]

    def _find(self, kind: str, name: str) -> PageRef | None:
        if kind == "page":
            page = next((p for p in self.project.pages if p.name == name), None)
            if page is None:
                return None
            return PageRef(title_of(page, {**page.vars, **self.variables}), page.space)
        template = next((t for t in self.project.templates if t.name == name), None)
        if template is None:
            return None
        values, missing = template_values(template, self.variables)
        title = title_of(template, values, missing)
        if missing and template.parent:
            return PageRef(template.parent, template.space)
        return PageRef(title, template.space)


def render_definition(
    project: Project,
    definition: Definition,
    variables: Mapping[str, object] | None = None,
    *,
    strict: bool = False,
    links: ProjectLinkResolver | None = None,
) -> RenderedPage:
    """Render a ``page``, ``template``, ``workflow`` or ``glossary`` definition of ``project``.

    Raises :class:`~teamcomms.errors.DefinitionError` (file and line of the Markdown) for
    template errors, and for a definition of another kind.
    """
    from teamcomms.definitions.kinds.glossary import GlossaryDefinition
    from teamcomms.definitions.kinds.page import PageDefinition
    from teamcomms.definitions.kinds.template import TemplateDefinition
    from teamcomms.definitions.kinds.workflow import WorkflowDefinition

    given = dict(variables or {})
    links = links or ProjectLinkResolver(project, given)
    if isinstance(definition, WorkflowDefinition):
        return _workflow(project, definition)
    if isinstance(definition, GlossaryDefinition):
        return glossary_page(definition, project.config.defaults.space)
    if isinstance(definition, PageDefinition):
        values: dict[str, object] = {**definition.vars, **given}
        placeholders: tuple[str, ...] = ()
        declared: list[str] = list(definition.vars)
    elif isinstance(definition, TemplateDefinition):
        values, placeholders = template_values(definition, given)
        declared = list(definition.variables)
        if strict:
            _require(definition, placeholders)
            values.update(dict.fromkeys(placeholders, ""))
            placeholders = ()
        else:
            values = {name: partial_value(value, name) for name, value in values.items()}
    else:
        message = f"{definition.kind} definitions have no page to render"
        raise DefinitionError([definition_problem(definition, message)])
    title = title_of(definition, values, placeholders)
    markdown = read_body(definition, project.root)
    try:
        page = render_storage(
            markdown,
            values,
            source=definition.body,
            links=links,
            placeholders=placeholders,
            declared=declared,
            title=title,
            root=project.root,
        )
    except DefinitionError as error:
        _in_body(definition, error)
    return RenderedPage(
        title=title,
        storage=page.storage,
        attachments=page.attachments,
        definition=definition.identity,
        space=definition.space,
        parent=definition.parent,
        labels=tuple(definition.labels),
        placeholders=page.placeholders,
        warnings=page.warnings,
    )


def _require(template: TemplateDefinition, missing: tuple[str, ...]) -> None:
    required = [name for name in missing if template.variables[name].required]
    if required:
        names = ", ".join(f"`{n}`" for n in required)
        message = f"no value for the required variable(s) {names}"
        hint = "give each with --var NAME=VALUE"
        raise DefinitionError([definition_problem(template, message, path="variables", hint=hint)])


def _workflow(project: Project, workflow: WorkflowDefinition) -> RenderedPage:
    page = workflow_page(workflow)
    return RenderedPage(
        title=page.title,
        storage=page.storage,
        attachments=page.attachments,
        definition=workflow.identity,
        space=project.config.defaults.space,
        labels=("workflow",),
        warnings=page.warnings,
    )


def render_project(
    project: Project,
    variables: Mapping[str, Any] | None = None,
    *,
    only: Collection[str] | None = None,
) -> tuple[RenderedPage, ...]:
    """Every page, template, workflow and glossary page of ``project``; all problems raised
    together.

    ``only`` limits it to those identities (``page/team-handbook``); links still resolve against
    the whole project.
    """
    rendered: list[RenderedPage] = []
    problems: list[Problem] = []
    links = ProjectLinkResolver(project, dict(variables or {}))
    definitions = (*project.pages, *project.templates, *project.workflows, *project.glossaries)
    for definition in definitions:
        if only is not None and definition.identity not in only:
            continue
        try:
            rendered.append(render_definition(project, definition, variables, links=links))
        except DefinitionError as error:
            problems.extend(error.problems)
    # Workflow pages are not rendered by validate, but their titles take part in the checks.
    checked = None if only is None else {*only, *(w.identity for w in project.workflows)}
    problems.extend(site_problems(project, dict(variables or {}), checked))
    if problems:
        raise DefinitionError(problems)
    return tuple(rendered)


def unused_variables(project: Project, values: Mapping[str, object]) -> list[str]:
    """One warning per given name that no page's ``vars`` or template's ``variables`` declares.

    A misspelt ``--var relase=2.4`` would otherwise be ignored without a word.
    """
    known = {name for page in project.pages for name in page.vars}
    known |= {name for template in project.templates for name in template.variables}
    warnings = []
    for name in values:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            guess = f"; did you mean `{close[0]}`?" if close else ""
            warnings.append(f"--var {name}: no page or template uses `{name}`{guess}")
    return warnings


def parse_variables(assignments: Sequence[str]) -> dict[str, object]:
    """``["release=2.4", "hire.name=Ada"]`` as ``{"release": "2.4", "hire": {"name": "Ada"}}``.

    Raises :class:`~teamcomms.errors.UsageError` for an item without ``=``.
    """
    values: dict[str, object] = {}
    given: dict[str, str] = {}
    for assignment in assignments:
        key, equals, value = assignment.partition("=")
        key = key.strip()
        parts = key.split(".")
        if not equals or not all(parts):
            raise UsageError(
                f"--var {assignment!r} is not NAME=VALUE",
                hint="write it as --var release=2.4 (dots nest: --var hire.name=Ada)",
            )
        target = values
        for depth, part in enumerate(parts):
            prefix = ".".join(parts[: depth + 1])
            existing = target.get(part)
            last = depth == len(parts) - 1
            if (last and isinstance(existing, dict)) or (not last and isinstance(existing, str)):
                raise UsageError(
                    f"--var {assignment!r} conflicts with --var {given[prefix]!r}",
                    hint=f"give `{prefix}` either one value or values for its parts, not both",
                )
            if last:
                target[part] = value
                given[prefix] = assignment
            else:
                target = cast(dict[str, object], target.setdefault(part, {}))
                given.setdefault(prefix, assignment)
    return values
