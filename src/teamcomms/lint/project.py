"""Lint a project: every page and template body, workflow and checklist text, as warnings."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teamcomms.definitions import (
    ChecklistDefinition,
    PageDefinition,
    Problem,
    Project,
    TemplateDefinition,
    Validation,
    WorkflowDefinition,
    validate_project,
)
from teamcomms.definitions.lint_settings import LINT_RULES
from teamcomms.definitions.project_file import PROJECT_FILE
from teamcomms.definitions.yaml_source import (
    Document,
    PathKey,
    display_name,
    format_path,
    load_documents,
    read_text,
    real_path,
)
from teamcomms.lint.checks import Finding, Scope, check
from teamcomms.lint.directives import Directives, markdown_directives, yaml_directives
from teamcomms.lint.prose import (
    SourceText,
    Unit,
    align_value,
    markdown_units,
    mask_inline,
    mask_jinja,
)
from teamcomms.lint.readability import MIN_WORDS, readability
from teamcomms.lint.vocabulary import Vocabulary, project_names

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class PageScore:
    """The readability of one page or template body."""

    file: str
    definition: str
    reading_ease: float
    grade: float
    words: int


@dataclass(frozen=True)
class LintReport:
    """Every finding (sorted :class:`Problem` warnings with a rule) and the page scores."""

    problems: tuple[Problem, ...] = ()
    scores: tuple[PageScore, ...] = ()
    checked: int = 0
    """How many definitions were read."""


@dataclass
class _Context:
    project: Project
    vocabulary: Vocabulary
    titles: dict[str, str]
    readability: bool = True
    documents: dict[Path, tuple[list[Document], SourceText, Directives]] = field(
        default_factory=dict
    )


def _titles(project: Project) -> dict[str, str]:
    titles = {}
    for content in (*project.pages, *project.templates):
        if "{" not in content.title:
            titles[f"{content.kind}:{content.name}"] = content.title
    return titles


def lint_project(
    project: Project, only: Collection[str] | None = None, *, readability: bool = True
) -> LintReport:
    """Lint the definitions of ``project`` (those in ``only``, by identity, when given).

    ``readability=False`` leaves out the one rule that needs ``textstat`` and its dictionary
    (about a second to load), as ``validate`` does to stay quick in editors and hooks.
    """
    vocabulary = Vocabulary(project.glossaries, project_names(project))
    context = _Context(project, vocabulary, _titles(project), readability)
    problems: list[Problem] = []
    scores: list[PageScore] = []
    checked = 0
    contents: list[PageDefinition | TemplateDefinition] = [*project.pages, *project.templates]
    texts: list[WorkflowDefinition | ChecklistDefinition] = [
        *project.workflows,
        *project.checklists,
    ]
    for content in contents:
        if only is None or content.identity in only:
            checked += 1
            found, score = _body(context, content, _rules(project, content.lint.disable))
            problems.extend(found)
            scores.extend([score] if score else [])
    for definition in texts:
        if only is None or definition.identity in only:
            checked += 1
            problems.extend(_yaml(context, definition, _rules(project, definition.lint.disable)))
    return LintReport(tuple(sorted(problems)), tuple(scores), checked)


def _rules(project: Project, disabled: Sequence[str]) -> frozenset[str]:
    return frozenset(LINT_RULES) - set(project.config.lint.disable) - set(disabled)


def _problems(
    findings: Iterator[Finding],
    source: SourceText,
    directives: Directives,
    display: str,
    label: str,
) -> Iterator[Problem]:
    for finding in findings:
        line, column = source.position(finding.unit.file_offset(finding.offset))
        if directives.exempts(finding.rule, {line} | finding.unit.lines):
            continue
        yield Problem(
            display,
            line,
            column,
            finding.message,
            definition=label,
            path=finding.unit.path,
            hint=finding.hint,
            severity="warning",
            rule=finding.rule,
            suggestion=finding.suggestion,
        )


def _bad_directives(directives: Directives, display: str) -> Iterator[Problem]:
    for bad in directives.bad:
        yield Problem(display, bad.line, bad.column, bad.message, hint=bad.hint, severity="warning")


def _body(
    context: _Context, content: PageDefinition | TemplateDefinition, rules: frozenset[str]
) -> tuple[list[Problem], PageScore | None]:
    display = display_name(content.body)
    text, unreadable = read_text(content.body, display, "body")
    if text is None:
        return unreadable, None
    source = SourceText.of(text)
    directives = markdown_directives(text)
    units = markdown_units(text)
    scope = Scope(units, rules, context.titles)
    config = context.project.config.lint
    found = list(check(scope, context.vocabulary, config))
    score = None
    if "readability" in rules and context.readability and units:
        measured = readability(units)
        score = PageScore(
            display, content.label, measured.reading_ease, measured.grade, measured.words
        )
        if measured.words >= MIN_WORDS and measured.reading_ease < config.min_reading_ease:
            found.append(
                Finding(
                    "readability",
                    units[0],
                    0,
                    f"reading ease {measured.reading_ease:g} is below "
                    f"{config.min_reading_ease:g} (Flesch, 0-100, higher is easier; "
                    f"US grade {measured.grade:g})",
                    None,
                    "use shorter sentences and everyday words; this page's long sentences "
                    "and jargon are flagged above when those rules are on",
                )
            )
    problems = list(_problems(iter(found), source, directives, display, content.label))
    problems.extend(_bad_directives(directives, display))
    return problems, score


def _document(context: _Context, file: Path) -> tuple[list[Document], SourceText, Directives]:
    if file not in context.documents:
        text, _ = read_text(file, display_name(file))
        documents, _ = load_documents(file)
        context.documents[file] = (
            documents,
            SourceText.of(text or ""),
            yaml_directives(text or ""),
        )
    return context.documents[file]


def _texts(definition: WorkflowDefinition | ChecklistDefinition) -> Iterator[tuple[PathKey, str]]:
    """The paths of the prose values of a definition, and the group each is read in."""
    yield ("description",), "description"
    if isinstance(definition, WorkflowDefinition):
        for index in range(len(definition.statuses)):
            yield ("statuses", index, "description"), ""
        for index in range(len(definition.transitions)):
            yield ("transitions", index, "description"), ""
    else:
        for index in range(len(definition.items)):
            yield ("items", index, "title"), f"items[{index}]"
            yield ("items", index, "description"), f"items[{index}]"


def _value(data: Any, path: PathKey) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _yaml(
    context: _Context,
    definition: WorkflowDefinition | ChecklistDefinition,
    rules: frozenset[str],
) -> list[Problem]:
    documents, source, directives = _document(context, definition.source.file)
    where = (definition.source.line, definition.source.column)
    document = next(
        (d for d in documents if (d.position(()).line, d.position(()).column) == where), None
    )
    if document is None:
        return []
    units = []
    for path, group in _texts(definition):
        value = _value(document.data, path)
        if not isinstance(value, str) or not value.strip() or path not in document.values:
            continue
        start = document.values[path]
        offset = source.starts[start.line - 1] + start.column - 1
        prose, links = mask_inline(mask_jinja(value))
        lines = {start.line}
        if path in document.keys:
            lines.add(document.keys[path].line)
        segments = align_value(value, source.text, offset)
        units.append(
            Unit(prose, segments, frozenset(lines), links, value, format_path(path), group)
        )
    scope = Scope(units, rules, context.titles)
    found = check(scope, context.vocabulary, context.project.config.lint)
    display = display_name(definition.source.file)
    problems = list(_problems(found, source, directives, display, definition.label))
    problems.extend(_bad_directives(directives, display))
    return problems


def _project_root(path: Path) -> Path:
    for folder in (path.absolute().parent, *path.absolute().parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return path.parent


def lint_paths(
    paths: Sequence[str | os.PathLike[str]],
    validation: Validation | None = None,
    *,
    readability: bool = True,
) -> tuple[Validation, LintReport]:
    """Validate and lint project folders, definition files or Markdown bodies.

    Given files, glossaries and link titles come from the whole project, and only the given
    files' definitions (or the definitions whose body is a given Markdown file) are linted. The
    report is empty when the validation has errors: fix those first.
    """
    given = [Path(p) for p in paths] or [Path()]
    bodies = [p for p in given if p.suffix.lower() in MARKDOWN_SUFFIXES and p.is_file()]
    definitions = [p for p in given if p not in bodies]
    if validation is None:
        validation = validate_project(definitions or [_project_root(bodies[0])])
    if validation.errors:
        return validation, LintReport()
    project = validation.project
    if not any(p.is_file() for p in given):
        return validation, lint_project(project, readability=readability)
    only: set[str] = set()
    whole = project
    if any(p.is_file() for p in definitions):
        only = {d.identity for d in project.all()}
        whole = validate_project(project.root).project
    wanted = {real_path(p) for p in bodies}
    for content in (*whole.pages, *whole.templates):
        if real_path(content.body) in wanted:
            only.add(content.identity)
    return validation, lint_project(whole, only, readability=readability)
