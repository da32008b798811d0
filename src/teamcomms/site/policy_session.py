"""The ``requests`` session every request of a run goes through (see :class:`HttpPolicy`).

requests merges a session's settings into every request, and two of those merges are work for
nothing here: query parameters arrive in the URL (both client libraries put them there, and the
plain session is given them per call), and proxies are looked up once per host by the policy's
adapter. Each merge still builds an ordered dict from two empty ones behind runtime protocol checks:
a twentieth of the client's CPU per request against a site that answers at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from requests.sessions import _Settings


class PolicySession(requests.Session):
    """A session with no session-wide query parameters or proxies to merge into each request."""

    def __init__(self) -> None:
        super().__init__()
        # None, not {}: requests' merge takes a None session setting as nothing to add and
        # skips the work.
        self.params = None  # type: ignore[assignment]

    def merge_environment_settings(
        self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> _Settings:
        """What requests merges, without merging two empty proxy settings (the policy's
        adapter supplies the proxies, read from the environment once per host). The other
        three are never mappings, and requests' merge of those is: the request's value, else
        the session's."""
        if self.trust_env or proxies or self.proxies:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        return {
            "proxies": {},
            "stream": self.stream if stream is None else stream,
            "verify": self.verify if verify is None else verify,
            "cert": self.cert if cert is None else cert,
        }
