"""Check Data Center sandbox traffic against the shapes Atlassian documents for Data Center.

Atlassian publishes no Data Center OpenAPI documents that this project holds (``../shared``
has Cloud's only), so :class:`tests.contract.checker.ContractChecker` cannot judge a Data Center
exchange and refuses to. This checker takes its place for them: every request must be one of the
operations below (method, path template, documented query parameters), its JSON body must have
the documented shape, and every answer the documented shape for its status. The shapes are
hand-written from Atlassian's Data Center REST references (Confluence: "Content Resource",
"Content Property", "Content Labels", "Attachments", "Space", "Search", "Pagination in the REST
API"; Jira: the platform REST API 2 reference) and from the answers recorded from real sites in
``shared/reference/recorded/`` (named at each schema). They are deliberately partial: the keys
teamcomms and the sandbox rely on, and the Cloud-only keys that must not appear (``accountId``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft7Validator

from teamcomms.sandbox import Exchange

_STRING = {"type": "string"}
_INT = {"type": "integer"}
# Data Center people have a name and a key; no account id (recorded: jira-dc/issue__get.json).
_NO_ACCOUNT_ID = {"not": {"required": ["accountId"]}}
CONFLUENCE_PERSON = {
    "type": "object",
    "required": ["type", "username", "userKey"],
    "properties": {"username": _STRING, "userKey": _STRING},
    **_NO_ACCOUNT_ID,
}
VERSION = {
    "type": "object",
    "required": ["by", "when", "number"],
    "properties": {"by": CONFLUENCE_PERSON, "when": _STRING, "number": _INT},
}
LABEL = {
    "type": "object",
    "required": ["prefix", "name", "id"],
    "properties": {"prefix": _STRING, "name": _STRING, "id": _STRING},
}


def paged(item: dict[str, Any]) -> dict[str, Any]:
    """Confluence's page of results ("Pagination in the REST API"): ``start``/``limit``/``size``
    and a relative ``_links.next`` (there is no cursor on Data Center)."""
    return {
        "type": "object",
        "required": ["results", "start", "limit", "size", "_links"],
        "properties": {
            "results": {"type": "array", "items": item},
            "start": _INT,
            "limit": _INT,
            "size": _INT,
            "_links": {
                "type": "object",
                "properties": {"next": {"type": "string", "pattern": r"^/rest/.*[?&]start=\d+"}},
            },
        },
    }


PROPERTY = {
    "type": "object",
    "required": ["id", "key", "value", "version"],
    "properties": {"key": _STRING, "version": VERSION},
}
CONTENT = {
    "type": "object",
    "required": ["id", "type", "status", "title", "_links"],
    "properties": {
        "id": _STRING,
        "type": {"enum": ["page"]},
        "status": {"enum": ["current", "trashed", "draft", "historical"]},
        "title": _STRING,
        "version": VERSION,
        "space": {"type": "object", "required": ["id", "key"], "properties": {"id": _INT}},
        "ancestors": {
            "type": "array",
            "items": {"type": "object", "required": ["id"], "properties": {"id": _STRING}},
        },
        "body": {
            "type": "object",
            "properties": {
                "storage": {
                    "type": "object",
                    "required": ["value", "representation"],
                    "properties": {"representation": {"enum": ["storage"]}},
                }
            },
        },
        "metadata": {
            "type": "object",
            "properties": {
                "labels": paged(LABEL),
                "properties": {"type": "object", "additionalProperties": PROPERTY},
            },
        },
    },
}
HISTORY = {
    "type": "object",
    "required": ["latest", "createdBy", "createdDate", "lastUpdated"],
    "properties": {"createdBy": CONFLUENCE_PERSON, "lastUpdated": VERSION},
}
SPACE = {
    "type": "object",
    "required": ["id", "key", "name", "type"],
    "properties": {"id": _INT, "key": _STRING, "homepage": CONTENT},
}
ATTACHMENT = {
    "type": "object",
    "required": ["id", "type", "title", "version"],
    "properties": {"type": {"enum": ["attachment"]}, "version": VERSION},
}
TEMPLATE = {
    "type": "object",
    "required": ["templateId", "name", "templateType"],
    "properties": {"templateType": {"enum": ["page"]}, "labels": {"type": "array"}},
}
JIRA_USER = {
    "type": "object",
    "required": ["name", "key", "displayName", "active"],
    "properties": {"name": _STRING, "key": _STRING},
    **_NO_ACCOUNT_ID,
}
# Recorded: jira-dc/search__empty-startAt-paging.json.
JIRA_SEARCH = {
    "type": "object",
    "required": ["startAt", "maxResults", "total", "issues"],
    "properties": {"startAt": _INT, "maxResults": _INT, "total": _INT},
}
# Recorded: jira-dc/issue-create__201.json (id, key, self only, as strings).
ISSUE_CREATED = {
    "type": "object",
    "required": ["id", "key", "self"],
    "properties": {"id": _STRING, "key": _STRING},
}
SERVER_INFO = {
    "type": "object",
    "required": ["baseUrl", "version", "versionNumbers", "deploymentType"],
    "properties": {"deploymentType": {"enum": ["Server"]}},
}

# Request bodies.
STORAGE_BODY = {
    "type": "object",
    "required": ["storage"],
    "properties": {
        "storage": {
            "type": "object",
            "required": ["value", "representation"],
            "properties": {"representation": {"enum": ["storage"]}},
        }
    },
}
# Recorded (confluence-dc/content-create__500-metadata-properties-npe.json): properties inside a
# create answer 500, and labels inside one are ignored; both go through their own endpoints.
_NO_METADATA = {"not": {"required": ["metadata"]}}
CONTENT_CREATE = {
    "type": "object",
    "required": ["type", "title", "space", "body"],
    "properties": {
        "type": {"enum": ["page"]},
        "title": _STRING,
        "space": {"type": "object", "required": ["key"]},
        "body": STORAGE_BODY,
        "ancestors": {"type": "array", "items": {"type": "object", "required": ["id"]}},
    },
    **_NO_METADATA,
}
CONTENT_UPDATE = {
    "type": "object",
    "required": ["type", "title", "version"],
    "properties": {
        "type": {"enum": ["page"]},
        "version": {"type": "object", "required": ["number"], "properties": {"number": _INT}},
        "body": STORAGE_BODY,
    },
}
PROPERTY_CREATE = {"type": "object", "required": ["key", "value"]}
PROPERTY_UPDATE = {
    "type": "object",
    "required": ["value", "version"],
    "properties": {"version": {"type": "object", "required": ["number"]}},
}
LABELS_CREATE = {
    "anyOf": [
        {"type": "array", "items": {"type": "object", "required": ["prefix", "name"]}},
        {"type": "object", "required": ["prefix", "name"]},
    ]
}
TEMPLATE_WRITE = {
    "type": "object",
    "required": ["name", "templateType", "body"],
    "properties": {"templateType": {"enum": ["page"]}, "body": STORAGE_BODY},
}
ISSUE_UPDATE = {
    "type": "object",
    "properties": {"fields": {"type": "object"}, "update": {"type": "object"}},
    "additionalProperties": False,
}
SEARCH_REQUEST = {
    "type": "object",
    "properties": {"jql": _STRING, "startAt": _INT, "maxResults": _INT},
}

# Error answers. Recorded: confluence-dc/content-create__400-jackson-version-by.json.
CONFLUENCE_ERROR = {
    "type": "object",
    "required": ["statusCode", "message"],
    "properties": {"statusCode": _INT, "message": _STRING},
}
# Recorded: jira-dc/issue-edit__400-invalid-field.json; version-update__400-unrecognized-field
# has errorMessages alone.
JIRA_ERROR = {
    "type": "object",
    "required": ["errorMessages"],
    "properties": {"errorMessages": {"type": "array", "items": _STRING}, "errors": {}},
}
JERSEY_404 = {"type": "object", "required": ["message", "status-code"]}
BASIC_DISABLED = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": _STRING},
    "additionalProperties": False,
}

MULTIPART = "multipart"
"""A request body that is a multipart upload with a ``file`` part (not JSON)."""


@dataclass(frozen=True)
class Operation:
    """One documented Data Center operation."""

    method: str
    template: str
    query: frozenset[str] = frozenset()
    request: dict[str, Any] | str | None = None
    answers: dict[int, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{[^}/]+\}", "[^/]+", self.template) + "$")


def _q(*names: str) -> frozenset[str]:
    return frozenset(names)


C, J = "/rest/api", "/rest/api/2"
OPERATIONS: tuple[Operation, ...] = (
    # Confluence: Content Resource.
    Operation(
        "GET",
        C + "/content",
        _q("type", "spaceKey", "title", "status", "postingDay", "expand", "start", "limit"),
        answers={200: paged(CONTENT)},
    ),
    Operation("POST", C + "/content", _q("status", "expand"), CONTENT_CREATE, {200: CONTENT}),
    Operation(
        "GET", C + "/content/{id}", _q("status", "version", "expand"), answers={200: CONTENT}
    ),
    Operation(
        "PUT",
        C + "/content/{id}",
        _q("status", "conflictPolicy", "expand"),
        CONTENT_UPDATE,
        {200: CONTENT},
    ),
    Operation("DELETE", C + "/content/{id}", _q("status"), answers={204: None}),
    Operation("GET", C + "/content/{id}/history", _q("expand"), answers={200: HISTORY}),
    # Search.
    Operation(
        "GET",
        C + "/content/search",
        _q("cql", "cqlcontext", "expand", "start", "limit"),
        answers={200: paged(CONTENT)},
    ),
    # Content Property.
    Operation(
        "GET",
        C + "/content/{id}/property",
        _q("expand", "start", "limit"),
        answers={200: paged(PROPERTY)},
    ),
    Operation(
        "POST", C + "/content/{id}/property", request=PROPERTY_CREATE, answers={200: PROPERTY}
    ),
    Operation("GET", C + "/content/{id}/property/{key}", _q("expand"), answers={200: PROPERTY}),
    Operation(
        "PUT", C + "/content/{id}/property/{key}", request=PROPERTY_UPDATE, answers={200: PROPERTY}
    ),
    Operation("DELETE", C + "/content/{id}/property/{key}", answers={204: None}),
    # Content Labels.
    Operation(
        "GET",
        C + "/content/{id}/label",
        _q("prefix", "start", "limit"),
        answers={200: paged(LABEL)},
    ),
    Operation(
        "POST", C + "/content/{id}/label", request=LABELS_CREATE, answers={200: paged(LABEL)}
    ),
    Operation("DELETE", C + "/content/{id}/label", _q("name"), answers={204: None}),
    Operation("DELETE", C + "/content/{id}/label/{label}", answers={204: None}),
    # Attachments (no create-or-update PUT on Data Center).
    Operation(
        "GET",
        C + "/content/{id}/child/attachment",
        _q("expand", "start", "limit", "filename", "mediaType"),
        answers={200: paged(ATTACHMENT)},
    ),
    Operation(
        "POST",
        C + "/content/{id}/child/attachment",
        _q("allowDuplicated", "status"),
        MULTIPART,
        {200: paged(ATTACHMENT)},
    ),
    Operation(
        "POST",
        C + "/content/{id}/child/attachment/{attachmentId}/data",
        request=MULTIPART,
        answers={200: ATTACHMENT},
    ),
    # Space.
    Operation(
        "GET",
        C + "/space",
        _q("spaceKey", "type", "status", "label", "expand", "start", "limit"),
        answers={200: paged(SPACE)},
    ),
    Operation("GET", C + "/space/{spaceKey}", _q("expand"), answers={200: SPACE}),
    # Content templates: the experimental resource (see confluence_v1.template_path).
    Operation(
        "POST", "/rest/experimental/template", request=TEMPLATE_WRITE, answers={200: TEMPLATE}
    ),
    Operation(
        "PUT", "/rest/experimental/template", request=TEMPLATE_WRITE, answers={200: TEMPLATE}
    ),
    Operation(
        "GET",
        "/rest/experimental/template/page",
        _q("spaceKey", "start", "limit", "expand"),
        answers={200: paged(TEMPLATE)},
    ),
    Operation("GET", "/rest/experimental/template/{id}", _q("expand"), answers={200: TEMPLATE}),
    Operation("DELETE", "/rest/experimental/template/{id}", answers={204: None}),
    # Jira platform REST API 2.
    Operation("GET", J + "/serverInfo", _q("doHealthCheck"), answers={200: SERVER_INFO}),
    Operation("GET", J + "/myself", _q("expand"), answers={200: JIRA_USER}),
    Operation("GET", J + "/user", _q("username", "key", "expand"), answers={200: JIRA_USER}),
    Operation(
        "GET",
        J + "/user/search",
        _q("username", "startAt", "maxResults", "includeActive", "includeInactive"),
        answers={200: {"type": "array", "items": JIRA_USER}},
    ),
    Operation(
        "GET",
        J + "/search",
        _q("jql", "startAt", "maxResults", "validateQuery", "fields", "expand"),
        answers={200: JIRA_SEARCH},
    ),
    Operation("POST", J + "/search", request=SEARCH_REQUEST, answers={200: JIRA_SEARCH}),
    Operation("POST", J + "/issue", _q("updateHistory"), ISSUE_UPDATE, {201: ISSUE_CREATED}),
    Operation("PUT", J + "/issue/{issueIdOrKey}", _q("notifyUsers"), ISSUE_UPDATE, {204: None}),
    Operation(
        "GET",
        J + "/issue/{issueIdOrKey}",
        _q("fields", "expand", "properties"),
        answers={200: None},
    ),
    Operation("GET", J + "/project/{projectIdOrKey}", _q("expand"), answers={200: None}),
    Operation(
        "GET", J + "/project", _q("expand", "recent", "includeArchived"), answers={200: None}
    ),
    Operation("GET", J + "/issuetype", answers={200: None}),
    # Read by the Jira filters resource on every plan. Not confirmed for Data Center: Jira
    # Server's filter API had no search (JRASERVER-37968); kept as an assumption, see
    # docs/sandbox.md.
    Operation(
        "GET",
        J + "/filter/search",
        _q("filterName", "expand", "startAt", "maxResults", "orderBy", "accountId"),
        answers={200: None},
    ),
    # Recorded: jira-dc/field__list.json.
    Operation(
        "GET",
        J + "/field",
        answers={200: {"type": "array", "items": {"type": "object", "required": ["id", "name"]}}},
    ),
    Operation(
        "GET",
        J + "/mypermissions",
        _q("permissions", "projectKey", "projectId", "issueKey", "issueId"),
        answers={200: None},
    ),
    Operation(
        "GET",
        J + "/groups/picker",
        _q("query", "exclude", "maxResults", "userName"),
        answers={200: None},
    ),
)


def find_operation(method: str, path: str) -> Operation | None:
    """The documented operation a request is for (literal paths win over templates)."""
    matches = [op for op in OPERATIONS if op.method == method and op.pattern.match(path)]
    return min(matches, key=lambda op: op.template.count("{"), default=None)


@dataclass
class DatacenterChecker:
    """Collects what in Data Center sandbox traffic does not follow the documented shapes."""

    violations: list[str] = field(default_factory=list)
    checked: int = 0
    absent: set[str] = field(default_factory=set)
    """Path prefixes a test calls on purpose to see that Data Center lacks them (``/wiki``)."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._malformed = False

    @contextmanager
    def malformed_requests(self) -> Iterator[None]:
        """Requests sent meanwhile break the documented shape on purpose (to see Data Center's
        answer to them): their bodies are not judged, their answers still are."""
        self._malformed = True
        try:
            yield
        finally:
            self._malformed = False

    def __call__(self, exchange: Exchange) -> None:
        problems = self.check(exchange)
        with self._lock:
            self.checked += 1
            self.violations.extend(problems)

    def check(self, exchange: Exchange) -> list[str]:
        """The violations in one exchange."""
        where = f"{exchange.method} {exchange.path}"
        if exchange.deployment != "datacenter":
            return [f"{where}: a Cloud exchange; ContractChecker checks those"]
        operation = find_operation(exchange.method, exchange.path)
        if operation is None:
            expected = self._malformed or any(exchange.path.startswith(p) for p in self.absent)
            if expected and exchange.status in (404, 405):
                return []
            return [f"{where}: not a Data Center operation listed in tests/contract/datacenter.py"]
        problems = [
            f"query parameter '{name}' is not documented for this operation"
            for name in exchange.query
            if name not in operation.query
        ]
        if not self._malformed:
            problems += _request_problems(operation, exchange)
        if exchange.status:
            problems += _answer_problems(operation, exchange)
        return [f"{where} [{operation.template}]: {p}" for p in problems]

    def assert_clean(self) -> None:
        """Raise AssertionError listing the violations, if there were any."""
        if self.violations:
            raise AssertionError("Data Center shape violations:\n  " + "\n  ".join(self.violations))


def _errors(schema: dict[str, Any], value: Any, what: str) -> list[str]:
    found = sorted(Draft7Validator(schema).iter_errors(value), key=lambda e: list(e.path))
    return [
        f"{what} {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in found[:5]
    ]


def _request_problems(operation: Operation, exchange: Exchange) -> list[str]:
    schema = operation.request
    body = exchange.request_body
    if schema is None:
        return ["the operation takes no request body"] if body else []
    if not body:
        return ["the request body is required"]
    kind = exchange.request_headers.get("content-type", "")
    if schema == MULTIPART:
        ok = kind.startswith("multipart/form-data") and b'name="file"' in body
        return [] if ok else ["an upload is multipart/form-data with a part named 'file'"]
    if not kind.startswith("application/json"):
        return [f"request content type {kind!r} is not application/json"]
    try:
        value = json.loads(body)
    except ValueError:
        return ["the request body is not JSON"]
    assert isinstance(schema, dict)
    return _errors(schema, value, "request body")


def _answer_problems(operation: Operation, exchange: Exchange) -> list[str]:
    status = exchange.status
    kind = exchange.response_headers.get("Content-Type", "")
    if status in (429, 503):
        # Recorded (jira-dc/ratelimit__429-tomcat-html-…): Tomcat's HTML page, and the limiter's
        # X-RateLimit-* headers instead of Cloud's X-RateLimit-Reset and RateLimit-Reason.
        problems = [] if kind.startswith("text/html") else ["a 429/503 is Tomcat's HTML page"]
        if status == 429 and "X-RateLimit-Limit" not in exchange.response_headers:
            problems.append("a 429 carries Data Center's X-RateLimit-* headers")
        if "RateLimit-Reason" in exchange.response_headers:
            problems.append("RateLimit-Reason is a Cloud header")
        return problems
    try:
        value = json.loads(exchange.response_body) if exchange.response_body else None
    except ValueError:
        return [f"the {status} answer is not JSON"]
    if status >= 400:
        jira = exchange.path.startswith(("/rest/api/2/", "/rest/agile/"))
        shapes = [JERSEY_404, BASIC_DISABLED, JIRA_ERROR if jira else CONFLUENCE_ERROR]
        if any(not list(Draft7Validator(s).iter_errors(value)) for s in shapes):
            return []
        return [f"the {status} answer is not a documented Data Center error body: {value!r:.200}"]
    if status not in operation.answers:
        return [
            f"answer status {status} is not documented (documented: {sorted(operation.answers)})"
        ]
    schema = operation.answers[status]
    if status == 204:
        return ["a 204 answer must have no body"] if exchange.response_body else []
    return _errors(schema, value, "answer body") if schema is not None else []
