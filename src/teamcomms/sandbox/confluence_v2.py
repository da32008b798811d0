"""Confluence Cloud REST v2 (``/wiki/api/v2``): pages, hierarchy, versions and (read-only, as in v2)
labels and attachments. Spaces are in ``confluence_spaces``, page properties in
``confluence_properties``."""

from __future__ import annotations

from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.pagination import v2_page
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()
V2 = "/wiki/api/v2"
LIVE_STATUSES = ("current", "archived")
DUPLICATE_TITLE = (
    "A page with this title already exists: A page already exists with the same TITLE in this space"
)


def page_links(page: dict[str, Any], space_key: str) -> dict[str, str]:
    """The ``_links`` of a page."""
    return {
        "webui": f"/spaces/{space_key}/pages/{page['id']}",
        "editui": f"/pages/resumedraft.action?draftId={page['id']}",
        "tinyui": f"/x/{page['id']}",
    }


def page_json(
    ctx: Context, page: dict[str, Any], body_format: str | None, version: int | None = None
) -> dict[str, Any]:
    """A page as v2 answers it; ``version`` selects an older version's title and body."""
    title, body, version_info = page["title"], page["body"], page["version"]
    if version is not None:
        old = next((v for v in page["history"] if v["number"] == version), None)
        if old is None:
            raise ApiError(404, f"Version {version} of page {page['id']} does not exist")
        title, body = old["title"], old["body"]
        version_info = {k: v for k, v in old.items() if k not in ("title", "body")}
    space = ctx.state.table("spaces")[page["spaceId"]]
    answer: dict[str, Any] = {
        "id": page["id"],
        "status": page["status"],
        "title": title,
        "spaceId": page["spaceId"],
        "position": page.get("position"),
        "authorId": page["authorId"],
        "ownerId": page["ownerId"],
        "createdAt": page["createdAt"],
        "version": version_info,
        "body": {},
        "_links": page_links(page, space["key"]),
        # A page at the space root has both null, as the spec's descriptions say (its schema
        # forgets "nullable"); Cloud sends the keys, and clients such as md2conf rely on them.
        "parentId": page["parentId"] or None,
        "parentType": "page" if page["parentId"] else None,
    }
    if body_format == "storage":
        answer["body"] = {"storage": {"representation": "storage", "value": body}}
    elif body_format not in (None, ""):
        raise ApiError(400, f"The sandbox only serves body-format=storage, not {body_format}")
    return answer


def find_page(ctx: Context, page_id: str, *, allow_trashed: bool = False) -> dict[str, Any]:
    """The page, or 404 as Confluence answers for a missing or invisible page."""
    page: dict[str, Any] | None = ctx.state.table("pages").get(page_id)
    if page is None or (page["status"] == "trashed" and not allow_trashed):
        if ctx.datacenter:
            raise ApiError(404, f"No content found with id: ContentId{{id={page_id}}}")
        raise ApiError(404, f"Page {page_id} does not exist or you cannot see it")
    return page


def title_taken(ctx: Context, space_id: str, title: str, except_id: str | None = None) -> bool:
    """Whether another live page of the space has this title (titles are unique per space)."""
    return any(
        p["spaceId"] == space_id
        and p["title"] == title
        and p["status"] in LIVE_STATUSES
        and p["id"] != except_id
        for p in ctx.state.table("pages").values()
    )


def storage_body(raw: Any) -> str:
    """The storage-format value of a write body, flat ``{representation, value}`` or nested."""
    if raw is None:
        return ""
    if not isinstance(raw, dict):
        raise ApiError(400, "body must be an object")
    if "storage" in raw:
        raw = raw["storage"]
    elif any(k in raw for k in ("atlas_doc_format", "wiki")):
        raise ApiError(400, "The sandbox only accepts the storage representation")
    representation = raw.get("representation", "storage")
    if representation != "storage":
        raise ApiError(
            400, f"The sandbox only accepts the storage representation, not {representation}"
        )
    value = raw.get("value", "")
    if not isinstance(value, str):
        raise ApiError(400, "body.value must be a string")
    return value


@ROUTES.get(V2 + "/pages")
def list_pages(ctx: Context, req: Request) -> Response:
    ids, space_ids = set(req.args("id")), set(req.args("space-id"))
    statuses = set(req.args("status")) or set(LIVE_STATUSES)
    title = req.arg("title")
    pages = [
        p
        for p in ctx.state.table("pages").values()
        if (not ids or p["id"] in ids)
        and (not space_ids or p["spaceId"] in space_ids)
        and p["status"] in statuses
        and (title is None or p["title"] == title)
    ]
    sort = req.arg("sort") or "id"
    key = "title" if sort.lstrip("-") == "title" else "id"
    pages.sort(
        key=lambda p: p[key] if key == "title" else int(p["id"]), reverse=sort.startswith("-")
    )
    body_format = req.arg("body-format")
    return v2_page(req, [page_json(ctx, p, body_format) for p in pages], ctx.base_url)


@ROUTES.post(V2 + "/pages")
def create_page(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    space = ctx.state.table("spaces").get(str(data.get("spaceId", "")))
    if space is None:
        raise ApiError(404, f"Space {data.get('spaceId')} does not exist or you cannot see it")
    status = data.get("status", "current")
    title = data.get("title")
    if status != "draft" and not title:
        raise ApiError(400, "Title is required for a page that is not a draft")
    parent_id = data.get("parentId")
    if parent_id is not None and req.bool_arg("root-level"):
        raise ApiError(400, "parentId cannot be given together with root-level=true")
    if parent_id is None and not req.bool_arg("root-level"):
        parent_id = space["homepageId"] or None
    if parent_id is not None:
        parent = find_page(ctx, str(parent_id))
        if parent["spaceId"] != space["id"]:
            raise ApiError(400, "The parent page is in another space")
    if title and title_taken(ctx, space["id"], title):
        raise ApiError(
            400,
            DUPLICATE_TITLE,
        )
    page = ctx.state.create_page(
        space["id"], title or "", storage_body(data.get("body")), parent_id, status=status
    )
    answer = page_json(ctx, page, "storage")
    answer["_links"]["base"] = f"{ctx.base_url}/wiki"
    return Response(200, answer)


@ROUTES.get(V2 + "/pages/{id}")
def get_page(ctx: Context, req: Request) -> Response:
    wanted = set(req.args("status"))
    page = find_page(ctx, req.params["id"], allow_trashed="trashed" in wanted)
    version = req.int_arg("version", 0) or None
    answer = page_json(ctx, page, req.arg("body-format"), version)
    if req.bool_arg("include-labels"):
        answer["labels"] = {"results": [label_json(label) for label in page["labels"]]}
    if req.bool_arg("include-properties"):
        answer["properties"] = {"results": list(page["properties"].values())}
    answer["_links"]["base"] = f"{ctx.base_url}/wiki"
    return Response(200, answer)


@ROUTES.put(V2 + "/pages/{id}")
def update_page(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"], allow_trashed=True)
    data = req.json_object()
    _check_update(data)
    if str(data.get("id")) != page["id"]:
        raise ApiError(400, "The id in the body does not match the page id in the path")
    if page["status"] == "trashed" and data.get("status") == "current":
        page["status"] = "current"  # restoring only changes the status, as documented
        return Response(200, page_json(ctx, page, "storage"))
    if "spaceId" in data and str(data["spaceId"]) != page["spaceId"]:
        raise ApiError(400, "Moving a page to another space is not supported")
    number = (data.get("version") or {}).get("number")
    current = page["version"]["number"]
    if number != current + 1:
        raise ApiError(409, f"Version must be incremented on update. Current version is: {current}")
    title = data.get("title") or page["title"]
    if title_taken(ctx, page["spaceId"], title, except_id=page["id"]):
        raise ApiError(
            409,
            DUPLICATE_TITLE,
        )
    if "parentId" in data and data["parentId"] != page["parentId"]:
        move_page(ctx, page, str(data["parentId"]))
    ctx.state.new_page_version(
        page,
        title=title,
        body=storage_body(data.get("body")),
        author_id=SANDBOX_ACCOUNT_ID,
        message=(data.get("version") or {}).get("message") or "",
    )
    if data.get("status") in ("current", "draft"):
        page["status"] = data["status"]
    answer = page_json(ctx, page, "storage")
    answer["_links"]["base"] = f"{ctx.base_url}/wiki"
    return Response(200, answer)


def _check_update(data: dict[str, Any]) -> None:
    """The spec's required fields of a page update (Cloud answers 400 without them); the body
    must name its representation."""
    for name in ("id", "status", "title", "body", "version"):
        if data.get(name) in (None, ""):
            raise ApiError(400, f"The request body is missing the required field '{name}'")
    body = data["body"]
    inner = body.get("storage", body) if isinstance(body, dict) else None
    if not isinstance(inner, dict) or "representation" not in inner or "value" not in inner:
        raise ApiError(400, "body needs a representation and a value")


def move_page(ctx: Context, page: dict[str, Any], parent_id: str) -> None:
    """Put ``page`` under ``parent_id`` in its space (not under itself or a descendant)."""
    parent = find_page(ctx, parent_id)
    if parent["spaceId"] != page["spaceId"]:
        raise ApiError(400, "Moving a page to another space is not supported")
    if page["id"] in [a["id"] for a in ancestors(ctx, parent)] + [parent["id"]]:
        raise ApiError(400, "A page cannot be moved under itself or one of its descendants")
    page["parentId"] = parent_id


@ROUTES.delete(V2 + "/pages/{id}")
def delete_page(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"], allow_trashed=True)
    if req.bool_arg("purge"):
        if page["status"] != "trashed":
            raise ApiError(400, "Only a trashed page can be purged; delete it first")
        del ctx.state.table("pages")[page["id"]]
    elif req.bool_arg("draft") or page["status"] == "draft":
        del ctx.state.table("pages")[page["id"]]
    elif page["status"] == "trashed":
        raise ApiError(404, f"Page {page['id']} is already in the trash")
    else:
        page["status"] = "trashed"
    return Response(204)


@ROUTES.get(V2 + "/pages/{id}/direct-children")
def direct_children(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    children = [
        {
            "id": p["id"],
            "status": p["status"],
            "title": p["title"],
            "type": "page",
            "spaceId": p["spaceId"],
            "childPosition": index,
        }
        for index, p in enumerate(children_of(ctx, page["id"]))
    ]
    return v2_page(req, children, ctx.base_url)


def children_of(ctx: Context, page_id: str) -> list[dict[str, Any]]:
    """Live children of a page, in creation order."""
    pages = ctx.state.table("pages").values()
    found = [p for p in pages if p["parentId"] == page_id and p["status"] in LIVE_STATUSES]
    return sorted(found, key=lambda p: int(p["id"]))


def ancestors(ctx: Context, page: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's ancestors, top-most first (as v2 orders them)."""
    chain: list[dict[str, Any]] = []
    pages = ctx.state.table("pages")
    parent_id = page["parentId"]
    while parent_id and parent_id in pages:
        chain.insert(0, pages[parent_id])
        parent_id = pages[parent_id]["parentId"]
    return chain


@ROUTES.get(V2 + "/pages/{id}/ancestors")
def get_ancestors(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    chain = [{"id": p["id"], "type": "page"} for p in ancestors(ctx, page)]
    return v2_page(req, chain, ctx.base_url)


@ROUTES.get(V2 + "/pages/{id}/versions")
def list_versions(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    versions = [
        {
            **{k: v for k, v in old.items() if k not in ("title", "body")},
            "page": {"id": page["id"], "title": old["title"]},
        }
        for old in reversed(page["history"])
    ]
    return v2_page(req, versions, ctx.base_url)


def label_json(label: dict[str, Any]) -> dict[str, Any]:
    """A label as v2 answers it."""
    return {"id": label["id"], "name": label["name"], "prefix": label["prefix"]}


@ROUTES.get(V2 + "/pages/{id}/labels")
def list_labels(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    prefix = req.arg("prefix")
    labels = [label_json(lb) for lb in page["labels"] if prefix is None or lb["prefix"] == prefix]
    return v2_page(req, labels, ctx.base_url)


@ROUTES.get(V2 + "/pages/{id}/attachments")
def list_attachments(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    filename = req.arg("filename")
    found = [
        {
            "id": a["id"],
            "status": "current",
            "title": a["title"],
            "createdAt": a["createdAt"],
            "pageId": page["id"],
            "mediaType": a["mediaType"],
            "comment": a["comment"],
            "fileSize": len(a["data"]) // 2,  # stored as hex
            "version": a["version"],
            "downloadLink": f"/download/attachments/{page['id']}/{a['title']}",
        }
        for a in page["attachments"]
        if filename is None or a["title"] == filename
    ]
    return v2_page(req, found, ctx.base_url, default_limit=50)
