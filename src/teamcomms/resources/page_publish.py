"""Plans over pages a command makes (a standup's day, a report's period and index): the page
resource's own read, diff and writes, for pages given as values instead of definitions.

``teamcomms standup --publish`` and ``teamcomms report --publish`` are plans with a page or two,
carried out by the engine like any other; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from teamcomms.engine.planner import compute_plan, read_states
from teamcomms.engine.resource import PlanOptions
from teamcomms.resources.confluence_pages import ConfluencePages
from teamcomms.resources.confluence_state import (
    CurrentPage,
    CurrentState,
    DesiredPage,
    DesiredState,
)

if TYPE_CHECKING:
    from teamcomms.engine.change import Plan
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site

PAGES = ConfluencePages()


def read_spaces(site: Site, spaces: Sequence[str], *, workers: int) -> CurrentState:
    """The current pages of ``spaces``, as the page resource reads them for a plan."""
    current = read_states([PAGES], site, {PAGES.kind: tuple(spaces)}, workers=workers)
    state = current[PAGES.kind]
    assert isinstance(state, CurrentState)
    return state


def owned_page(current: CurrentState, space: str, address: str) -> CurrentPage | None:
    """The page of ``space`` whose marker names ``address``."""
    found = current.space(space)
    pages = [p for p in found.pages if p.marker and p.marker.definition == address] if found else []
    return min(pages, key=lambda p: (len(p.id), p.id)) if pages else None


def plan_pages(
    pages: Sequence[DesiredPage], current: CurrentState, *, site_label: str | None = None
) -> Plan:
    """The plan that writes ``pages`` (and nothing else) over ``current``."""
    desired = DesiredState(pages=tuple(pages))
    return compute_plan(
        [PAGES],
        {PAGES.kind: desired},
        {PAGES.kind: current},
        PlanOptions(targets=tuple(p.address for p in pages)),
        site=site_label,
        scopes={PAGES.kind: desired.all_spaces},
    )


def parent_pages(
    workspace: Workspace, space: str, parent: str | None, current: CurrentState
) -> list[DesiredPage]:
    """The project's page definition that is ``parent`` in ``space``, when the parent page does
    not exist yet: created in the same plan, as ``apply`` would."""
    found = current.space(space)
    if parent is None or found is None or any(p.title == parent for p in found.pages):
        return []
    for definition in workspace.project.pages:
        if definition.space != space:
            continue
        rendered = workspace.rendered(definition)
        if rendered.title == parent:
            return [
                DesiredPage(
                    address=definition.identity,
                    space=space,
                    title=rendered.title,
                    body=rendered.storage,
                    parent_title=rendered.parent,
                    labels=tuple(rendered.labels),
                )
            ]
    return []


def page_body(
    workspace: Workspace,
    template_name: str | None,
    variables: Mapping[str, object],
    *,
    title: str,
    default_page: Path,
) -> str:
    """The storage body of a page a command makes: the project's template named
    ``template_name`` if there is one, else the built-in ``default_page`` Markdown."""
    from teamcomms.render import ProjectLinkResolver, render_definition, render_storage

    whole = workspace.context or workspace.project
    template = next((t for t in whole.templates if t.name == template_name), None)
    if template is not None:
        return render_definition(whole, template, variables, strict=True).storage
    page = render_storage(
        default_page.read_text(encoding="utf-8"),
        variables,
        source=default_page,
        links=ProjectLinkResolver(whole, {}),
        title=title,
    )
    return page.storage
