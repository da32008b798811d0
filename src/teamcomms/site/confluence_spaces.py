"""Confluence spaces, and what every part of :class:`~teamcomms.site.confluence.ConfluenceSite`
builds on: the two clients, the space cache and paged listings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from teamcomms.site.clients import SiteClients
from teamcomms.site.confluence_model import RemoteSpace, next_params
from teamcomms.site.errors import NotFound
from teamcomms.site.pool import WorkerPool

# The largest page size v2 listings accept; one request covers a typical space.
V2_PAGE_LIMIT = 250
# v1 content listings with bodies expanded. Confluence may answer fewer than asked (it caps
# expanded results) and continues with _links.next, so these are upper bounds, not promises.
V1_PAGE_LIMIT = 100
# CQL search for properties and labels only (no bodies): as many per request as v2 listings.
CQL_PAGE_LIMIT = 250


class ConfluenceSpaces:
    """Spaces, and the clients and helpers the other Confluence parts build on."""

    def __init__(self, clients: SiteClients, *, workers: int = 2) -> None:
        self._v1 = clients.confluence_v1
        self._v2 = clients.confluence_v2
        self._policy = clients.policy
        self.is_cloud = clients.settings.is_cloud
        self._pool = WorkerPool(workers)
        self._spaces: dict[str, RemoteSpace] = {}
        self._absent: set[str] = set()
        """Keys looked up and not found in this run (not asked for again)."""
        self._lock = threading.Lock()
        # Held while looking spaces up, so that resources reading side by side send the one
        # look-up between them instead of one each.
        self._lookup = threading.Lock()

    # -- spaces -------------------------------------------------------------------------------

    def space(self, key: str) -> RemoteSpace:
        """The space with this key (cached). Raises :class:`NotFound` with a hint when absent."""
        found = self.spaces([key])
        if key not in found:
            cloud = self._v2 is not None
            raise _space_missing(
                key, "GET /wiki/api/v2/spaces" if cloud else f"GET /rest/api/space/{key}"
            )
        return found[key]

    def spaces(self, keys: Iterable[str]) -> dict[str, RemoteSpace]:
        """The spaces with these keys, by key; keys of spaces that do not exist (or cannot be
        seen) are left out. Cached; on Cloud one request looks up to 250 keys up at once."""
        with self._lookup:
            return self._spaces_of(sorted(set(keys)))

    def _spaces_of(self, wanted: list[str]) -> dict[str, RemoteSpace]:
        with self._lock:
            found = {key: self._spaces[key] for key in wanted if key in self._spaces}
        unknown = [key for key in wanted if key not in found and key not in self._absent]
        if self._v2 is not None:
            for start in range(0, len(unknown), V2_PAGE_LIMIT):
                batch = unknown[start : start + V2_PAGE_LIMIT]
                params = {"keys": ",".join(batch)}
                for data in self._paged(self._v2, "api/v2/spaces", params, V2_PAGE_LIMIT):
                    asked = _asked_key(str(data["key"]), batch)
                    if asked is not None:
                        found[asked] = RemoteSpace(
                            str(data["id"]), str(data["key"]), str(data.get("name", "")),
                            str(data["homepageId"]) if data.get("homepageId") else None,
                        )  # fmt: skip
        else:
            looked_up = self._pool.map(self._space_v1, unknown)
            found.update((k, space) for k, space in zip(unknown, looked_up, strict=True) if space)
        with self._lock:
            self._spaces.update(found)
            self._absent.update(key for key in unknown if key not in found)
        return found

    def _space_v1(self, key: str) -> RemoteSpace | None:
        try:
            data = self._v1.get(f"rest/api/space/{key}", params={"expand": "homepage"})
        except NotFound:
            return None
        homepage = data.get("homepage") or {}
        return RemoteSpace(
            str(data["key"]), str(data["key"]), str(data.get("name", "")),
            str(homepage["id"]) if homepage.get("id") else None,
        )  # fmt: skip

    def check_access(self) -> None:
        """One cheap authenticated read; raises :class:`AuthenticationFailed` on bad credentials."""
        if self._v2 is not None:
            self._v2.get("api/v2/spaces", params={"limit": 1})
        else:
            self._v1.get("rest/api/space", params={"limit": 1})

    def space_operations(self, key: str) -> frozenset[tuple[str, str]] | None:
        """What the user may do in the space, as ``(operation, target type)`` pairs such as
        ``("create", "page")``; None where the site cannot say (Data Center)."""
        if self._v2 is None:
            return None
        data = self._v2.get(f"api/v2/spaces/{self.space_id(key)}/operations")
        return frozenset(
            (str(o.get("operation")), str(o.get("targetType"))) for o in data.get("operations", [])
        )

    def space_id(self, key: str) -> str:
        """The id page calls need for a space key (the key itself on Data Center)."""
        return self.space(key).id

    # -- helpers ------------------------------------------------------------------------------

    def _paged(
        self, client: Any, path: str, params: Mapping[str, Any], limit: int
    ) -> Iterator[Mapping[str, Any]]:
        query: dict[str, Any] = {**params, "limit": limit}
        while True:
            payload = client.get(path, params=query)
            yield from payload.get("results", [])
            following = next_params(payload)
            if following is None:
                return
            query = {**query, **following}


def _asked_key(returned: str, asked: list[str]) -> str | None:
    """Which asked-for key a returned space answers (space keys match regardless of case)."""
    if returned in asked:
        return returned
    return next((key for key in asked if key.casefold() == returned.casefold()), None)


def _space_missing(key: str, endpoint: str) -> NotFound:
    method, _, path = endpoint.partition(" ")
    return NotFound(
        status=404,
        method=method,
        url=path,
        what=f"Confluence space {key!r} does not exist or you cannot see it",
        hint=f"create the space {key} or fix the space key in the definitions; "
        "`teamcomms doctor` checks every configured space",
    )
