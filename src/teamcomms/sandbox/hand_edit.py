"""A person editing a page by hand in the sandbox, so drift can be tried in one command.

``teamcomms sandbox edit PAGE`` calls :func:`hand_edit` on the state file, or, while ``sandbox
serve`` holds that file, sends ``POST /_sandbox/api/hand-edit`` to the running site (a route like
the others, so the edit is journalled and survives a restart). The edit is a new page version by
a colleague (Alice Example), as if she had changed the page in the Confluence editor.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teamcomms.errors import ConfigError
from teamcomms.sandbox.api import ApiError, Context, Request, Response, RouteTable
from teamcomms.sandbox.seed import COLLEAGUES
from teamcomms.sandbox.state import SiteState
from teamcomms.sandbox.state_lock import StateLock

HAND_EDIT_PATH = "/_sandbox/api/hand-edit"
HAND_EDITOR_EMAIL = COLLEAGUES[0][0]
DEFAULT_APPENDED = "Edited by hand in the sandbox."
ROUTES = RouteTable()


class SandboxRunning(Exception):
    """A running sandbox holds the state file; it serves ``url`` and must make the edit."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class PageNotFound(Exception):
    """No page (or more than one) answers to the reference; ``hint`` says what there is."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class HandEdit:
    """The version a hand edit made."""

    page_id: str
    title: str
    space: str
    version: int
    author: str

    def as_json(self) -> dict[str, Any]:
        """The edit as the route answers it."""
        return {
            "id": self.page_id,
            "title": self.title,
            "space": self.space,
            "version": self.version,
            "author": self.author,
        }


def hand_edit(
    state: SiteState,
    page: str,
    *,
    space: str | None = None,
    body: str | None = None,
    append: str | None = None,
) -> HandEdit:
    """Edit the page with id or title ``page`` (in ``space``) as a colleague: ``body`` replaces
    the text, ``append`` adds a paragraph (by default "Edited by hand in the sandbox.").

    Both are plain text, as typed into the editor. Raises :class:`PageNotFound`. Does not save
    the state file (a journalled request must not; :meth:`SiteState.save` after it otherwise).
    """
    from teamcomms.render import xml  # not at start-up: the sandbox loads this module to route

    with state.lock:
        found = find_page(state, page, space)
        if body is not None:
            new_body = f"<p>{xml.text(body)}</p>"
        else:
            new_body = found["body"] + f"<p>{xml.text(append or DEFAULT_APPENDED)}</p>"
        editor = _editor(state)
        state.new_page_version(
            found,
            title=found["title"],
            body=new_body,
            author_id=editor["accountId"],
            message="edited by hand (teamcomms sandbox edit)",
        )
        space_key = state.table("spaces")[found["spaceId"]]["key"]
        return HandEdit(
            found["id"],
            found["title"],
            space_key,
            found["version"]["number"],
            editor["displayName"],
        )


def edit_state_file(
    state_file: Path,
    page: str,
    *,
    space: str | None = None,
    body: str | None = None,
    append: str | None = None,
) -> HandEdit:
    """:func:`hand_edit` on a state file, saved. Raises :class:`SandboxRunning` when a running
    sandbox holds the file (the edit must go to it, or one of the two would undo the other),
    and :class:`~teamcomms.errors.UsageError` when there is no such page."""
    from teamcomms.errors import UsageError

    lock = StateLock(state_file)
    try:
        lock.acquire()
    except ConfigError:
        url = _holder_url(lock.path)
        if url is None:
            raise
        raise SandboxRunning(url) from None
    try:
        state = SiteState(state_file)
        try:
            done = hand_edit(state, page, space=space, body=body, append=append)
        except PageNotFound as error:
            raise UsageError(error.message, hint=error.hint) from None
        state.save()
        return done
    finally:
        lock.release()


def _holder_url(lock_file: Path) -> str | None:
    try:
        holder = json.loads(lock_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = holder.get("url") if isinstance(holder, dict) else None
    return url if isinstance(url, str) else None


def find_page(state: SiteState, reference: str, space: str | None = None) -> dict[str, Any]:
    """The live page with this id, or with this title (in ``space``, when given)."""
    pages = [p for p in state.table("pages").values() if p["status"] == "current"]
    if space is not None:
        found_space = state.space_by_key(space)
        if found_space is None:
            keys = ", ".join(sorted(s["key"] for s in state.table("spaces").values()))
            raise PageNotFound(f"the sandbox has no space {space!r}", f"spaces: {keys}")
        pages = [p for p in pages if p["spaceId"] == found_space["id"]]
    by_id = [p for p in pages if p["id"] == reference]
    matches = by_id or [p for p in pages if p["title"] == reference]
    matches = matches or [p for p in pages if p["title"].lower() == reference.lower()]
    where = f" in space {space}" if space else ""
    if len(matches) == 1:
        found: dict[str, Any] = matches[0]
        return found
    if matches:
        in_spaces = sorted(state.table("spaces")[p["spaceId"]]["key"] for p in matches)
        raise PageNotFound(
            f"{len(matches)} pages are called {reference!r}",
            f"add --space, one of {', '.join(in_spaces)}",
        )
    titles = sorted({p["title"] for p in pages})
    close = difflib.get_close_matches(reference, titles, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(t) for t in close)}?" if close else ""
    hint = hint or "give a page id or an exact title; `teamcomms sandbox serve` shows them all"
    raise PageNotFound(f"no page {reference!r}{where} on the sandbox", hint)


def _editor(state: SiteState) -> dict[str, Any]:
    users = state.table("users").values()
    found: dict[str, Any] = next(u for u in users if u.get("emailAddress") == HAND_EDITOR_EMAIL)
    return found


@ROUTES.post(HAND_EDIT_PATH)
def hand_edit_route(ctx: Context, req: Request) -> Response:
    """``{"page": ID or title, "space": KEY, "body": text, "append": text}`` -> the new version."""
    data = req.json_object()
    fields = {name: data.get(name) for name in ("page", "space", "body", "append")}
    if not isinstance(fields["page"], str) or not all(
        value is None or isinstance(value, str) for value in fields.values()
    ):
        raise ApiError(400, "Give page as a string, and space, body and append as strings or null")
    try:
        edit = hand_edit(
            ctx.state,
            fields["page"],
            space=fields["space"],
            body=fields["body"],
            append=fields["append"],
        )
    except PageNotFound as error:
        raise ApiError(404, error.message, errors={"hint": error.hint}) from None
    return Response(200, edit.as_json())
