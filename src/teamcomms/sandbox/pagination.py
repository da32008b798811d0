"""The four pagination styles the emulated APIs use.

* Confluence v2: ``limit`` (default 25, max 250) plus an opaque ``cursor``; the next page is given
  both in the ``Link: <...>; rel="next"`` header and in ``_links.next``.
* Confluence v1: ``start``/``limit`` with ``size`` and ``_links.next`` (CQL search uses a cursor).
* Jira PageBean: ``startAt``/``maxResults``/``total``/``isLast``/``values``.
* Jira ``search/jql``: ``nextPageToken`` (omitted on the last page) and ``isLast``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

from teamcomms.sandbox.api import ApiError, Request, Response

V2_DEFAULT_LIMIT = 25
V2_MAX_LIMIT = 250


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the item at ``offset``."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset a cursor stands for; a cursor we did not issue is a 400 as on Cloud."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind != "offset":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "Invalid cursor") from None


def _next_query(request: Request, cursor_name: str, cursor: str) -> str:
    pairs = [(k, v) for k, values in request.query.items() if k != cursor_name for v in values]
    pairs.append((cursor_name, cursor))
    return urlencode(pairs)


def v2_page(
    request: Request, items: list[Any], base_url: str, *, default_limit: int = V2_DEFAULT_LIMIT
) -> Response:
    """A Confluence v2 ``MultiEntityResult`` page of ``items`` with Link header and _links.next."""
    limit = request.int_arg("limit", default_limit, V2_MAX_LIMIT) or default_limit
    offset = decode_cursor(request.arg("cursor"))
    chunk = items[offset : offset + limit]
    links: dict[str, str] = {"base": f"{base_url}/wiki"}
    headers: dict[str, str] = {}
    if offset + limit < len(items):
        next_url = f"{request.path}?{_next_query(request, 'cursor', encode_cursor(offset + limit))}"
        links["next"] = next_url
        headers["Link"] = f'<{next_url}>; rel="next", <{base_url}/wiki>; rel="base"'
    return Response(200, {"results": chunk, "_links": links}, headers)


def v1_page(
    request: Request,
    items: list[Any],
    base_url: str,
    *,
    default_limit: int = 25,
    max_limit: int = 200,
    cursor: bool = False,
    context: str = "/wiki",
) -> dict[str, Any]:
    """A Confluence v1 array page (``results/start/limit/size/_links``); ``context`` is where
    Confluence lives on the host (``/wiki`` on Cloud, nothing on Data Center)."""
    limit = request.int_arg("limit", default_limit, max_limit) or default_limit
    start = decode_cursor(request.arg("cursor")) if cursor else request.int_arg("start", 0)
    chunk = items[start : start + limit]
    links: dict[str, str] = {
        "base": f"{base_url}{context}",
        "context": context,
        "self": f"{base_url}{request.path}",
    }
    if start + limit < len(items):
        if cursor:
            links["next"] = (
                f"{request.path}?{_next_query(request, 'cursor', encode_cursor(start + limit))}"
            )
        else:
            links["next"] = f"{request.path}?{_next_query(request, 'start', str(start + limit))}"
    return {"results": chunk, "start": start, "limit": limit, "size": len(chunk), "_links": links}


def page_bean(
    request: Request, items: list[Any], base_url: str, *, default_max: int = 50, maximum: int = 100
) -> dict[str, Any]:
    """A Jira ``PageBean`` of ``items``."""
    start = request.int_arg("startAt", 0)
    size = request.int_arg("maxResults", default_max, maximum) or default_max
    chunk = items[start : start + size]
    bean: dict[str, Any] = {
        "self": f"{base_url}{request.path}",
        "startAt": start,
        "maxResults": size,
        "total": len(items),
        "isLast": start + size >= len(items),
        "values": chunk,
    }
    if not bean["isLast"]:
        bean["nextPage"] = (
            f"{base_url}{request.path}?{_next_query(request, 'startAt', str(start + size))}"
        )
    return bean
