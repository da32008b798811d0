"""Plans and apply reports as rich text (optionally with unified diffs) and as JSON.

The JSON shapes are documented in docs/plan-and-apply.md and versioned by ``format_version``:
fields are only ever added within a version.
"""

from __future__ import annotations

import difflib
from typing import Any

from rich.console import Console
from rich.text import Text

from teamcomms.publish.changes import Action, Change, Content, Plan
from teamcomms.publish.report import ApplyReport
from teamcomms.version import tool_version

FORMAT_VERSION = 1

_SYMBOLS: dict[Action, tuple[str, str]] = {
    "create": ("+", "green"),
    "update": ("~", "yellow"),
    "rename": ("~", "yellow"),
    "move": ("~", "yellow"),
    "relabel": ("~", "yellow"),
    "adopt": ("~", "cyan"),
    "no-op": ("=", "dim"),
    "conflict": ("!", "red"),
    "drifted": ("!", "red"),
    "orphan": ("?", "magenta"),
    "archive": ("-", "red"),
    "delete": ("-", "red"),
}


def print_plan(plan: Plan, console: Console, *, diff: bool = False, verbose: bool = False) -> None:
    """Print every change (unchanged ones only with ``verbose``), then the summary line."""
    where = f" on {plan.site}" if plan.site else ""
    spaces = ", ".join(plan.spaces) or "none"
    console.print(Text(f"Confluence plan{where} (spaces: {spaces})", style="bold"))
    for change in plan.changes:
        if change.action == "no-op" and not verbose:
            continue
        console.print(change_line(change))
        for detail in _details(change):
            console.print(Text(f"      {detail}", style="dim"))
        if diff and "body" in change.fields:
            for line in body_diff(change):
                console.print(_diff_line(line))
    console.print(Text(f"Plan: {plan.summary()}.", style="bold"))
    if any(change.action == "orphan" for change in plan.changes):
        console.print(
            Text("orphans are left alone; --prune archives them, --prune=delete deletes them")
        )
    actions = {change.action for change in plan.blocking}
    if "conflict" in actions:
        console.print(Text("apply will refuse until the conflicts are resolved", style="red"))
    elif actions:
        message = "apply will refuse unless --force overwrites the hand edits"
        console.print(Text(message, style="red"))


def change_line(change: Change) -> Text:
    """``  ~ update    page/onboarding-home  TEAM "Onboarding" (body, labels)``."""
    symbol, style = _SYMBOLS[change.action]
    line = Text(f"  {symbol} ")
    line.append(f"{change.action:<9}", style=style)
    line.append(f" {change.address}  {change.space} ")
    line.append(repr(change.title))
    # The marker is rewritten with nearly every change; name it only when it is all that changes.
    shown: list[str] = [f for f in change.fields if f != "marker"] or list(change.fields)
    if change.action in ("create", "no-op"):
        shown = []
    if shown:
        line.append(f" ({', '.join(shown)})", style="dim")
    return line


def _details(change: Change) -> list[str]:
    details: list[str] = []
    before, after = change.before, change.after
    if before and after and "title" in change.fields:
        details.append(f"title: {before.title!r} -> {after.title!r}")
    if before and after and "parent" in change.fields:
        details.append(f"parent: {_parent(before)} -> {_parent(after)}")
    if before and after and "labels" in change.fields:
        added = [f"+{label}" for label in sorted(set(after.labels) - set(before.labels))]
        removed = [f"-{label}" for label in sorted(set(before.labels) - set(after.labels))]
        details.append("labels: " + " ".join(added + removed))
    if change.attachments:
        details.append("attachments: " + ", ".join(a.name for a in change.attachments))
    if change.reason:
        details.append(change.reason)
    if change.drift and change.drift.modified_at:
        details.append(f"last edited {change.drift.modified_at}")
    return details


def _parent(content: Content) -> str:
    return repr(content.parent_title) if content.parent_title else "space home"


def body_diff(change: Change) -> list[str]:
    """Unified diff of the body, current -> wanted, line by line."""
    before = change.before.body if change.before else ""
    after = change.after.body if change.after else ""
    return list(
        difflib.unified_diff(
            _lines(before),
            _lines(after),
            fromfile=f"{change.address} (site)",
            tofile=f"{change.address} (definitions)",
            lineterm="",
        )
    )


def _lines(body: str) -> list[str]:
    # Storage XHTML often comes as one long line; a break after each closing block tag makes
    # the diff show the paragraph that changed instead of the whole page.
    for tag in ("</p>", "</h1>", "</h2>", "</h3>", "</li>", "</tr>", "</table>"):
        body = body.replace(tag + "<", tag + "\n<")
    return body.splitlines()


def _diff_line(line: str) -> Text:
    if line.startswith(("+++", "---")):
        return Text(f"      {line}", style="bold")
    style = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1], "")
    return Text(f"      {line}", style=style)


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan in its documented JSON shape (no page bodies; see ``saved_plan`` for those)."""
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": tool_version(),
        "site": plan.site,
        "spaces": list(plan.spaces),
        "fingerprint": plan.fingerprint,
        "has_changes": plan.has_changes,
        "summary": dict(plan.counts()),
        "changes": [_change_json(change) for change in plan.changes],
    }


def _change_json(change: Change) -> dict[str, Any]:
    drift = change.drift
    return {
        "address": change.address,
        "resource": change.resource,
        "action": change.action,
        "space": change.space,
        "title": change.title,
        "id": change.target_id,
        "fields": list(change.fields),
        "reason": change.reason,
        "drift": None
        if drift is None
        else {
            "author": drift.author,
            "modified_at": drift.modified_at,
            "version": drift.version,
            "written_version": drift.written_version,
        },
        "before": _content_json(change.before),
        "after": _content_json(change.after),
        "attachments": [a.name for a in change.attachments],
    }


def _content_json(content: Content | None) -> dict[str, Any] | None:
    if content is None:
        return None
    return {
        "title": content.title,
        "labels": sorted(content.labels),
        "parent": content.parent_title,
        "version": content.version,
    }


def print_report(report: ApplyReport, console: Console) -> None:
    """The failed and skipped changes with their reasons, then the summary line."""
    for result in report.results:
        if result.outcome == "done":
            continue
        style = "red" if result.outcome == "failed" else "yellow"
        line = Text(f"  {result.outcome:<7} ", style=style)
        line.append(f"{result.action} {result.address} {result.title!r}")
        if result.message:
            line.append(f": {result.message}")
        console.print(line)
    style = "green" if report.ok else "red"
    console.print(Text(f"Apply: {report.summary()}.", style=style))


def report_to_json(report: ApplyReport) -> dict[str, Any]:
    """The apply report in its documented JSON shape."""
    return {
        "format_version": FORMAT_VERSION,
        "ok": report.ok,
        "done": report.count("done"),
        "failed": report.count("failed"),
        "skipped": report.count("skipped"),
        "requests": {"reads": report.reads, "writes": report.writes, "retries": report.retries},
        "seconds": round(report.seconds, 3),
        "waited_seconds": round(report.waited, 3),
        "results": [
            {
                "address": r.address,
                "resource": r.resource,
                "action": r.action,
                "title": r.title,
                "outcome": r.outcome,
                "id": r.target_id,
                "message": r.message,
            }
            for r in report.results
        ],
    }
