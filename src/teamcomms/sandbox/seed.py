"""What a fresh sandbox site contains: the sandbox user, a few colleagues, Jira's built-in
configuration (status categories, statuses, issue types, link types, system fields, the default
workflow and scheme), and what the starter kit (``templates/ecommerce``) assumes a site has: its
Confluence spaces, Jira projects, extra issue types and groups.

The starter-kit part is versioned (:data:`SEED_VERSION`): a state file written by an older sandbox
gets what is missing added when it is loaded (:func:`upgrade_seed`), so ``doctor`` passes on it too.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teamcomms.sandbox.state import SiteState

SANDBOX_EMAIL = "sandbox@teamcomms.invalid"
"""The email the sandbox accepts in Basic auth."""
SANDBOX_TOKEN = "sandbox-api-token"  # noqa: S105 - a documented, deliberately public credential
"""The API token the sandbox accepts in Basic auth."""
SANDBOX_ACCOUNT_ID = "712020:sandbox-user"
SANDBOX_DISPLAY_NAME = "Sandbox User"

COLLEAGUES = (
    ("alice@teamcomms.invalid", "Alice Example"),
    ("bob@teamcomms.invalid", "Bob Example"),
    ("carol@teamcomms.invalid", "Carol Example"),
)
# The people the starter kit's teams and the example's hires name, so the example onboards its
# hires on a fresh sandbox with every task assigned.
KIT_PEOPLE = (
    ("it-helpdesk@northwind.example", "Northwind IT Helpdesk"),
    ("daniel.brooks@northwind.example", "Daniel Brooks"),
    ("elena.vasquez@northwind.example", "Elena Vasquez"),
    ("priya.raman@northwind.example", "Priya Raman"),
    ("kate.morgan@northwind.example", "Kate Morgan"),
    ("sam.okafor@northwind.example", "Sam Okafor"),
    ("andre.silva@northwind.example", "Andre Silva"),
    ("aisha.patel@northwind.example", "Aisha Patel"),
    ("fulfillment-lead@northwind.example", "Northwind Fulfillment Lead"),
    ("warehouse-safety@northwind.example", "Northwind Warehouse Safety"),
    ("jordan.lee@northwind.example", "Jordan Lee"),
    ("luis.ortega@northwind.example", "Luis Ortega"),
    ("maya.chen@northwind.example", "Maya Chen"),
)
SEED_VERSION = 5
"""Raise when the starter-kit part or Jira's catalogue below grows; older state files are
upgraded on load (4: the kit's people; 5: group members, project roles and their actors)."""
# Confluence spaces and Jira projects named in docs/starter-kit.md ("Jira projects and Confluence
# spaces it assumes"), with the issue types each project has beyond Jira's defaults.
SPACES = (("TEAM", "Team"), ("ENG", "Engineering"), ("OPS", "Operations"), ("PROD", "Product"))
PROJECTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("OPS", "Operations", ("Order", "Return", "Promotion", "Catalog Change")),
    ("PEOPLE", "People", ()),
    ("PROD", "Product", ()),
    ("DIST", "Distribution", ("Inbound Shipment", "Stock Transfer")),
    ("SHOP", "Storefront", ()),
    ("QA", "Quality Assurance", ("Test",)),
)
KIT_ISSUE_TYPES = (
    ("Order", "A customer order that needs handling."),
    ("Return", "A customer return."),
    ("Promotion", "A sale, discount or campaign."),
    ("Catalog Change", "A change to products, prices or categories."),
    ("Inbound Shipment", "Freight arriving at a warehouse."),
    ("Stock Transfer", "Stock moving between warehouses."),
    ("Test", "A test case."),
)
# Groups the starter kit's filters are shared with (and its workflows may restrict transitions
# to), with their members: the sandbox user is in both, so the kit works as that user.
GROUPS = ("customer-care", "warehouse")
GROUP_MEMBERS = {
    "customer-care": (SANDBOX_ACCOUNT_ID, "alice@teamcomms.invalid"),
    "warehouse": (SANDBOX_ACCOUNT_ID, "bob@teamcomms.invalid"),
}
# Jira Cloud's project roles: ids 10002 and 10003 are the ones every Cloud site has (Atlassian
# support: "The atlassian-addons-project-access project role in Jira cloud"); Member and Viewer
# are the roles a new Cloud site adds beside Administrators (support.atlassian.com, "permissions
# in team-managed projects"). The sandbox user is an Administrator of every seeded project; the
# colleagues are Members; nobody is a Viewer.
ROLES = (
    ("10002", "Administrators", "A project role that represents administrators in a project"),
    ("10003", "atlassian-addons-project-access", "A project role that represents Connect add-ons "
     "declaring a scope that requires more than read issue permissions"),
    ("10004", "Member", "A project role that represents members in a project"),
    ("10005", "Viewer", "A project role that represents viewers in a project"),
)  # fmt: skip
ADMINISTRATORS_ROLE, MEMBER_ROLE = "10002", "10004"

STATUS_CATEGORIES = {
    "TODO": {"id": 2, "key": "new", "name": "To Do", "colorName": "blue-gray"},
    "IN_PROGRESS": {"id": 4, "key": "indeterminate", "name": "In Progress", "colorName": "yellow"},
    "DONE": {"id": 3, "key": "done", "name": "Done", "colorName": "green"},
}
ISSUE_TYPES = (
    ("10001", "Task", 0),
    ("10002", "Epic", 1),
    ("10003", "Subtask", -1),
    ("10004", "Story", 0),
    ("10005", "Bug", 0),
)
LINK_TYPES = (
    ("10100", "Blocks", "is blocked by", "blocks"),
    ("10101", "Relates", "relates to", "relates to"),
    ("10102", "Duplicate", "is duplicated by", "duplicates"),
)
SYSTEM_FIELDS = (
    ("summary", "Summary", "string"),
    ("description", "Description", "string"),
    ("labels", "Labels", "array"),
    ("parent", "Parent", "issuelink"),
    ("issuetype", "Issue Type", "issuetype"),
    ("project", "Project", "project"),
    ("status", "Status", "status"),
    ("assignee", "Assignee", "user"),
    ("reporter", "Reporter", "user"),
    ("duedate", "Due date", "date"),
    ("priority", "Priority", "priority"),
    ("resolution", "Resolution", "resolution"),
    ("resolutiondate", "Resolved", "datetime"),
    ("statuscategorychangedate", "Status Category Changed", "datetime"),
    ("components", "Components", "array"),
    ("created", "Created", "datetime"),
    ("updated", "Updated", "datetime"),
    ("creator", "Creator", "user"),
)
# Jira Cloud's default priorities (highest first: their order is what ``ORDER BY priority``
# and ``priority > Medium`` use) and resolutions; Medium is the default priority.
PRIORITIES = (
    ("1", "Highest", "#d04437"),
    ("2", "High", "#f15C75"),
    ("3", "Medium", "#f79232"),
    ("4", "Low", "#707070"),
    ("5", "Lowest", "#999999"),
)
DEFAULT_PRIORITY = "3"
RESOLUTIONS = (
    ("10000", "Done", "Work has been completed on this issue."),
    ("10001", "Won't Do", "This issue won't be actioned."),
    ("10002", "Duplicate", "The problem is a duplicate of an existing issue."),
    ("10003", "Cannot Reproduce", "This issue could not be reproduced at this time."),
)
DEFAULT_STATUSES = (
    ("1", "To Do", "TODO"),
    ("3", "In Progress", "IN_PROGRESS"),
    ("10000", "Done", "DONE"),
)


def seed_site(state: SiteState) -> None:
    """Fill an empty state with the fresh-site contents."""
    data = state.data
    data["users"] = {
        SANDBOX_ACCOUNT_ID: {
            "accountId": SANDBOX_ACCOUNT_ID,
            "emailAddress": SANDBOX_EMAIL,
            "displayName": SANDBOX_DISPLAY_NAME,
            "active": True,
            "accountType": "atlassian",
        }
    }
    for email, name in COLLEAGUES:
        state.add_user(email, name)
    data["issuetypes"] = {
        type_id: {"id": type_id, "name": name, "description": "", "hierarchyLevel": level}
        for type_id, name, level in ISSUE_TYPES
    }
    data["statuses"] = {
        status_id: {"id": status_id, "name": name, "statusCategory": category, "description": ""}
        for status_id, name, category in DEFAULT_STATUSES
    }
    data["linktypes"] = {
        lid: {"id": lid, "name": name, "inward": inward, "outward": outward}
        for lid, name, inward, outward in LINK_TYPES
    }
    data["workflows"] = {"10200": _default_workflow(state)}
    data["workflowschemes"] = {
        "10300": {
            "id": "10300",
            "name": "Default Workflow Scheme",
            "description": "",
            "defaultWorkflow": "jira",
            "issueTypeMappings": {},
            "version": 1,
            "projectIds": [],
        }
    }
    upgrade_seed(state)


def upgrade_seed(state: SiteState) -> None:
    """Add the starter-kit spaces, issue types, projects and groups that ``state`` lacks (once per
    :data:`SEED_VERSION`; anything with the same key or name is left as it is)."""
    data = state.data
    if data.get("seed", 0) >= SEED_VERSION:  # files from before the kit seed have no "seed"
        return
    _add_jira_catalogue(state)
    for key, name in SPACES:
        if state.space_by_key(key) is None:
            state.add_space(key, name)
    types = state.table("issuetypes")
    for name, description in KIT_ISSUE_TYPES:
        if not any(t["name"].lower() == name.lower() for t in types.values()):
            type_id = state.new_id()
            types[type_id] = {
                "id": type_id,
                "name": name,
                "description": description,
                "hierarchyLevel": 0,
            }
    type_ids = {t["name"].lower(): t["id"] for t in types.values()}
    defaults = [type_id for type_id, _, _ in ISSUE_TYPES if type_id in types]
    for key, name, extra in PROJECTS:
        wanted = defaults + [type_ids[t.lower()] for t in extra]
        project = state.project_by_key(key)
        if project is None:
            _add_project(state, key, name, wanted)
        else:
            have = project["issueTypeIds"]
            have.extend(t for t in wanted if t not in have)
    emails = {str(u.get("emailAddress", "")).lower() for u in state.table("users").values()}
    for email, name in KIT_PEOPLE:
        if email not in emails:
            state.add_user(email, name)
    _add_groups_and_roles(state)
    data["seed"] = SEED_VERSION


def group_id_for(name: str) -> str:
    """The seeded id of a group (a UUID, as Cloud's group ids are)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"teamcomms-sandbox/group/{name}"))


def _add_groups_and_roles(state: SiteState) -> None:
    """The kit's groups with their members, Cloud's project roles, and who acts in which role of
    each project (state files from before seed 4 have groups without members and no roles)."""
    by_email = {u["emailAddress"]: u["accountId"] for u in state.table("users").values()}
    groups = state.table("groups")
    for name in GROUPS:
        group_id = group_id_for(name)
        group = groups.setdefault(group_id, {"groupId": group_id, "name": name})
        if "members" not in group:
            wanted = [by_email.get(m, m) for m in GROUP_MEMBERS[name]]
            group["members"] = [m for m in wanted if m in state.table("users")]
    for group in groups.values():
        group.setdefault("members", [])
    roles = state.table("roles")
    for role_id, name, description in ROLES:
        roles.setdefault(role_id, {"id": role_id, "name": name, "description": description})
    for project in state.table("projects").values():
        project.setdefault("roleActors", default_role_actors(state, project["leadAccountId"]))


def default_role_actors(state: SiteState, lead_account_id: str) -> dict[str, Any]:
    """Who acts in each role of a new project: its lead administers it, the colleagues are
    members (``{role id: {"users": [...], "groups": [...]}}``)."""
    colleagues = [
        u["accountId"]
        for u in state.table("users").values()
        if u["emailAddress"] in {email for email, _ in COLLEAGUES}
    ]
    actors: dict[str, Any] = {role_id: {"users": [], "groups": []} for role_id, _, _ in ROLES}
    actors[ADMINISTRATORS_ROLE]["users"].append(lead_account_id)
    actors[MEMBER_ROLE]["users"].extend(c for c in colleagues if c != lead_account_id)
    return actors


def _add_jira_catalogue(state: SiteState) -> None:
    """Jira's system fields, priorities and resolutions (state files from before seed 3 lack
    some)."""
    fields = state.table("fields")
    for fid, name, kind in SYSTEM_FIELDS:
        fields.setdefault(
            fid, {"id": fid, "key": fid, "name": name, "custom": False, "schema": {"type": kind}}
        )
    priorities = state.table("priorities")
    for position, (pid, name, colour) in enumerate(PRIORITIES):
        priorities.setdefault(
            pid,
            {"id": pid, "name": name, "statusColor": colour, "position": position},
        )
    resolutions = state.table("resolutions")
    for rid, name, description in RESOLUTIONS:
        resolutions.setdefault(rid, {"id": rid, "name": name, "description": description})


def _add_project(state: SiteState, key: str, name: str, issue_type_ids: list[str]) -> None:
    project_id = state.new_id()
    state.table("projects")[project_id] = {
        "id": project_id,
        "key": key,
        "name": name,
        "projectTypeKey": "software",
        "style": "classic",
        "leadAccountId": SANDBOX_ACCOUNT_ID,
        "issueTypeIds": issue_type_ids,
        "workflowSchemeId": "10300",
        "issueCounter": 0,
        "roleActors": default_role_actors(state, SANDBOX_ACCOUNT_ID),
    }
    state.table("workflowschemes")["10300"]["projectIds"].append(project_id)


def _default_workflow(state: SiteState) -> dict[str, Any]:
    statuses = [
        {"statusReference": status_id, "properties": {}} for status_id, _, _ in DEFAULT_STATUSES
    ]
    transitions = [
        {
            "id": "1",
            "name": "Create",
            "type": "INITIAL",
            "toStatusReference": "1",
            "links": [],
            "properties": {},
        },
        {
            "id": "11",
            "name": "To Do",
            "type": "GLOBAL",
            "toStatusReference": "1",
            "links": [],
            "properties": {},
        },
        {
            "id": "21",
            "name": "In Progress",
            "type": "GLOBAL",
            "toStatusReference": "3",
            "links": [],
            "properties": {},
        },
        {
            "id": "31",
            "name": "Done",
            "type": "GLOBAL",
            "toStatusReference": "10000",
            "links": [],
            "properties": {},
        },
    ]
    return {
        "id": "10200",
        "name": "jira",
        "description": "The default Jira workflow",
        "scope": {"type": "GLOBAL"},
        "statuses": statuses,
        "transitions": transitions,
        "version": {"id": "10200-v", "versionNumber": 0},
        "isEditable": False,
        "created": state.now(),
        "updated": state.now(),
    }
