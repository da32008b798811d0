"""``teamcomms standup``: a standup's figures from Jira, and the plan that publishes its day's
page (one page, and its parent when the project defines it and it does not exist yet).

The day's page is owned by the instance address ``standup/NAME@YYYY-MM-DD``. When it exists
and people edited it since teamcomms wrote it, the new version is merged into it (see
:mod:`teamcomms.render.storage_merge`): ticked and added action items, and every other hand
edit, are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from teamcomms.definitions.due import WorkingDays
from teamcomms.errors import UsageError
from teamcomms.progress.standup import (
    StandupFigures,
    StandupRules,
    previous_working_day,
    standup_figures,
)
from teamcomms.resources.confluence_state import DesiredPage
from teamcomms.resources.page_publish import (
    owned_page,
    page_body,
    parent_pages,
    plan_pages,
    read_spaces,
)
from teamcomms.resources.progress_read import read_standup_issues, standup_members

if TYPE_CHECKING:
    from teamcomms.definitions import Project, StandupDefinition
    from teamcomms.engine.change import Plan
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site

DEFAULT_PAGE = Path(__file__).with_name("standup_page.md")
"""The page a standup without a ``template`` publishes."""


@dataclass(frozen=True)
class StandupPublication:
    """The plan that publishes a standup's page, and what the merge kept."""

    plan: Plan
    address: str
    merged: bool = False
    """Whether the page had hand edits since teamcomms wrote it, merged into the new version
    (so the plan may overwrite the page that the page resource calls drifted)."""
    kept_edits: tuple[str, ...] = field(default=())
    """Blocks whose hand edit was kept over teamcomms' new version."""


def pick_standup(project: Project, name: str | None) -> StandupDefinition:
    """The standup called ``name``, or the project's only one."""
    standups = {s.name: s for s in project.standups}
    if name is None and len(standups) == 1:
        return next(iter(standups.values()))
    if name in standups:
        return standups[name]
    known = ", ".join(sorted(standups)) or "none"
    if name is None:
        raise UsageError(
            "which standup?", hint=f"name one: teamcomms standup NAME (standups: {known})"
        )
    raise UsageError(f"no standup called {name!r}", hint=f"standups in this project: {known}")


def compute_standup(
    site: Site, project: Project, standup: StandupDefinition, day: date
) -> StandupFigures:
    """Read Jira and compute the figures of ``standup`` on ``day``."""
    calendar = WorkingDays.of(project.config.calendar)
    since = previous_working_day(day, calendar)
    members = standup_members(site, standup.members)
    issues = read_standup_issues(site, standup, since)
    deployments = standup.deployments
    rules = StandupRules(
        blocked_statuses=standup.blocked_statuses,
        fix_version=deployments.fix_version if deployments else None,
        label=deployments.label if deployments else None,
    )
    return standup_figures(
        standup.name,
        standup.team,
        issues,
        members,
        day,
        calendar=calendar,
        zone=ZoneInfo(standup.timezone),
        rules=rules,
    )


def standup_variables(standup: StandupDefinition, figures: StandupFigures) -> dict[str, object]:
    """What the standup's page template is rendered with."""
    return {
        "team": standup.team,
        "date": figures.day.isoformat(),
        "jql": standup.jql,
        "standup": figures.to_json(),
    }


def render_standup(
    workspace: Workspace, standup: StandupDefinition, figures: StandupFigures
) -> tuple[str, str]:
    """The title and storage body of the day's page."""
    from teamcomms.render.templating import render_title

    variables = standup_variables(standup, figures)
    title = render_title(
        standup.title,
        {"team": standup.team, "date": figures.day.isoformat()},
        source=standup.source.file,
    )
    body = page_body(workspace, standup.template, variables, title=title, default_page=DEFAULT_PAGE)
    return title, body


def plan_standup_page(
    workspace: Workspace,
    site: Site,
    standup: StandupDefinition,
    figures: StandupFigures,
    *,
    workers: int,
) -> StandupPublication:
    """The plan that writes the day's page; a page edited by hand is merged, not overwritten."""
    from teamcomms.render.storage_merge import merge_storage

    space = standup.space or ""
    address = f"{standup.identity}@{figures.day.isoformat()}"
    title, body = render_standup(workspace, standup, figures)
    current = read_spaces(site, [space], workers=workers)
    existing = owned_page(current, space, address)
    generated = body
    merged = False
    kept: tuple[str, ...] = ()
    marker = existing.marker if existing else None
    if existing is not None and marker is not None:
        # The base is what teamcomms generated last time; without it (too large to keep),
        # every difference counts as a hand edit and is kept.
        try:
            result = merge_storage(marker.generated, existing.body, body)
        except ValueError:
            # The page cannot be read as storage: leave it exactly as people left it.
            body, kept = existing.body, ("the whole page (its body is not well-formed storage)",)
        else:
            body, kept = result.body, tuple(result.kept_edits)
        merged = existing.version != marker.version
    page = DesiredPage(
        address=address,
        space=space,
        title=title,
        body=body,
        parent_title=standup.parent,
        labels=standup.labels,
        generated=generated,
    )
    pages = [*parent_pages(workspace, space, standup.parent, current), page]
    plan = plan_pages(pages, current, site_label=site.label)
    return StandupPublication(plan, address, merged, kept)
