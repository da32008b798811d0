"""A self-contained HTML preview of storage XHTML, styled close to how Confluence shows it.

The preview reads the storage format (not the Markdown), so it shows exactly what would be sent:
macros become panels, lozenges, code boxes and task lists; attachments are embedded as data URLs;
links between managed pages go to the other previews.
"""

from __future__ import annotations

import base64
import html
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from teamcomms.render.model import Attachment, RenderedPage
from teamcomms.render.xml import NAMESPACES, wrap

AC, RI, AT = (f"{{{NAMESPACES[p]}}}" for p in ("ac", "ri", "at"))
_PLAIN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tbody"}
_PLAIN_TAGS |= {"thead", "tr", "th", "td", "strong", "em", "s", "del", "u", "code", "blockquote"}
_PLAIN_TAGS |= {"pre", "sub", "sup", "span", "div"}
_KEPT_ATTRIBUTES = ("style", "start")
_PANELS = ("info", "tip", "note", "warning")
_HEADINGS = {f"h{level}" for level in range(1, 7)}


@cache
def stylesheet() -> str:
    """The preview's CSS."""
    return resources.files("teamcomms.render").joinpath("preview.css").read_text(encoding="utf-8")


@dataclass
class _State:
    attachments: Mapping[str, Attachment]
    page_links: Callable[[str, str | None], str | None]
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    next_heading: int = 1


def _parse(storage: str) -> ET.Element:
    return ET.fromstring(wrap(storage))  # noqa: S314 (our own renderer's output)


def storage_to_html(
    storage: str,
    *,
    attachments: Mapping[str, Attachment] | None = None,
    page_links: Callable[[str, str | None], str | None] | None = None,
) -> str:
    """The HTML body for a storage fragment.

    ``page_links(title, space)`` returns the preview file a Confluence page link should open, or
    ``None`` when that page is not part of the preview.
    """
    root = _parse(storage)
    state = _State(attachments or {}, page_links or (lambda _title, _space: None))
    headings = (e for e in root.iter() if e.tag in _HEADINGS)
    for number, element in enumerate(headings, start=1):
        state.headings.append((int(element.tag[1]), f"h-{number}", _heading_text(element)))
    return "".join(_children(root, state))


def _heading_text(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{AT}var":
            parts.append("{" + child.get(f"{AT}name", "") + "}")
        elif child.tag != f"{AC}structured-macro":
            parts.append(_heading_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _children(element: ET.Element, state: _State) -> list[str]:
    out = [html.escape(element.text or "", quote=False)]
    for child in element:
        out.append(_element(child, state))
        out.append(html.escape(child.tail or "", quote=False))
    return out


def _inner(element: ET.Element, state: _State) -> str:
    return "".join(_children(element, state))


def _element(element: ET.Element, state: _State) -> str:
    tag = element.tag
    if tag in _PLAIN_TAGS:
        attributes = "".join(
            f' {name}="{html.escape(str(element.get(name)))}"'
            for name in _KEPT_ATTRIBUTES
            if element.get(name) is not None
        )
        if tag in _HEADINGS:
            attributes += f' id="h-{state.next_heading}"'
            state.next_heading += 1
        return f"<{tag}{attributes}>{_inner(element, state)}</{tag}>"
    if tag in ("br", "hr"):
        return f"<{tag}>"
    if tag == "a":
        href = element.get("href", "")
        safe = href.startswith(("http://", "https://", "mailto:", "tel:", "#"))
        target = f' href="{html.escape(href)}"' if safe else ""
        return f"<a{target}>{_inner(element, state)}</a>"
    if tag == f"{AC}structured-macro":
        return _macro(element, state)
    if tag == f"{AC}task-list":
        return f'<ul class="tc-task-list">{_inner(element, state)}</ul>'
    if tag == f"{AC}task":
        return _task(element, state)
    if tag == f"{AC}image":
        return _image(element, state)
    if tag == f"{AC}link":
        return _link(element, state)
    if tag == f"{AT}var":
        name = html.escape(element.get(f"{AT}name", ""))
        return f'<span class="tc-placeholder" title="Template variable">{{{name}}}</span>'
    if tag == f"{AT}declarations":
        return ""
    return _inner(element, state)


def _parameters(element: ET.Element) -> dict[str, str]:
    return {
        p.get(f"{AC}name", ""): "".join(p.itertext()) for p in element.findall(f"{AC}parameter")
    }


def _macro(element: ET.Element, state: _State) -> str:
    name = element.get(f"{AC}name", "")
    params = _parameters(element)
    body = element.find(f"{AC}rich-text-body")
    inner = _inner(body, state) if body is not None else ""
    if name in _PANELS:
        title = params.get("title")
        heading = f'<div class="tc-panel-title">{html.escape(title)}</div>' if title else ""
        return f'<div class="tc-panel tc-panel-{name}">{heading}{inner}</div>'
    if name == "expand":
        title = html.escape(params.get("title") or "Click here to expand...")
        return (
            f'<details class="tc-expand" open><summary>{title}</summary>'
            f'<div class="tc-expand-body">{inner}</div></details>'
        )
    if name == "code":
        plain = element.find(f"{AC}plain-text-body")
        code = html.escape(plain.text or "" if plain is not None else "", quote=False)
        language = params.get("language", "")
        label = f'<div class="tc-code-language">{html.escape(language)}</div>' if language else ""
        return f'<div class="tc-code">{label}<pre><code>{code}</code></pre></div>'
    if name == "status":
        colour = html.escape(params.get("colour", "Grey").lower())
        text = html.escape(params.get("title", ""))
        return f'<span class="tc-status tc-status-{colour}">{text}</span>'
    if name == "jira" and "key" in params:
        return f'<span class="tc-jira" title="Jira issue">{html.escape(params["key"])}</span>'
    if name == "jira":
        query = html.escape(params.get("jqlQuery", ""))
        return f'<div class="tc-jira-query">Jira issues: <code>{query}</code></div>'
    if name == "toc":
        return _toc(state)
    if name == "chart":
        from teamcomms.render.chart_preview import chart_html

        table = body.find("table") if body is not None else None
        return chart_html(params, table, inner)
    return f'<div class="tc-macro">[{html.escape(name)} macro]{inner}</div>'


def _toc(state: _State) -> str:
    items = "".join(
        f'<li style="margin-left: {(level - 1) * 12}px">'
        f'<a href="#{anchor}">{html.escape(text)}</a></li>'
        for level, anchor, text in state.headings
    )
    return f'<nav class="tc-toc"><ul>{items}</ul></nav>'


def _task(element: ET.Element, state: _State) -> str:
    status = element.findtext(f"{AC}task-status", "")
    done = status == "complete"
    body = element.find(f"{AC}task-body")
    inner = _inner(body, state) if body is not None else ""
    checked = " checked" if done else ""
    css = "tc-task tc-task-done" if done else "tc-task"
    return (
        f'<li class="{css}"><input type="checkbox" disabled{checked}>'
        f'<span class="tc-task-body">{inner}</span></li>'
    )


def _image(element: ET.Element, state: _State) -> str:
    alt = html.escape(element.get(f"{AC}alt", ""))
    url = element.find(f"{RI}url")
    if url is not None:
        return f'<img alt="{alt}" src="{html.escape(url.get(f"{RI}value", ""))}">'
    reference = element.find(f"{RI}attachment")
    filename = reference.get(f"{RI}filename", "") if reference is not None else ""
    attachment = state.attachments.get(filename)
    if attachment is None:
        return f'<span class="tc-macro">[missing attachment {html.escape(filename)}]</span>'
    data = base64.b64encode(attachment.read()).decode()
    return f'<img alt="{alt}" src="data:{attachment.media_type};base64,{data}">'


def _link(element: ET.Element, state: _State) -> str:
    body = element.find(f"{AC}link-body")
    inner = _inner(body, state) if body is not None else ""
    user = element.find(f"{RI}user")
    if user is not None:
        account = html.escape(user.get(f"{RI}account-id", ""))
        return f'<span class="tc-mention" title="{account}">@{inner or account}</span>'
    page = element.find(f"{RI}page")
    if page is None:
        return inner
    title = page.get(f"{RI}content-title", "")
    space = page.get(f"{RI}space-key")
    target = state.page_links(title, space)
    text = inner or html.escape(title)
    if target is None:
        return f'<a class="tc-unresolved" title="Confluence page: {html.escape(title)}">{text}</a>'
    anchor = element.get(f"{AC}anchor")
    return (
        f'<a href="{html.escape(target)}{"#" + html.escape(anchor) if anchor else ""}">{text}</a>'
    )


def html_document(title: str, body: str, *, bar: str = "", wide: bool = False) -> str:
    """A complete, self-contained HTML document with the preview stylesheet inline."""
    main = '<main class="tc-wide">' if wide else "<main>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{stylesheet()}</style></head>"
        f'<body><header class="tc-bar">{bar}</header>{main}{body}</main></body></html>\n'
    )


def page_html(
    page: RenderedPage,
    *,
    page_links: Callable[[str, str | None], str | None] | None = None,
    index_href: str | None = "index.html",
) -> str:
    """The preview of one rendered page: breadcrumb (space, parent), title, labels and body."""
    attachments = {a.filename: a for a in page.attachments}
    body = storage_to_html(page.storage, attachments=attachments, page_links=page_links)
    crumbs = [f'<a href="{index_href}">All pages</a>'] if index_href else []
    crumbs += [html.escape(part) for part in (page.space, page.parent) if part]
    labels = "".join(f'<span class="tc-label">{html.escape(label)}</span>' for label in page.labels)
    head = (
        f'<h1 class="tc-title">{html.escape(page.title)}</h1><div class="tc-labels">{labels}</div>'
    )
    return html_document(page.title, head + body, bar=" / ".join(crumbs))
