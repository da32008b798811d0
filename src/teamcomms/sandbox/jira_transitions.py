"""Jira issue transitions through the workflow assigned to the issue's project and type by the
project's workflow scheme: the initial status of a new issue, ``GET``/``POST
/issue/{key}/transitions``, and what a transition changes.

A transition whose conditions the user does not meet is neither offered nor taken; its validators
may refuse it (400 with their messages); then the status changes (and the status category change
date) and its post functions run (:mod:`teamcomms.sandbox.jira_workflow_rules`). The resolution:
a transition into a Done-category status may set it (``fields.resolution``, as a resolve screen
offers); the system workflow ``jira`` sets it to Done on entering Done and clears it on leaving,
as Jira's default workflow does; other workflows change it only through a
``system:update-field`` post function on ``resolution``, as on Cloud, where a workflow without
one leaves issues in Done unresolved."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_history import change_item, record
from teamcomms.sandbox.jira_issue_fields import NOT_SETTABLE, change_items, ref_id
from teamcomms.sandbox.jira_issue_json import status_json
from teamcomms.sandbox.jira_platform import find_issue, jira_route
from teamcomms.sandbox.jira_workflow_rules import (
    action_changes,
    conditions_allow,
    validator_messages,
)

ROUTES = RouteTable()
DONE_RESOLUTION = "10000"
"""What the default workflow's post-function sets on entering Done: the resolution Done."""


def workflow_for(ctx: Context, project_id: str, type_id: str) -> dict[str, Any]:
    """The workflow the project's scheme maps this issue type to (else the scheme's default)."""
    project = ctx.state.table("projects")[project_id]
    scheme = ctx.state.table("workflowschemes")[project["workflowSchemeId"]]
    name = scheme["issueTypeMappings"].get(type_id, scheme["defaultWorkflow"])
    workflows = ctx.state.table("workflows").values()
    found: dict[str, Any] = next(w for w in workflows if w["name"] == name)
    return found


def initial_status(ctx: Context, project_id: str, type_id: str) -> str:
    """Where the workflow's INITIAL transition puts a new issue."""
    workflow = workflow_for(ctx, project_id, type_id)
    initial = next(t for t in workflow["transitions"] if t.get("type") == "INITIAL")
    return str(initial["toStatusReference"])


def available(ctx: Context, issue: dict[str, Any]) -> list[dict[str, Any]]:
    """The transitions the issue can take from its status: global ones to another status, and
    directed ones with a link from its status, whose conditions the user meets."""
    workflow = workflow_for(ctx, issue["projectId"], issue["fields"]["issuetype"])
    current = issue["fields"]["status"]
    found = []
    for transition in workflow["transitions"]:
        kind = transition.get("type")
        target = str(transition.get("toStatusReference"))
        linked = any(
            str(link.get("fromStatusReference")) == current for link in transition.get("links", [])
        )
        offered = (kind == "GLOBAL" and target != current) or (kind == "DIRECTED" and linked)
        if offered and conditions_allow(ctx, issue, transition.get("conditions")):
            found.append(transition)
    return found


def _transition_json(ctx: Context, transition: dict[str, Any], fields: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": str(transition["id"]),
        "name": transition["name"],
        "to": status_json(ctx, str(transition["toStatusReference"])),
        "hasScreen": False,
        "isGlobal": transition.get("type") == "GLOBAL",
        "isInitial": False,
        "isAvailable": True,
        "isConditional": bool(transition.get("conditions")),
        "isLooped": False,
    }
    if fields:
        answer["fields"] = {}
    return answer


@jira_route(ROUTES, "GET", "/issue/{issueIdOrKey}/transitions")
def list_transitions(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    wanted = req.arg("transitionId")
    with_fields = "transitions.fields" in req.args("expand")
    transitions = [
        _transition_json(ctx, t, with_fields)
        for t in available(ctx, issue)
        if wanted is None or str(t["id"]) == wanted
    ]
    return Response(200, {"expand": "transitions", "transitions": transitions})


def _category(ctx: Context, status_id: str) -> str:
    category: str = ctx.state.table("statuses")[status_id]["statusCategory"]
    return category


def move(
    ctx: Context, issue: dict[str, Any], target: str, resolution: str | None = None
) -> list[dict[str, Any]]:
    """Put the issue in status ``target`` as the system workflow does (the resolution set on
    entering Done, cleared on leaving it); returns the changelog items."""
    stored = issue["fields"]
    old = stored["status"]
    statuses = ctx.state.table("statuses")
    items = [
        change_item(
            "status",
            "status",
            (old, statuses[old]["name"]),
            (target, statuses[target]["name"]),
        )
    ]
    stored["status"] = target
    now = ctx.state.now()
    if _category(ctx, old) != _category(ctx, target):
        stored["statuscategorychangedate"] = now
    done = _category(ctx, target) == "DONE"
    previous = stored.get("resolution")
    wanted = (resolution or previous or DONE_RESOLUTION) if done else None
    if wanted != previous:
        names = ctx.state.table("resolutions")
        items.append(
            change_item(
                "resolution",
                "resolution",
                (previous, names[previous]["name"]) if previous else (None, None),
                (wanted, names[wanted]["name"]) if wanted else (None, None),
            )
        )
        stored["resolution"] = wanted
        stored["resolutiondate"] = now if wanted else None
    return items


def _by_rules(
    ctx: Context, issue: dict[str, Any], transition: dict[str, Any], resolution: str | None
) -> list[dict[str, Any]]:
    """Take a transition of a workflow other than the system one: validators, status, post
    functions; returns the changelog items."""
    stored = issue["fields"]
    target = str(transition["toStatusReference"])
    values = {**stored, **({"resolution": resolution} if resolution else {})}
    messages = validator_messages(ctx, issue, transition.get("validators") or [], values)
    if messages:
        raise ApiError(400, messages[0], messages=messages)
    statuses = ctx.state.table("statuses")
    old = stored["status"]
    items = [
        change_item(
            "status", "status", (old, statuses[old]["name"]), (target, statuses[target]["name"])
        )
    ]
    stored["status"] = target
    now = ctx.state.now()
    if _category(ctx, old) != _category(ctx, target):
        stored["statuscategorychangedate"] = now
    changes = {**({"resolution": resolution} if resolution else {})}
    changes.update(action_changes(ctx, transition.get("actions") or [], values))
    items += change_items(ctx, stored, changes)
    if "resolution" in changes and changes["resolution"] != stored.get("resolution"):
        stored["resolutiondate"] = now if changes["resolution"] else None
    stored.update(changes)
    return items


def transition_issue(ctx: Context, issue: dict[str, Any], data: dict[str, Any]) -> None:
    """Carry out a transition request body (``transition.id``, optional ``fields.resolution``)."""
    transition_id = str((data.get("transition") or {}).get("id", ""))
    chosen = next((t for t in available(ctx, issue) if str(t["id"]) == transition_id), None)
    if chosen is None:
        raise ApiError(400, f"Transition id '{transition_id}' is not valid for this issue.")
    target = str(chosen["toStatusReference"])
    fields = data.get("fields") or {}
    errors = {}
    resolution = None
    for field, value in fields.items():
        # Only a Done status's transition screen offers the resolution (no other screens).
        if field == "resolution" and _category(ctx, target) == "DONE":
            resolution = ref_id(value, ctx.state.table("resolutions"), "name")
            if resolution is None:
                errors[field] = "The resolution selected is invalid."
        else:
            errors[field] = NOT_SETTABLE.format(field)
    for field in data.get("update") or {}:
        errors[field] = NOT_SETTABLE.format(field)
    if errors:
        raise ApiError(400, "", errors=errors)
    workflow = workflow_for(ctx, issue["projectId"], issue["fields"]["issuetype"])
    if workflow["isEditable"]:
        record(ctx, issue, _by_rules(ctx, issue, chosen, resolution))
    else:
        record(ctx, issue, move(ctx, issue, target, resolution))


@jira_route(ROUTES, "POST", "/issue/{issueIdOrKey}/transitions")
def do_transition(ctx: Context, req: Request) -> Response:
    issue = find_issue(ctx, req.params["issueIdOrKey"])
    transition_issue(ctx, issue, req.json_object())
    return Response(204)
