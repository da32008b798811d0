"""The Confluence side of the sandbox web view: spaces, page trees, pages and content templates."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import escape
from typing import Any

from teamcomms.render.model import Attachment
from teamcomms.render.preview import storage_to_html
from teamcomms.sandbox.state import SiteState
from teamcomms.sandbox.webview_parts import View, href, labels, link, not_found, table, user_name

MARKER_KEY = "teamcomms"
"""The content property teamcomms keeps its ownership marker in (``docs/plan-and-apply.md``)."""


def spaces_section(state: SiteState) -> str:
    """The home page's list of spaces and of content templates outside any space."""
    pages = state.table("pages").values()
    templates = list(state.table("templates").values())
    rows = []
    for space in sorted(state.table("spaces").values(), key=lambda s: s["key"]):
        live = sum(1 for p in pages if p["spaceId"] == space["id"] and p["status"] == "current")
        own = sum(1 for t in templates if t.get("spaceKey") == space["key"])
        rows.append(
            [
                link(href("spaces", space["key"]), space["key"]),
                escape(space.get("name", "")),
                str(live),
                str(own),
            ]
        )
    section = "<h2>Confluence spaces</h2>" + table(
        ["Key", "Name", "Pages", "Content templates"], rows
    )
    global_templates = [t for t in templates if not t.get("spaceKey")]
    if global_templates:
        section += "<h3>Content templates of the whole site</h3>" + _template_list(global_templates)
    return section


def space_view(state: SiteState, key: str) -> View:
    """A space: its page tree (with versions, labels and which pages teamcomms owns)."""
    space = state.space_by_key(key)
    if space is None:
        return not_found(f"The sandbox has no space {key}.")
    pages = [p for p in state.pages_in_space(key) if p["status"] != "trashed"]
    ids = {p["id"] for p in pages}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for page in pages:
        parent = page.get("parentId") if page.get("parentId") in ids else None
        children.setdefault(parent, []).append(page)
    tree = f'<ul class="sb-tree">{_branch(children, None)}</ul>'
    templates = [t for t in state.table("templates").values() if t.get("spaceKey") == key]
    body = (
        f'<h1 class="tc-title">{escape(space.get("name", key))} ({escape(key)})</h1>'
        f"<h2>Page tree ({len(pages)})</h2>{tree}"
        f"<h2>Content templates ({len(templates)})</h2>{_template_list(templates)}"
    )
    return View(f"Space {key}", body)


def _branch(children: dict[str | None, list[dict[str, Any]]], parent: str | None) -> str:
    items = []
    for page in sorted(children.get(parent, []), key=lambda p: (p["title"].lower(), p["id"])):
        owned = '<span class="sb-badge">teamcomms</span> ' if _marker(page) is not None else ""
        archived = (
            ' <span class="sb-badge sb-badge-grey">archived</span>'
            if page["status"] == "archived"
            else ""
        )
        below = _branch(children, page["id"])
        items.append(
            f"<li>{owned}{link(href('pages', page['id']), page['title'])}{archived} "
            f'<span class="sb-muted">v{page["version"]["number"]}</span> '
            f"{labels(label['name'] for label in page['labels'])}"
            + (f"<ul>{below}</ul>" if below else "")
            + "</li>"
        )
    return "".join(items)


def _marker(page: dict[str, Any]) -> Any:
    found = next((p for p in page["properties"].values() if p["key"] == MARKER_KEY), None)
    return None if found is None else found.get("value")


def _template_list(templates: list[dict[str, Any]]) -> str:
    rows = [
        [
            link(href("templates", t["templateId"]), t["name"]),
            escape(t.get("description", "")),
            labels(label["name"] for label in t.get("labels", [])),
        ]
        for t in sorted(templates, key=lambda t: t["name"].lower())
    ]
    return table(["Name", "Description", "Labels"], rows)


def page_view(state: SiteState, page_id: str) -> View:
    """A page as Confluence would show it, with its version, labels and owner marker."""
    page = state.table("pages").get(page_id)
    if page is None:
        return not_found(f"The sandbox has no page {page_id}.")
    space = state.table("spaces").get(page["spaceId"]) or {"key": "?", "name": "?"}
    crumbs = [link("/", "Home"), link(href("spaces", space["key"]), space["key"])]
    crumbs += [link(href("pages", p["id"]), p["title"]) for p in _ancestors(state, page)]
    version = page["version"]
    message = f" ({escape(version['message'])})" if version.get("message") else ""
    marker = _marker(page)
    owner = (
        f'<pre class="sb-marker">{escape(json.dumps(marker, indent=2, sort_keys=True))}</pre>'
        if marker is not None
        else '<span class="sb-muted">none: teamcomms does not own this page</span>'
    )
    attachments = [
        Attachment(a["title"], a.get("mediaType", ""), data=bytes.fromhex(a.get("data", "")))
        for a in page["attachments"]
    ]
    files = ", ".join(
        f"{escape(a.filename)} ({escape(a.media_type)}, {len(a.read()):,} bytes)"
        for a in attachments
    )
    meta = [
        ("Version", f"{version['number']} by {escape(user_name(state, version.get('authorId')))}"
         f", {escape(version.get('createdAt', ''))}{message}"),
        ("Status", escape(page["status"])),
        ("Page id", escape(page["id"])),
        ("Labels", labels(label["name"] for label in page["labels"]) or "none"),
        ("Attachments", files or "none"),
        ("Owner marker", owner),
    ]  # fmt: skip
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in meta)
    body = (
        f'<p>{" / ".join(crumbs)}</p><h1 class="tc-title">{escape(page["title"])}</h1>'
        f'<table class="sb-meta"><tbody>{rows}</tbody></table><hr>'
        + _body_html(state, page["body"], attachments)
    )
    return View(page["title"], body)


def _ancestors(state: SiteState, page: dict[str, Any]) -> list[dict[str, Any]]:
    pages = state.table("pages")
    chain: list[dict[str, Any]] = []
    parent = pages.get(page.get("parentId") or "")
    while parent is not None and parent not in chain:
        chain.insert(0, parent)
        parent = pages.get(parent.get("parentId") or "")
    return chain


def _body_html(state: SiteState, storage: str, attachments: list[Attachment]) -> str:
    def page_links(title: str, space_key: str | None) -> str | None:
        spaces = [space_key] if space_key else [s["key"] for s in state.table("spaces").values()]
        for key in spaces:
            found = state.page_by_title(key, title)
            if found is not None:
                return href("pages", found["id"])
        return None

    try:
        return storage_to_html(
            storage, attachments={a.filename: a for a in attachments}, page_links=page_links
        )
    except ET.ParseError as error:
        # Written through the API by someone else, a body need not be what our preview reads.
        return (
            f'<p class="sb-note">The body is not well-formed storage XHTML ({escape(str(error))});'
            f' here it is as sent.</p><pre class="sb-marker">{escape(storage)}</pre>'
        )


def template_view(state: SiteState, template_id: str) -> View:
    """A content template, rendered, with its description (where teamcomms keeps its marker)."""
    template = state.table("templates").get(template_id)
    if template is None:
        return not_found(f"The sandbox has no content template {template_id}.")
    space_key = template.get("spaceKey")
    where = link(href("spaces", space_key), space_key) if space_key else "the whole site"
    meta = [
        ("Space", where),
        ("Description", escape(template.get("description", "")) or "none"),
        ("Labels", labels(label["name"] for label in template.get("labels", [])) or "none"),
        ("Template id", escape(template["templateId"])),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in meta)
    body = (
        f'<p>{link("/", "Home")}</p><h1 class="tc-title">{escape(template["name"])}</h1>'
        f'<table class="sb-meta"><tbody>{rows}</tbody></table><hr>'
        + _body_html(state, template.get("body", ""), [])
    )
    return View(template["name"], body)
