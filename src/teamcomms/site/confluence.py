"""Confluence resources mapped to API calls: what the publisher calls, in plain values.

Cloud: pages through REST v2, with CQL (v1) for the properties and labels of a whole space and
v1 for archiving (a long task, followed in :mod:`~teamcomms.site.confluence_tasks`). Data
Center: v1 only (``/rest/api/content``). Every call goes through the one
HTTP policy (:mod:`teamcomms.site.http`). Spaces live in
:mod:`~teamcomms.site.confluence_spaces`; properties, labels, content templates and attachments
in :mod:`~teamcomms.site.confluence_metadata`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from teamcomms.site.confluence_metadata import ConfluenceMetadata
from teamcomms.site.confluence_model import (
    RemotePage,
    has_properties_v1,
    labels_v1,
    metadata_expansions,
    page_from_v1,
    page_from_v2,
    properties_v1,
    v1_page_payload,
)
from teamcomms.site.confluence_spaces import CQL_PAGE_LIMIT, V1_PAGE_LIMIT, V2_PAGE_LIMIT
from teamcomms.site.confluence_tasks import ArchiveOutcome, ArchiveUnsupported, wait_for_archive
from teamcomms.site.errors import Conflict, NotFound, VersionConflict


class ConfluenceSite(ConfluenceMetadata):
    """Typed access to one Confluence site (Cloud or Data Center): spaces, pages, properties,
    labels, content templates and attachments."""

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
                    properties_read=has_properties_v1(extra) or not property_keys,
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

    def archive_page(self, page_id: str) -> ArchiveOutcome:
        """Archive a page and wait (bounded) for Confluence to finish.

        Cloud archives in a long task: ``POST /content/archive`` answers 202 with the task, which
        is polled (``GET /longtask/{id}``) with the HTTP policy's clock and sleeper until it is
        finished or ``confluence_tasks.LONG_TASK_WAIT`` seconds have passed. A task still running
        then is not an error: the outcome says so, and the next plan shows whether the page was
        archived.
        Data Center has no archiving in its REST API (:class:`ArchiveUnsupported`).
        """
        if self._v2 is None:
            raise ArchiveUnsupported(page_id)
        task = self._v1.post("rest/api/content/archive", data={"pages": [{"id": int(page_id)}]})
        task_id = str(task.get("id") or "") if isinstance(task, dict) else ""
        if not task_id:  # no task to follow: the archive was carried out at once
            return ArchiveOutcome(page_id, task_id="", finished=True)
        return wait_for_archive(self._v1, self._policy, page_id, task_id)

    def delete_page(self, page_id: str) -> None:
        """Move a page to the trash."""
        if self._v2 is not None:
            self._v2.delete(f"api/v2/pages/{page_id}")
        else:
            self._v1.delete(f"rest/api/content/{page_id}")
