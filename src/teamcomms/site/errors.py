"""Typed errors for everything the site can answer or fail with.

Every error carries the HTTP method, the URL (never with credentials) and, when the site sent
one, Atlassian's own message parsed from whichever error-body shape that endpoint uses.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from teamcomms.errors import ConfigError, SiteError

_MAX_TEXT = 300


def clean_url(url: str) -> str:
    """The URL without user info, so an error never echoes credentials embedded in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def endpoint_of(method: str, url: str) -> str:
    """``METHOD path`` without the query: how messages name an endpoint."""
    return f"{method.upper()} {urlsplit(url).path or '/'}"


def atlassian_message(body: bytes | str | None) -> str | None:
    """Atlassian's own error message from a response body, whatever its shape.

    Jira answers ``{"errorMessages": [...], "errors": {"field": "msg"}}``; Confluence v2 answers
    ``{"errors": [{"title": ..., "detail": ...}]}``; Confluence v1 and the API gateway answer
    ``{"message": ...}``. Anything else is shown as short plain text.
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
        return _shorten(" ".join(text.split())) if not text.startswith("<") else None
    return _message_from_json(data)


def _message_from_json(data: Any) -> str | None:
    if not isinstance(data, dict):
        return _shorten(str(data))
    parts: list[str] = []
    for item in data.get("errorMessages") or []:
        parts.append(str(item))
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
    if not parts and data.get("message"):
        parts.append(str(data["message"]))
    if not parts and data.get("errorMessage"):
        parts.append(str(data["errorMessage"]))
    return _shorten("; ".join(parts)) if parts else None


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
    ) -> None:
        url = clean_url(url)
        answers = f" (answers: {', '.join(failures)})" if failures else ""
        super().__init__(
            f"{endpoint_of(method, url)} is still rate limited or overloaded after {attempts} "
            f"attempts and {waited:.1f}s of waiting{answers}",
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
