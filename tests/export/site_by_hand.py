"""A sandbox site set up by hand through its REST API, as people click a site together: pages
with macros, tables and task lists written as Confluence's editor stores them, a content
template, two workflows with rules, custom fields with options, filters and a board. Nothing on
it carries a teamcomms marker."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import SandboxHandle
from tests.sandbox.jira_rest import AGILE, API, Api

HOME_CHILD = "Fulfillment handbook"
HANDBOOK = (
    "<h1>Fulfillment handbook</h1><p>Orders paid by <strong>13:00</strong> ship the <em>same</em>"
    ' day. See <a href="https://status.example.com/carriers">carrier status</a> and '
    '<ac:link><ri:page ri:space-key="TEAM" ri:content-title="Returns"/>'
    "<ac:link-body>returns</ac:link-body></ac:link>.</p>"
    '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="6a1f0c2e">'
    '<ac:parameter ac:name="title">Cut-off</ac:parameter><ac:rich-text-body>'
    "<p>Marketplace orders ship within one business day, always.</p></ac:rich-text-body>"
    "</ac:structured-macro>"
    "<h2>Every morning</h2><ac:task-list>\n<ac:task>\n<ac:task-id>31</ac:task-id>\n"
    "<ac:task-status>complete</ac:task-status>\n<ac:task-body>Print the pick list</ac:task-body>"
    "\n</ac:task>\n<ac:task>\n<ac:task-id>32</ac:task-id>\n<ac:task-status>incomplete"
    "</ac:task-status>\n<ac:task-body>Check the <strong>on hold</strong> queue</ac:task-body>\n"
    "</ac:task>\n</ac:task-list>"
    "<table><tbody><tr><th>Carrier</th><th>Cut-off</th><th>State</th></tr>"
    "<tr><td>UPS</td><td>16:00</td><td>"
    '<ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="77aa">'
    '<ac:parameter ac:name="colour">Green</ac:parameter><ac:parameter ac:name="title">Running'
    "</ac:parameter></ac:structured-macro></td></tr><tr><td>DHL</td><td>15:30</td><td>"
    '<ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="77ab">'
    '<ac:parameter ac:name="colour">Red</ac:parameter><ac:parameter ac:name="title">Delayed'
    "</ac:parameter></ac:structured-macro></td></tr></tbody></table>"
    '<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="c0de">'
    '<ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body>'
    "<![CDATA[shipstation export --since {{ yesterday }}]]></ac:plain-text-body>"
    "</ac:structured-macro>"
    '<p>Open work: <ac:structured-macro ac:name="jira" ac:schema-version="1" ac:macro-id="j1">'
    '<ac:parameter ac:name="key">OPS-12</ac:parameter></ac:structured-macro></p>'
    '<ac:structured-macro ac:name="children" ac:schema-version="2" ac:macro-id="ch1">'
    '<ac:parameter ac:name="depth">1</ac:parameter></ac:structured-macro>'
    '<p><ac:image ac:width="300"><ri:attachment ri:filename="floor-plan.png"/></ac:image></p>'
)
RETURNS = (
    "<p>Returns are accepted for <strong>60 days</strong>. Ask <ac:link><ri:user "
    'ri:account-id="712020:sandbox-user"/></ac:link> about damaged parcels.</p>'
    "<ol><li>Check the parcel</li><li>Refund in Shopify<ul><li>Store credit if asked</li></ul>"
    "</li></ol>"
    '<p>Back to the <ac:link><ri:page ri:space-key="TEAM" ri:content-title="Fulfillment handbook"/>'
    "<ac:link-body>handbook</ac:link-body></ac:link>.</p>"
)
PACKING = (
    "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
    "</ac:task-status><ac:task-body>Pick</ac:task-body></ac:task><ac:task-list><ac:task>"
    "<ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Scan "
    "every SKU</ac:task-body></ac:task></ac:task-list><ac:task><ac:task-id>3</ac:task-id>"
    "<ac:task-status>complete</ac:task-status><ac:task-body>Pack</ac:task-body></ac:task>"
    "</ac:task-list><blockquote><p>Fragile items go in double boxes.</p></blockquote><hr/>"
)
TEMPLATE_NAME = "Incident review"
TEMPLATE = (
    '<at:declarations><at:string at:name="incident"/><at:string at:name="owner"/>'
    '</at:declarations><h2>What happened</h2><p>Incident <at:var at:name="incident"/>, '
    'reviewed by <at:var at:name="owner"/>.</p><ac:task-list><ac:task><ac:task-id>1</ac:task-id>'
    "<ac:task-status>incomplete</ac:task-status><ac:task-body>Timeline written</ac:task-body>"
    "</ac:task></ac:task-list>"
)


def confluence(api: Api, method: str, path: str, **kwargs: Any) -> Any:
    """A Confluence request that must succeed."""
    return api.ok(method, "/wiki" + path, **kwargs)


def make_pages(api: Api, site: SandboxHandle) -> dict[str, str]:
    """The pages (one with macros Markdown has no words for) and the template; title -> id."""
    space = site.state.space_by_key("TEAM")
    assert space is not None
    made = {}

    def page(title: str, body: str, parent: str, labels: list[str]) -> None:
        data = {
            "spaceId": space["id"],
            "status": "current",
            "title": title,
            "parentId": parent,
            "body": {"representation": "storage", "value": body},
        }
        made[title] = str(confluence(api, "POST", "/api/v2/pages", json=data)["id"])
        if labels:
            names = [{"prefix": "global", "name": label} for label in labels]
            confluence(api, "POST", f"/rest/api/content/{made[title]}/label", json=names)

    page(HOME_CHILD, HANDBOOK, space["homepageId"], ["handbook", "fulfillment"])
    page("Returns", RETURNS.replace("60 days", "30 days"), made[HOME_CHILD], ["handbook"])
    page("Packing checklist", PACKING, made[HOME_CHILD], [])
    # Edited since: a second version (a first version with the same body would be taken for a
    # create teamcomms did not finish, and adopted even without `adopt: true`).
    update = {
        "id": made["Returns"],
        "status": "current",
        "title": "Returns",
        "parentId": made[HOME_CHILD],
        "body": {"representation": "storage", "value": RETURNS},
        "version": {"number": 2},
    }
    confluence(api, "PUT", f"/api/v2/pages/{made['Returns']}", json=update)
    template = {
        "name": TEMPLATE_NAME,
        "templateType": "page",
        "description": "After every\nincident.",
        "body": {"storage": {"value": TEMPLATE, "representation": "storage"}},
        "space": {"key": "TEAM"},
        "labels": [{"prefix": "global", "name": "incident", "label": "incident", "id": "0"}],
    }
    confluence(api, "POST", "/rest/api/template", json=template)
    return made


def make_fields(api: Api) -> dict[str, str]:
    """Custom fields: two selects (one with a project context), a URL with a two-line
    description; name -> id."""
    prefix = "com.atlassian.jira.plugin.system.customfieldtypes:"
    ids = {}
    for name, kind, searcher, description in (
        ("Return Reason", "select", "multiselectsearcher", "Why the customer sent it back."),
        ("Warehouse", "select", "multiselectsearcher", ""),
        (
            "Tracking URL",
            "url",
            "exacttextsearcher",
            "Carrier tracking link.\nFilled by the warehouse.",
        ),
    ):
        body = {"name": name, "type": prefix + kind, "searcherKey": prefix + searcher}
        if description:
            body["description"] = description
        ids[name] = str(api.ok("POST", API + "/field", json=body)["id"])
    options = {
        "Return Reason": ["Damaged", "Wrong size", "Changed mind"],
        "Warehouse": ["Reno", "Austin"],
    }
    for name, values in options.items():
        (context,) = api.ok("GET", f"{API}/field/{ids[name]}/context")["values"]
        url = f"{API}/field/{ids[name]}/context/{context['id']}/option"
        api.ok("POST", url, json={"options": [{"value": v} for v in values]})
    ops = api.ok("GET", API + "/project/OPS")
    local = api.ok(
        "POST",
        f"{API}/field/{ids['Warehouse']}/context",
        json={"name": "Operations", "projectIds": [str(ops["id"])], "issueTypeIds": []},
    )
    url = f"{API}/field/{ids['Warehouse']}/context/{local['id']}/option"
    api.ok("POST", url, json={"options": [{"value": v} for v in options["Warehouse"]]})
    return ids


def make_workflows(api: Api, fields: dict[str, str], *, extra_rule: bool = False) -> None:
    """Two workflows: "Returns Flow" (a field-required rule, a group condition and the
    resolution on the way into done; ``extra_rule`` adds a rule teamcomms does not model) and
    "Purchase Orders" (no resolution)."""
    done = next(r["id"] for r in api.ok("GET", API + "/resolution") if r["name"] == "Done")
    (group,) = api.ok("GET", API + "/group/bulk", params={"groupName": "warehouse"})["values"]
    refs = {name: str(uuid.uuid4()) for name in ("Requested", "Inspecting", "Refunded", "Rejected")}
    resolve = {
        "ruleKey": "system:update-field",
        "parameters": {"field": "resolution", "value": str(done), "mode": "replace"},
    }
    refund: dict[str, Any] = {
        "id": "21",
        "name": "Refund",
        "type": "DIRECTED",
        "toStatusReference": refs["Refunded"],
        "links": [{"fromStatusReference": refs["Inspecting"]}],
        "description": "Money back\n  to the customer.",
        "validators": [
            {
                "ruleKey": "system:validate-field-value",
                "parameters": {
                    "ruleType": "fieldRequired",
                    "fieldsRequired": fields["Return Reason"],
                    "ignoreContext": "true",
                    "errorMessage": "Say why it came back.",
                },
            }
        ],
        "conditions": {
            "operation": "ALL",
            "conditions": [
                {
                    "ruleKey": "system:restrict-issue-transition",
                    "parameters": {"groupIds": group["groupId"]},
                }
            ],
            "conditionGroups": [],
        },
        "actions": [resolve],
    }
    if extra_rule:
        assign = {"ruleKey": "system:change-assignee", "parameters": {"type": "to-current-user"}}
        refund["actions"] = [resolve, assign]
    returns = {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {
                "name": "Requested",
                "statusCategory": "TODO",
                "statusReference": refs["Requested"],
                "description": "Waiting for the parcel.",
            },
            {
                "name": "Inspecting",
                "statusCategory": "IN_PROGRESS",
                "statusReference": refs["Inspecting"],
            },
            {"name": "Refunded", "statusCategory": "DONE", "statusReference": refs["Refunded"]},
            {"name": "Rejected", "statusCategory": "DONE", "statusReference": refs["Rejected"]},
        ],
        "workflows": [
            {
                "name": "Returns Flow",
                "description": "A return from request\nto refund.",
                "statuses": [{"statusReference": r, "properties": {}} for r in refs.values()],
                "transitions": [
                    {
                        "id": "1",
                        "name": "Create",
                        "type": "INITIAL",
                        "toStatusReference": refs["Requested"],
                        "links": [],
                    },
                    {
                        "id": "11",
                        "name": "Inspect",
                        "type": "DIRECTED",
                        "toStatusReference": refs["Inspecting"],
                        "links": [{"fromStatusReference": refs["Requested"]}],
                    },
                    refund,
                    {
                        "id": "31",
                        "name": "Reject",
                        "type": "GLOBAL",
                        "toStatusReference": refs["Rejected"],
                        "links": [],
                        "actions": [resolve],
                    },
                ],
            }
        ],
    }
    api.ok("POST", API + "/workflows/create", json=returns)
    po = {name: str(uuid.uuid4()) for name in ("Draft", "Ordered", "Received")}
    orders = {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {"name": "Draft", "statusCategory": "TODO", "statusReference": po["Draft"]},
            {"name": "Ordered", "statusCategory": "IN_PROGRESS", "statusReference": po["Ordered"]},
            {"name": "Received", "statusCategory": "DONE", "statusReference": po["Received"]},
        ],
        "workflows": [
            {
                "name": "Purchase Orders",
                "description": "",
                "statuses": [{"statusReference": r, "properties": {}} for r in po.values()],
                "transitions": [
                    {
                        "id": "1",
                        "name": "Create",
                        "type": "INITIAL",
                        "toStatusReference": po["Draft"],
                        "links": [],
                    },
                    {
                        "id": "11",
                        "name": "Order",
                        "type": "DIRECTED",
                        "toStatusReference": po["Ordered"],
                        "links": [{"fromStatusReference": po["Draft"]}],
                    },
                    {
                        "id": "21",
                        "name": "Receive",
                        "type": "DIRECTED",
                        "toStatusReference": po["Received"],
                        "links": [{"fromStatusReference": po["Ordered"]}],
                    },
                ],
            }
        ],
    }
    api.ok("POST", API + "/workflows/create", json=orders)


def make_filters_and_board(api: Api) -> None:
    """Two filters (one shared with a project, one with a group and a favourite) and a kanban
    board on the first."""
    ops = api.ok("GET", API + "/project/OPS")
    returns = api.ok(
        "POST",
        API + "/filter",
        json={
            "name": "Open returns",
            "jql": "project = OPS AND issuetype = Return ",
            "description": "Returns not yet\nrefunded.",
            "sharePermissions": [{"type": "project", "project": {"id": str(ops["id"])}}],
        },
    )
    api.ok(
        "POST",
        API + "/filter",
        json={
            "name": "Warehouse orders",
            "jql": "project = OPS AND issuetype = Order ORDER BY created DESC",
            "favourite": True,
            "sharePermissions": [{"type": "group", "group": {"name": "warehouse"}}],
        },
    )
    api.ok(
        "POST",
        AGILE + "/board",
        json={
            "name": "Returns board",
            "type": "kanban",
            "filterId": int(returns["id"]),
            "location": {"type": "project", "projectKeyOrId": "OPS"},
        },
    )


def set_up_by_hand(site: SandboxHandle, *, extra_rule: bool = False) -> None:
    """Everything above, through the REST API."""
    api = Api(site)
    make_pages(api, site)
    fields = make_fields(api)
    make_workflows(api, fields, extra_rule=extra_rule)
    make_filters_and_board(api)
