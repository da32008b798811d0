"""Small HTML pieces the sandbox web view's pages share (every value escaped here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from teamcomms.sandbox.own_paths import PREFIX
from teamcomms.sandbox.state import SiteState

# Jira's status categories as the lozenge colours the preview stylesheet has.
CATEGORY_LOZENGES = {
    "TODO": ("grey", "To do"),
    "IN_PROGRESS": ("blue", "In progress"),
    "DONE": ("green", "Done"),
}


@dataclass(frozen=True)
class View:
    """One page of the web view: its title, the HTML inside ``<main>``, the HTTP status."""

    title: str
    body: str
    status: int = 200


def href(kind: str, key: str) -> str:
    """The web view's address of an object: ``/_sandbox/pages/10042``."""
    return f"{PREFIX}/{kind}/{quote(key, safe='')}"


def link(target: str, text: str) -> str:
    """``<a href="target">text</a>`` with both escaped."""
    return f'<a href="{escape(target)}">{escape(text)}</a>'


def not_found(message: str) -> View:
    """The page for a missing object."""
    body = f'<h1 class="tc-title">Not found</h1><p>{escape(message)}</p><p>{link("/", "Home")}</p>'
    return View("Not found", body, status=404)


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, empty: str = "none") -> str:
    """A table of already-escaped cells; ``empty`` (escaped) when there are no rows."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return f'<p class="sb-muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f'<table class="tc-index"><tbody><tr>{head}</tr>{body}</tbody></table>'


def user_name(state: SiteState, account_id: str | None) -> str:
    """A person's display name, or the account id when the sandbox does not know them."""
    if not account_id:
        return ""
    user: dict[str, Any] = state.table("users").get(account_id) or {}
    return str(user.get("displayName") or account_id)


def labels(names: Iterable[str]) -> str:
    """Labels as the preview shows them."""
    return "".join(f'<span class="tc-label">{escape(name)}</span>' for name in names)


def lozenge(category: str, text: str) -> str:
    """A status lozenge in the colour of a Jira status category."""
    colour, _ = CATEGORY_LOZENGES.get(category, ("grey", ""))
    return f'<span class="tc-status tc-status-{colour}">{escape(text)}</span>'


def status_lozenge(state: SiteState, status_id: str | None) -> str:
    """The lozenge of a status by id (its id when unknown)."""
    status = state.table("statuses").get(status_id or "")
    if status is None:
        return escape(status_id or "")
    return lozenge(str(status.get("statusCategory", "")), str(status.get("name", "")))
