"""Which issues a workflow configuration change strands, and moving them.

A project's workflow scheme maps each issue type to a workflow (by name, as classic schemes do),
and the scheme's default workflow takes the rest. When a workflow loses a status, or an issue type
gets another workflow (scheme update or switch), issues sitting in a status the new workflow
lacks must be mapped to one it has; Jira asks for those mappings and refuses without them. The
sandbox asks only for statuses issues actually sit in (the brief's reading of the spec's
"required if any statuses ... would no longer exist"); mapping other statuses too is accepted.

Moving issues records one changelog item per issue (the status) and updates the status category
change date; no post function runs, so the resolution stays as it is, as in Jira's migration.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import Context
from teamcomms.sandbox.jira_history import change_item, record

Key = tuple[str, str]
"""``(project id, issue type id)``."""


def workflow_name_in(scheme: dict[str, Any], type_id: str) -> str:
    """The name of the workflow a (stored) scheme gives an issue type."""
    name: str = scheme["issueTypeMappings"].get(type_id, scheme["defaultWorkflow"])
    return name


def workflow_by_name(ctx: Context, name: str) -> dict[str, Any] | None:
    """The stored workflow with this name, if any."""
    return next((w for w in ctx.state.table("workflows").values() if w["name"] == name), None)


def status_ids(workflow: dict[str, Any] | None) -> set[str]:
    """The ids of the statuses a stored workflow lists."""
    return {str(s["statusReference"]) for s in (workflow or {}).get("statuses", [])}


def issues_of_projects(ctx: Context, project_ids: set[str]) -> list[dict[str, Any]]:
    """The issues of these projects, oldest first."""
    issues = ctx.state.table("issues").values()
    return sorted((i for i in issues if i["projectId"] in project_ids), key=lambda i: int(i["id"]))


def stranded(
    ctx: Context, issues: list[dict[str, Any]], new_statuses: dict[Key, set[str]]
) -> dict[Key, set[str]]:
    """For each ``(project, issue type)`` whose new workflow is given in ``new_statuses``, the
    statuses its issues sit in that the new workflow lacks."""
    found: dict[Key, set[str]] = {}
    for issue in issues:
        key = (issue["projectId"], issue["fields"]["issuetype"])
        if key in new_statuses and issue["fields"]["status"] not in new_statuses[key]:
            found.setdefault(key, set()).add(issue["fields"]["status"])
    return found


def move_issues(
    ctx: Context, issues: list[dict[str, Any]], mapping: dict[Key, dict[str, str]]
) -> int:
    """Move each issue whose status ``mapping[(project, type)]`` maps; returns how many moved."""
    statuses = ctx.state.table("statuses")
    moved = 0
    for issue in issues:
        stored = issue["fields"]
        old = stored["status"]
        new = mapping.get((issue["projectId"], stored["issuetype"]), {}).get(old)
        if new is None or new == old:
            continue
        item = change_item(
            "status", "status", (old, statuses[old]["name"]), (new, statuses[new]["name"])
        )
        if statuses[old]["statusCategory"] != statuses[new]["statusCategory"]:
            stored["statuscategorychangedate"] = ctx.state.now()
        stored["status"] = new
        record(ctx, issue, [item])
        moved += 1
    return moved


def status_name(ctx: Context, status_id: str) -> str:
    """A status's name (its id when it no longer exists)."""
    status = ctx.state.table("statuses").get(status_id)
    return str(status["name"]) if status else status_id


def type_name(ctx: Context, type_id: str) -> str:
    """An issue type's name (its id when unknown)."""
    found = ctx.state.table("issuetypes").get(type_id)
    return str(found["name"]) if found else type_id
