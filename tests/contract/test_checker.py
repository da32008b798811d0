"""The contract checker itself catches what it must: a wrong body, a wrong path, a wrong answer."""

from __future__ import annotations

import json

from teamcomms.sandbox import Exchange
from tests.contract.checker import ContractChecker, find_operation

JSON = {"content-type": "application/json"}


def _exchange(
    method: str,
    path: str,
    *,
    query: dict[str, list[str]] | None = None,
    body: object = None,
    status: int = 200,
    answer: object = None,
) -> Exchange:
    return Exchange(
        method=method,
        path=path,
        query=query or {},
        request_headers=JSON,
        request_body=json.dumps(body).encode() if body is not None else b"",
        status=status,
        response_headers={},
        response_body=json.dumps(answer).encode() if answer is not None else b"",
    )


GOOD_PAGE = {"id": "1", "status": "current", "title": "T", "spaceId": "2", "version": {"number": 1}}


def test_a_valid_exchange_passes() -> None:
    body = {
        "spaceId": "2",
        "status": "current",
        "title": "T",
        "body": {"representation": "storage", "value": ""},
    }
    assert (
        ContractChecker().check(
            _exchange("POST", "/wiki/api/v2/pages", body=body, answer=GOOD_PAGE)
        )
        == []
    )


def test_a_wrong_request_body_is_caught() -> None:
    body = {"title": "T", "status": "published"}  # no spaceId; status not in the enum
    problems = ContractChecker().check(
        _exchange("POST", "/wiki/api/v2/pages", body=body, answer=GOOD_PAGE)
    )
    assert any("'spaceId' is a required property" in p for p in problems)
    assert any("'published' is not one of" in p for p in problems)


def test_a_wrong_path_is_caught() -> None:
    problems = ContractChecker().check(_exchange("GET", "/wiki/api/v2/page/1", answer=GOOD_PAGE))
    assert len(problems) == 1
    assert "no operation in the vendored specs matches" in problems[0]
    assert find_operation("DELETE", "/wiki/api/v2/spaces") is None


def test_an_undocumented_query_parameter_is_caught() -> None:
    problems = ContractChecker().check(
        _exchange("GET", "/wiki/api/v2/pages/1", query={"expand": ["body"]}, answer=GOOD_PAGE)
    )
    assert problems and "query parameter 'expand' is not documented" in problems[0]


def test_a_wrong_response_body_is_caught() -> None:
    answer = {**GOOD_PAGE, "version": {"number": "two"}}
    problems = ContractChecker().check(_exchange("GET", "/wiki/api/v2/pages/1", answer=answer))
    assert len(problems) == 1
    assert "answer body version/number: 'two' is not of type 'integer'" in problems[0]


def test_an_undocumented_status_is_caught_unless_allow_listed() -> None:
    checker = ContractChecker()
    assert (
        "answer status 201 is not documented"
        in checker.check(
            _exchange(
                "POST", "/wiki/api/v2/pages/1/properties", body={"key": "k", "value": 1}, status=201
            )
        )[0]
    )
    # §8 allow-list: a stale page version answers 409, which the spec does not list.
    conflict = _exchange("PUT", "/wiki/api/v2/pages/1", body={}, status=409)
    assert not [p for p in checker.check(conflict) if "answer status" in p]
    # ... but only for page updates.
    template = _exchange("GET", "/wiki/rest/api/template/1", status=409)
    assert "answer status 409 is not documented" in checker.check(template)[0]


def test_nullable_and_ambiguous_one_of_are_tolerated() -> None:
    answer = {**GOOD_PAGE, "position": None}  # position is `nullable: true`
    assert ContractChecker().check(_exchange("GET", "/wiki/api/v2/pages/1", answer=answer)) == []
    # The PageBodyWrite/PageNestedBodyWrite oneOf accepts both shapes (judged as anyOf).
    for body in ({"representation": "storage", "value": "x"}, {"storage": {"value": "x"}}):
        request = {"spaceId": "2", "title": "T", "body": body}
        assert (
            ContractChecker().check(
                _exchange("POST", "/wiki/api/v2/pages", body=request, answer=GOOD_PAGE)
            )
            == []
        )


def test_a_path_parameter_of_the_wrong_type_is_caught() -> None:
    # v2 page ids are int64 in the spec, so /pages/abc matches the template but breaks the type.
    problems = ContractChecker().check(_exchange("GET", "/wiki/api/v2/pages/abc", answer=GOOD_PAGE))
    assert problems and "path parameter 'id'='abc' is not a integer" in problems[0]
    assert (
        ContractChecker().check(_exchange("GET", "/wiki/api/v2/pages/123", answer=GOOD_PAGE)) == []
    )
