"""``teamcomms report``: progress figures for a period from Jira, and the plan that publishes
the period's page under an index page that links every period's page.

Pages are owned by instance addresses: ``report/NAME@week-2026-W47`` for a period,
``report/NAME@index`` for the index (see :mod:`teamcomms.resources.confluence_page_plan`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from teamcomms.definitions.kinds.report import ReportDefinition
from teamcomms.errors import UsageError
from teamcomms.progress.facts import Category, IssueFacts
from teamcomms.progress.periods import Period, window
from teamcomms.progress.report import ReportFigures, report_figures
from teamcomms.render import xml
from teamcomms.resources.confluence_state import CurrentState, DesiredPage
from teamcomms.resources.page_publish import page_body, parent_pages, plan_pages, read_spaces
from teamcomms.resources.progress_read import read_report_issues, report_projects

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.engine.change import Plan
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site

DEFAULT_PAGE = Path(__file__).with_name("report_page.md")
NO_WORKFLOW = "(no workflow definition)"
PERIOD_HEADINGS = {"day": "Days", "week": "Weeks", "month": "Months", "quarter": "Quarters",
                   "year": "Years"}  # fmt: skip


def pick_report(project: Project, name: str | None) -> ReportDefinition:
    """The report called ``name``, the project's only one, or (with none) a report over every
    project the workflows are used by, published in the default space."""
    reports = {r.name: r for r in project.reports}
    if name in reports:
        return reports[name]
    if name is None and len(reports) == 1:
        return next(iter(reports.values()))
    if name is None and not reports:
        # The space is only needed to publish; --publish checks that there is one.
        space = project.config.defaults.space or "TEAM"
        return ReportDefinition.model_validate(
            {"name": "progress"}, context={"default_space": space}
        )
    known = ", ".join(sorted(reports)) or "none"
    if name is None:
        raise UsageError(
            "which report?", hint=f"name one: teamcomms report NAME (reports: {known})"
        )
    raise UsageError(f"no report called {name!r}", hint=f"reports in this project: {known}")


def compute_report(
    site: Site,
    project: Project,
    report: ReportDefinition,
    period: Period,
    day: date,
    now: datetime,
) -> ReportFigures:
    """Read Jira and compute ``report``'s figures for the ``period`` that holds ``day``."""
    projects = report_projects(project, report.projects)
    if not projects:
        raise UsageError(
            "the report covers no Jira project",
            hint="list `projects:` in the report definition, or use workflows with `used_by`",
        )
    zone = ZoneInfo(report.timezone)
    span = window(period, day)
    start = datetime.combine(span.start, time(0), zone)
    end = datetime.combine(span.end, time(0), zone)
    categories: dict[str, Category] = {
        status.name: status.category for w in project.workflows for status in w.statuses
    }
    issues = read_report_issues(site, projects, report.jql, start, end, categories)
    workflows = {
        (use.project, issue_type.casefold()): workflow.name
        for workflow in project.workflows
        for use in workflow.used_by
        for issue_type in use.issue_types
    }

    def workflow_of(issue: IssueFacts) -> str:
        return workflows.get((issue.project, issue.issue_type.casefold()), NO_WORKFLOW)

    return report_figures(
        report.name,
        projects,
        issues,
        span,
        workflow_of=workflow_of,
        zone=zone,
        now=min(now, end),
        oldest=report.oldest,
    )


def render_report(
    workspace: Workspace, report: ReportDefinition, figures: ReportFigures
) -> tuple[str, str]:
    """The title and storage body of the period's page."""
    from teamcomms.render.templating import render_title

    names = {"period": figures.window.period, "label": figures.window.label}
    variables = {**names, "report": figures.to_json()}
    title = render_title(report.title, names, source=report.source.file)
    body = page_body(workspace, report.template, variables, title=title, default_page=DEFAULT_PAGE)
    return title, body


def plan_report_pages(
    workspace: Workspace,
    site: Site,
    report: ReportDefinition,
    figures: ReportFigures,
    *,
    workers: int,
) -> Plan:
    """The plan that writes the period's page and the index page that links it."""
    space = report.space or ""
    title, body = render_report(workspace, report, figures)
    current = read_spaces(site, [space], workers=workers)
    period_key = f"{figures.window.period}-{figures.window.label}"
    period_page = DesiredPage(
        address=f"{report.identity}@{period_key}",
        space=space,
        title=title,
        body=body,
        parent_title=report.index_title,
        labels=report.labels,
    )
    index = DesiredPage(
        address=f"{report.identity}@index",
        space=space,
        title=report.index_title,
        body=index_body(report, figures.projects, current, period_key, title),
        parent_title=report.parent,
        labels=report.labels,
    )
    pages = [*parent_pages(workspace, space, report.parent, current), index, period_page]
    return plan_pages(pages, current, site_label=site.label)


def index_body(
    report: ReportDefinition,
    projects: Sequence[str],
    current: CurrentState,
    new_key: str,
    new_title: str,
) -> str:
    """Links to every period page of ``report`` (those on the site and the new one), newest
    first, grouped by period."""
    prefix = f"{report.identity}@"
    found = current.space(report.space or "")
    pages = {
        page.marker.definition.removeprefix(prefix): page.title
        for page in (found.pages if found else ())
        if page.marker and page.marker.definition.startswith(prefix)
    }
    pages.pop("index", None)
    pages[new_key] = new_title
    parts = [
        f"<p>{xml.text(report.description or 'Progress reports')} over "
        f"{xml.text(', '.join(projects))}: one page per period, newest first, published by "
        "<code>teamcomms report --publish</code>.</p>"
    ]
    for period, heading in PERIOD_HEADINGS.items():
        keys = sorted((k for k in pages if k.startswith(f"{period}-")), reverse=True)
        if not keys:
            continue
        links = "".join(
            f'<li><ac:link><ri:page ri:content-title="{xml.attribute(pages[k])}"/></ac:link></li>'
            for k in keys
        )
        parts.append(f"<h2>{heading}</h2><ul>{links}</ul>")
    return "".join(parts)
