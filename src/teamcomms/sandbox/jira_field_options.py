"""Options of select-list custom fields, per context: list (in display order), create, update
(value, ``disabled``), reorder, delete, and replace an option on issues.

Only fields whose type has options accept them ("The custom field doesn't support options.").
Option values are unique within a context. Deleting an option that issues use succeeds and
removes the value from those issues: the spec documents no refusal, and Jira's option deletion
clears the value on the issues that had it. ``DELETE .../option/{optionId}/issue`` (303 + task)
first moves those issues to another option (``replaceWith``), optionally only the issues a
``jql`` matches.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.jira_field_contexts import context_applies, find_context
from teamcomms.sandbox.jira_field_types import has_options
from teamcomms.sandbox.jira_platform import jira_route
from teamcomms.sandbox.jira_tasks import async_answer, start_task
from teamcomms.sandbox.pagination import page_bean

ROUTES = RouteTable()
OPTIONS_PATH = "/field/{fieldId}/context/{contextId}/option"
NO_OPTIONS = "The custom field doesn't support options."  # the spec's example
LIMIT = 1000


def ordered(context: dict[str, Any]) -> list[dict[str, Any]]:
    """A context's options in display order (options from before ordering: by id)."""
    options = context["options"].values()
    return sorted(options, key=lambda o: (o.get("position", int(o["id"])), int(o["id"])))


def _renumber(options: list[dict[str, Any]]) -> None:
    for position, option in enumerate(options):
        option["position"] = position


def option_json(option: dict[str, Any]) -> dict[str, Any]:
    """A ``CustomFieldContextOption``."""
    return {"id": option["id"], "value": option["value"], "disabled": option["disabled"]}


def _option_context(ctx: Context, req: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    field, context = find_context(ctx, req)
    if not has_options(field):
        raise ApiError(400, NO_OPTIONS)
    return field, context


def _checked(data: dict[str, Any]) -> list[dict[str, Any]]:
    options = data.get("options")
    if not isinstance(options, list) or not options:
        raise ApiError(400, "At least one option is required.")
    if len(options) > LIMIT:
        raise ApiError(400, f"At most {LIMIT} options can be given in one request.")
    return options


@jira_route(ROUTES, "GET", OPTIONS_PATH)
def list_options(ctx: Context, req: Request) -> Response:
    _, context = _option_context(ctx, req)
    wanted = req.arg("optionId")
    options = [option_json(o) for o in ordered(context) if wanted in (None, o["id"])]
    return Response(200, page_bean(req, options, ctx.base_url, default_max=100, maximum=100))


@jira_route(ROUTES, "POST", OPTIONS_PATH)
def create_options(ctx: Context, req: Request) -> Response:
    _, context = _option_context(ctx, req)
    wanted = _checked(req.json_object())
    values = {o["value"] for o in context["options"].values()}
    for option in wanted:
        value = option.get("value")
        if not isinstance(value, str) or not value.strip() or value in values or len(value) > 255:
            raise ApiError(400, f"The option '{value}' is empty or already exists in this context.")
        values.add(value)
    created = []
    existing = ordered(context)
    _renumber(existing)
    position = len(existing)
    for option in wanted:
        stored = {
            "id": ctx.state.new_id(),
            "value": option["value"],
            "disabled": bool(option.get("disabled", False)),
            "position": position,
        }
        position += 1
        context["options"][stored["id"]] = stored
        created.append(option_json(stored))
    return Response(200, {"options": created})


@jira_route(ROUTES, "PUT", OPTIONS_PATH)
def update_options(ctx: Context, req: Request) -> Response:
    _, context = _option_context(ctx, req)
    wanted = _checked(req.json_object())
    for option in wanted:  # "If any of the options are not found, no options are updated."
        if str(option.get("id")) not in context["options"]:
            raise ApiError(404, f"The option {option.get('id')} was not found.")
        value = option.get("value")
        clash = any(
            o["value"] == value and o["id"] != str(option["id"])
            for o in context["options"].values()
        )
        if "value" in option and (not isinstance(value, str) or not value.strip() or clash):
            raise ApiError(400, f"The option '{value}' is empty or already exists in this context.")
    updated = []
    for option in wanted:
        stored = context["options"][str(option["id"])]
        changes = {k: option[k] for k in ("value", "disabled") if k in option}
        # "Options where the values in the request match the current values aren't updated and
        # aren't reported in the response."
        if all(stored[k] == v for k, v in changes.items()):
            continue
        stored.update(changes)
        updated.append(option_json(stored))
    return Response(200, {"options": updated})


@jira_route(ROUTES, "PUT", OPTIONS_PATH + "/move")
def move_options(ctx: Context, req: Request) -> Response:
    _, context = _option_context(ctx, req)
    data = req.json_object()
    moving = [str(i) for i in data.get("customFieldOptionIds") or []]
    after, position = data.get("after"), data.get("position")
    if after is not None and position is not None:
        # The spec's example of the 400.
        raise ApiError(
            400,
            "'after' and 'position' were provided. Only 'after' or 'position' can be specified.",
        )
    if after is None and position not in ("First", "Last"):
        raise ApiError(400, "Either 'after' or 'position' (First or Last) must be specified.")
    if not moving or len(set(moving)) != len(moving):
        raise ApiError(400, "customFieldOptionIds must list distinct option IDs.")
    named = moving + ([str(after)] if after is not None else [])
    missing = [i for i in named if i not in context["options"]]
    if missing:
        raise ApiError(404, f"These options were not found: {', '.join(missing)}.")
    if after is not None and str(after) in moving:
        raise ApiError(400, "An option can't be moved after itself.")
    rest = [o for o in ordered(context) if o["id"] not in moving]
    moved = [context["options"][i] for i in moving]
    if position == "First":
        result = moved + rest
    elif position == "Last":
        result = rest + moved
    else:
        at = next(n for n, o in enumerate(rest) if o["id"] == str(after)) + 1
        result = rest[:at] + moved + rest[at:]
    _renumber(result)
    return Response(204)


def _refers_to(value: Any, option: dict[str, Any]) -> bool:
    if isinstance(value, dict):
        return str(value.get("id")) == option["id"] or (
            "id" not in value and value.get("value") == option["value"]
        )
    return False


def _replace_on_issues(
    ctx: Context,
    field_id: str,
    context: dict[str, Any],
    option: dict[str, Any],
    replacement: dict[str, Any] | None,
    issues: list[dict[str, Any]],
) -> set[str]:
    """Take ``option`` off these issues' field values (putting ``replacement`` in its place);
    returns the projects of the issues changed."""
    touched = set()
    new = {"id": replacement["id"], "value": replacement["value"]} if replacement else None
    for issue in issues:
        stored = issue["fields"]
        if not context_applies(context, issue["projectId"], stored["issuetype"]):
            continue
        value = stored.get(field_id)
        if isinstance(value, list) and any(_refers_to(v, option) for v in value):
            kept = [v for v in value if not _refers_to(v, option)]
            stored[field_id] = kept + ([new] if new and new not in kept else [])
        elif _refers_to(value, option):
            stored[field_id] = new
        else:
            continue
        touched.add(issue["projectId"])
    return touched


@jira_route(ROUTES, "DELETE", OPTIONS_PATH + "/{optionId}")
def delete_option(ctx: Context, req: Request) -> Response:
    field, context = _option_context(ctx, req)
    option = context["options"].get(req.params["optionId"])
    if option is None:
        raise ApiError(404, f"The option {req.params['optionId']} was not found.")
    issues = list(ctx.state.table("issues").values())
    _replace_on_issues(ctx, field["id"], context, option, None, issues)
    del context["options"][option["id"]]
    return Response(204)


@jira_route(ROUTES, "DELETE", OPTIONS_PATH + "/{optionId}/issue")
def replace_option_on_issues(ctx: Context, req: Request) -> Response:
    from teamcomms.sandbox.jira_search import parse_jql  # the search module imports fields
    from teamcomms.sandbox.jql_search import search

    field, context = _option_context(ctx, req)
    option = context["options"].get(req.params["optionId"])
    if option is None:
        raise ApiError(404, f"The option {req.params['optionId']} was not found.")
    replace_with = req.arg("replaceWith")
    replacement = context["options"].get(replace_with) if replace_with else None
    if replace_with and replacement is None:
        raise ApiError(404, f"The option {replace_with} was not found.")
    jql = req.arg("jql")
    issues = sorted(ctx.state.table("issues").values(), key=lambda i: int(i["id"]))
    if jql:
        issues = search(ctx, parse_jql(ctx, jql, allow_unbounded=True), issues)
    touched = _replace_on_issues(ctx, field["id"], context, option, replacement, issues)
    # The spec's example task description.
    description = f"Remove option {option['id']} from issues matched by '{jql or '*'}'" + (
        f", and replace with option {replacement['id']}" if replacement else ""
    )
    return async_answer(ctx, start_task(ctx, description, sorted(touched)))
