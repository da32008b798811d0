"""Request, response, error and routing types shared by the sandbox's resource modules.

Each resource module (``confluence_v2``, ``jira_platform``, ...) fills a :class:`RouteTable` with
handlers ``(ctx, request) -> Response``. Handlers raise :class:`ApiError`; the server renders it in
the error shape of the API family the path belongs to, because Jira, Confluence v1 and Confluence
v2 each answer errors differently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teamcomms.sandbox.faults import FaultController
    from teamcomms.sandbox.state import SiteState

JsonValue = Any


class ApiError(Exception):
    """An error answer. ``errors`` maps a field name to its message (Jira's ``errors`` object)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        messages: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}
        self.messages = messages or ([message] if message else [])
        """Every message (Jira lists all of a query's errors in ``errorMessages``)."""


@dataclass
class Request:
    """One parsed HTTP request as handlers see it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes
    params: dict[str, str] = field(default_factory=dict)
    """Path parameters from the route template."""

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """All values of a query parameter, with comma-separated values split (``keys=A,B``)."""
        return [part for value in self.query.get(name, []) for part in value.split(",") if part]

    def int_arg(self, name: str, default: int, maximum: int | None = None) -> int:
        """An integer query parameter; too large values are clamped as Atlassian does."""
        raw = self.arg(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError(400, f"Invalid value for '{name}': {raw}") from None
        if value < 0:
            raise ApiError(400, f"'{name}' must not be negative")
        return min(value, maximum) if maximum is not None else value

    def bool_arg(self, name: str) -> bool:
        """A ``true``/``false`` query parameter (absent means false)."""
        return (self.arg(name) or "").lower() == "true"

    def json(self) -> JsonValue:
        """The body parsed as JSON; a body that is not JSON is a 400 as on Cloud."""
        if not self.body:
            raise ApiError(400, "A request body is required")
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise ApiError(400, f"Unexpected request body: {error}") from None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object."""
        value = self.json()
        if not isinstance(value, dict):
            raise ApiError(400, "The request body must be a JSON object")
        return value


@dataclass
class Response:
    """A handler's answer: a JSON body (``body``) or raw bytes (``raw``)."""

    status: int = 200
    body: JsonValue = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def encode(self) -> bytes:
        """The body bytes to send."""
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body).encode()


@dataclass
class Context:
    """What a handler may use besides the request."""

    state: SiteState
    faults: FaultController
    base_url: str
    chosen_faults: tuple[str, ...] = ()
    """The faults injected into this request that change how it is answered (``no-properties``)."""

    @property
    def datacenter(self) -> bool:
        """Whether the site emulates Data Center (fixed by its state, see ``SiteState``)."""
        return self.state.deployment == "datacenter"

    @property
    def confluence_context(self) -> str:
        """Where Confluence lives on the host: ``/wiki`` on Cloud; at the root on Data Center
        (its own base URL; the sandbox serves Jira beside it under ``/rest/api/2``)."""
        return "" if self.datacenter else "/wiki"

    @property
    def confluence_base(self) -> str:
        """Confluence's base URL, as ``_links.base`` gives it."""
        return self.base_url + self.confluence_context


Handler = Callable[[Context, Request], Response]

_PARAM = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class Route:
    """One method + path template and its handler."""

    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    literal_segments: int


class RouteTable:
    """Routes of one resource module, registered with the decorators."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str) -> Callable[[Handler], Handler]:
        """Register ``handler`` for ``method template`` (``{name}`` matches one path segment)."""

        def register(handler: Handler) -> Handler:
            regex = "^" + _PARAM.sub(lambda m: f"(?P<{_group(m.group(1))}>[^/]+)", template) + "$"
            literal = sum(1 for seg in template.split("/") if seg and "{" not in seg)
            self.routes.append(Route(method, template, re.compile(regex), handler, literal))
            return handler

        return register

    def get(self, template: str) -> Callable[[Handler], Handler]:
        """Register a GET handler."""
        return self.add("GET", template)

    def post(self, template: str) -> Callable[[Handler], Handler]:
        """Register a POST handler."""
        return self.add("POST", template)

    def put(self, template: str) -> Callable[[Handler], Handler]:
        """Register a PUT handler."""
        return self.add("PUT", template)

    def delete(self, template: str) -> Callable[[Handler], Handler]:
        """Register a DELETE handler."""
        return self.add("DELETE", template)


def _group(name: str) -> str:
    return name.replace("-", "_")


class Router:
    """Finds the handler for a request; literal segments win over parameters."""

    def __init__(self, tables: list[RouteTable]) -> None:
        routes = [route for table in tables for route in table.routes]
        self._routes = sorted(routes, key=lambda r: -r.literal_segments)

    def find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route and its path parameters; raises 405 when only the method is wrong."""
        path_matched = False
        for route in self._routes:
            match = route.pattern.match(path)
            if match is None:
                continue
            path_matched = True
            if route.method == method:
                params = dict(match.groupdict())
                return route, params
        if path_matched:
            raise ApiError(405, f"Method {method} is not allowed for {path}")
        return None


def error_family(path: str) -> str:
    """Which error shape a path answers with: ``jira``, ``confluence-v2`` or ``confluence-v1``."""
    if path.startswith("/wiki/api/v2"):
        return "confluence-v2"
    if path.startswith("/wiki"):
        return "confluence-v1"
    return "jira"


_V2_CODES = {
    400: "INVALID_REQUEST_PARAMETER",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    503: "SERVICE_UNAVAILABLE",
}


def error_body(
    path: str, status: int, message: str, errors: dict[str, str], messages: list[str] | None = None
) -> JsonValue:
    """The error body in the shape the API family at ``path`` uses."""
    family = error_family(path)
    if family == "confluence-v2":
        return {
            "errors": [
                {
                    "status": status,
                    "code": _V2_CODES.get(status, "ERROR"),
                    "title": message,
                    "detail": None,
                }
            ]
        }
    if family == "confluence-v1":
        return {
            "statusCode": status,
            "data": {"authorized": status != 401, "valid": True, "errors": [], "successful": False},
            "message": message,
        }
    if messages is None:
        messages = [message] if message else []
    return {"errorMessages": messages, "errors": errors}
