"""What makes the sandbox a Data Center site rather than a Cloud one, apart from the endpoints
themselves (``confluence_dc``, ``jira_dc``, ``datacenter_routes``): sign-in, error answers,
people and rate-limit headers.

Where Atlassian's Data Center REST documentation is silent, the shapes follow the answers
recorded from real sites in ``shared/reference/recorded/`` (named at each use). There are no
official Data Center OpenAPI documents to check the sandbox against; ``docs/sandbox.md`` says
what is emulated and from which source.

* **Sign-in**: personal access tokens as ``Authorization: Bearer``. Basic auth is refused with
  403 ``{"message": "Basic Authentication has been disabled on this instance."}``, which is what
  Jira and Confluence Data Center answer once an admin turns Basic auth off (Jira 11 does by
  default); anything else is 401.
* **Errors**: Confluence answers ``{statusCode, message}`` (recorded:
  ``confluence-dc/content-create__400-jackson-version-by.json``); Jira ``{errorMessages, errors}``,
  or ``{errorMessages}`` alone for a body Jackson could not read (recorded:
  ``jira-dc/version-update__400-unrecognized-field.json``); an unknown REST resource Jersey's
  ``{"message": "null for uri: …", "status-code": 404}``; 429 and 503 Tomcat's HTML page with the
  ``X-RateLimit-*`` headers of Data Center's rate limiting (recorded:
  ``jira-dc/ratelimit__429-tomcat-html-with-x-ratelimit-headers.json``); any path outside
  ``/rest`` (``/wiki/api/v2/pages`` too) Tomcat's HTML 404.
* **People** have a user name and a key, never an ``accountId``.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import TYPE_CHECKING, Any

from teamcomms.sandbox.api import ApiError, Request, Response

if TYPE_CHECKING:
    from teamcomms.sandbox.api import Context
    from teamcomms.sandbox.rate_limits import Decision

SANDBOX_PAT = "sandbox-personal-access-token"
"""The personal access token the Data Center sandbox accepts (``Authorization: Bearer``)."""
JIRA_API = "/rest/api/2"
CONFLUENCE_API = "/rest/api"
BASIC_DISABLED = "Basic Authentication has been disabled on this instance."
_JIRA_PATH = re.compile(r"^/rest/(api/(2|latest)|agile/1\.0)(/|$)")
_STATUS_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_TOMCAT_DESCRIPTIONS = {
    404: "The origin server did not find a current representation for the target resource or is "
    "not willing to disclose that one exists.",
    429: 'The user has sent too many requests in a given amount of time ("rate limiting").',
    503: "The server is currently unable to handle the request due to a temporary overload or "
    "scheduled maintenance, which will likely be alleviated after some delay.",
}


class NoSuchResource(ApiError):
    """No Data Center REST resource answers this path (Jersey's "null for uri")."""


class JacksonError(ApiError):
    """A request body Jackson could not read: the raw exception text, and for Jira no
    ``errors`` key at all (recorded: ``jira-dc/version-update__400-unrecognized-field.json``)."""


def is_jira_path(path: str) -> bool:
    """Whether Jira (``/rest/api/2``, ``/rest/agile/1.0``), not Confluence, serves ``path``."""
    return _JIRA_PATH.match(path) is not None


def authorisation_error(header: str | None) -> ApiError | None:
    """Why a request's ``Authorization`` header is refused, or None when it carries the PAT."""
    if header == f"Bearer {SANDBOX_PAT}":
        return None
    if header and header.startswith("Basic "):
        return ApiError(403, BASIC_DISABLED)
    return ApiError(401, "Client must be authenticated to access this resource.")


def error_response(request: Request, error: ApiError, base_url: str) -> Response:
    """``error`` in the shape Data Center answers it at ``request.path``."""
    headers = dict(error.headers)
    path = request.path
    if error.status in (429, 503) or not path.startswith("/rest/"):
        # Outside /rest no REST resource answers: Tomcat's own 404, naming the path.
        status = error.status if path.startswith("/rest/") else 404
        message = error.message if path.startswith("/rest/") else path
        headers["Content-Type"] = "text/html;charset=utf-8"
        return Response(status, headers=headers, raw=tomcat_page(status, message))
    if isinstance(error, NoSuchResource):
        body: dict[str, Any] = {
            "message": f"null for uri: {base_url}{path}{_query_text(request)}",
            "status-code": 404,
        }
    elif error.status == 403 and error.message == BASIC_DISABLED:
        body = {"message": BASIC_DISABLED}
    elif is_jira_path(path):
        body = {"errorMessages": error.messages}
        if not isinstance(error, JacksonError):
            body["errors"] = error.errors
    else:
        body = {"statusCode": error.status, "message": error.message}
    return Response(error.status, body, headers)


def _query_text(request: Request) -> str:
    pairs = [f"{k}={v}" for k, values in request.query.items() for v in values]
    return "?" + "&".join(pairs) if pairs else ""


def tomcat_page(status: int, message: str) -> bytes:
    """Tomcat's own error page, as Data Center answers a rate limit or a path outside ``/rest``."""
    name = _STATUS_NAMES.get(status, "Error")
    title = f"HTTP Status {status} – {name}"
    description = _TOMCAT_DESCRIPTIONS.get(status, "")
    page = (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
        f'<h1>{title}</h1><hr class="line" /><p><b>Type</b> Status Report</p>'
        f"<p><b>Message</b> {html.escape(message)}</p>"
        f"<p><b>Description</b> {html.escape(description)}</p>"
        '<hr class="line" /><h3>Apache Tomcat/9.0.95</h3></body></html>'
    )
    return page.encode()


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    """Data Center's rate-limit headers for a limited request (Atlassian's "Improving instance
    stability with rate limiting": a token bucket per user, ``retry-after`` 0 while tokens are
    left). Unlike Cloud there is no ``X-RateLimit-Reset`` or ``RateLimit-Reason``."""
    cloud = decision.headers
    headers = {
        "X-RateLimit-Limit": cloud["X-RateLimit-Limit"],
        "X-RateLimit-Remaining": cloud["X-RateLimit-Remaining"],
        "X-RateLimit-FillRate": f"{decision.rate:g}",
        "X-RateLimit-Interval-Seconds": "1",
    }
    if not decision.refused:
        headers["Retry-After"] = "0"
    elif "Retry-After" in cloud:
        headers["Retry-After"] = cloud["Retry-After"]
    return headers


# ---- people -----------------------------------------------------------------------------------
def user_name(ctx: Context, account_id: str) -> str:
    """The Data Center user name of a stored person: the email's local part (``alice``)."""
    user = ctx.state.table("users").get(account_id)
    if user is not None:
        return str(user["emailAddress"]).split("@", 1)[0]
    return account_id.rsplit(":", 1)[-1]


def jira_user_key(ctx: Context, account_id: str) -> str:
    """Jira's user key: ``JIRAUSER<n>`` for people created since Jira 8, else the user name."""
    tail = account_id.rsplit(":", 1)[-1]
    return f"JIRAUSER{tail}" if tail.isdigit() else user_name(ctx, account_id)


def confluence_user_key(account_id: str) -> str:
    """Confluence's user key: 32 hex digits, stable for a person."""
    return hashlib.sha256(account_id.encode()).hexdigest()[:32]


def account_of(ctx: Context, reference: Any) -> str | None:
    """The stored person a Data Center user reference (``{name}``, ``{key}``, or a bare name)
    means; None when there is no such person. An ``accountId`` means nothing on Data Center."""
    if isinstance(reference, dict):
        wanted = reference.get("name") or reference.get("key")
    else:
        wanted = reference
    if not isinstance(wanted, str) or not wanted:
        return None
    for account_id in ctx.state.table("users"):
        if wanted in (user_name(ctx, account_id), jira_user_key(ctx, account_id)):
            return str(account_id)
    return None


def jira_user_json(ctx: Context, user: dict[str, Any]) -> dict[str, Any]:
    """A Jira Data Center ``User``: ``name`` and ``key``, no ``accountId`` (recorded:
    ``jira-dc/issue__get.json``)."""
    name = user_name(ctx, user["accountId"])
    return {
        "self": f"{ctx.base_url}{JIRA_API}/user?username={name}",
        "name": name,
        "key": jira_user_key(ctx, user["accountId"]),
        "emailAddress": user["emailAddress"],
        "displayName": user["displayName"],
        "active": user["active"],
        "timeZone": "UTC",
        "locale": "en_US",
    }


def confluence_user_json(ctx: Context, account_id: str) -> dict[str, Any]:
    """A Confluence Data Center person (``version.by``): ``username`` and ``userKey``."""
    user = ctx.state.table("users").get(account_id)
    return {
        "type": "known",
        "username": user_name(ctx, account_id),
        "userKey": confluence_user_key(account_id),
        "displayName": user["displayName"] if user else account_id,
    }
