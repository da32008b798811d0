"""Plain values for what Confluence holds, and parsing of both API shapes into them.

Confluence Cloud answers pages in the v2 shape (``spaceId``, ``parentId``, ``version.authorId``);
Data Center and Cloud's CQL search answer the v1 shape (``space.key``, ``ancestors``,
``version.by``). The publisher sees only these dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class RemoteProperty:
    """A content property: ``value`` is any JSON; ``version`` is needed to update it."""

    id: str
    key: str
    value: Any
    version: int


@dataclass(frozen=True)
class RemotePage:
    """A page as the site has it now.

    ``author_id`` and ``created_at`` describe the current version: who last edited the page and
    when (an account id on Cloud, a user name on Data Center; an ISO 8601 time).
    """

    id: str
    title: str
    space_id: str
    """The numeric space id on Cloud; the space key on Data Center."""
    parent_id: str | None
    version: int
    body: str
    author_id: str | None = None
    created_at: str | None = None
    properties: Mapping[str, RemoteProperty] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    """Only the keys that were asked for."""
    labels: tuple[str, ...] = ()
    properties_read: bool = field(default=True, compare=False)
    """Whether the read that gave this page said which properties it has. False when the site
    left the asked-for property expansion out (Cloud's v1 search may once that expansion is
    gone): an empty :attr:`properties` then proves nothing, and the marker must be read on its
    own (see :mod:`teamcomms.resources.confluence_read`)."""


@dataclass(frozen=True)
class RemoteSpace:
    """A space: ``id`` is what v2 page calls need; ``key`` is what people type."""

    id: str
    key: str
    name: str
    homepage_id: str | None


@dataclass(frozen=True)
class RemoteTemplate:
    """A space content template (v1 API)."""

    id: str
    name: str
    description: str
    body: str
    labels: tuple[str, ...]
    space_key: str | None


@dataclass(frozen=True)
class RemoteAttachment:
    """An attachment on a page."""

    id: str
    title: str
    version: int


def next_params(payload: Mapping[str, Any]) -> dict[str, str] | None:
    """The query of the next page of a listing (v2 cursor or v1 ``start``/``cursor``), or None.

    Only the query is taken from ``_links.next``: its path may be relative to a gateway or
    context path the client already knows (Atlassian notes ``self`` links change form).
    """
    links = payload.get("_links") or {}
    following = links.get("next") if isinstance(links, Mapping) else None
    if not following:
        return None
    return dict(parse_qsl(urlsplit(str(following)).query, keep_blank_values=True))


def _version(data: Mapping[str, Any]) -> Mapping[str, Any]:
    version = data.get("version")
    return version if isinstance(version, Mapping) else _EMPTY


def has_properties_v1(data: Mapping[str, Any]) -> bool:
    """Whether a v1 answer carries its ``metadata.properties`` expansion (even an empty one)."""
    metadata = data.get("metadata")
    return isinstance(metadata, Mapping) and isinstance(metadata.get("properties"), Mapping)


def _properties_v2(data: Mapping[str, Any]) -> dict[str, RemoteProperty]:
    block = data.get("properties")
    results = block.get("results", []) if isinstance(block, Mapping) else []
    return {p["key"]: property_from(p) for p in results if isinstance(p, Mapping)}


def property_from(data: Mapping[str, Any]) -> RemoteProperty:
    """A property from its v1 or v2 JSON."""
    return RemoteProperty(
        id=str(data.get("id", "")),
        key=str(data["key"]),
        value=data.get("value"),
        version=int(_version(data).get("number", 1)),
    )


def page_from_v2(data: Mapping[str, Any]) -> RemotePage:
    """A page from the v2 shape (``GET /pages/{id}`` or a listing entry)."""
    version = _version(data)
    body = data.get("body") or {}
    storage = body.get("storage") or {} if isinstance(body, Mapping) else {}
    labels_block = data.get("labels")
    labels = labels_block.get("results", []) if isinstance(labels_block, Mapping) else []
    return RemotePage(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        space_id=str(data.get("spaceId", "")),
        parent_id=str(data["parentId"]) if data.get("parentId") else None,
        version=int(version.get("number", 1)),
        body=str(storage.get("value", "")),
        author_id=version.get("authorId"),
        created_at=version.get("createdAt"),
        properties=MappingProxyType(_properties_v2(data)),
        labels=tuple(sorted(str(label["name"]) for label in labels)),
        properties_read=isinstance(data.get("properties"), Mapping),
    )


def labels_v1(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Label names from a v1 ``metadata.labels`` expansion."""
    metadata = data.get("metadata") or {}
    block = metadata.get("labels") or {}
    results = block.get("results", []) if isinstance(block, Mapping) else []
    return tuple(sorted(str(label["name"]) for label in results))


def properties_v1(data: Mapping[str, Any]) -> dict[str, RemoteProperty]:
    """Properties from a v1 ``metadata.properties.<key>`` expansion."""
    metadata = data.get("metadata") or {}
    block = metadata.get("properties") or {}
    found: dict[str, RemoteProperty] = {}
    for key, value in block.items() if isinstance(block, Mapping) else ():
        if isinstance(value, Mapping) and "key" in value:
            found[key] = property_from(value)
    return found


def page_from_v1(data: Mapping[str, Any]) -> RemotePage:
    """A page from the v1 shape (Data Center content, or a CQL search result)."""
    version = _version(data)
    by = version.get("by") or {}
    ancestors = data.get("ancestors") or []
    space = data.get("space") or {}
    storage = (data.get("body") or {}).get("storage") or {}
    return RemotePage(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        space_id=str(space.get("key", "")),
        parent_id=str(ancestors[-1]["id"]) if ancestors else None,
        version=int(version.get("number", 1)),
        body=str(storage.get("value", "")),
        author_id=by.get("accountId") or by.get("username") or by.get("userKey"),
        created_at=version.get("when") or version.get("createdAt"),
        properties=MappingProxyType(properties_v1(data)),
        labels=labels_v1(data),
        properties_read=has_properties_v1(data),
    )


def template_from(data: Mapping[str, Any]) -> RemoteTemplate:
    """A content template from the v1 template API."""
    storage = (data.get("body") or {}).get("storage") or {}
    labels = data.get("labels") or []
    space = data.get("space") or {}
    return RemoteTemplate(
        id=str(data.get("templateId") or data.get("id")),
        name=str(data.get("name", "")),
        description=str(data.get("description") or ""),
        body=str(storage.get("value", "")),
        labels=tuple(sorted(str(label["name"]) for label in labels if isinstance(label, Mapping))),
        space_key=space.get("key") if isinstance(space, Mapping) else None,
    )


def attachment_from(payload: Mapping[str, Any]) -> RemoteAttachment:
    """The attachment from a v1 upload answer (a ``results`` list, or the object itself)."""
    results = payload.get("results")
    data = results[0] if isinstance(results, list) and results else payload
    return RemoteAttachment(
        id=str(data["id"]),
        title=str(data.get("title", "")),
        version=int(_version(data).get("number", 1)),
    )


def metadata_expansions(property_keys: Sequence[str], labels: bool) -> list[str]:
    """v1 ``expand`` entries for the given content properties and, optionally, labels."""
    expand = [f"metadata.properties.{key}" for key in property_keys]
    return [*expand, "metadata.labels"] if labels else expand


def template_payload(
    space_key: str, name: str, body: str, description: str, labels: Sequence[str]
) -> dict[str, Any]:
    """The v1 body that creates or replaces a space page template."""
    return {
        "name": name,
        "templateType": "page",
        "description": description,
        "body": {"storage": {"value": body, "representation": "storage"}},
        "space": {"key": space_key},
        # Atlassian's Label schema requires id and label too; Confluence resolves template
        # labels by prefix and name, so a new label goes with id "0" (not yet known).
        "labels": [
            {"prefix": "global", "name": name, "label": name, "id": "0"}
            for name in sorted(set(labels))
        ],
    }


def v1_page_payload(
    title: str,
    body: str,
    parent_id: str | None,
    *,
    space_key: str | None = None,
    page_id: str | None = None,
    version: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The v1 content body that creates (with ``space_key``) or updates (with ``page_id`` and
    ``version``) a page on Data Center."""
    payload: dict[str, Any] = {
        "type": "page",
        "title": title,
        "body": {"storage": {"value": body, "representation": "storage"}},
    }
    if space_key:
        payload["space"] = {"key": space_key}
    if page_id:
        payload["id"] = page_id
    if version is not None:
        payload["version"] = dict(version)
    if parent_id:
        payload["ancestors"] = [{"id": parent_id}]
    return payload
