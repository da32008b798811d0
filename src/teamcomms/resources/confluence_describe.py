"""How page and template changes read in a plan: field lines, body diffs and JSON summaries."""

from __future__ import annotations

import difflib
from typing import Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import DiffView
from teamcomms.resources.confluence_state import Content, PageDetail


def describe(change: Change) -> list[str]:
    """``title: 'Old' -> 'New'``, ``parent: …``, ``labels: +a -b``, ``attachments: …``."""
    details: list[str] = []
    before, after = change.before, change.after
    if isinstance(before, Content) and isinstance(after, Content):
        if "title" in change.fields:
            details.append(f"title: {before.title!r} -> {after.title!r}")
        if "parent" in change.fields:
            details.append(f"parent: {_parent(before)} -> {_parent(after)}")
        if "labels" in change.fields:
            added = [f"+{label}" for label in sorted(set(after.labels) - set(before.labels))]
            removed = [f"-{label}" for label in sorted(set(before.labels) - set(after.labels))]
            details.append("labels: " + " ".join(added + removed))
    attachments = _attachments(change)
    if attachments:
        details.append("attachments: " + ", ".join(attachments))
    return details


def text_diff(change: Change, view: DiffView) -> list[str]:
    """Unified diff of the body, current -> wanted: as readable text lines, or as storage
    XHTML broken after block tags (``view == "storage"``)."""
    if "body" not in change.fields:
        return []
    before = change.before.body if isinstance(change.before, Content) else ""
    after = change.after.body if isinstance(change.after, Content) else ""
    return list(
        difflib.unified_diff(
            _lines(before, view),
            _lines(after, view),
            fromfile=f"{change.address} (site)",
            tofile=f"{change.address} (definitions)",
            lineterm="",
        )
    )


def summary_json(change: Change) -> dict[str, Any]:
    """The documented JSON keys of a page or template change beyond the engine's own."""
    return {
        "space": change.scope,
        "before": _content_json(change.before),
        "after": _content_json(change.after),
        "attachments": _attachments(change),
    }


def _attachments(change: Change) -> list[str]:
    detail = change.detail
    return [a.name for a in detail.attachments] if isinstance(detail, PageDetail) else []


def _parent(content: Content) -> str:
    return repr(content.parent_title) if content.parent_title else "space home"


def _lines(body: str, view: DiffView) -> list[str]:
    if view == "text":
        from teamcomms.render.text_view import storage_to_text

        return storage_to_text(body)
    # Storage XHTML often comes as one long line; a break after each closing block tag makes
    # the diff show the paragraph that changed instead of the whole page.
    for tag in ("</p>", "</h1>", "</h2>", "</h3>", "</li>", "</tr>", "</table>"):
        body = body.replace(tag + "<", tag + "\n<")
    return body.splitlines()


def _content_json(content: object) -> dict[str, Any] | None:
    if not isinstance(content, Content):
        return None
    return {
        "title": content.title,
        "labels": sorted(content.labels),
        "parent": content.parent_title,
        "version": content.version,
    }
