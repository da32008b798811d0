"""Definitions -> what each hire's onboarding asks for: an epic named from the checklist's
pattern and one task per item, with its owner, due date (working days of the project's
calendar), description and the Confluence page it links to. Pure: nothing is read from a site.

Who owns a task: ``hire``, ``manager`` and ``buddy`` are the people the ``hire`` definition
names; a team of ``teamcomms.yaml`` is the user it designates; anything else is an email.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from teamcomms.definitions.due import WorkingDays
from teamcomms.errors import DefinitionError, Problem
from teamcomms.resources.onboarding_state import (
    ONBOARDING_LABEL,
    EpicSpec,
    PageLink,
    TaskSpec,
    WantedHire,
    WantedOnboarding,
    hire_label,
)

if TYPE_CHECKING:
    from teamcomms.definitions import ChecklistDefinition, HireDefinition, Project
    from teamcomms.definitions.kinds.checklist import ChecklistItem
    from teamcomms.engine.workspace import Workspace


def checklist_of(project: Project, hire: HireDefinition) -> ChecklistDefinition:
    """The checklist a hire names (validation made sure it exists)."""
    return next(c for c in project.checklists if c.name == hire.checklist)


def hire_variables(hire: HireDefinition, checklist: ChecklistDefinition) -> dict[str, Any]:
    """``hire`` as the epic pattern, the welcome page and the epic description see it."""
    label = hire_label(hire.name)
    project = checklist.jira.project
    return {
        "id": hire.name,
        "name": hire.full_name,
        "first_name": hire.full_name.split()[0],
        "email": hire.email,
        "role": checklist.role,
        "team": checklist.team or "",
        "checklist": checklist.name,
        "start": hire.start.isoformat(),
        "manager": hire.manager or "",
        "buddy": hire.buddy or "",
        "label": label,
        "project": project,
        "epic_jql": f'project = {project} AND labels = "{label}" AND issuetype = Epic',
        "tasks_jql": f'project = {project} AND labels = "{label}" AND issuetype != Epic '
        "ORDER BY duedate ASC, key ASC",
    }


def desired_onboarding(workspace: Workspace) -> WantedOnboarding:
    """Every hire's epic and tasks. Raises :class:`DefinitionError` for an epic pattern or a
    link that cannot be rendered."""
    from teamcomms.render import ProjectLinkResolver

    project = workspace.project
    whole = workspace.context or project
    calendar = WorkingDays.of(project.config.calendar)
    problems: list[Problem] = []
    hires: list[WantedHire] = []
    for hire in project.hires:
        checklist = checklist_of(whole, hire)
        values = hire_variables(hire, checklist)
        links = ProjectLinkResolver(whole, {"hire": values})
        try:
            hires.append(_wanted(whole, hire, checklist, values, calendar, links))
        except DefinitionError as error:
            problems.extend(error.problems)
    if problems:
        raise DefinitionError(problems)
    return WantedOnboarding(
        hires=tuple(hires), unknown_users=project.config.onboarding.unknown_users
    )


def _wanted(
    project: Project,
    hire: HireDefinition,
    checklist: ChecklistDefinition,
    values: Mapping[str, Any],
    calendar: WorkingDays,
    links: Any,
) -> WantedHire:
    from teamcomms.render import render_title

    labels = _labels(checklist, hire)
    tasks: list[TaskSpec] = []
    unassigned: dict[str, list[str]] = {}
    for entry in checklist.items:
        email, why = _owner_email(project, hire, entry.owner)
        if email is None:
            unassigned.setdefault(why, []).append(entry.title)
        tasks.append(
            TaskSpec(
                item=entry.key,
                summary=entry.title,
                owner=entry.owner,
                email=email,
                due=entry.due.on(hire.start, calendar).isoformat(),
                description=" ".join(entry.description.split()),
                link=_link(entry, links),
                labels=labels,
            )
        )
    epic_summary = render_title(checklist.jira.epic, {"hire": values}, source=checklist.source.file)
    welcome = _welcome_link(project, checklist, values)
    epic = EpicSpec(
        summary=epic_summary[:255],
        description=_epic_description(values),
        due=max(t.due for t in tasks),
        labels=labels,
        link=welcome,
    )
    notes = tuple(
        f"{len(titles)} task(s) unassigned: {why} ({', '.join(repr(t) for t in titles[:3])}"
        + (", …)" if len(titles) > 3 else ")")
        for why, titles in unassigned.items()
    )
    return WantedHire(
        address=hire.identity,
        name=hire.name,
        project=checklist.jira.project,
        issue_type=checklist.jira.issue_type,
        epic=epic,
        tasks=tuple(tasks),
        notes=notes,
    )


def _labels(checklist: ChecklistDefinition, hire: HireDefinition) -> tuple[str, ...]:
    wanted = [*checklist.jira.labels, checklist.name, hire_label(hire.name), ONBOARDING_LABEL]
    return tuple(dict.fromkeys(wanted))


def _owner_email(project: Project, hire: HireDefinition, owner: str) -> tuple[str | None, str]:
    """The email of whoever owns an item, or ``None`` and why there is nobody."""
    if owner == "hire":
        return hire.email, ""
    if owner in ("manager", "buddy"):
        given: str | None = getattr(hire, owner)
        return given, f"the hire has no {owner}"
    team = project.config.teams.get(owner)
    if team is not None:
        return team.user, f"team '{owner}' has no user in teamcomms.yaml"
    return owner, ""


def _link(entry: ChecklistItem, links: Any) -> PageLink | None:
    if entry.link is None:
        return None
    if entry.link.startswith("https://"):
        return PageLink(text=entry.link, url=entry.link)
    kind, _, name = entry.link.partition(":")
    found = links.resolve(kind, name)
    if found is None:  # validation reports a link to an unknown definition
        return None
    return PageLink(text=found.title, space=found.space, title=found.title)


def _welcome_link(
    project: Project, checklist: ChecklistDefinition, values: Mapping[str, Any]
) -> PageLink | None:
    from teamcomms.render import render_title

    welcome = checklist.welcome_page
    if welcome is None:
        return None
    template = next((t for t in project.templates if t.name == welcome.template), None)
    if template is None:
        return None
    title = render_title(template.title, {"hire": values}, source=template.source.file)
    space = welcome.space or template.space
    return PageLink(text=title, space=space, title=title)


def _epic_description(values: Mapping[str, Any]) -> str:
    """Plain paragraphs (values are never read as Markdown), separated by blank lines."""
    return "\n\n".join(
        (
            f"Onboarding of {values['name']} ({values['role']}), starting {values['start']}.",
            f"Manager: {values['manager'] or 'not given'}. "
            f"Buddy: {values['buddy'] or 'not given'}.",
            f"One task per item of the {values['checklist']} checklist. teamcomms keeps the tasks "
            "in step with it and never changes a task someone has moved on.",
        )
    )
