"""What Confluence would refuse about titles and the page tree, found before anything is sent.

``validate`` (and so ``render``, ``plan`` and ``apply``, which validate first) refuses, at the
``title:`` or ``parent:`` key of each definition concerned:

- a title that is blank once rendered, longer than 255 characters (Confluence's limit; a content
  template's name is its title with ``{placeholders}``), or holding control characters;
- two pages with the same title in one space: two ``page`` definitions, a page and a workflow's
  explanation page, or a page and the page a template without variables makes;
- two content templates with the same name in one space (teamcomms tells templates apart by
  name when it adopts one, so two would claim the same one);
- parents that form a cycle (a page cannot be its own ancestor).

Titles are compared without regard to case: Confluence Data Center looks pages up by title
case-insensitively, and refusing ``Onboarding`` beside ``onboarding`` costs nothing.

Characters: old Confluence versions refused ``: ; < > @ / \\ | # [ ] { } ^`` in titles and a
leading ``$``, ``..`` or ``~``; current Cloud and Data Center accept them (pages titled
``FAQ: ...`` or ``[Complete] ...`` exist on real sites), and Atlassian documents no list for
them. So only control characters are refused here, which no XML page body or title can carry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from teamcomms.errors import DefinitionError, Problem
from teamcomms.render.titles import definition_problem, template_values, title_of
from teamcomms.render.workflow_page import workflow_page_title

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.definitions.common import Definition
    from teamcomms.definitions.kinds.page import PageDefinition
    from teamcomms.definitions.kinds.template import TemplateDefinition

MAX_TITLE_LENGTH = 255
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Titled:
    """A title a definition gives something in a space: a page, a template's page or name."""

    definition: Definition
    space: str
    title: str
    what: str
    key: str = "title"


def site_problems(
    project: Project, variables: Mapping[str, object], only: Collection[str] | None = None
) -> list[Problem]:
    """Every problem of the module docstring; with ``only``, those of these identities."""
    pages, template_pages, template_names = _titles(project, variables)
    found = [
        *_bad_titles([*pages, *template_pages, *template_names]),
        *_duplicates(pages + template_pages, "a page"),
        *_duplicates(template_names, "a content template"),
        *_cycles(pages),
    ]
    return [problem for owner, problem in found if only is None or owner.identity in only]


def _titles(
    project: Project, variables: Mapping[str, object]
) -> tuple[list[_Titled], list[_Titled], list[_Titled]]:
    """Page titles (pages and workflow pages), pages made by templates, content template names.

    A definition whose title cannot be rendered is left out: its own error says why.
    """
    pages: list[_Titled] = []
    template_pages: list[_Titled] = []
    names: list[_Titled] = []
    for page in project.pages:
        title = _title_or_none(page, {**page.vars, **variables})
        if title is not None and page.space:
            pages.append(_Titled(page, page.space, title, "page"))
    space = project.config.defaults.space
    for workflow in project.workflows if space else ():
        title = workflow_page_title(workflow)
        pages.append(_Titled(workflow, str(space), title, "explanation page", key="name"))
    for template in project.templates:
        values, missing = template_values(template, variables)
        title = _title_or_none(template, values, missing)
        if title is None or not template.space:
            continue
        if not missing:
            template_pages.append(_Titled(template, template.space, title, "page it makes"))
        elif template.confluence_template:
            names.append(_Titled(template, template.space, title, "content template name"))
    return pages, template_pages, names


def _title_or_none(
    definition: PageDefinition | TemplateDefinition,
    values: Mapping[str, object],
    placeholders: tuple[str, ...] = (),
) -> str | None:
    try:
        return title_of(definition, values, placeholders)
    except DefinitionError:
        return None


Found = Iterator[tuple["Definition", Problem]]


def _bad_titles(titled: list[_Titled]) -> Found:
    for item in titled:
        message = None
        if not item.title.strip():
            message = f"the {item.what}'s title is blank once rendered"
            hint = "give the title some text that does not depend only on variables"
        elif len(item.title) > MAX_TITLE_LENGTH:
            message = (
                f"the {item.what}'s title is {len(item.title)} characters once rendered; "
                f"Confluence allows at most {MAX_TITLE_LENGTH}"
            )
            hint = "shorten the title"
        elif _CONTROL.search(item.title):
            code = ord(_CONTROL.search(item.title).group())  # type: ignore[union-attr]
            message = f"the {item.what}'s title holds the control character U+{code:04X}"
            hint = "remove it from the title (or from the value that put it there)"
        if message is not None:
            problem = definition_problem(item.definition, message, path=item.key, hint=hint)
            yield item.definition, problem


def _duplicates(titled: list[_Titled], what: str) -> Found:
    groups: dict[tuple[str, str], list[_Titled]] = defaultdict(list)
    for item in titled:
        groups[(item.space, item.title.casefold())].append(item)
    for (space, _), items in groups.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(
                f"{other.definition.label} ({other.what})" for other in items if other is not item
            )
            problem = definition_problem(
                item.definition,
                f"{what} titled '{item.title}' in space {space} would also come from {others}; "
                "Confluence titles are unique per space",
                path=item.key,
                hint="give one of them another title",
            )
            yield item.definition, problem


def _cycles(pages: list[_Titled]) -> Found:
    by_title = {(p.space, p.title.casefold()): p for p in pages}
    reported: set[str] = set()
    for start in pages:
        chain = [start]
        while True:
            parent = getattr(chain[-1].definition, "parent", None)
            step = by_title.get((chain[-1].space, parent.casefold())) if parent else None
            if step is None:
                break
            seen = [index for index, item in enumerate(chain) if item is step]
            if seen:
                yield from _cycle_problems(chain[seen[0] :], reported)
                break
            chain.append(step)


def _cycle_problems(cycle: list[_Titled], reported: set[str]) -> Found:
    path = " -> ".join(f"'{item.title}'" for item in [*cycle, cycle[0]])
    for item in cycle:
        if item.definition.identity in reported:
            continue
        reported.add(item.definition.identity)
        problem = definition_problem(
            item.definition,
            f"the parents form a cycle: {path}; a page cannot be its own ancestor",
            path="parent",
            hint="point one of these pages' parent at a page outside the cycle, or remove it",
        )
        yield item.definition, problem
