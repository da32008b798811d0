"""Confluence REST v1 attachment upload (``/wiki/rest/api/content/{id}/child/attachment`` on Cloud,
``/rest/api/content/{id}/child/attachment`` on Data Center): multipart bodies, and the
``X-Atlassian-Token: nocheck`` header Confluence requires against XSRF."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.confluence_v1 import V1, v1_version
from teamcomms.sandbox.confluence_v2 import find_page
from teamcomms.sandbox.pagination import v1_page
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID

ROUTES = RouteTable()


def _multipart(req: Request) -> tuple[list[tuple[str, str, bytes]], dict[str, str]]:
    content_type = req.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(415, "Attachments are uploaded as multipart/form-data")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + req.body
    )
    files: list[tuple[str, str, bytes]] = []
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = b""
        if filename is not None:
            files.append((filename, part.get_content_type(), payload))
        elif isinstance(name, str):
            fields[name] = payload.decode("utf-8", "replace")
    return files, fields


def _checked_upload(
    req: Request,
) -> tuple[list[tuple[str, str, bytes]], dict[str, str]]:
    if req.headers.get("x-atlassian-token", "").lower() not in ("nocheck", "no-check"):
        raise ApiError(403, "XSRF check failed: send the header X-Atlassian-Token: nocheck")
    files, fields = _multipart(req)
    if not files:
        raise ApiError(400, "No file was uploaded (expected a multipart part named 'file')")
    return files, fields


def _upload(ctx: Context, req: Request, replace: bool) -> Response:
    page = find_page(ctx, req.params["id"])
    files, fields = _checked_upload(req)
    uploaded = []
    for filename, media_type, data in files:
        existing = next((a for a in page["attachments"] if a["title"] == filename), None)
        if existing is not None and not replace:
            raise ApiError(
                400,
                "Cannot add a new attachment with same file name as an existing attachment: "
                + filename,
            )
        uploaded.append(_store(ctx, page, existing, filename, media_type, data, fields))
    return Response(200, v1_page(req, uploaded, ctx.base_url, context=ctx.confluence_context))


def _store(
    ctx: Context,
    page: dict[str, Any],
    existing: dict[str, Any] | None,
    filename: str,
    media_type: str,
    data: bytes,
    fields: dict[str, str],
) -> dict[str, Any]:
    """Store an upload as a new attachment, or as the next version of ``existing``."""
    version = {
        "number": existing["version"]["number"] + 1 if existing else 1,
        "authorId": SANDBOX_ACCOUNT_ID,
        "createdAt": ctx.state.now(),
        "message": fields.get("comment", ""),
        "minorEdit": fields.get("minorEdit", "false") == "true",
    }
    if existing is None:
        existing = {
            "id": f"att{ctx.state.new_id()}",
            "title": filename,
            "createdAt": ctx.state.now(),
        }
        page["attachments"].append(existing)
    existing.update(
        mediaType=media_type,
        comment=fields.get("comment", ""),
        data=data.hex(),
        version=version,
    )
    return _attachment_content(ctx, page, existing)


def _attachment_content(
    ctx: Context, page: dict[str, Any], attachment: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": attachment["id"],
        "type": "attachment",
        "status": "current",
        "title": attachment["title"],
        "version": v1_version(ctx, attachment["version"]),
        "extensions": {
            "mediaType": attachment["mediaType"],
            "fileSize": len(attachment["data"]) // 2,
            "comment": attachment["comment"],
        },
        "_links": {
            "download": f"/download/attachments/{page['id']}/{attachment['title']}",
            "self": f"{ctx.confluence_base}/rest/api/content/{attachment['id']}",
        },
        "_expandable": {},
    }


@ROUTES.post(V1 + "/content/{id}/child/attachment")
def add_attachment(ctx: Context, req: Request) -> Response:
    return _upload(ctx, req, replace=False)


@ROUTES.put(V1 + "/content/{id}/child/attachment")
def put_attachment(ctx: Context, req: Request) -> Response:
    return _upload(ctx, req, replace=True)


# Data Center only (see ``datacenter_routes``): its attachment resource has no create-or-update
# PUT (Cloud v1's); a new version is uploaded to the attachment itself (Confluence Server's
# AttachmentResource.updateData), and attachments are found by listing them with ``filename``.
def list_attachments(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    filename = req.arg("filename")
    found = [
        _attachment_content(ctx, page, a)
        for a in page["attachments"]
        if filename is None or a["title"] == filename
    ]
    answer = v1_page(req, found, ctx.base_url, default_limit=50, context=ctx.confluence_context)
    return Response(200, answer)


def update_attachment_data(ctx: Context, req: Request) -> Response:
    page = find_page(ctx, req.params["id"])
    attachment = next(
        (a for a in page["attachments"] if a["id"] == req.params["attachmentId"]), None
    )
    if attachment is None:
        raise ApiError(404, f"No attachment with id {req.params['attachmentId']} on this content")
    files, fields = _checked_upload(req)
    _, media_type, data = files[0]
    stored = _store(ctx, page, attachment, attachment["title"], media_type, data, fields)
    return Response(200, stored)
