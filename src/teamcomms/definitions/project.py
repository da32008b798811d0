"""The loaded project: every definition, validated and cross-checked, plus the warnings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

from teamcomms.definitions.common import Definition
from teamcomms.definitions.crosscheck import cross_check
from teamcomms.definitions.kinds import KINDS
from teamcomms.definitions.kinds.board import BoardDefinition
from teamcomms.definitions.kinds.checklist import ChecklistDefinition
from teamcomms.definitions.kinds.field import FieldDefinition
from teamcomms.definitions.kinds.filter import FilterDefinition
from teamcomms.definitions.kinds.glossary import GlossaryDefinition
from teamcomms.definitions.kinds.hire import HireDefinition
from teamcomms.definitions.kinds.import_ import ImportDefinition
from teamcomms.definitions.kinds.page import PageDefinition
from teamcomms.definitions.kinds.report import ReportDefinition
from teamcomms.definitions.kinds.standup import StandupDefinition
from teamcomms.definitions.kinds.template import TemplateDefinition
from teamcomms.definitions.kinds.workflow import WorkflowDefinition
from teamcomms.definitions.loader import LoadResult, load_files
from teamcomms.definitions.project_file import PROJECT_FILE, ProjectConfig
from teamcomms.definitions.yaml_source import display_name, real_path
from teamcomms.errors import DefinitionError, Problem

_D = TypeVar("_D", bound=Definition)


@dataclass(frozen=True)
class Project:
    """A project's configuration and definitions, in the order they were written."""

    root: Path
    config: ProjectConfig
    workflows: tuple[WorkflowDefinition, ...] = ()
    fields: tuple[FieldDefinition, ...] = ()
    filters: tuple[FilterDefinition, ...] = ()
    boards: tuple[BoardDefinition, ...] = ()
    checklists: tuple[ChecklistDefinition, ...] = ()
    hires: tuple[HireDefinition, ...] = ()
    templates: tuple[TemplateDefinition, ...] = ()
    pages: tuple[PageDefinition, ...] = ()
    standups: tuple[StandupDefinition, ...] = ()
    reports: tuple[ReportDefinition, ...] = ()
    glossaries: tuple[GlossaryDefinition, ...] = ()
    imports: tuple[ImportDefinition, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())

    def all(self) -> tuple[Definition, ...]:
        """Every definition, kind by kind."""
        return (
            *self.workflows,
            *self.fields,
            *self.filters,
            *self.boards,
            *self.checklists,
            *self.hires,
            *self.templates,
            *self.pages,
            *self.standups,
            *self.reports,
            *self.glossaries,
            *self.imports,
        )

    def get(self, kind: str, name: str) -> Definition | None:
        """The definition ``kind/name``, or None."""
        return next((d for d in self.all() if d.kind == kind and d.name == name), None)

    def counts(self) -> dict[str, int]:
        """How many definitions of each kind, in the usual order."""
        counted = dict.fromkeys(KINDS, 0)
        for definition in self.all():
            counted[definition.kind] += 1
        return counted


@dataclass(frozen=True)
class Validation:
    """What ``validate`` reports: every problem, sorted, and the (partial) project."""

    project: Project
    problems: tuple[Problem, ...]
    whole: Project | None = None
    """When single files of a project were given: the whole project they belong to, so that
    what they refer to (links, filters, templates) resolves against all of it."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that are errors."""
        return tuple(p for p in self.problems if p.severity == "error")


def _of(definitions: list[Definition], kind: type[_D]) -> tuple[_D, ...]:
    return tuple(d for d in definitions if isinstance(d, kind))


def _whole_project(paths: list[Path], result: LoadResult) -> LoadResult | None:
    """The whole project when only some of its files were given (as a pre-commit hook does),
    loaded once for the cross-checks and the body checks; ``None`` when folders were given."""
    if not paths or any(p.is_dir() for p in paths) or not (result.root / PROJECT_FILE).is_file():
        return None
    return load_files([result.root])


def _cross_check(paths: list[Path], result: LoadResult, whole: LoadResult | None) -> list[Problem]:
    """Cross-check the loaded definitions; files of a project are checked against all of it.

    ``validate some.yaml`` (as a pre-commit hook runs it) must not call a filter, page or
    template "not defined" because it lives in another file of the same project. The other
    files' own problems are left out: only what concerns the given files is reported.
    """
    if whole is None:
        return cross_check(result.loaded, result.invalid, result.root)
    resolved = cache(real_path)  # many definitions share a file
    given = {resolved(item.document.file) for item in result.loaded}
    given |= {resolved(p) for p in paths}
    others = [item for item in whole.loaded if resolved(item.document.file) not in given]
    labels = {item.definition.label for item in result.loaded}
    displays = {display_name(p) for p in given}
    return [
        problem
        for problem in cross_check(
            [*result.loaded, *others], result.invalid | whole.invalid, whole.root
        )
        if problem.file in displays or problem.definition in labels
    ]


PathArgument = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
"""A project folder or definition file, or several: as ``str`` or path objects."""


def as_paths(path: PathArgument) -> list[Path]:
    """``path`` as a list of paths (a single str or path, or a sequence of them)."""
    # A str is itself a sequence (of characters), so test for a single path first.
    if isinstance(path, str | os.PathLike):
        return [Path(path)]
    return [Path(item) for item in path]


def validate_project(path: PathArgument = ()) -> Validation:
    """Load and check a project folder or files, collecting every problem instead of raising.

    This checks the definitions themselves; what only rendering the bodies finds is checked one
    layer up, by :func:`teamcomms.engine.workspace.check_project`.
    """
    paths = as_paths(path)
    result = load_files(paths)
    whole = _whole_project(paths, result)
    problems = [*result.problems, *_cross_check(paths, result, whole)]
    definitions = [item.definition for item in result.loaded]
    project = _project(result, definitions, problems)
    context = None if whole is None else _project(whole, [i.definition for i in whole.loaded], [])
    return Validation(project, tuple(sorted(problems)), whole=context)


def _project(result: LoadResult, definitions: list[Definition], problems: list[Problem]) -> Project:
    return Project(
        root=result.root,
        config=result.config,
        workflows=_of(definitions, WorkflowDefinition),
        fields=_of(definitions, FieldDefinition),
        filters=_of(definitions, FilterDefinition),
        boards=_of(definitions, BoardDefinition),
        checklists=_of(definitions, ChecklistDefinition),
        hires=_of(definitions, HireDefinition),
        templates=_of(definitions, TemplateDefinition),
        pages=_of(definitions, PageDefinition),
        standups=_of(definitions, StandupDefinition),
        reports=_of(definitions, ReportDefinition),
        glossaries=_of(definitions, GlossaryDefinition),
        imports=_of(definitions, ImportDefinition),
        warnings=tuple(sorted(p for p in problems if p.severity == "warning")),
    )


def load_project(path: PathArgument) -> Project:
    """Load a project folder (or files) and check its definitions (bodies are not rendered:
    :func:`teamcomms.engine.workspace.load_workspace` does that).

    Raises :class:`teamcomms.errors.DefinitionError` holding every problem if any is an error;
    otherwise returns the project with its warnings in :attr:`Project.warnings`.
    """
    validation = validate_project(path)
    if validation.errors:
        raise DefinitionError(validation.problems)
    return validation.project
