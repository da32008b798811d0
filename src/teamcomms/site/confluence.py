"""Confluence resources mapped to API calls: what the publisher calls, in plain values.

Cloud: pages and page properties through REST v2; labels, content templates, attachments, CQL
and archiving through v1 (Atlassian never moved them to v2). Data Center: v1 only
(``/rest/api/content``). Every call goes through the one HTTP policy (:mod:`teamcomms.site.http`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from teamcomms.site.clients import SiteClients
from teamcomms.site.confluence_model import (
    RemoteAttachment,
    RemotePage,
    RemoteProperty,
    RemoteSpace,
    RemoteTemplate,
    attachment_from,
    labels_v1,
    metadata_expansions,
    next_params,
    page_from_v1,
    page_from_v2,
    properties_v1,
    property_from,
    template_from,
    template_payload,
    v1_page_payload,
)
from teamcomms.site.errors import Conflict, NotFound, VersionConflict
from teamcomms.site.pool import WorkerPool

# The largest page size v2 listings accept; one request covers a typical space.
V2_PAGE_LIMIT = 250
# v1 content listings with bodies expanded. Confluence may answer fewer than asked (it caps
# expanded results) and continues with _links.next, so these are upper bounds, not promises.
V1_PAGE_LIMIT = 100
# CQL search for properties and labels only (no bodies): as many per request as v2 listings.
CQL_PAGE_LIMIT = 250


class ConfluenceSite:
    """Typed access to one Confluence site (Cloud or Data Center)."""

    def __init__(self, clients: SiteClients, *, workers: int = 2) -> None:
        self._v1 = clients.confluence_v1
        self._v2 = clients.confluence_v2
        self.is_cloud = clients.settings.is_cloud
        self._pool = WorkerPool(workers)
        self._spaces: dict[str, RemoteSpace] = {}
        self._lock = threading.Lock()

    # -- spaces -------------------------------------------------------------------------------

    def space(self, key: str) -> RemoteSpace:
        """The space with this key (cached). Raises :class:`NotFound` with a hint when absent."""
        with self._lock:
            if key in self._spaces:
                return self._spaces[key]
        if self._v2 is not None:
            results = self._v2.get("api/v2/spaces", params={"keys": key}).get("results", [])
            if not results:
                raise _space_missing(key, "GET /wiki/api/v2/spaces")
            data = results[0]
            space = RemoteSpace(
                str(data["id"]), str(data["key"]), str(data.get("name", "")),
                str(data["homepageId"]) if data.get("homepageId") else None,
            )  # fmt: skip
        else:
            try:
                data = self._v1.get(f"rest/api/space/{key}", params={"expand": "homepage"})
            except NotFound:
                raise _space_missing(key, f"GET /rest/api/space/{key}") from None
            homepage = data.get("homepage") or {}
            space = RemoteSpace(
                str(data["key"]), str(data["key"]), str(data.get("name", "")),
                str(homepage["id"]) if homepage.get("id") else None,
            )  # fmt: skip
        with self._lock:
            self._spaces[key] = space
        return space

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

    # -- reading pages ------------------------------------------------------------------------

    def list_pages(
        self, space_key: str, *, property_keys: Sequence[str] = (), labels: bool = True
    ) -> list[RemotePage]:
        """Every current page of a space with storage body, version, the asked-for properties
        and labels, in as few requests as the API allows.

        Cloud: the v2 listing (250 pages a request) plus one CQL search for properties and
        labels, run side by side; a page the search index has not caught up with yet is read
        on its own. Data Center: the v1 content listing with everything expanded.
        """
        space = self.space(space_key)
        if self._v2 is None:
            expand = [
                "body.storage",
                "version",
                "ancestors",
                "space",
                *metadata_expansions(property_keys, labels),
            ]
            params = {"spaceKey": space_key, "type": "page", "expand": ",".join(expand)}
            return [
                page_from_v1(item)
                for item in self._paged(self._v1, "rest/api/content", params, V1_PAGE_LIMIT)
            ]
        # GET /pages filtered by space id is the same listing as /spaces/{id}/pages, and lets
        # archived pages be left out explicitly (its default is current and archived).
        listing = {"space-id": space.id, "status": "current", "body-format": "storage"}
        jobs: list[tuple[Any, str, dict[str, Any], int]] = [
            (self._v2, "api/v2/pages", listing, V2_PAGE_LIMIT)
        ]
        if property_keys or labels:
            cql = {
                "cql": f'space="{space_key}" and type=page',
                "expand": ",".join(metadata_expansions(property_keys, labels)),
            }
            jobs.append((self._v1, "rest/api/content/search", cql, CQL_PAGE_LIMIT))
        found = self._pool.map(lambda job: list(self._paged(*job)), jobs)
        pages = [page_from_v2(item) for item in found[0]]
        if len(found) == 1:
            return pages
        extras = {str(item["id"]): item for item in found[1]}
        merged: list[RemotePage] = []
        for page in pages:
            extra = extras.get(page.id)
            if extra is None:  # created after the search index was last updated
                merged.append(self.get_page(page.id, property_keys=property_keys) or page)
                continue
            merged.append(
                replace(
                    page,
                    properties=MappingProxyType(properties_v1(extra)),
                    labels=labels_v1(extra) if labels else (),
                )
            )
        return merged

    def get_page(self, page_id: str, *, property_keys: Sequence[str] = ()) -> RemotePage | None:
        """One page with body, version, labels and the asked-for properties; None if absent."""
        try:
            if self._v2 is not None:
                params = {
                    "body-format": "storage",
                    "include-labels": "true",
                    "include-properties": "true",
                }
                page = page_from_v2(self._v2.get(f"api/v2/pages/{page_id}", params=params))
            else:
                expand = ["body.storage", "version", "ancestors", "space"]
                expand += metadata_expansions(property_keys, True)
                data = self._v1.get(
                    f"rest/api/content/{page_id}", params={"expand": ",".join(expand)}
                )
                page = page_from_v1(data)
        except NotFound:
            return None
        wanted = {k: v for k, v in page.properties.items() if k in property_keys}
        return replace(page, properties=MappingProxyType(wanted))

    def find_pages_by_title(self, space_key: str, title: str) -> list[RemotePage]:
        """Current pages of the space with exactly this title (at most one on Confluence)."""
        if self._v2 is not None:
            params = {
                "space-id": self.space_id(space_key),
                "title": title,
                "body-format": "storage",
            }
            return [page_from_v2(p) for p in self._paged(self._v2, "api/v2/pages", params, 25)]
        params = {"spaceKey": space_key, "title": title, "type": "page"}
        params["expand"] = "body.storage,version,ancestors,space"
        return [page_from_v1(p) for p in self._paged(self._v1, "rest/api/content", params, 25)]

    # -- writing pages ------------------------------------------------------------------------

    def create_page(
        self, space_key: str, title: str, body: str, *, parent_id: str | None = None
    ) -> RemotePage:
        """Create a current page. Never retried after an uncertain failure
        (:class:`UncertainWriteError`): look for the page by its marker first."""
        if self._v2 is not None:
            data: dict[str, Any] = {
                "spaceId": self.space_id(space_key),
                "status": "current",
                "title": title,
                "body": {"representation": "storage", "value": body},
            }
            if parent_id:
                data["parentId"] = parent_id
            return page_from_v2(self._v2.post("api/v2/pages", data=data))
        payload = v1_page_payload(title, body, parent_id, space_key=space_key)
        created = self._v1.post(
            "rest/api/content", data=payload, params={"expand": "version,ancestors,space"}
        )
        return replace(page_from_v1(created), body=body)

    def update_page(
        self,
        page_id: str,
        *,
        title: str,
        body: str,
        current_version: int,
        parent_id: str | None = None,
        message: str = "",
    ) -> RemotePage:
        """Write a new version (``current_version + 1``); ``parent_id`` moves the page.

        Raises :class:`VersionConflict` when the page changed since ``current_version`` was read.
        """
        version = {"number": current_version + 1, "message": message}
        try:
            if self._v2 is not None:
                data: dict[str, Any] = {
                    "id": page_id,
                    "status": "current",
                    "title": title,
                    "body": {"representation": "storage", "value": body},
                    "version": version,
                }
                if parent_id:
                    data["parentId"] = parent_id
                return page_from_v2(self._v2.put(f"api/v2/pages/{page_id}", data=data))
            payload = v1_page_payload(title, body, parent_id, page_id=page_id, version=version)
            updated = self._v1.put(
                f"rest/api/content/{page_id}",
                data=payload,
                params={"expand": "version,ancestors,space"},
            )
            return replace(page_from_v1(updated), body=body)
        except Conflict as conflict:
            raise VersionConflict(
                status=conflict.status or 409,
                method=conflict.method or "PUT",
                url=conflict.url or "",
                atlassian_message=conflict.atlassian_message,
                what=f"page {page_id} changed since version {current_version} was read",
                hint="run plan again to see the change, then apply",
            ) from None

    def archive_page(self, page_id: str) -> None:
        """Archive a page (v1 on both deployments; Cloud runs it as a background task)."""
        self._v1.post("rest/api/content/archive", data={"pages": [{"id": int(page_id)}]})

    def delete_page(self, page_id: str) -> None:
        """Move a page to the trash."""
        if self._v2 is not None:
            self._v2.delete(f"api/v2/pages/{page_id}")
        else:
            self._v1.delete(f"rest/api/content/{page_id}")

    # -- properties ---------------------------------------------------------------------------

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        """A page property by key, or None."""
        if self._v2 is not None:
            found = self._v2.get(f"api/v2/pages/{page_id}/properties", params={"key": key})
            results = found.get("results", [])
            return property_from(results[0]) if results else None
        try:
            return property_from(self._v1.get(f"rest/api/content/{page_id}/property/{key}"))
        except NotFound:
            return None

    def set_property(
        self, page_id: str, key: str, value: Any, *, current: RemoteProperty | None = None
    ) -> RemoteProperty:
        """Create or update a page property. Pass ``current`` (from a listing) to save a read."""
        if current is None:
            current = self.get_property(page_id, key)
        if current is None:
            return self.create_property(page_id, key, value)
        data = {"key": key, "value": value, "version": {"number": current.version + 1}}
        if self._v2 is not None:
            path = f"api/v2/pages/{page_id}/properties/{current.id}"
            return property_from(self._v2.put(path, data=data))
        return property_from(self._v1.put(f"rest/api/content/{page_id}/property/{key}", data=data))

    def create_property(self, page_id: str, key: str, value: Any) -> RemoteProperty:
        """Create a page property without reading first (one request: a new page has none).

        Raises :class:`Conflict` or :class:`BadRequest` ("already exists") when the page has
        the property already, for example from an earlier attempt whose answer was lost.
        """
        data = {"key": key, "value": value}
        if self._v2 is not None:
            return property_from(self._v2.post(f"api/v2/pages/{page_id}/properties", data=data))
        return property_from(self._v1.post(f"rest/api/content/{page_id}/property", data=data))

    # -- labels -------------------------------------------------------------------------------

    def add_labels(self, page_id: str, labels: Iterable[str]) -> None:
        """Add global labels in one request (adding an existing label is harmless)."""
        body = [{"prefix": "global", "name": name} for name in sorted(set(labels))]
        if body:
            self._v1.post(f"rest/api/content/{page_id}/label", data=body)

    def remove_label(self, page_id: str, label: str) -> None:
        """Remove one label (absent labels are ignored)."""
        with contextlib.suppress(NotFound):
            self._v1.delete(f"rest/api/content/{page_id}/label", params={"name": label})

    # -- content templates (v1 only) ----------------------------------------------------------

    def list_templates(self, space_key: str) -> list[RemoteTemplate]:
        """The space's page templates, with bodies."""
        params = {"spaceKey": space_key, "expand": "body"}
        items = self._paged(self._v1, "rest/api/template/page", params, V1_PAGE_LIMIT)
        return [template_from(item) for item in items]

    def create_template(
        self,
        space_key: str,
        name: str,
        body: str,
        *,
        description: str = "",
        labels: Sequence[str] = (),
    ) -> RemoteTemplate:
        """Create a space page template (never retried after an uncertain failure)."""
        data = template_payload(space_key, name, body, description, labels)
        return template_from(self._v1.post("rest/api/template", data=data))

    def update_template(
        self,
        template_id: str,
        space_key: str,
        name: str,
        body: str,
        *,
        description: str = "",
        labels: Sequence[str] = (),
    ) -> RemoteTemplate:
        """Replace a space page template."""
        data = template_payload(space_key, name, body, description, labels)
        data["templateId"] = template_id
        return template_from(self._v1.put("rest/api/template", data=data))

    def delete_template(self, template_id: str) -> None:
        """Delete a space page template.

        Confluence answers 403 (:class:`PermissionDenied`) both when the template does not exist
        and when the user may not delete it (its spec documents both); some versions answer 404.
        """
        self._v1.delete(f"rest/api/template/{template_id}")

    # -- attachments (v1 only) ----------------------------------------------------------------

    def upload_attachment(
        self, page_id: str, filename: str, content: bytes, *, media_type: str
    ) -> RemoteAttachment:
        """Create or update the attachment ``filename`` on a page (v1 multipart PUT)."""
        response = self._v1.request(
            "PUT",
            f"rest/api/content/{page_id}/child/attachment",
            files={"file": (filename, content, media_type)},
            # A minor edit: watchers are not notified of a re-uploaded diagram.
            data={"minorEdit": "true"},
            # Atlassian's XSRF check refuses multipart uploads without this exact header.
            headers={"X-Atlassian-Token": "nocheck", "Accept": "application/json"},
        )
        return attachment_from(response.json())

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
