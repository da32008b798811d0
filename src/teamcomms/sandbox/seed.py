"""What a fresh sandbox site contains: the sandbox user, a few colleagues, the Confluence spaces and
Jira projects the example definitions use, and Jira's built-in configuration (status categories,
statuses, issue types, link types, system fields, the default workflow and scheme)."""

from __future__ import annotations

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
# PROD: the example project files product launches there.
SPACES = (("TEAM", "Team"), ("ENG", "Engineering"), ("OPS", "Operations"), ("PROD", "Product"))
PROJECTS = (("OPS", "Operations"), ("PEOPLE", "People"))

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
    for key, name in SPACES:
        state.add_space(key, name)
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
    data["fields"] = {
        fid: {"id": fid, "key": fid, "name": name, "custom": False, "schema": {"type": kind}}
        for fid, name, kind in SYSTEM_FIELDS
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
    for key, name in PROJECTS:
        project_id = state.new_id()
        data.setdefault("projects", {})[project_id] = {
            "id": project_id,
            "key": key,
            "name": name,
            "projectTypeKey": "software",
            "style": "classic",
            "leadAccountId": SANDBOX_ACCOUNT_ID,
            "issueTypeIds": [type_id for type_id, _, _ in ISSUE_TYPES],
            "workflowSchemeId": "10300",
            "issueCounter": 0,
        }
        data["workflowschemes"]["10300"]["projectIds"].append(project_id)


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
