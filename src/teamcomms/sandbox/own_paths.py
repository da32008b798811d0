"""The sandbox's own addresses beside the emulated Atlassian API: the read-only web view
(:mod:`teamcomms.sandbox.webview`, loaded on its first request) and its own API for hand edits.
Neither gets latency, faults, the request log or contract checks."""

from __future__ import annotations

PREFIX = "/_sandbox"
OWN_API = PREFIX + "/api/"


def is_web_view(method: str, path: str) -> bool:
    """Whether a request is for the web view rather than the emulated API."""
    in_view = path in ("/", PREFIX) or (
        path.startswith(PREFIX + "/") and not path.startswith(OWN_API)
    )
    return method == "GET" and in_view


def is_own(method: str, path: str) -> bool:
    """Whether a request is for the web view or the sandbox's own API."""
    return is_web_view(method, path) or path.startswith(OWN_API)
