"""What a project needs to exist on the site before teamcomms can write there: spaces, Jira
projects with their issue types, and groups. ``doctor`` checks them; the sandbox creates them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from teamcomms.site.doctor import Targets

if TYPE_CHECKING:
    from teamcomms.definitions import Project


def site_prerequisites(project: Project | None) -> Targets:
    """The spaces, projects, issue types and groups a loaded project refers to, and whether it
    configures Jira."""
    if project is None:
        return Targets()
    from teamcomms.definitions import GroupShare, ProjectShare

    spaces: set[str] = set()
    projects: set[str] = set()
    groups: set[str] = set()
    types: dict[str, set[str]] = {}
    field_types: set[str] = set()
    defaults = project.config.defaults
    if defaults.space:
        spaces.add(defaults.space)
    if defaults.project:
        projects.add(defaults.project)
    spaces.update(t.space for t in project.templates)
    spaces.update(p.space for p in project.pages)
    spaces.update(s.space for s in project.standups)
    for checklist in project.checklists:
        projects.add(checklist.jira.project)
        # Each hire gets an epic, with the checklist's tasks under it.
        types.setdefault(checklist.jira.project, set()).update(("Epic", checklist.jira.issue_type))
        welcome = checklist.welcome_page
        if welcome is not None and welcome.space:
            spaces.add(welcome.space)
    for board in project.boards:
        projects.add(board.project)
    # An import's issue types come from its file; the project is all that can be checked.
    projects.update(i.project for i in project.imports)
    for workflow in project.workflows:
        for use in workflow.used_by:
            projects.add(use.project)
            types.setdefault(use.project, set()).update(use.issue_types)
    for custom_field in project.fields:
        for context in custom_field.contexts:
            projects.update(context.projects)
            field_types.update(context.issue_types)
    for saved_filter in project.filters:
        projects.update(s.project for s in saved_filter.share if isinstance(s, ProjectShare))
        groups.update(s.group for s in saved_filter.share if isinstance(s, GroupShare))
    return Targets(
        spaces=tuple(sorted(spaces)),
        projects=tuple(sorted(projects)),
        groups=tuple(sorted(groups)),
        needs_jira_admin=bool(project.workflows or project.fields),
        project_issue_types=tuple((key, tuple(sorted(types[key]))) for key in sorted(types)),
        field_issue_types=tuple(sorted(field_types)),
    )
