"""What the site's answer means: typed errors for error statuses, refused redirects, and HTML
where JSON was due. Called by the HTTP policy (:mod:`teamcomms.site.http`) for every answer."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from requests import Response

from teamcomms.site import errors

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Paths of the REST APIs teamcomms calls: an HTML page there is a login page or a proxy's, never
# an answer (attachment downloads and page previews are not under these).
_API_PATH = re.compile(r"/(rest|api)/|/_edge/tenant_info")


def refuse_status(response: Response, method: str, auth_hint: str | None) -> None:
    """Raise the typed error for an error status (400 and up, other than the retried ones)."""
    status = response.status_code
    url = response.url or ""
    message = errors.atlassian_message(response.content)
    kwargs: dict[str, Any] = {"status": status, "method": method, "url": url}
    if status == 400:
        raise errors.BadRequest(
            atlassian_message=message,
            body=response.content,
            hint="the site refused what teamcomms sent; check the definition named above, and if "
            "it looks right, run again with --debug and report it",
            **kwargs,
        )
    if status == 401:
        raise errors.AuthenticationFailed(
            atlassian_message=message,
            what=f"the site rejected the credentials for {errors.endpoint_of(method, url)}",
            hint=auth_hint,
            **kwargs,
        )
    if status == 403:
        raise errors.PermissionDenied(
            atlassian_message=message,
            what=f"not allowed: {errors.endpoint_of(method, url)}",
            hint="ask a site admin for the permission, or check that the token belongs to the "
            "right user; `teamcomms doctor` lists what you may do. " + (auth_hint or ""),
            **kwargs,
        )
    if status == 404:
        raise errors.NotFound(
            atlassian_message=message,
            hint="check the site URL, and that the object exists and you may see it",
            **kwargs,
        )
    if status == 409:
        raise errors.Conflict(
            atlassian_message=message,
            hint="something changed it at the same time, or a site task is still running; "
            "run the command again in a minute",
            **kwargs,
        )
    if status == 410:
        raise errors.Gone(
            atlassian_message=message,
            hint="Atlassian removed this API; upgrade teamcomms",
            **kwargs,
        )
    if status >= 500:
        raise errors.ServerError(
            atlassian_message=message,
            hint="the site failed to answer; run again in a few minutes, and if it persists "
            "check https://status.atlassian.com or ask the site's admin",
            **kwargs,
        )
    raise errors.SiteHttpError(
        atlassian_message=message,
        hint="the site refused the request; run again with --debug and report it if it persists",
        **kwargs,
    )


def refuse_redirect(response: Response, method: str, url: str) -> None:
    """Refuse a redirect that leaves the site or drops to plain http.

    ``requests`` follows redirects, and on another host drops the credentials: a moved site
    then looks like a string of 401s or 404s. Atlassian's own redirects stay on the same host
    (``/wiki`` paths, trailing slashes) and are followed.
    """
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECTS or not location:
        return
    target = urljoin(url, location)
    here, there = urlsplit(url), urlsplit(target)
    downgrade = here.scheme == "https" and there.scheme != "https"
    if not downgrade and _origin(here) == _origin(there):
        return
    response.close()
    raise errors.RedirectRefused(method=method, url=url, target=target, downgrade=downgrade)


def _origin(parts: Any) -> tuple[str, int | None]:
    """Host and port; an upgrade from http to https on the default ports is the same site."""
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    if port in _DEFAULT_PORTS.values():
        port = None
    return (parts.hostname or "", port)


def refuse_html(response: Response, method: str, url: str) -> None:
    """An API answering an HTML page with 2xx is a login page or a proxy: say so plainly
    instead of failing later on JSON that is not there."""
    kind = response.headers.get("Content-Type", "").lower()
    if "text/html" not in kind or not _API_PATH.search(urlsplit(url).path):
        return
    title = errors.atlassian_message(response.content)
    response.close()
    raise errors.NotAnApiAnswer(
        status=response.status_code, method=method, url=url, atlassian_message=title
    )
