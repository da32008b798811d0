"""Custom fields as a configuration tool manages them: types and searchers, update, trash and
delete, contexts (projects, issue types, the global context), and options (reorder, disable,
delete and replace on issues)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import SandboxHandle
from tests.sandbox.clients import jira
from tests.sandbox.jira_rest import API, Api, create_issue, project_id, type_id

PREFIX = "com.atlassian.jira.plugin.system.customfieldtypes:"


def _field(api: Api, name: str, kind: str = "select", **extra: Any) -> dict[str, Any]:
    field: dict[str, Any] = api.ok(
        "POST", API + "/field", json={"name": name, "type": PREFIX + kind, **extra}
    )
    return field


def _contexts(api: Api, field_id: str) -> list[tuple[str, bool, bool]]:
    listed = api.ok("GET", f"{API}/field/{field_id}/context")["values"]
    return [(c["name"], c["isGlobalContext"], c["isAnyIssueType"]) for c in listed]


@pytest.mark.parametrize(
    ("kind", "searcher", "schema"),
    [
        ("multiselect", "multiselectsearcher", {"type": "array", "items": "option"}),
        ("datepicker", "daterange", {"type": "date"}),
        ("float", "numberrange", {"type": "number"}),
        ("url", "exacttextsearcher", {"type": "string"}),
        ("multiuserpicker", "userpickergroupsearcher", {"type": "array", "items": "user"}),
    ],
)
def test_each_documented_type_takes_its_searchers(
    sandbox_site: SandboxHandle, kind: str, searcher: str, schema: dict[str, str]
) -> None:
    api = Api(sandbox_site)
    field = _field(api, "Field", kind, searcherKey=PREFIX + searcher)
    assert {k: field["schema"][k] for k in schema} == schema
    assert field["schema"]["custom"] == PREFIX + kind


def test_unknown_types_and_wrong_searchers_are_refused(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    for kind in ("select", PREFIX + "dropdown", "com.example:select"):
        body = api.refused(400, "POST", API + "/field", json={"name": "X", "type": kind})
        assert list(body["errors"]) == ["type"]
    wrong = {"name": "X", "type": PREFIX + "select", "searcherKey": PREFIX + "textsearcher"}
    assert api.refused(400, "POST", API + "/field", json=wrong)["errorMessages"] == [
        "searcherKey is invalid for the field type."
    ]
    assert api.ok("GET", API + "/field/search", params={"type": "custom"})["total"] == 0


def test_a_field_is_updated_trashed_and_deleted(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    field = _field(api, "Carrier", "textfield", searcherKey=PREFIX + "textsearcher")
    update = {"name": "Shipping Carrier", "description": "Who ships it."}
    assert api.call("PUT", f"{API}/field/{field['id']}", json=update).status_code == 204
    wrong = {"searcherKey": PREFIX + "daterange"}
    api.refused(400, "PUT", f"{API}/field/{field['id']}", json=wrong)
    found = api.ok("GET", API + "/field/search", params={"id": field["id"]})["values"][0]
    assert (found["name"], found["description"], found["searcherKey"]) == (
        "Shipping Carrier",
        "Who ships it.",
        PREFIX + "textsearcher",
    )
    key = create_issue(api, "OPS", "Task", "Ship it", **{field["id"]: "UPS"})

    assert api.call("POST", f"{API}/field/{field['id']}/trash").status_code == 200
    assert field["id"] not in [f["id"] for f in jira(sandbox_site).fields()]
    assert api.refused(404, "PUT", f"{API}/field/{field['id']}", json=update)["errorMessages"] == [
        "The custom field was not found."
    ]
    api.refused(400, "DELETE", f"{API}/field/summary")  # not a custom field id

    deleted = api.call("DELETE", f"{API}/field/{field['id']}")
    assert deleted.status_code == 303
    assert deleted.headers["Location"].endswith(f"/task/{deleted.json()['id']}")
    assert field["id"] not in api.ok("GET", f"{API}/issue/{key}")["fields"]
    api.refused(404, "DELETE", f"{API}/field/{field['id']}")


def test_contexts_projects_and_issue_types(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    field = _field(api, "Sales Channel")
    base = f"{API}/field/{field['id']}/context"
    ops, dist, shop = (project_id(sandbox_site, k) for k in ("OPS", "DIST", "SHOP"))
    order, ret = type_id(sandbox_site, "Order"), type_id(sandbox_site, "Return")
    assert _contexts(api, field["id"]) == [
        ("Default Configuration Scheme for Sales Channel", True, True)
    ]
    created = api.ok(
        "POST", base, json={"name": "Orders", "projectIds": [ops], "issueTypeIds": [order]}
    )
    assert (created["projectIds"], created["issueTypeIds"]) == ([ops], [order])
    second_global = {"name": "Everywhere", "projectIds": []}
    api.refused(400, "POST", base, json=second_global)  # the field has its global context
    api.refused(400, "POST", base, json={"name": "Again", "projectIds": [ops]})  # OPS is taken
    api.refused(404, "POST", base, json={"name": "Nowhere", "projectIds": ["1"]})

    context = f"{base}/{created['id']}"
    rename = {"name": "Orders and returns", "description": "Web shop and marketplaces"}
    assert api.call("PUT", context, json=rename).status_code == 204
    assert (
        api.call("PUT", context + "/project", json={"projectIds": [dist, shop]}).status_code == 204
    )
    api.refused(400, "PUT", context + "/project", json={"projectIds": [dist]})  # already in it
    assert api.refused(400, "PUT", context + "/project", json={"projectIds": [ops, ops]}) == {
        "errorMessages": ["The projectIds must not contain duplicates."],
        "errors": {},
    }
    removed = {"projectIds": [shop]}
    assert api.call("POST", context + "/project/remove", json=removed).status_code == 204
    api.refused(400, "POST", context + "/project/remove", json=removed)  # no longer in it
    assert api.call("PUT", context + "/issuetype", json={"issueTypeIds": [ret]}).status_code == 204
    assert api.refused(400, "PUT", context + "/issuetype", json={"issueTypeIds": [order]}) == {
        "errorMessages": [f"These issue types are already associated with the context: {order}."],
        "errors": {},
    }
    types = {"issueTypeIds": [order]}
    assert api.call("POST", context + "/issuetype/remove", json=types).status_code == 204

    projects = api.ok("GET", base + "/projectmapping")["values"]
    default_id = next(p["contextId"] for p in projects if p.get("isGlobalContext"))
    assert [p for p in projects if not p.get("isGlobalContext")] == [
        {"contextId": created["id"], "projectId": ops},
        {"contextId": created["id"], "projectId": dist},
    ]
    issue_types = api.ok("GET", base + "/issuetypemapping", params={"contextId": created["id"]})
    assert issue_types["values"] == [{"contextId": created["id"], "issueTypeId": ret}]
    assert _contexts(api, field["id"])[1] == ("Orders and returns", False, False)

    # Removing every project would make a second global context.
    api.refused(400, "POST", context + "/project/remove", json={"projectIds": [ops, dist]})
    assert api.call("DELETE", context).status_code == 204
    assert [c[0] for c in _contexts(api, field["id"])] == [
        "Default Configuration Scheme for Sales Channel"
    ]
    assert default_id


def test_the_global_context_is_frozen_from_april_2026(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    sandbox_site.clock.start_at(datetime(2026, 3, 31, 23, 0, tzinfo=UTC))
    field = _field(api, "Warehouse")
    (default,) = api.ok("GET", f"{API}/field/{field['id']}/context")["values"]
    context = f"{API}/field/{field['id']}/context/{default['id']}"
    types = {"issueTypeIds": [type_id(sandbox_site, "Order")]}
    assert api.call("PUT", context + "/issuetype", json=types).status_code == 204
    sandbox_site.clock.advance(3600)  # 1 April 2026 (CHANGE-3019)
    ops = {"projectIds": [project_id(sandbox_site, "OPS")]}
    for method, path, body in (
        ("PUT", context + "/project", ops),
        ("PUT", context + "/issuetype", {"issueTypeIds": [type_id(sandbox_site, "Return")]}),
        ("DELETE", context, None),
    ):
        refused = api.refused(400, method, path, json=body)
        assert "CHANGE-3019" in refused["errorMessages"][0]


def _options(api: Api, url: str) -> list[tuple[str, bool]]:
    return [(o["value"], o["disabled"]) for o in api.ok("GET", url)["values"]]


def test_options_are_reordered_disabled_and_deleted(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    field = _field(api, "Carrier")
    (context,) = api.ok("GET", f"{API}/field/{field['id']}/context")["values"]
    url = f"{API}/field/{field['id']}/context/{context['id']}/option"
    values = ["UPS", "FedEx", "DHL", "USPS"]
    created = api.ok("POST", url, json={"options": [{"value": v} for v in values]})["options"]
    ids = {o["value"]: o["id"] for o in created}

    def move(**body: Any) -> None:
        assert api.call("PUT", url + "/move", json=body).status_code == 204

    move(customFieldOptionIds=[ids["DHL"], ids["USPS"]], position="First")
    assert [v for v, _ in _options(api, url)] == ["DHL", "USPS", "UPS", "FedEx"]
    move(customFieldOptionIds=[ids["DHL"]], position="Last")
    assert [v for v, _ in _options(api, url)] == ["USPS", "UPS", "FedEx", "DHL"]
    move(customFieldOptionIds=[ids["USPS"]], after=ids["FedEx"])
    assert [v for v, _ in _options(api, url)] == ["UPS", "FedEx", "USPS", "DHL"]
    both = {"customFieldOptionIds": [ids["UPS"]], "after": ids["DHL"], "position": "First"}
    assert api.refused(400, "PUT", url + "/move", json=both)["errorMessages"] == [
        "'after' and 'position' were provided. Only 'after' or 'position' can be specified."
    ]
    api.refused(
        404, "PUT", url + "/move", json={"customFieldOptionIds": ["1"], "position": "First"}
    )

    changed = api.ok(
        "PUT",
        url,
        json={
            "options": [
                {"id": ids["USPS"], "disabled": True},
                {"id": ids["UPS"], "value": "UPS"},  # unchanged: not reported
            ]
        },
    )
    assert [(o["value"], o["disabled"]) for o in changed["options"]] == [("USPS", True)]
    api.refused(404, "PUT", url, json={"options": [{"id": "1", "value": "X"}]})

    # An option issues use is deleted and its value removed from them.
    used = create_issue(api, "OPS", "Task", "Parcel", **{field["id"]: {"id": ids["DHL"]}})
    other = create_issue(api, "OPS", "Task", "Box", **{field["id"]: {"value": "UPS"}})
    assert api.call("DELETE", f"{url}/{ids['DHL']}").status_code == 204
    assert api.ok("GET", f"{API}/issue/{used}")["fields"][field["id"]] is None
    # A select's value is answered with the option's id and value, however it was given.
    assert api.ok("GET", f"{API}/issue/{other}")["fields"][field["id"]] == {
        "id": ids["UPS"],
        "value": "UPS",
    }
    assert _options(api, url) == [("UPS", False), ("FedEx", False), ("USPS", True)]
    text = _field(api, "Notes", "textfield")
    (notes,) = api.ok("GET", f"{API}/field/{text['id']}/context")["values"]
    notes_url = f"{API}/field/{text['id']}/context/{notes['id']}/option"
    assert api.refused(400, "POST", notes_url, json={"options": [{"value": "x"}]}) == {
        "errorMessages": ["The custom field doesn't support options."],
        "errors": {},
    }


def test_an_option_is_replaced_on_issues_before_it_goes(sandbox_site: SandboxHandle) -> None:
    api = Api(sandbox_site)
    field = _field(api, "Warehouse")
    (context,) = api.ok("GET", f"{API}/field/{field['id']}/context")["values"]
    url = f"{API}/field/{field['id']}/context/{context['id']}/option"
    created = api.ok("POST", url, json={"options": [{"value": "Reno"}, {"value": "Austin"}]})
    reno, austin = (o["id"] for o in created["options"])
    ops_issue = create_issue(api, "OPS", "Task", "A", **{field["id"]: {"id": reno}})
    dist_issue = create_issue(api, "DIST", "Task", "B", **{field["id"]: {"id": reno}})
    answer = api.call(
        "DELETE", f"{url}/{reno}/issue", params={"replaceWith": austin, "jql": "project = OPS"}
    )
    assert answer.status_code == 303
    assert answer.json()["description"] == (
        f"Remove option {reno} from issues matched by 'project = OPS', and replace with option "
        f"{austin}"
    )
    assert api.ok("GET", f"{API}/issue/{ops_issue}")["fields"][field["id"]] == {
        "id": austin,
        "value": "Austin",
    }
    assert api.ok("GET", f"{API}/issue/{dist_issue}")["fields"][field["id"]] == {
        "id": reno,
        "value": "Reno",
    }
    api.refused(404, "DELETE", f"{url}/{reno}/issue", params={"replaceWith": "1"})
