"""A read-only web view of the sandbox site, at its URL root, for people to see what ``apply`` did.

``GET /`` (and ``/_sandbox/``) lists the Confluence spaces and content templates and the Jira
projects, workflows, statuses, fields, filters, boards and groups; ``/_sandbox/spaces/KEY`` is a
space's page tree, ``/_sandbox/pages/ID`` a page rendered like ``teamcomms render``'s preview
(:mod:`teamcomms.render.preview`) with its labels, version and teamcomms owner marker, and there
are pages for templates, projects, workflows and issues.

Decisions: it needs no credentials (the sandbox listens on loopback only and its credentials are
public anyway) and it changes nothing, so it sits outside the emulated API: no faults, latency,
request log or contract checks. Every value from the site is escaped, and a Content-Security-Policy
forbids scripts and remote content, so a page body cannot run anything in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from teamcomms.render.preview import html_document
from teamcomms.sandbox.api import Response
from teamcomms.sandbox.own_paths import PREFIX
from teamcomms.sandbox.state import SiteState
from teamcomms.sandbox.webview_confluence import (
    page_view,
    space_view,
    spaces_section,
    template_view,
)
from teamcomms.sandbox.webview_jira import (
    catalogue_view,
    issue_view,
    jira_section,
    project_view,
    workflow_view,
)
from teamcomms.sandbox.webview_parts import View, link, not_found

_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_EXTRA_CSS = """<style>
.sb-note { background: #fffae6; border: 1px solid #ffe380; border-radius: 3px; padding: 8px 12px; }
ul.sb-tree, ul.sb-tree ul { list-style: none; padding-left: 20px; }
ul.sb-tree { padding-left: 0; }
ul.sb-tree li { margin: 4px 0; }
.sb-meta th { width: 11em; }
.sb-muted { color: #6b778c; }
.sb-badge { display: inline-block; border-radius: 3px; padding: 0 4px; font-size: 11px;
  font-weight: 700; text-transform: uppercase; background: #e3fcef; color: #006644; }
.sb-badge-grey { background: #dfe1e6; color: #42526e; }
pre.sb-marker { background: #f4f5f7; padding: 8px; border-radius: 3px; white-space: pre-wrap; }
</style>"""

_ROUTES: list[tuple[re.Pattern[str], Callable[[SiteState, str], View]]] = [
    (re.compile(rf"{PREFIX}/spaces/([^/]+)"), space_view),
    (re.compile(rf"{PREFIX}/pages/([^/]+)"), page_view),
    (re.compile(rf"{PREFIX}/templates/([^/]+)"), template_view),
    (re.compile(rf"{PREFIX}/projects/([^/]+)"), project_view),
    (re.compile(rf"{PREFIX}/workflows/([^/]+)"), workflow_view),
    (re.compile(rf"{PREFIX}/issues/([^/]+)"), issue_view),
    (re.compile(rf"{PREFIX}/(jira)"), catalogue_view),
]


def answer(state: SiteState, path: str) -> Response:
    """The HTML page at ``path`` (a 404 page for anything unknown)."""
    from urllib.parse import unquote

    with state.lock:  # one consistent picture while writes go on
        view = _view(state, unquote(path.rstrip("/") or "/"))
    bar = f"{link('/', 'teamcomms sandbox')} · read-only view of the emulated site"
    document = html_document(f"{view.title} · teamcomms sandbox", _EXTRA_CSS + view.body, bar=bar)
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": _CSP,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(view.status, headers=headers, raw=document.encode("utf-8"))


def _view(state: SiteState, path: str) -> View:
    if path in ("/", PREFIX):
        return _home(state)
    for pattern, handler in _ROUTES:
        match = pattern.fullmatch(path)
        if match is not None:
            return handler(state, match.group(1))
    return not_found(f"There is nothing at {path}.")


def _home(state: SiteState) -> View:
    intro = (
        '<h1 class="tc-title">Sandbox site</h1><p class="sb-note">This is the teamcomms '
        "sandbox: an emulated Jira and Confluence Cloud site on this computer, not a real "
        "Atlassian site. It shows what <code>teamcomms apply</code> wrote; nothing here can be "
        "changed (try <code>teamcomms sandbox edit PAGE</code> to edit a page by hand).</p>"
    )
    return View("Home", intro + spaces_section(state) + jira_section(state))
