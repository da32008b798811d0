"""Who may do what in Jira: ``GET /rest/api/3/mypermissions`` (which permissions the signed-in user
has, globally or in a project) and ``GET /rest/api/3/groups/picker`` (find groups by name); both
also under ``/rest/api/2``.

The sandbox user holds every permission, so every key asked for answers ``havePermission: true``.
As on Cloud, ``permissions`` is required, only the keys asked for are answered, an unknown key is
a 400, and a project that does not exist (``projectKey`` / ``projectId``) is a 404.
"""

from __future__ import annotations

import html

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_platform import find_project, jira_route

ROUTES = RouteTable()

# key -> (id, type, name, description), as Jira Cloud's "Get all permissions" lists them.
PERMISSIONS: dict[str, tuple[str, str, str, str]] = {
    "ADMINISTER": ("0", "GLOBAL", "Administer Jira", "Create and administer projects, issue "
                   "types, fields, workflows, and schemes for all projects."),
    "SYSTEM_ADMIN": ("44", "GLOBAL", "Administer Jira system", "Configure Jira system settings."),
    "USER_PICKER": ("27", "GLOBAL", "Browse users and groups", "View and select users or groups "
                    "from the user picker, and share issues."),
    "CREATE_SHARED_OBJECTS": ("22", "GLOBAL", "Share dashboards and filters", "Share dashboards "
                              "and filters with other users."),
    "BULK_CHANGE": ("33", "GLOBAL", "Make bulk changes", "Modify collections of issues at once."),
    "ADMINISTER_PROJECTS": ("23", "PROJECT", "Administer Projects", "Ability to administer a "
                            "project in Jira."),
    "BROWSE_PROJECTS": ("10", "PROJECT", "Browse Projects", "Ability to browse projects and the "
                        "issues within them."),
    "CREATE_ISSUES": ("11", "PROJECT", "Create Issues", "Ability to create issues."),
    "EDIT_ISSUES": ("12", "PROJECT", "Edit Issues", "Ability to edit issues."),
    "ASSIGN_ISSUES": ("13", "PROJECT", "Assign Issues", "Ability to assign issues to other "
                      "people."),
    "ASSIGNABLE_USER": ("17", "PROJECT", "Assignable User", "Users with this permission may be "
                        "assigned to issues."),
    "RESOLVE_ISSUES": ("14", "PROJECT", "Resolve Issues", "Ability to resolve and reopen issues."),
    "CLOSE_ISSUES": ("18", "PROJECT", "Close Issues", "Ability to close issues."),
    "TRANSITION_ISSUES": ("46", "PROJECT", "Transition Issues", "Ability to transition issues."),
    "DELETE_ISSUES": ("16", "PROJECT", "Delete Issues", "Ability to delete issues."),
    "LINK_ISSUES": ("21", "PROJECT", "Link Issues", "Ability to link issues together."),
    "SCHEDULE_ISSUES": ("28", "PROJECT", "Schedule Issues", "Ability to view or edit an "
                        "issue's due date."),
    "ADD_COMMENTS": ("15", "PROJECT", "Add Comments", "Ability to comment on issues."),
    "CREATE_ATTACHMENTS": ("19", "PROJECT", "Create Attachments", "Users with this permission "
                           "may create attachments."),
    "MANAGE_WATCHERS": ("32", "PROJECT", "Manage Watchers", "Ability to manage the watchers of "
                        "an issue."),
}  # fmt: skip


@jira_route(ROUTES, "GET", "/mypermissions")
def my_permissions(ctx: Context, req: Request) -> Response:
    wanted = req.args("permissions")
    if not wanted:
        raise ApiError(400, "The 'permissions' query parameter is required.")
    unknown = [key for key in wanted if key not in PERMISSIONS]
    if unknown:
        raise ApiError(400, f"Permission keys not found: {', '.join(unknown)}.")
    # As documented: projectKey is ignored when projectId is given.
    project = req.arg("projectId") or req.arg("projectKey")
    if project:
        find_project(ctx, project)
    answer = {}
    for key in dict.fromkeys(wanted):
        permission_id, kind, name, description = PERMISSIONS[key]
        answer[key] = {
            "id": permission_id,
            "key": key,
            "name": name,
            "type": kind,
            "description": description,
            "havePermission": True,
        }
    return Response(200, {"permissions": answer})


def _highlight(name: str, query: str) -> str:
    """The group name as HTML with the matched query in bold, as the picker answers it."""
    escaped = html.escape(name)
    if not query:
        return escaped
    return escaped.replace(html.escape(query), f"<b>{html.escape(query)}</b>", 1)


@jira_route(ROUTES, "GET", "/groups/picker")
def pick_groups(ctx: Context, req: Request) -> Response:
    query = req.arg("query") or ""
    fold = req.bool_arg("caseInsensitive")
    excluded = set(req.query.get("exclude", [])) | set(req.query.get("excludeId", []))
    # jira.ajax.autocomplete.limit, 20 by default, caps maxResults.
    limit = min(req.int_arg("maxResults", 20), 20)

    def matches(name: str) -> bool:
        return (query.lower() in name.lower()) if fold else (query in name)

    found = sorted(
        (g for g in ctx.state.table("groups").values() if matches(g["name"])),
        key=lambda g: g["name"].lower(),
    )
    found = [g for g in found if g["name"] not in excluded and g["groupId"] not in excluded]
    shown = found[:limit]
    groups = [
        {
            "name": g["name"],
            "groupId": g["groupId"],
            "html": _highlight(g["name"], query),
            "labels": [],
        }
        for g in shown
    ]
    header = f"Showing {len(shown)} of {len(found)} matching groups"
    return Response(200, {"header": header, "total": len(found), "groups": groups})
