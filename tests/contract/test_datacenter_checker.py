"""The Data Center checker catches what it must, and the Cloud checker refuses Data Center
exchanges instead of passing them unchecked."""

from __future__ import annotations

import json

from teamcomms.sandbox import Exchange
from tests.contract.checker import ContractChecker
from tests.contract.datacenter import DatacenterChecker

JSON = {"content-type": "application/json"}
PAGE = {
    "id": "1",
    "type": "page",
    "status": "current",
    "title": "T",
    "_links": {},
    "version": {
        "by": {"type": "known", "username": "sandbox", "userKey": "ab12"},
        "when": "2026-11-24T00:00:00.000Z",
        "number": 1,
    },
}
CREATE = {
    "type": "page",
    "title": "T",
    "space": {"key": "TEAM"},
    "body": {"storage": {"value": "<p/>", "representation": "storage"}},
}


def _exchange(
    method: str,
    path: str,
    *,
    query: dict[str, list[str]] | None = None,
    body: object = None,
    status: int = 200,
    answer: object = None,
    deployment: str = "datacenter",
) -> Exchange:
    return Exchange(
        method=method,
        path=path,
        query=query or {},
        request_headers=JSON,
        request_body=json.dumps(body).encode() if body is not None else b"",
        status=status,
        response_headers={"Content-Type": "application/json"},
        response_body=json.dumps(answer).encode() if answer is not None else b"",
        deployment=deployment,  # type: ignore[arg-type]
    )


def test_a_documented_exchange_passes() -> None:
    checker = DatacenterChecker()
    assert checker.check(_exchange("POST", "/rest/api/content", body=CREATE, answer=PAGE)) == []
    listing = {"results": [PAGE], "start": 0, "limit": 25, "size": 1, "_links": {}}
    query = {"spaceKey": ["TEAM"], "expand": ["version"], "start": ["0"], "limit": ["25"]}
    assert checker.check(_exchange("GET", "/rest/api/content", query=query, answer=listing)) == []


def test_cloud_shapes_and_recorded_pitfalls_are_caught() -> None:
    checker = DatacenterChecker()
    with_properties = {**CREATE, "metadata": {"properties": {"k": {"value": 1}}}}
    problems = checker.check(
        _exchange("POST", "/rest/api/content", body=with_properties, answer=PAGE)
    )
    assert any("metadata" in p for p in problems)  # recorded: a create with properties is a 500
    cloud_person = {**PAGE, "version": {**PAGE["version"], "by": {"accountId": "712020:x"}}}  # type: ignore[dict-item]
    problems = checker.check(_exchange("GET", "/rest/api/content/1", answer=cloud_person))
    assert any("username" in p for p in problems)
    cursor = checker.check(
        _exchange("GET", "/rest/api/content/search", query={"cql": ["x"], "cursor": ["abc"]})
    )
    assert any("'cursor' is not documented" in p for p in cursor)
    jira_user = {"name": "a", "key": "k", "displayName": "A", "active": True, "accountId": "1"}
    problems = checker.check(_exchange("GET", "/rest/api/2/myself", answer=jira_user))
    assert problems and "accountId" in problems[0]


def test_cloud_endpoints_and_error_shapes_are_caught() -> None:
    checker = DatacenterChecker()
    v2 = checker.check(_exchange("GET", "/wiki/api/v2/pages", status=404))
    assert v2 and "not a Data Center operation" in v2[0]
    cloud_error = {"errors": [{"status": 404, "title": "Not found"}]}
    problems = checker.check(
        _exchange("GET", "/rest/api/content/1", status=404, answer=cloud_error)
    )
    assert problems and "not a documented Data Center error body" in problems[0]
    recorded = {"statusCode": 404, "message": "No content found"}
    assert checker.check(_exchange("GET", "/rest/api/content/1", status=404, answer=recorded)) == []
    jira_only_messages = {"errorMessages": ["Unrecognized field"]}
    assert (
        checker.check(
            _exchange("POST", "/rest/api/2/issue", body={}, status=400, answer=jira_only_messages)
        )
        == []
    )


def test_the_cloud_checker_refuses_to_judge_a_data_center_exchange() -> None:
    problems = ContractChecker().check(_exchange("GET", "/rest/api/2/myself", answer={}))
    assert problems and "cannot be checked against the Cloud OpenAPI documents" in problems[0]
    dc_on_cloud = DatacenterChecker().check(
        _exchange("GET", "/wiki/api/v2/pages", deployment="cloud")
    )
    assert dc_on_cloud and "ContractChecker checks those" in dc_on_cloud[0]
