"""The sandbox's JQL (issue 18): a parsed grammar with Jira's error messages for what it refuses,
custom fields by name or ``cf[id]``, and filters checked with the same rules."""

from __future__ import annotations

from typing import Any

import pytest
from jira.exceptions import JIRAError

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira, jira_error_body
from tests.sandbox.jira_rest import API, Api

INVALID_DATE = (
    "Date value 'yesterday' for field 'created' is invalid. Valid formats include: "
    "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format "
    "e.g. '-5d', '4w 2d'."
)


def _errors(site: SandboxHandle, jql: str) -> list[str]:
    answer = Api(site).call("GET", API + "/search/jql", params={"jql": jql})
    assert answer.status_code == 400, jql
    messages: list[str] = answer.json()["errorMessages"]
    return messages


@pytest.mark.parametrize(
    ("jql", "messages"),
    [
        (
            "flavour = mint",
            ["Field 'flavour' does not exist or you do not have permission to view it."],
        ),
        ("labels > a", ["The operator '>' is not supported by the 'labels' field."]),
        ("project ~ OPS", ["The operator '~' is not supported by the 'project' field."]),
        ("key is EMPTY", ["The operator 'IS' is not supported by the 'key' field."]),
        (
            "project = NOPE AND status = Shipped",
            [
                "The value 'NOPE' does not exist for the field 'project'.",
                "The value 'Shipped' does not exist for the field 'status'.",
            ],
        ),
        ("created > yesterday", [INVALID_DATE]),
        ("assignee = me()", ["Unable to find JQL function 'me()'."]),
        (
            "created > currentUser()",
            ["The function 'currentUser' is not valid for the field 'created'."],
        ),
        ("key = OPS-99", ["An issue with key 'OPS-99' does not exist for field 'key'."]),
        ("project = OPS ORDER BY labels", ["Field 'labels' does not support sorting."]),
        (
            "sprint in openSprints()",
            ["The sandbox does not emulate the field 'sprint' in JQL (see docs/sandbox.md)."],
        ),
        ("status WAS Done", ["The sandbox does not emulate the history operator 'WAS'."]),
        (
            "assignee IS alice",
            ["The operator 'IS' only supports the EMPTY or NULL value (field 'assignee')."],
        ),
        (
            "project OPS",
            [
                "Error in the JQL Query: Expecting operator but got 'OPS'. The valid operators are "
                "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. "
                "(line 1, character 9)"
            ],
        ),
        (
            "project = OPS labels = a",
            [
                "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'labels'. "
                "(line 1, character 15)"
            ],
        ),
        (
            "(project = OPS",
            ["Error in the JQL Query: Expecting ')' to close the group. (line 1, character 15)"],
        ),
        (
            "project = OPS AND",
            ["Error in the JQL Query: The query ends unexpectedly. (line 1, character 18)"],
        ),
        (
            "labels = a%b",
            [
                "Error in the JQL Query: The character '%' is a reserved JQL character. You must "
                "enclose it in a string or use the escape '\\u0025' instead. (line 1, character 11)"
            ],
        ),
        (
            "ORDER BY created",
            [
                "Unbounded JQL queries are not allowed here. "
                "Please add a search restriction to your query."
            ],
        ),
    ],
)
def test_refused_queries_answer_jiras_messages(
    sandbox_site: SandboxHandle, jql: str, messages: list[str]
) -> None:
    assert _errors(sandbox_site, jql) == messages


def test_custom_fields_by_name_and_id_with_dates(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    kind = "com.atlassian.jira.plugin.system.customfieldtypes:"
    sla = api.ok(
        "POST", API + "/field", json={"name": "Fulfillment SLA Date", "type": kind + "datepicker"}
    )
    channel = api.ok(
        "POST", API + "/field", json={"name": "Sales Channel", "type": kind + "select"}
    )
    # A select takes the options of a context that applies to the issue, as on Jira: here the
    # global context Jira gives a new field.
    (context,) = api.ok("GET", f"{API}/field/{channel['id']}/context")["values"]
    values = [{"value": v} for v in ("Amazon", "eBay", "Walmart Marketplace")]
    api.ok("POST", f"{API}/field/{channel['id']}/context/{context['id']}/option",
           json={"options": values})  # fmt: skip
    client = jira(sandbox_site)

    def order(summary: str, **custom: Any) -> str:
        fields = {"project": {"key": "OPS"}, "issuetype": {"name": "Order"}, "summary": summary}
        return str(client.create_issue(fields={**fields, **custom}).key)

    late = order("late", **{sla["id"]: "2020-01-01", channel["id"]: {"value": "Amazon"}})
    future = order("future", **{sla["id"]: "2999-01-01", channel["id"]: {"value": "eBay"}})
    none = order("none")

    def keys(jql: str) -> list[str]:
        return [i.key for i in client.enhanced_search_issues(jql, fields="key")]

    assert keys('"Fulfillment SLA Date" <= endOfDay()') == [late]
    assert keys(f"cf[{sla['id'][12:]}] is EMPTY AND project = OPS") == [none]
    assert keys('"sales channel" in (Amazon, "Walmart Marketplace")') == [late]
    assert keys('project = OPS ORDER BY "Fulfillment SLA Date" DESC, created ASC') == [
        none,
        future,
        late,
    ]


def test_filters_are_checked_with_the_same_grammar(sandbox_site: SandboxHandle) -> None:
    client = jira(sandbox_site)
    unbounded = client.create_filter("Everything", jql="ORDER BY created DESC")
    assert unbounded.jql == "ORDER BY created DESC"  # filters may be unbounded, searches not
    with pytest.raises(JIRAError) as raised:
        client.create_filter("Broken", jql='project = OPS AND status in ("Ready for QA")')
    assert raised.value.status_code == 400
    assert jira_error_body(raised.value)["errorMessages"] == [
        "The value 'Ready for QA' does not exist for the field 'status'."
    ]
    mine = client.create_filter(
        "My onboarding tasks",
        jql="project = PEOPLE AND labels = onboarding AND assignee = currentUser() "
        "AND statusCategory != Done ORDER BY duedate ASC",
    )
    assert mine.name == "My onboarding tasks"
