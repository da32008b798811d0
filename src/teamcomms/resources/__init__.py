"""Every kind of object teamcomms manages on a site, one module per kind, all with the same
interface (:class:`teamcomms.engine.resource.Resource`).

:data:`RESOURCES` is the registry, in the order plans list the kinds; a new kind is its module
plus one line here.
"""

from __future__ import annotations

from teamcomms.engine.resource import Resource
from teamcomms.resources.confluence_pages import ConfluencePages
from teamcomms.resources.confluence_templates import ConfluenceTemplates
from teamcomms.resources.jira_boards import JiraBoards
from teamcomms.resources.jira_fields import JiraCustomFields
from teamcomms.resources.jira_filters import JiraFilters
from teamcomms.resources.jira_schemes import JiraWorkflowSchemes
from teamcomms.resources.jira_statuses import JiraStatuses
from teamcomms.resources.jira_workflows import JiraWorkflows
from teamcomms.resources.onboarding import OnboardingEpics, OnboardingTasks

RESOURCES: tuple[Resource, ...] = (
    JiraStatuses(),
    JiraCustomFields(),
    JiraWorkflows(),
    JiraWorkflowSchemes(),
    JiraFilters(),
    JiraBoards(),
    OnboardingEpics(),
    OnboardingTasks(),
    ConfluencePages(),
    ConfluenceTemplates(),
)
"""Every resource teamcomms plans and applies."""

ONBOARDING_RESOURCES: tuple[Resource, ...] = tuple(
    r for r in RESOURCES if r.kind in ("onboarding-epic", "onboarding-tasks", "page")
)
"""What ``teamcomms onboard`` plans: the hires' epics and tasks, and their welcome pages."""

NOT_PLANNED: dict[str, str] = {
    # A standup's page is made per day from Jira's state and a report's per period: commands
    # publish them (each a plan with a page or two), not plan/apply from the definitions.
    "standup": "teamcomms standup NAME --publish",
    "report": "teamcomms report --publish",
    "import": "run `teamcomms import FILE --mapping MAPPING.yaml` to import rows with one",
}
"""Definition kinds that ``plan`` does not (fully) carry out, and what the user should know."""
