"""Transition rules of Jira Cloud workflows (``validators``, ``conditions``, ``actions``): which
rule keys exist, how they are checked and stored (each rule gets an id), and what they do when an
issue takes a transition.

The rule keys are the Atlassian-provided ones that the description of ``GET
/rest/api/3/workflows/capabilities`` lists, by kind; any other key (including Connect and Forge
rules: the sandbox has no apps) is refused. Rule parameters are strings, as the spec types them.

Evaluated when issues transition (the rest are stored and answered, and always pass):

* ``system:restrict-issue-transition`` (condition): the user must be in one of ``groupIds``, act
  in one of ``roleIds`` in the issue's project, be one of ``accountIds`` (``allow-reporter``,
  ``allow-assignee``), or hold one of ``permissionKeys`` (the sandbox user holds every permission);
* ``system:restrict-from-all-users`` (condition): nobody may take the transition;
* ``system:validate-field-value`` with ``ruleType: fieldRequired`` (validator): every field of
  ``fieldsRequired`` (comma-separated ids) must have a value after the transition's own fields;
* ``system:update-field`` (action): sets ``field`` to ``value`` (``mode`` ``replace``, or
  ``append`` for text); for ``resolution`` the value is a resolution id, empty clears it;
* ``system:change-assignee`` (action): ``to-selected-user``/``to-unassigned``/``to-current-user``.
"""

from __future__ import annotations

import uuid
from typing import Any

from teamcomms.sandbox.api import Context
from teamcomms.sandbox.jira_access import groups_of, roles_in
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

VALIDATORS = frozenset(
    {
        "system:check-permission-validator",
        "system:parent-or-child-blocking-validator",
        "system:previous-status-validator",
        "system:validate-field-value",
        "system:proforma-forms-attached",
        "system:proforma-forms-submitted",
    }
)
CONDITIONS = frozenset(
    {
        "system:check-field-value",
        "system:restrict-issue-transition",
        "system:previous-status-condition",
        "system:parent-or-child-blocking-condition",
        "system:separation-of-duties",
        "system:restrict-from-all-users",
        "system:jsd-approvals-block-until-approved",
        "system:jsd-approvals-block-until-rejected",
        "system:block-in-progress-approval",
    }
)
ACTIONS = frozenset(
    {
        "system:change-assignee",
        "system:copy-value-from-other-field",
        "system:update-field",
        "system:trigger-webhook",
        "system:trigger-agent",
    }
)
SCREENS = frozenset({"system:remind-people-to-update-fields", "system:transition-screen"})
_KINDS = {"validators": VALIDATORS, "actions": ACTIONS, "conditions": CONDITIONS}
_WHAT = {"validators": "validator", "actions": "post function", "conditions": "condition"}


def _error(message: str, transition_id: str, rule_id: str | None = None) -> dict[str, Any]:
    reference = {"transitionId": transition_id}
    if rule_id:
        reference["ruleId"] = rule_id
    return {
        "code": "INVALID_RULE",
        "level": "ERROR",
        "message": message,
        "type": "RULE",
        "elementReference": reference,
    }


def _rule_errors(rule: Any, kind: str, transition: dict[str, Any]) -> list[dict[str, Any]]:
    tid = str(transition.get("id"))
    label = transition.get("name") or tid
    if not isinstance(rule, dict) or not isinstance(rule.get("ruleKey"), str):
        return [_error(f"A rule of transition '{label}' has no ruleKey.", tid)]
    key = rule["ruleKey"]
    rule_id = rule.get("id")
    if key not in VALIDATORS | CONDITIONS | ACTIONS | SCREENS:
        return [_error(f"The rule key '{key}' of transition '{label}' is not valid.", tid, rule_id)]
    if key not in _KINDS[kind]:
        return [
            _error(
                f"The rule '{key}' of transition '{label}' is not a {_WHAT[kind]}.", tid, rule_id
            )
        ]
    parameters = rule.get("parameters", {})
    if not isinstance(parameters, dict) or not all(isinstance(v, str) for v in parameters.values()):
        return [
            _error(
                f"The parameters of rule '{key}' of transition '{label}' must be strings.",
                tid,
                rule_id,
            )
        ]
    return []


def _group_errors(group: Any, transition: dict[str, Any]) -> list[dict[str, Any]]:
    tid = str(transition.get("id"))
    if not isinstance(group, dict) or group.get("operation") not in ("ANY", "ALL"):
        label = transition.get("name") or tid
        return [_error(f"The conditions of transition '{label}' need operation ANY or ALL.", tid)]
    errors = [
        error
        for rule in group.get("conditions") or []
        for error in _rule_errors(rule, "conditions", transition)
    ]
    for inner in group.get("conditionGroups") or []:
        errors += _group_errors(inner, transition)
    return errors


def rule_errors(transition: dict[str, Any]) -> list[dict[str, Any]]:
    """Jira's checks of a transition's rules (in the validation endpoints' error shape)."""
    errors: list[dict[str, Any]] = []
    for kind in ("validators", "actions"):
        for rule in transition.get(kind) or []:
            errors += _rule_errors(rule, kind, transition)
    if transition.get("conditions") is not None:
        errors += _group_errors(transition["conditions"], transition)
    screen = transition.get("transitionScreen")
    if isinstance(screen, dict) and screen.get("ruleKey") not in SCREENS:
        errors.append(
            _error(
                f"The transition screen rule '{screen.get('ruleKey')}' is not valid.",
                str(transition.get("id")),
            )
        )
    return errors


def _stored_rule(ctx: Context, rule: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """A rule as stored and answered: its id kept when it is one of this workflow's, else new."""
    rule_id = rule.get("id")
    if not rule_id or str(rule_id) not in known:
        number = ctx.state.new_id()
        rule_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"teamcomms-sandbox/rule/{number}"))
    return {
        "id": str(rule_id),
        "ruleKey": rule["ruleKey"],
        "parameters": dict(rule.get("parameters") or {}),
    }


def _stored_group(ctx: Context, group: dict[str, Any], known: set[str]) -> dict[str, Any]:
    return {
        "operation": group["operation"],
        "conditions": [_stored_rule(ctx, r, known) for r in group.get("conditions") or []],
        "conditionGroups": [
            _stored_group(ctx, g, known) for g in group.get("conditionGroups") or []
        ],
    }


def rule_ids(workflow: dict[str, Any] | None) -> set[str]:
    """The ids of every rule of a stored workflow (an update may name them to keep them)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "ruleKey" in node and node.get("id"):
                found.add(str(node["id"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk((workflow or {}).get("transitions"))
    return found


def stored_rules(ctx: Context, transition: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """The rule parts of a checked transition as stored (rules with ids)."""
    stored: dict[str, Any] = {
        "validators": [_stored_rule(ctx, r, known) for r in transition.get("validators") or []],
        "actions": [_stored_rule(ctx, r, known) for r in transition.get("actions") or []],
    }
    if transition.get("conditions") is not None:
        stored["conditions"] = _stored_group(ctx, transition["conditions"], known)
    if isinstance(transition.get("transitionScreen"), dict):
        stored["transitionScreen"] = _stored_rule(ctx, transition["transitionScreen"], known)
    return stored


# ---- at transition time -----------------------------------------------------------------------
def _listed(parameters: dict[str, Any], name: str) -> set[str]:
    return {part.strip() for part in str(parameters.get(name) or "").split(",") if part.strip()}


def _restriction_allows(ctx: Context, issue: dict[str, Any], parameters: dict[str, Any]) -> bool:
    user = SANDBOX_ACCOUNT_ID
    accounts = _listed(parameters, "accountIds")
    stored = issue["fields"]
    if user in accounts:
        return True
    if "allow-reporter" in accounts and stored.get("reporter") == user:
        return True
    if "allow-assignee" in accounts and stored.get("assignee") == user:
        return True
    if _listed(parameters, "groupIds") & groups_of(ctx, user):
        return True
    if _listed(parameters, "roleIds") & roles_in(ctx, user, issue["projectId"]):
        return True
    # The sandbox user holds every permission (see jira_permissions).
    return bool(_listed(parameters, "permissionKeys"))


def _condition_holds(ctx: Context, issue: dict[str, Any], rule: dict[str, Any]) -> bool:
    key = str(rule["ruleKey"])
    if key == "system:restrict-issue-transition":
        return _restriction_allows(ctx, issue, rule.get("parameters") or {})
    return key != "system:restrict-from-all-users"


def conditions_allow(ctx: Context, issue: dict[str, Any], group: dict[str, Any] | None) -> bool:
    """Whether the signed-in user may take a transition with these conditions."""
    if not group:
        return True
    results = [_condition_holds(ctx, issue, r) for r in group.get("conditions") or []]
    results += [conditions_allow(ctx, issue, g) for g in group.get("conditionGroups") or []]
    if not results:
        return True
    return all(results) if group.get("operation") == "ALL" else any(results)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validator_messages(
    ctx: Context, issue: dict[str, Any], validators: list[dict[str, Any]], values: dict[str, Any]
) -> list[str]:
    """The messages of the validators that refuse a transition; ``values`` are the issue's field
    values as the transition would leave them."""
    messages = []
    fields = ctx.state.table("fields")
    for rule in validators:
        parameters = rule.get("parameters") or {}
        if rule["ruleKey"] != "system:validate-field-value":
            continue
        if parameters.get("ruleType") != "fieldRequired":
            continue
        for field_id in sorted(_listed(parameters, "fieldsRequired")):
            if _empty(values.get(field_id)):
                name = (fields.get(field_id) or {}).get("name", field_id)
                # Jira shows the rule's errorMessage; without one, a default in Jira's style.
                messages.append(parameters.get("errorMessage") or f"{name} is required.")
    return messages


def action_changes(
    ctx: Context, actions: list[dict[str, Any]], values: dict[str, Any]
) -> dict[str, Any]:
    """The field values a transition's post functions set, given the values before them."""
    changes: dict[str, Any] = {}
    for rule in actions:
        parameters = rule.get("parameters") or {}
        if rule["ruleKey"] == "system:update-field" and parameters.get("field"):
            field, value = parameters["field"], parameters.get("value", "")
            current = changes.get(field, values.get(field))
            if parameters.get("mode") == "append" and isinstance(current, str):
                value = current + value
            if field == "resolution":
                changes[field] = value if value in ctx.state.table("resolutions") else None
            else:
                changes[field] = value if value != "" else None
        elif rule["ruleKey"] == "system:change-assignee":
            kind = parameters.get("type")
            if kind == "to-selected-user":
                changes["assignee"] = parameters.get("accountId")
            elif kind == "to-unassigned":
                changes["assignee"] = None
            elif kind == "to-current-user":
                changes["assignee"] = SANDBOX_ACCOUNT_ID
    return changes
