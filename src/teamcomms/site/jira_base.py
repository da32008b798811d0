"""What every part of :class:`~teamcomms.site.jira.JiraSite` builds on: the session, the base
URLs and the paging styles of Jira's REST APIs.

Cloud is addressed through ``/rest/api/3`` (the version Atlassian's current Cloud spec
describes); Data Center through ``/rest/api/2``. Requests go through pycontribs ``jira``'s
session, which carries the one HTTP policy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from teamcomms.site.clients import SiteClients

# The largest page Jira's PageBean listings answer for configuration objects (filters, field
# contexts and options); asking for more is silently capped.
PAGE_SIZE = 100


class JiraBase:
    """The session and the request helpers the Jira facade's parts share."""

    def __init__(self, clients: SiteClients) -> None:
        self._clients = clients
        self.is_cloud = clients.settings.is_cloud
        api = "3" if self.is_cloud else "2"
        self._root = clients.settings.jira_url
        self._base = f"{self._root}/rest/api/{api}"
        self._agile = f"{self._root}/rest/agile/1.0"

    @property
    def _session(self) -> Any:
        # The client is built on first use: a run without Jira objects never imports it.
        return self._clients.jira._session

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._session.get(f"{self._base}/{path}", params=params).json()

    def _post(self, path: str, data: Any, params: Mapping[str, Any] | None = None) -> Any:
        response = self._session.post(f"{self._base}/{path}", json=data, params=params)
        return response.json() if response.content else None

    def _put(self, path: str, data: Any) -> Any:
        response = self._session.put(f"{self._base}/{path}", json=data)
        return response.json() if response.content else None

    def _delete(self, path: str, params: Mapping[str, Any] | None = None) -> None:
        self._session.delete(f"{self._base}/{path}", params=params)

    def _paged(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[Any]:
        """Every value of a PageBean listing (``startAt``/``maxResults``/``isLast``)."""
        query: dict[str, Any] = {**(params or {}), "startAt": 0, "maxResults": PAGE_SIZE}
        while True:
            page = self._get(path, query)
            values = page.get("values") or []
            yield from values
            # isLast is the documented end; a short page ends it too (some listings omit isLast).
            if page.get("isLast", len(values) < query["maxResults"]) or not values:
                return
            query["startAt"] += len(values)
