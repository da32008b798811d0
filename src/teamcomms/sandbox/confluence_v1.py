"""Confluence REST v1: the pieces v2 still lacks on Cloud (``/wiki/rest/api``): labels (add/remove),
content templates; archiving is in ``confluence_tasks``, attachment upload in
``confluence_attachments``. Data Center serves the same handlers at its own paths (see
``datacenter_routes``), and the v1 ``Content`` shape built here is also its page shape."""

from __future__ import annotations

import re
from typing import Any

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_v2 import ancestors, find_page, page_links
from teamcomms.sandbox.pagination import v1_page

ROUTES = RouteTable()
V1 = "/wiki/rest/api"
_BAD_LABEL = re.compile(r"[\s!#&()*,.:;<>?@\[\]^]")


def _user(ctx: Context, account_id: str) -> dict[str, Any]:
    if ctx.datacenter:
        return datacenter.confluence_user_json(ctx, account_id)
    return {"type": "known", "accountId": account_id, "accountType": "atlassian"}


def v1_version(ctx: Context, version: dict[str, Any]) -> dict[str, Any]:
    """A v2-stored version in v1's shape (``by``/``when``)."""
    return {
        "by": _user(ctx, version["authorId"]),
        "when": version["createdAt"],
        "number": version["number"],
        "minorEdit": version.get("minorEdit", False),
        "message": version.get("message", ""),
    }


def label_array(ctx: Context, labels: list[dict[str, Any]]) -> dict[str, Any]:
    """A v1 ``LabelArray``."""
    results = [{**lb, "label": lb["name"]} for lb in labels]
    return {
        "results": results,
        "start": 0,
        "limit": 200,
        "size": len(results),
        "_links": {"base": ctx.confluence_base, "context": ctx.confluence_context},
    }


def _content_links(ctx: Context, page: dict[str, Any], space_key: str) -> dict[str, str]:
    if not ctx.datacenter:
        links = page_links(page, space_key)
    else:  # Data Center's page URLs predate Cloud's /spaces/KEY/pages/ID
        links = {
            "webui": f"/pages/viewpage.action?pageId={page['id']}",
            "edit": f"/pages/resumedraft.action?draftId={page['id']}",
            "tinyui": f"/x/{page['id']}",
        }
    return {**links, "self": f"{ctx.confluence_base}/rest/api/content/{page['id']}"}


def space_summary(ctx: Context, space: dict[str, Any]) -> dict[str, Any]:
    """A space as v1 expands it inside content."""
    webui = f"/display/{space['key']}" if ctx.datacenter else f"/spaces/{space['key']}"
    return {
        "id": int(space["id"]),
        "key": space["key"],
        "name": space["name"],
        "type": space["type"],
        "status": space["status"],
        "_expandable": {},
        "_links": {"webui": webui},
    }


def content_json(ctx: Context, page: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    """A page as v1 ``Content``, with the requested expansions."""
    space = ctx.state.table("spaces")[page["spaceId"]]
    content: dict[str, Any] = {
        "id": page["id"],
        "type": "page",
        "status": page["status"],
        "title": page["title"],
        "_links": _content_links(ctx, page, space["key"]),
        "_expandable": {},
    }
    if "space" in expand:
        content["space"] = space_summary(ctx, space)
    if "version" in expand:
        content["version"] = v1_version(ctx, page["version"])
    if "body.storage" in expand or "body" in expand:
        content["body"] = {"storage": {"value": page["body"], "representation": "storage"}}
    if "ancestors" in expand:
        content["ancestors"] = [
            {"id": a["id"], "type": "page", "status": a["status"], "title": a["title"]}
            for a in ancestors(ctx, page)
        ]
    metadata: dict[str, Any] = {}
    if "metadata.labels" in expand:
        metadata["labels"] = label_array(ctx, page["labels"])
    # Both expand one property with ``metadata.properties.<key>``, or all with the bare name.
    keys = {e.split(".", 2)[2] for e in expand if e.startswith("metadata.properties.")}
    if "metadata.properties" in expand or keys:
        metadata["properties"] = {
            p["key"]: property_json(ctx, page, p) if ctx.datacenter else p
            for p in page["properties"].values()
            if "metadata.properties" in expand or p["key"] in keys
        }
    if metadata:
        content["metadata"] = metadata
    return content


def property_json(ctx: Context, page: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """A content property as v1 answers it (``version`` with ``by``/``when``)."""
    return {
        "id": prop["id"],
        "key": prop["key"],
        "value": prop["value"],
        "version": v1_version(ctx, prop["version"]),
        "_links": {
            "self": f"{ctx.confluence_base}/rest/api/content/{page['id']}/property/{prop['key']}"
        },
    }


def expand_of(req: Request) -> set[str]:
    """The ``expand`` query parameter as a set."""
    return set(req.args("expand"))


# ---- labels -----------------------------------------------------------------------------------
@ROUTES.post(V1 + "/content/{id}/label")
def add_labels(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    body = req.json()
    wanted = body if isinstance(body, list) else [body]
    for item in wanted:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ApiError(400, "Each label needs a name")
        name = item["name"].strip().lower()
        if not name or len(name) > 255 or _BAD_LABEL.search(name):
            raise ApiError(
                400, f"Label '{item['name']}' contains invalid characters or is too long"
            )
        prefix = item.get("prefix", "global")
        if not any(lb["name"] == name and lb["prefix"] == prefix for lb in page["labels"]):
            page["labels"].append({"id": ctx.state.new_id(), "name": name, "prefix": prefix})
    return Response(200, label_array(ctx, page["labels"]))


def _remove_label(ctx: Context, page_id: str, name: str | None) -> Response:
    page = find_page(ctx, page_id)
    if not name or "/" in name:
        raise ApiError(400, "A label name without '/' is required")
    page["labels"] = [lb for lb in page["labels"] if lb["name"] != name.lower()]
    return Response(204)


@ROUTES.delete(V1 + "/content/{id}/label/{label}")
def remove_label(ctx: Context, req: Request) -> Response:
    return _remove_label(ctx, req.params["id"], req.params["label"])


@ROUTES.delete(V1 + "/content/{id}/label")
def remove_label_by_query(ctx: Context, req: Request) -> Response:
    return _remove_label(ctx, req.params["id"], req.arg("name"))


# ---- templates --------------------------------------------------------------------------------
def template_json(ctx: Context, template: dict[str, Any], with_body: bool) -> dict[str, Any]:
    """A v1 ``ContentTemplate``."""
    answer: dict[str, Any] = {
        "templateId": template["templateId"],
        "name": template["name"],
        "description": template["description"],
        "labels": [{**lb, "label": lb["name"]} for lb in template["labels"]],
        "templateType": "page",
        "editorVersion": "v2",
        "_links": {
            "base": ctx.confluence_base,
            "context": ctx.confluence_context,
            "self": f"{ctx.base_url}{template_path(ctx)}/{template['templateId']}",
        },
    }
    if template["spaceKey"]:
        answer["space"] = {"key": template["spaceKey"]}
    if with_body:
        answer["body"] = {"storage": {"value": template["body"], "representation": "storage"}}
    else:
        answer["_expandable"] = {"body": ""}
    return answer


def _template_fields(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Template name cannot be null or empty")
    if data.get("templateType") != "page":
        raise ApiError(400, "Only templateType 'page' can be created through REST")
    storage = (data.get("body") or {}).get("storage") or {}
    if storage.get("representation", "storage") != "storage":
        raise ApiError(400, "The template body must be in storage format")
    space = data.get("space") or {}
    space_key = space.get("key") if isinstance(space, dict) else None
    if space_key and ctx.state.space_by_key(space_key) is None:
        raise ApiError(400, f"No space with key {space_key}")
    labels = [
        {
            "id": lb.get("id") or ctx.state.new_id(),
            "name": lb["name"],
            "prefix": lb.get("prefix", "global"),
        }
        for lb in data.get("labels") or []
    ]
    return {
        "name": name,
        "description": data.get("description", ""),
        "body": storage.get("value", ""),
        "spaceKey": space_key,
        "labels": labels,
    }


def _name_taken(ctx: Context, fields: dict[str, Any], except_id: str | None = None) -> bool:
    return any(
        t["name"] == fields["name"]
        and t["spaceKey"] == fields["spaceKey"]
        and t["templateId"] != except_id
        for t in ctx.state.table("templates").values()
    )


@ROUTES.post(V1 + "/template")
def create_template(ctx: Context, req: Request) -> Response:
    fields = _template_fields(ctx, req.json_object())
    if _name_taken(ctx, fields):
        raise ApiError(
            400, f"A template with the name '{fields['name']}' already exists in this space"
        )
    template = {"templateId": ctx.state.new_id(), **fields}
    ctx.state.table("templates")[template["templateId"]] = template
    return Response(200, template_json(ctx, template, with_body=True))


def template_path(ctx: Context) -> str:
    """Where content templates are served: Cloud's v1 API; on Data Center the experimental API
    (``/rest/experimental/template``), its only REST access to templates: its REST reference has
    none, and Data Center clients (atlassian-python-api's template methods, verified on
    Confluence 7.4 in its PR #572) use the experimental one."""
    return "/rest/experimental/template" if ctx.datacenter else V1 + "/template"


def _find_template(ctx: Context, template_id: str, status: int = 403) -> dict[str, Any]:
    template: dict[str, Any] | None = ctx.state.table("templates").get(template_id)
    if template is None:
        # Confluence Cloud answers 403 (not 404) for a missing template id, as its spec
        # documents; Data Center's experimental API answers 404.
        raise ApiError(
            404 if ctx.datacenter else status,
            f"There is no template with id {template_id} or you cannot see it",
        )
    return template


@ROUTES.put(V1 + "/template")
def update_template(ctx: Context, req: Request) -> Response:
    data = req.json_object()
    template = _find_template(ctx, str(data.get("templateId", "")), status=404)
    fields = _template_fields(ctx, data)
    if _name_taken(ctx, fields, except_id=template["templateId"]):
        raise ApiError(
            400, f"A template with the name '{fields['name']}' already exists in this space"
        )
    template.update(fields)
    return Response(200, template_json(ctx, template, with_body=True))


@ROUTES.get(V1 + "/template/page")
def list_templates(ctx: Context, req: Request) -> Response:
    space_key = req.arg("spaceKey")
    templates = [
        template_json(ctx, t, with_body="body" in expand_of(req))
        for t in sorted(ctx.state.table("templates").values(), key=lambda t: int(t["templateId"]))
        if t["spaceKey"] == space_key
    ]
    answer = v1_page(req, templates, ctx.base_url, max_limit=250, context=ctx.confluence_context)
    return Response(200, answer)


@ROUTES.get(V1 + "/template/{contentTemplateId}")
def get_template(ctx: Context, req: Request) -> Response:
    template = _find_template(ctx, req.params["contentTemplateId"])
    return Response(200, template_json(ctx, template, with_body=True))


@ROUTES.delete(V1 + "/template/{contentTemplateId}")
def delete_template(ctx: Context, req: Request) -> Response:
    template = _find_template(ctx, req.params["contentTemplateId"])
    del ctx.state.table("templates")[template["templateId"]]
    return Response(204)
