"""Page properties, labels, content templates and attachments of a Confluence site.

Cloud: properties through REST v2; labels, templates and attachments through v1 (Atlassian
never moved them to v2). Data Center: v1 only, and content templates through its experimental
API (``/rest/experimental/template``): its REST reference has no template resource.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any

from teamcomms.site.confluence_model import (
    RemoteAttachment,
    RemoteProperty,
    RemoteTemplate,
    attachment_from,
    property_from,
    template_from,
    template_payload,
)
from teamcomms.site.confluence_spaces import V1_PAGE_LIMIT, ConfluenceSpaces
from teamcomms.site.errors import BadRequest, NotFound, UncertainWriteError

UPLOAD_ATTEMPTS = 3
"""Uploads of one attachment on Data Center when answers are lost or the name is taken."""


class ConfluenceMetadata(ConfluenceSpaces):
    """What hangs off pages and spaces besides the pages themselves."""

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

    @property
    def _templates(self) -> str:
        return "rest/api/template" if self._v2 is not None else "rest/experimental/template"

    def list_templates(self, space_key: str) -> list[RemoteTemplate]:
        """The space's page templates, with bodies."""
        params = {"spaceKey": space_key, "expand": "body"}
        items = self._paged(self._v1, f"{self._templates}/page", params, V1_PAGE_LIMIT)
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
        return template_from(self._v1.post(self._templates, data=data))

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
        return template_from(self._v1.put(self._templates, data=data))

    def delete_template(self, template_id: str) -> None:
        """Delete a space page template.

        Confluence answers 403 (:class:`PermissionDenied`) both when the template does not exist
        and when the user may not delete it (its spec documents both); some versions answer 404.
        """
        self._v1.delete(f"{self._templates}/{template_id}")

    # -- attachments (v1 only) ----------------------------------------------------------------

    def upload_attachment(
        self, page_id: str, filename: str, content: bytes, *, media_type: str, new: bool = False
    ) -> RemoteAttachment:
        """Create or update the attachment ``filename`` on a page.

        Cloud: one multipart PUT, which creates or adds a version. Data Center has no such PUT
        (its attachment resource creates with POST and takes a new version at
        ``/child/attachment/{id}/data``): a ``new`` attachment (on a page just created) is
        POSTed, any other is looked up by name first. A lost answer, or a name already taken,
        is settled by looking the attachment up again: sending the bytes once more only adds a
        version, never a second attachment.
        """
        base = f"rest/api/content/{page_id}/child/attachment"
        if self._v2 is not None:
            return self._upload("PUT", base, filename, content, media_type)
        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            blind = new and attempt == 1
            existing = None if blind else self._attachment_id(page_id, filename)
            path = base if existing is None else f"{base}/{existing}/data"
            try:
                return self._upload("POST", path, filename, content, media_type)
            except UncertainWriteError:
                if attempt == UPLOAD_ATTEMPTS:
                    raise
            except BadRequest:
                # Only a create sent without looking can meet a taken name (an earlier run's
                # upload); any other 400 is the site refusing the file.
                if not blind:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _attachment_id(self, page_id: str, filename: str) -> str | None:
        found = self._v1.get(
            f"rest/api/content/{page_id}/child/attachment", params={"filename": filename}
        )
        ids = [str(a["id"]) for a in found.get("results", []) if a.get("title") == filename]
        return ids[0] if ids else None

    def _upload(
        self, method: str, path: str, filename: str, content: bytes, media_type: str
    ) -> RemoteAttachment:
        response = self._v1.request(
            method,
            path,
            files={"file": (filename, content, media_type)},
            # A minor edit: watchers are not notified of a re-uploaded diagram.
            data={"minorEdit": "true"},
            # Atlassian's XSRF check refuses multipart uploads without this exact header.
            headers={"X-Atlassian-Token": "nocheck", "Accept": "application/json"},
        )
        return attachment_from(response.json())
