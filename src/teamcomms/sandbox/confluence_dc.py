"""Confluence Data Center's content API (``/rest/api/content``, ``/rest/api/space``), the only way
to pages on Data Center, which has no REST v2.

Follows Atlassian's Confluence Data Center REST reference ("Content Resource", "Content
Property", "Space") and its recorded quirks (``shared/reference/recorded/confluence-dc``):

* ``metadata.labels`` sent inside a create are ignored (only Cloud takes them; labels go through
  ``/content/{id}/label``, per sphinxcontrib-confluencebuilder#664) and ``metadata.properties``
  answers 500 with a NullPointerException (recorded);
* a ``version.by`` without a ``type`` answers 400 with Jackson's raw exception text (recorded);
* a page created without ``ancestors`` is a top-level page of its space, not a child of the
  homepage (Cloud's v2 puts it under the homepage);
* updates need ``version.number`` = current + 1 (409 otherwise), ``type`` and ``title``.

Labels, attachments, CQL search and content templates reuse the Cloud v1 handlers (see
``datacenter_routes``). Data Center has no page archiving in its REST API.
"""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_search import datacenter_limit, without_dropped_expansions
from teamcomms.sandbox.confluence_v1 import content_json, expand_of, property_json, v1_version
from teamcomms.sandbox.confluence_v2 import find_page, move_page, storage_body, title_taken
from teamcomms.sandbox.datacenter import CONFLUENCE_API, JacksonError
from teamcomms.sandbox.pagination import v1_page
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()
API = CONFLUENCE_API
# What a create or an update answers without ``expand`` (Data Center expands these by default).
_WRITE_EXPANSIONS = {"space", "version", "ancestors", "body.storage"}
_PERSON = "com.atlassian.confluence.api.model.people.Person"
_SOURCE = "com.atlassian.plugins.rest.common.limitrequest.jersey.LimitingRequestFilter$1@4cdbe3c9"


def _space_by_key(ctx: Context, key: Any) -> dict[str, Any]:
    space = ctx.state.space_by_key(str(key)) if key else None
    if space is None:
        raise ApiError(404, f"No space found with key : {key}")
    return space


def _duplicate_title(title: str, space_key: str) -> ApiError:
    return ApiError(
        400,
        "A page with this title already exists: A page already exists with the title "
        f"{title} in the space with key {space_key}",
    )


def _check_version_by(data: dict[str, Any]) -> None:
    """Jackson cannot tell which ``Person`` subtype a ``version.by`` without ``type`` is: the
    recorded 400 (``content-create__400-jackson-version-by.json``)."""
    version = data.get("version")
    by = version.get("by") if isinstance(version, dict) else None
    if by is None or (isinstance(by, dict) and by.get("type") in ("known", "anonymous", "user")):
        return
    type_id = by.get("type", "") if isinstance(by, dict) else ""
    raise JacksonError(
        400,
        f"org.codehaus.jackson.map.JsonMappingException: Could not resolve type id '{type_id}' "
        f"into a subtype of [simple type, class {_PERSON}]\n at [Source: {_SOURCE}; line: 1, "
        "column: 1] (through reference chain: com.atlassian.confluence.api.model.content."
        'Content["version"]->com.atlassian.confluence.api.model.content.Version["by"])',
    )


def _check_metadata(data: dict[str, Any]) -> None:
    metadata = data.get("metadata")
    if isinstance(metadata, dict) and metadata.get("properties"):
        # Recorded (content-create__500-metadata-properties-npe.json): Data Center fails on
        # properties inside a create instead of storing them.
        raise ApiError(500, "java.lang.NullPointerException: null")


def _parent_of(ctx: Context, data: dict[str, Any], space: dict[str, Any]) -> str | None:
    chain = data.get("ancestors")
    if not chain:
        return None
    if not isinstance(chain, list) or not isinstance(chain[-1], dict):
        raise ApiError(400, "ancestors must be a list of {id} objects")
    parent = find_page(ctx, str(chain[-1].get("id")))
    if parent["spaceId"] != space["id"]:
        raise ApiError(400, "The parent page must be in the same space as the page")
    return str(parent["id"])


def _page_type(data: dict[str, Any]) -> None:
    kind = data.get("type")
    if not kind:
        raise ApiError(400, "Content type is required")
    if kind != "page":
        raise ApiError(400, f"The sandbox emulates pages only, not content of type {kind}")


@ROUTES.get(API + "/content")
def list_content(ctx: Context, req: Request) -> Response:
    if (req.arg("type") or "page") != "page":
        pages: list[dict[str, Any]] = []
    else:
        statuses = set(req.args("status")) or {"current"}
        if "any" in statuses:
            statuses |= {"current", "trashed"}
        space = ctx.state.space_by_key(req.arg("spaceKey") or "")
        title = req.arg("title")
        pages = [
            p
            for p in sorted(ctx.state.table("pages").values(), key=lambda p: int(p["id"]))
            if p["status"] in statuses
            and (req.arg("spaceKey") is None or (space is not None and p["spaceId"] == space["id"]))
            and (title is None or p["title"] == title)
        ]
    expand = without_dropped_expansions(ctx, expand_of(req))
    found = [content_json(ctx, p, expand) for p in pages]
    answer = v1_page(req, found, ctx.base_url, max_limit=datacenter_limit(expand), context="")
    return Response(200, answer)


@ROUTES.post(API + "/content")
def create_content(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    _check_version_by(data)
    _page_type(data)
    _check_metadata(data)
    space = _space_by_key(ctx, (data.get("space") or {}).get("key"))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ApiError(400, "Title must not be blank")
    if title_taken(ctx, space["id"], title):
        raise _duplicate_title(title, space["key"])
    status = data.get("status", "current")
    if status not in ("current", "draft"):
        raise ApiError(400, f"Content cannot be created with status {status}")
    body = storage_body(data.get("body"))
    parent_id = _parent_of(ctx, data, space)
    page = ctx.state.create_page(space["id"], title, body, parent_id, status=status)
    return Response(200, content_json(ctx, page, _WRITE_EXPANSIONS | expand_of(req)))


@ROUTES.get(API + "/content/{id}")
def get_content(ctx: Context, req: Request) -> Response:
    wanted = set(req.args("status"))
    page = find_page(ctx, req.params["id"], allow_trashed="trashed" in wanted or "any" in wanted)
    number = req.int_arg("version", 0)
    if not number or number == page["version"]["number"]:
        return Response(200, content_json(ctx, page, expand_of(req)))
    old = next((v for v in page["history"] if v["number"] == number), None)
    if old is None:
        raise ApiError(404, f"No content found with id: ContentId{{id={page['id']}}}")
    version = {k: v for k, v in old.items() if k not in ("title", "body")}
    historical = {**page, "title": old["title"], "body": old["body"], "version": version}
    return Response(200, {**content_json(ctx, historical, expand_of(req)), "status": "historical"})


@ROUTES.put(API + "/content/{id}")
def update_content(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"], allow_trashed=True)
    data = req.json_object()
    _check_version_by(data)
    _page_type(data)
    if page["status"] == "trashed":
        if data.get("status") != "current":
            raise ApiError(404, f"No content found with id: ContentId{{id={page['id']}}}")
        page["status"] = "current"  # restoring from the trash only changes the status
        return Response(200, content_json(ctx, page, _WRITE_EXPANSIONS | expand_of(req)))
    number = (data.get("version") or {}).get("number")
    current = page["version"]["number"]
    if number != current + 1:
        raise ApiError(409, f"Version must be incremented on update. Current version is: {current}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ApiError(400, "Title must not be blank")
    space = ctx.state.table("spaces")[page["spaceId"]]
    if title_taken(ctx, page["spaceId"], title, except_id=page["id"]):
        raise _duplicate_title(title, space["key"])
    parent_id = _parent_of(ctx, data, space)
    if parent_id is not None and parent_id != page["parentId"]:
        move_page(ctx, page, parent_id)
    body = storage_body(data["body"]) if data.get("body") else page["body"]
    _set_metadata_properties(ctx, page, data)
    ctx.state.new_page_version(
        page,
        title=title,
        body=body,
        author_id=SANDBOX_ACCOUNT_ID,
        message=str((data.get("version") or {}).get("message") or ""),
    )
    return Response(200, content_json(ctx, page, _WRITE_EXPANSIONS | expand_of(req)))


@ROUTES.get(API + "/content/{id}/history")
def content_history(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    first, last = page["history"][0], page["version"]
    return Response(
        200,
        {
            "latest": True,
            "createdBy": v1_version(ctx, first)["by"],
            "createdDate": first["createdAt"],
            "lastUpdated": v1_version(ctx, last),
            "_links": {"self": f"{ctx.base_url}{API}/content/{page['id']}/history"},
        },
    )


@ROUTES.delete(API + "/content/{id}")
def delete_content(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"], allow_trashed=True)
    trashed = page["status"] == "trashed"
    if req.arg("status") == "trashed":
        if not trashed:
            raise ApiError(400, "Only content in the trash can be purged; delete it first")
        del ctx.state.table("pages")[page["id"]]
    elif trashed:
        raise ApiError(404, f"No content found with id: ContentId{{id={page['id']}}}")
    else:
        page["status"] = "trashed"
    return Response(204)


def _set_metadata_properties(ctx: Context, page: dict[str, Any], data: dict[str, Any]) -> None:
    """Properties sent inside an update are stored (atlassian-python-api sends the page's
    ``content-appearance`` this way); only a create fails on them."""
    metadata = data.get("metadata")
    wanted = metadata.get("properties") if isinstance(metadata, dict) else None
    for key, entry in (wanted or {}).items():
        value = entry.get("value") if isinstance(entry, dict) else entry
        prop = _property(page, key)
        if prop is None:
            _new_property(ctx, page, key, value)
        elif prop["value"] != value:
            prop["value"] = value
            prop["version"] = _property_version(ctx, prop["version"]["number"] + 1)


# ---- content properties -----------------------------------------------------------------------
def _property(page: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((p for p in page["properties"].values() if p["key"] == key), None)


def _property_version(ctx: Context, number: int, message: str = "") -> dict[str, Any]:
    return {
        "number": number,
        "message": message,
        "createdAt": ctx.state.now(),
        "authorId": SANDBOX_ACCOUNT_ID,
        "minorEdit": False,
    }


def _new_property(ctx: Context, page: dict[str, Any], key: Any, value: Any) -> dict[str, Any]:
    if not isinstance(key, str) or not key or len(key) > 255:
        raise ApiError(400, "A content property needs a key of 1 to 255 characters")
    prop = {"id": ctx.state.new_id(), "key": key, "value": value}
    prop["version"] = _property_version(ctx, 1)
    page["properties"][prop["id"]] = prop
    return prop


@ROUTES.get(API + "/content/{id}/property")
def list_properties(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    found = [property_json(ctx, page, p) for p in page["properties"].values()]
    return Response(200, v1_page(req, found, ctx.base_url, default_limit=10, context=""))


@ROUTES.post(API + "/content/{id}/property")
def create_property(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    data = req.json_object()
    if _property(page, str(data.get("key"))) is not None:
        raise ApiError(
            409, f"Cannot create a content property with key '{data['key']}': it already exists"
        )
    return Response(
        200, property_json(ctx, page, _new_property(ctx, page, data.get("key"), data.get("value")))
    )


@ROUTES.get(API + "/content/{id}/property/{key}")
def get_property(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    prop = _property(page, req.params["key"])
    if prop is None:
        raise ApiError(404, f"No content property with key '{req.params['key']}' on this content")
    return Response(200, property_json(ctx, page, prop))


@ROUTES.put(API + "/content/{id}/property/{key}")
def update_property(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    data = req.json_object()
    key = req.params["key"]
    number = (data.get("version") or {}).get("number")
    prop = _property(page, key)
    if prop is None:
        # Documented: an update of a missing key with version 1 creates the property.
        if number != 1:
            raise ApiError(404, f"No content property with key '{key}' on this content")
        return Response(
            200, property_json(ctx, page, _new_property(ctx, page, key, data.get("value")))
        )
    current = prop["version"]["number"]
    if number != current + 1:
        raise ApiError(409, f"Version must be incremented on update. Current version is: {current}")
    prop["value"] = data.get("value")
    prop["version"] = _property_version(
        ctx, current + 1, str((data.get("version") or {}).get("message") or "")
    )
    return Response(200, property_json(ctx, page, prop))


@ROUTES.delete(API + "/content/{id}/property/{key}")
def delete_property(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    prop = _property(page, req.params["key"])
    if prop is None:
        raise ApiError(404, f"No content property with key '{req.params['key']}' on this content")
    del page["properties"][prop["id"]]
    return Response(204)


# ---- spaces -----------------------------------------------------------------------------------
def space_json(ctx: Context, space: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A Data Center ``Space``; ``homepage`` only when expanded."""
    answer: dict[str, Any] = {
        "id": int(space["id"]),
        "key": space["key"],
        "name": space["name"],
        "type": space["type"],
        "status": space["status"],
        "_links": {
            "webui": f"/display/{space['key']}",
            "self": f"{ctx.base_url}{API}/space/{space['key']}",
        },
        "_expandable": {} if "homepage" in expand else {"homepage": f"{API}/content/"},
    }
    home = ctx.state.table("pages").get(space["homepageId"])
    if "homepage" in expand and home is not None:
        answer["homepage"] = content_json(ctx, home, set())
    return answer


@ROUTES.get(API + "/space")
def list_spaces(ctx: Context, req: Request) -> Response:
    keys = set(req.args("spaceKey"))
    spaces = [
        space_json(ctx, s, expand_of(req))
        for s in sorted(ctx.state.table("spaces").values(), key=lambda s: s["key"])
        if not keys or s["key"] in keys
    ]
    return Response(200, v1_page(req, spaces, ctx.base_url, context=""))


@ROUTES.get(API + "/space/{spaceKey}")
def get_space(ctx: Context, req: Request) -> Response:
    space = _space_by_key(ctx, req.params["spaceKey"])
    return Response(200, space_json(ctx, space, expand_of(req)))


@ROUTES.get(API + "/content/{id}/label")
def list_labels(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    labels = [{**lb, "label": lb["name"]} for lb in page["labels"]]
    return Response(200, v1_page(req, labels, ctx.base_url, context=""))
