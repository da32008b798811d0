"""Typed errors for everything the site can answer or fail with.

Every error carries the HTTP method, the URL (never with credentials) and, when the site sent
one, Atlassian's own message parsed from whichever error-body shape that endpoint uses.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from teamcomms.errors import ConfigError, SiteError
from teamcomms.redaction import redact

_MAX_TEXT = 300
# Data Center answers a body it cannot map with Jackson's own exception text:
# "org.codehaus.jackson.map.JsonMappingException: Could not resolve type id ''
#  at [Source: …LimitingRequestFilter$1@4cdbe3c9; line: 1, column: 661] (through reference chain:
#  …Content["version"]->…Version["by"])" (reference/recorded/confluence-dc). The class name and
# the stream position say nothing to a user; the sentence and the field path do.
_JAVA_EXCEPTION = re.compile(r"^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error):\s*")
_JACKSON_SOURCE = re.compile(r"\s*at \[Source: [^\]]*\]")
_JAVA_PACKAGE = re.compile(r"\b(?:[a-z_$][\w$]*\.){2,}([A-Z][\w$]*)")
# An HTML error page (Tomcat, a proxy, Atlassian's edge) says what happened in its title or
# first heading: "HTTP Status 429 – Too Many Requests".
_HTML_TITLE = re.compile(r"<(title|h1)[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")


def clean_url(url: str) -> str:
    """The URL without user info, so an error never echoes credentials embedded in it."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def endpoint_of(method: str, url: str) -> str:
    """``METHOD path`` without the query: how messages name an endpoint."""
    return f"{method.upper()} {urlsplit(url).path or '/'}"


def atlassian_message(body: bytes | str | None) -> str | None:
    """Atlassian's own error message from a response body, whatever its shape, secrets masked.

    Jira answers ``{"errorMessages": [...], "errors": {"field": "msg"}}`` (Data Center sometimes
    without ``errors``); Confluence v2 answers ``{"errors": [{"title": ..., "detail": ...}]}``;
    Confluence v1 and Data Center ``{"statusCode", "message"}``; the API gateway and a failed
    sign-in ``{"message", "status-code"}`` or ``{"code", "message"}``. An HTML page gives its
    title, plain text is shown short, and a raw Java exception loses its class and stream names.
    The site may quote the request's Authorization header back: it is masked here, before the
    message reaches any error, report or log.
    """
    if body is None:
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        message = _html_title(text) if text.startswith("<") else text
    else:
        message = _message_from_json(data)
    if not message:
        return None
    return _shorten(redact(_tidy_java(" ".join(message.split()))))


def _html_title(page: str) -> str | None:
    found = _HTML_TITLE.search(page)
    if found is None:
        return None
    title = html.unescape(_HTML_TAG.sub("", found.group(2))).strip()
    return title or None


def _tidy_java(message: str) -> str:
    message = _JACKSON_SOURCE.sub("", _JAVA_EXCEPTION.sub("", message))
    return _JAVA_PACKAGE.sub(r"\1", message)


def _message_from_json(data: Any) -> str | None:
    if not isinstance(data, dict):
        return str(data) if data not in (None, "", [], {}) else None
    parts: list[str] = []
    messages = data.get("errorMessages")
    parts.extend(str(item) for item in _as_list(messages))
    errors = data.get("errors")
    if isinstance(errors, dict):
        parts.extend(f"{field}: {message}" for field, message in errors.items())
    elif isinstance(errors, list):
        for error in errors:
            if isinstance(error, dict):
                title = str(error.get("title") or error.get("message") or "").strip()
                detail = str(error.get("detail") or "").strip()
                parts.append(": ".join(p for p in (title, detail) if p) or json.dumps(error))
            else:
                parts.append(str(error))
    elif isinstance(errors, str) and errors:
        parts.append(errors)
    for key in ("message", "errorMessage", "error_description", "error"):
        if not parts and isinstance(data.get(key), str) and data[key].strip():
            parts.append(data[key])
    return "; ".join(parts) if parts else None


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


class SiteHttpError(SiteError):
    """The site answered a request with an error status."""

    def __init__(
        self,
        *,
        status: int,
        method: str,
        url: str,
        atlassian_message: str | None = None,
        hint: str | None = None,
        what: str | None = None,
        body: bytes | None = None,
    ) -> None:
        url = clean_url(url)
        self.body = body
        """The answer's body, for callers that read a structured error (a bulk create's
        per-item errors); never shown as such."""
        super().__init__(
            what or f"{endpoint_of(method, url)} failed",
            status=status,
            atlassian_message=atlassian_message,
            method=method.upper(),
            url=url,
            hint=hint,
        )


class BadRequest(SiteHttpError):
    """400: the site rejected what was sent."""


class AuthenticationFailed(SiteHttpError):
    """401: the credentials were rejected."""


class PermissionDenied(SiteHttpError):
    """403: the user may not do this."""


class NotFound(SiteHttpError):
    """404: the object does not exist or the user cannot see it."""


class Conflict(SiteHttpError):
    """409: the object changed, or another configuration task is running."""


class VersionConflict(Conflict):
    """409 on a page update: someone else changed the page since it was read."""


class Gone(SiteHttpError):
    """410: Atlassian removed this API."""


class ServerError(SiteHttpError):
    """5xx other than a retried 503."""


class RateLimitExhausted(SiteError):
    """The site kept answering 429/503 and the total wait allowed ran out."""

    def __init__(
        self,
        *,
        method: str,
        url: str,
        status: int,
        waited: float,
        attempts: int,
        failures: list[str] | None = None,
        asked: float | None = None,
    ) -> None:
        url = clean_url(url)
        answers = f" (answers: {', '.join(failures)})" if failures else ""
        more = f"; the site asks to wait {asked:.0f} s more" if asked is not None else ""
        super().__init__(
            f"{endpoint_of(method, url)} is still rate limited or overloaded after {attempts} "
            f"attempts and {waited:.1f}s of waiting{answers}{more}",
            status=status,
            method=method.upper(),
            url=url,
            hint="wait a few minutes and run again, lower --workers, or raise "
            "TEAMCOMMS_MAX_WAIT (seconds) to wait longer",
        )
        self.waited = waited
        self.attempts = attempts


class UncertainWriteError(SiteError):
    """A request that creates something failed after it was sent: it may or may not have landed.

    It is never re-sent blindly; the caller must first look for the object by its marker.
    """

    def __init__(self, *, method: str, url: str, reason: str) -> None:
        url = clean_url(url)
        super().__init__(
            f"{endpoint_of(method, url)} was sent but no answer came back ({reason}); "
            "it may or may not have been carried out",
            method=method.upper(),
            url=url,
            hint="run the command again: teamcomms finds what was created by its marker "
            "and does not create it twice",
        )
        self.reason = reason


class NotAnApiAnswer(SiteHttpError):
    """The site answered an API request with an HTML page: a login page, a proxy or a wrong URL."""

    def __init__(
        self, *, status: int, method: str, url: str, atlassian_message: str | None = None
    ) -> None:
        super().__init__(
            status=status,
            method=method,
            url=url,
            atlassian_message=atlassian_message,
            what=f"{endpoint_of(method, url)} answered with a web page, not the REST API's JSON",
            hint="check the site URL (--site, TEAMCOMMS_SITE or site: in teamcomms.yaml): it "
            "must be the address of Jira or Confluence itself, e.g. https://acme.atlassian.net; "
            "a sign-in page means single sign-on or a proxy stands in front of the REST API",
        )


class RedirectRefused(SiteError):
    """The site redirected to another host or to plain http; teamcomms does not follow."""

    def __init__(self, *, method: str, url: str, target: str, downgrade: bool) -> None:
        url, target = clean_url(url), clean_url(target)
        parts = urlsplit(target)
        where = f"{parts.scheme}://{parts.netloc}"
        if downgrade:
            why = "to plain http, which would send the credentials unencrypted"
            hint = "ask the site's admin to fix the redirect; teamcomms only talks https to it"
        else:
            why = "to another host"
            hint = (
                f"if {where} is the site's new address and you trust it, use it as the site URL "
                "(--site, TEAMCOMMS_SITE or site: in teamcomms.yaml)"
            )
        super().__init__(
            f"{urlsplit(url).netloc} redirected {endpoint_of(method, url)} {why} ({target}); "
            "teamcomms does not follow it",
            method=method.upper(),
            url=url,
            hint=hint,
        )
        self.target = target


class SiteUnreachable(SiteError):
    """The site could not be reached, even after retrying."""

    def __init__(self, *, method: str, url: str, reason: str) -> None:
        url = clean_url(url)
        super().__init__(
            f"cannot reach {urlsplit(url).netloc} for {endpoint_of(method, url)}: {reason}",
            method=method.upper(),
            url=url,
            hint="check the site URL (--site or TEAMCOMMS_SITE) and your network connection",
        )


class MissingCredentials(ConfigError):
    """No credentials were found in the environment or the keyring."""


class InsecureSiteURL(ConfigError):
    """The site URL would send credentials in clear text."""


class SiteNotConfigured(ConfigError):
    """No site URL was given."""
