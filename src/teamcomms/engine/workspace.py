"""A loaded project together with its rendered pages: rendered once per run, shared by
validation, planning and output.

Loading and cross-checking the definitions is :mod:`teamcomms.definitions`' job and rendering is
:mod:`teamcomms.render`'s; checking what only rendering finds (an unknown status colour, a bad
Jira key, a body that grows without bound) needs both, so it lives here, above them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from teamcomms.definitions import Project, Validation
from teamcomms.definitions import validate_project as validate_definitions
from teamcomms.definitions.project import PathArgument, as_paths
from teamcomms.definitions.yaml_source import real_path, resolving_once
from teamcomms.errors import DefinitionError, Problem

if TYPE_CHECKING:
    from teamcomms.definitions.common import Definition
    from teamcomms.render import ProjectLinkResolver, RenderedPage


@dataclass
class Workspace:
    """A project and a cache of its rendered pages (each definition is rendered at most once)."""

    project: Project
    context: Project | None = None
    """When only some files of a project were loaded: the whole project, which their links and
    references resolve against."""
    _rendered: dict[str, RenderedPage] = field(default_factory=dict, repr=False)
    _links: ProjectLinkResolver | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _notes: list[str] = field(default_factory=list, repr=False)

    @property
    def root(self) -> Path:
        """The project folder."""
        return self.project.root

    def rendered(self, definition: Definition) -> RenderedPage:
        """The page ``definition`` renders to (a page, template or workflow definition).

        Raises :class:`~teamcomms.errors.DefinitionError` with the file and line of the problem.
        """
        from teamcomms.render import ProjectLinkResolver, render_definition

        key = definition.identity
        whole = self.context or self.project
        with self._lock:
            found = self._rendered.get(key)
            if self._links is None:
                self._links = ProjectLinkResolver(whole, {})
            links = self._links
        if found is not None:
            return found
        page = render_definition(whole, definition, links=links)
        with self._lock:
            self._rendered.setdefault(key, page)
        return page

    def render_all(self, definitions: Iterable[Definition]) -> list[Problem]:
        """Render each of ``definitions`` (caching the results); every problem found."""
        problems: list[Problem] = []
        for definition in definitions:
            try:
                self.rendered(definition)
            except DefinitionError as error:
                problems.extend(error.problems)
        return problems

    def warn(self, message: str) -> None:
        """Note something the plan should say that stops nothing (once per message)."""
        with self._lock:
            if message not in self._notes:
                self._notes.append(message)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What rendering and planning found that does not stop publishing (a diagram that
        could not be drawn, pages left out for want of a space)."""
        with self._lock:
            pages = list(self._rendered.values())
            notes = list(self._notes)
        return (*notes, *(w for page in pages for w in getattr(page, "warnings", ())))


def check_project(path: PathArgument = ()) -> tuple[Validation, Workspace]:
    """Load and check a project folder or files, then render the bodies of the page and
    template definitions given, collecting every problem instead of raising.

    Bodies are rendered only once the definitions are otherwise clean, so a problem is not
    reported twice; the renderer is the one authority on the Markdown dialect. Single files
    (a pre-commit hook) are rendered against the whole project, so their links resolve.
    """
    with resolving_once():
        return _check_project(as_paths(path))


def _check_project(paths: list[Path]) -> tuple[Validation, Workspace]:
    validation = validate_definitions(paths)
    workspace = Workspace(validation.project, context=validation.whole)
    if validation.errors:
        return validation, workspace
    given = [real_path(p) for p in paths]
    project = validation.project
    bodies = [
        d
        for d in (*project.pages, *project.templates)
        if any(real_path(d.source.file).is_relative_to(p) for p in given)
    ]
    problems = workspace.render_all(bodies)
    if bodies:
        from teamcomms.render.site_rules import site_problems

        # What Confluence would refuse across definitions (duplicate titles in a space, parent
        # cycles); workflow pages take part though validate does not render them.
        checked = {*(d.identity for d in bodies), *(w.identity for w in project.workflows)}
        problems.extend(site_problems(validation.whole or project, {}, checked))
    if problems:
        merged = tuple(sorted((*validation.problems, *problems)))
        validation = Validation(validation.project, merged, whole=validation.whole)
    return validation, workspace


def validate_project(path: PathArgument = ()) -> Validation:
    """Every problem of a project folder or files, bodies rendered (see :func:`check_project`)."""
    return check_project(path)[0]


def load_workspace(path: PathArgument) -> Workspace:
    """Load, check and render a project; raises :class:`DefinitionError` holding every problem
    if any is an error. The rendered pages are kept for planning and output."""
    validation, workspace = check_project(path)
    if validation.errors:
        raise DefinitionError(validation.problems)
    return workspace


def load_project(path: PathArgument) -> Project:
    """Load and check a project, bodies rendered (see :func:`load_workspace`)."""
    return load_workspace(path).project


def workspace_of(project: Project | Workspace) -> Workspace:
    """``project`` as a workspace (a bare project is rendered on first use)."""
    return project if isinstance(project, Workspace) else Workspace(project)


__all__: Sequence[str] = (
    "Workspace",
    "check_project",
    "load_project",
    "load_workspace",
    "validate_project",
    "workspace_of",
)
