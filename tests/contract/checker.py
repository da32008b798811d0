"""Check sandbox traffic against Atlassian's official OpenAPI documents (vendored slices).

:class:`ContractChecker` is an observer for :func:`teamcomms.sandbox.start_sandbox`: it
matches every request to an operation of the specs (method + path template), checks the query
parameters and the body against that operation, then checks the answer's status and body against
the documented responses. It records violations instead of raising (it runs on the server's
thread); the ``sandbox_site`` fixture fails the test when any were recorded.

Only Cloud exchanges: there are no official Data Center OpenAPI documents in ``../shared``, so a
Data Center exchange is refused here; :mod:`tests.contract.datacenter` checks those against the
shapes Atlassian documents for Data Center and the answers recorded from real sites.

Leniency, and nothing more: the spec documents' own self-validation is skipped (we never validate
the documents, only traffic), every ``oneOf`` is judged as ``anyOf`` (SOURCES.md "ambiguous
oneOf"), the answers listed in :data:`UNDOCUMENTED_ANSWERS` are accepted although the specs
do not list them, the properties in :data:`DOCUMENTED_NULLABLE` (null by the specs' own words
or examples) may be null, and the query parameters in :data:`DESCRIBED_QUERY_VALUES` are judged
by their description where their schema cannot be sent in a query string.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from teamcomms.sandbox import Exchange
from tests.contract.leniency import (
    ANY,
    DESCRIBED_QUERY_VALUES,
    DOCUMENTED_NULLABLE,
    UNDOCUMENTED_ANSWERS,
)
from tests.contract.slice_specs import OPERATIONS, SPEC_DIR


@dataclass(frozen=True)
class Operation:
    """One operation of one spec, with the template the site serves it at."""

    spec: str
    method: str
    template: str
    spec_path: str
    pattern: re.Pattern[str]
    params: int
    param_names: tuple[str, ...] = ()

    def path_values(self, path: str) -> dict[str, str]:
        """The path parameters of a request path this operation matches."""
        match = self.pattern.match(_v3(path))
        return dict(zip(self.param_names, match.groups(), strict=True)) if match else {}


def _to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 schema dialect -> JSON Schema draft 4 (nullable, oneOf-as-anyOf)."""
    if isinstance(node, list):
        return [_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _to_jsonschema(value) for key, value in node.items()}
    if "oneOf" in converted:
        # SOURCES.md: ambiguous oneOf alternatives accept the same objects; judge them as anyOf.
        converted["anyOf"] = converted.pop("oneOf")
    if converted.pop("nullable", False) is True:
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def _documented_nullable(name: str, document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.get("components", {}).get("schemas", {})
    for spec, schema, prop in DOCUMENTED_NULLABLE:
        if spec == name and prop in schemas.get(schema, {}).get("properties", {}):
            schemas[schema]["properties"][prop] = {
                **schemas[schema]["properties"][prop],
                "nullable": True,
            }
    return document


class _Spec:
    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.name = name
        self.document = _documented_nullable(name, document)
        self.uri = f"urn:teamcomms-spec:{name}"
        resource = DRAFT4.create_resource(_to_jsonschema(document))
        self.registry: Registry[Any] = Registry().with_resource(self.uri, resource)
        self._validators: dict[str, Draft4Validator] = {}

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def validator(self, pointer: str) -> Draft4Validator:
        if pointer not in self._validators:
            schema = {"$ref": f"{self.uri}#{pointer}"}
            self._validators[pointer] = Draft4Validator(schema, registry=self.registry)
        return self._validators[pointer]

    def errors(self, pointer: str, value: Any) -> list[str]:
        found = sorted(self.validator(pointer).iter_errors(value), key=lambda e: list(e.path))
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in found[:5]
        ]


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@cache
def _load() -> tuple[dict[str, _Spec], tuple[Operation, ...]]:
    specs: dict[str, _Spec] = {}
    operations: list[Operation] = []
    for name, (prefix, _) in OPERATIONS.items():
        document = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
        specs[name] = _Spec(name, document)
        for spec_path, item in document["paths"].items():
            template = prefix + spec_path
            names = re.findall(r"\{([^}/]+)\}", template)
            regex = "^" + re.sub(r"\{[^}/]+\}", "([^/]+)", template) + "$"
            for method in item:
                if method == "parameters":
                    continue
                count = template.count("{")
                operations.append(
                    Operation(
                        name,
                        method.upper(),
                        template,
                        spec_path,
                        re.compile(regex),
                        count,
                        tuple(names),
                    )
                )
    return specs, tuple(sorted(operations, key=lambda op: op.params))


def _v3(path: str) -> str:
    # Jira's v2 API is v3 with plain-text instead of ADF rich-text fields; Atlassian publishes no
    # separate v2 document, so v2 requests are checked against the v3 operation.
    if path.startswith("/rest/api/2/"):
        return "/rest/api/3/" + path.removeprefix("/rest/api/2/")
    return path


def find_operation(method: str, path: str) -> Operation | None:
    """The spec operation a request is for (templates with fewer parameters win)."""
    _, operations = _load()
    path = _v3(path)
    return next((op for op in operations if op.method == method and op.pattern.match(path)), None)


_Declared = dict[tuple[str, str], tuple[dict[str, Any], str]]
"""Parameters an operation declares: ``(in, name)`` -> (resolved parameter, JSON pointer to it)."""


def _declared_parameters(
    spec: _Spec, item: dict[str, Any], op: dict[str, Any], item_pointer: str, op_pointer: str
) -> _Declared:
    """Path-level parameters, overridden by the operation's own (as OpenAPI defines)."""
    declared: _Declared = {}
    for base, pointer in ((item, item_pointer), (op, op_pointer)):
        for index, raw in enumerate(base.get("parameters", [])):
            param = spec.resolve(raw)
            at = f"{pointer}/parameters/{index}"
            if "$ref" in raw:
                at = raw["$ref"].removeprefix("#")
            declared[(param["in"], param["name"])] = (param, at)
    return declared


def _coerce(raw: list[str], schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "array":
        items = [part for value in raw for part in value.split(",")]
        return [_coerce([item], schema.get("items", {})) for item in items]
    value = raw[-1]
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


class ContractChecker:
    """Collects contract violations of the exchanges it observes."""

    def __init__(self) -> None:
        self.specs, _ = _load()
        self.violations: list[str] = []
        self.checked = 0
        self._lock = threading.Lock()

    def __call__(self, exchange: Exchange) -> None:
        """Observer entry point: check one exchange and record what is wrong with it."""
        problems = self.check(exchange)
        with self._lock:
            self.checked += 1
            self.violations.extend(problems)

    def check(self, exchange: Exchange) -> list[str]:
        """The violations in one exchange (empty when it follows the spec)."""
        where = f"{exchange.method} {exchange.path}"
        if exchange.deployment != "cloud":
            # The vendored specs are Cloud's; Atlassian's Data Center OpenAPI documents are not
            # in ../shared, so nothing here can judge a Data Center exchange: saying it passed
            # would be a lie. tests/contract/datacenter.py checks those against the documented
            # and recorded Data Center shapes instead.
            return [
                f"{where}: a Data Center exchange cannot be checked against the Cloud OpenAPI "
                "documents; observe it with tests.contract.datacenter.DatacenterChecker"
            ]
        operation = find_operation(exchange.method, exchange.path)
        if operation is None:
            return [
                f"{where}: no operation in the vendored specs matches this request "
                "(not an Atlassian API, or add it to tests/contract/slice_specs.py OPERATIONS)"
            ]
        spec = self.specs[operation.spec]
        item_pointer = f"/paths/{_escape(operation.spec_path)}"
        op_pointer = f"{item_pointer}/{operation.method.lower()}"
        item = spec.document["paths"][operation.spec_path]
        op = item[operation.method.lower()]
        declared = _declared_parameters(spec, item, op, item_pointer, op_pointer)
        problems = self._check_query(spec, declared, exchange, operation)
        problems += self._check_path(spec, declared, operation, exchange)
        problems += self._check_request_body(spec, op, op_pointer, exchange)
        if exchange.status:
            problems += self._check_response(spec, op, op_pointer, operation, exchange)
        return [
            f"{where} [{operation.spec} {operation.method} {operation.spec_path}]: {p}"
            for p in problems
        ]

    def _check_query(
        self, spec: _Spec, declared: _Declared, exchange: Exchange, operation: Operation
    ) -> list[str]:
        problems: list[str] = []
        for name, values in exchange.query.items():
            if ("query", name) not in declared:
                problems.append(f"query parameter '{name}' is not documented for this operation")
                continue
            described = DESCRIBED_QUERY_VALUES.get((operation.method, operation.template, name))
            if described is not None:
                value = [part for raw in values for part in raw.split(",")]
                problems += [
                    f"query parameter '{name}'={values}: {e.message}"
                    for e in Draft4Validator(described).iter_errors(value)
                ]
                continue
            param, at = declared[("query", name)]
            value = _coerce(values, spec.resolve(param.get("schema", {})))
            for error in spec.errors(f"{at}/schema", value):
                problems.append(f"query parameter '{name}'={values}: {error}")
        for (where, name), (param, _) in declared.items():
            if where == "query" and param.get("required") and name not in exchange.query:
                problems.append(f"required query parameter '{name}' is missing")
        return problems

    def _check_path(
        self, spec: _Spec, declared: _Declared, operation: Operation, exchange: Exchange
    ) -> list[str]:
        problems: list[str] = []
        for name, raw in operation.path_values(exchange.path).items():
            if ("path", name) not in declared:
                problems.append(f"path parameter '{name}' is not declared")
                continue
            schema = spec.resolve(declared[("path", name)][0].get("schema", {}))
            value = _coerce([raw], schema)
            kind = schema.get("type")
            if kind in ("integer", "number") and isinstance(value, str):
                problems.append(f"path parameter '{name}'={raw!r} is not a {kind}")
            elif "enum" in schema and value not in schema["enum"]:
                problems.append(f"path parameter '{name}'={raw!r} is not one of {schema['enum']}")
        return problems

    def _check_request_body(
        self, spec: _Spec, op: dict[str, Any], op_pointer: str, exchange: Exchange
    ) -> list[str]:
        raw_body = op.get("requestBody")
        if raw_body is None:
            return ["the operation takes no request body"] if exchange.request_body else []
        body_spec = spec.resolve(raw_body)
        body_pointer = (
            raw_body["$ref"].removeprefix("#")
            if "$ref" in raw_body
            else f"{op_pointer}/requestBody"
        )
        if not exchange.request_body:
            return ["the request body is required"] if body_spec.get("required") else []
        content_type = exchange.request_headers.get("content-type", "").split(";")[0].strip()
        content = body_spec.get("content", {})
        if content_type not in content:
            return [f"request content type '{content_type}' is not one of {sorted(content)}"]
        media = content[content_type]
        if "schema" not in media:
            return []
        pointer = f"{body_pointer}/content/{_escape(content_type)}/schema"
        if content_type == "application/json":
            try:
                value = json.loads(exchange.request_body)
            except ValueError:
                return ["the request body is not JSON"]
            return [f"request body {e}" for e in spec.errors(pointer, value)]
        if content_type == "multipart/form-data":
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: "
                + exchange.request_headers["content-type"].encode()
                + b"\r\n\r\n"
                + exchange.request_body
            )
            names = {
                part.get_param("name", header="content-disposition")
                for part in message.iter_parts()
            }
            required = spec.resolve(media["schema"]).get("required", [])
            return [f"multipart part '{n}' is required" for n in required if n not in names]
        return []

    def _check_response(
        self,
        spec: _Spec,
        op: dict[str, Any],
        op_pointer: str,
        operation: Operation,
        exchange: Exchange,
    ) -> list[str]:
        responses = op.get("responses", {})
        status = str(exchange.status)
        key = status if status in responses else ("default" if "default" in responses else None)
        if key is None:
            allowed = {
                (operation.method, operation.template, exchange.status),
                (ANY, ANY, exchange.status),
            }
            if allowed & UNDOCUMENTED_ANSWERS:
                return []
            return [f"answer status {status} is not documented (documented: {sorted(responses)})"]
        raw = responses[key]
        response = spec.resolve(raw)
        pointer = (
            raw["$ref"].removeprefix("#") if "$ref" in raw else f"{op_pointer}/responses/{key}"
        )
        media = response.get("content", {}).get("application/json")
        if exchange.status == 204 and exchange.response_body:
            return ["a 204 answer must have no body"]
        if not media or "schema" not in media or not exchange.response_body:
            return []
        try:
            value = json.loads(exchange.response_body)
        except ValueError:
            return ["the answer body is not JSON"]
        schema_pointer = f"{pointer}/content/application~1json/schema"
        return [f"answer body {e}" for e in spec.errors(schema_pointer, value)]

    def assert_clean(self) -> None:
        """Raise AssertionError listing the violations, if there were any."""
        if self.violations:
            raise AssertionError("contract violations:\n  " + "\n  ".join(self.violations))


SPEC_FILES: tuple[Path, ...] = tuple(SPEC_DIR / name for name in OPERATIONS)
