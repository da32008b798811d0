"""Plans and apply reports as rich text (optionally with diffs), as JSON, and as Markdown for a
pull-request comment.

The JSON shapes are documented in docs/plan-and-apply.md and versioned by ``format_version``:
fields are only ever added within a version. JSON is written with the standard library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from teamcomms.engine.change import Action, Change, Plan
from teamcomms.engine.report import ApplyReport
from teamcomms.engine.resource import DiffView, Resource, index_by_kind
from teamcomms.version import tool_version

FORMAT_VERSION = 2
"""2: changes carry ``scope`` and the resource's own keys; ``scopes`` replaced ``spaces``."""

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
    "unsupported": ("x", "yellow"),
    "orphan": ("?", "magenta"),
    "archive": ("-", "red"),
    "delete": ("-", "red"),
}


def print_plan(
    plan: Plan,
    resources: Sequence[Resource],
    console: Console,
    *,
    diff: DiffView | None = None,
    verbose: bool = False,
) -> None:
    """Print every change (unchanged ones only with ``verbose``) under its kind's heading, then
    what the plan does not manage, warnings and the summary line."""
    by_kind = index_by_kind(resources)
    where = f" on {plan.site}" if plan.site else ""
    console.print(Text(f"Plan{where}", style="bold"))
    for kind, changes in _by_kind(plan).items():
        resource = by_kind[kind]
        listed = [c for c in changes if verbose or c.action != "no-op"]
        unchanged = len(changes) - len(listed)
        scope = plan.scope_of(kind)
        # Spaces and project keys help a reader; "*" (read everything) and lookups do not.
        shown = "" if any(s == "*" or ":" in s for s in scope) else ", ".join(scope)
        heading = f"{resource.title}" + (f" ({shown})" if shown else "")
        if unchanged:
            heading += f": {unchanged} unchanged"
        console.print(Text(heading, style="bold"))
        for change in listed:
            console.print(change_line(change))
            for detail in _details(change, resource):
                console.print(Text(f"      {detail}", style="dim"))
            if diff is not None:
                for line in resource.text_diff(change, diff):
                    console.print(_diff_line(line))
    for note in plan.not_managed:
        console.print(
            Text(f"not managed by plan: {note.count} {note.kind} definition(s); {note.handled_by}")
        )
    for warning in plan.all_warnings():
        console.print(Text(f"warning: {warning}", style="yellow"))
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


def _by_kind(plan: Plan) -> dict[str, list[Change]]:
    grouped: dict[str, list[Change]] = {}
    for change in plan.changes:
        grouped.setdefault(change.resource, []).append(change)
    return grouped


def change_line(change: Change) -> Text:
    """``  ~ update    page/onboarding-home  TEAM 'Onboarding' (body, labels)``."""
    symbol, style = _SYMBOLS[change.action]
    line = Text(f"  {symbol} ")
    line.append(f"{change.action:<9}", style=style)
    line.append(f" {change.address}  ")
    if change.scope:
        line.append(f"{change.scope} ")
    line.append(repr(change.title))
    # The marker is rewritten with nearly every change; name it only when it is all that changes.
    shown: list[str] = [f for f in change.fields if f != "marker"] or list(change.fields)
    if change.action in ("create", "no-op"):
        shown = []
    if shown:
        line.append(f" ({', '.join(shown)})", style="dim")
    return line


def _details(change: Change, resource: Resource) -> list[str]:
    details = resource.describe(change)
    if change.reason:
        details.append(change.reason)
    if change.drift and change.drift.modified_at:
        details.append(f"last edited {change.drift.modified_at}")
    return details


def _diff_line(line: str) -> Text:
    if line.startswith(("+++", "---")):
        return Text(f"      {line}", style="bold")
    style = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1], "")
    return Text(f"      {line}", style=style)


def plan_to_json(plan: Plan, resources: Sequence[Resource]) -> dict[str, Any]:
    """The plan in its documented JSON shape (no bodies; see ``saved_plan`` for those)."""
    by_kind = index_by_kind(resources)
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": tool_version(),
        "site": plan.site,
        "scopes": {kind: list(scope) for kind, scope in plan.scopes},
        "fingerprint": plan.fingerprint,
        "has_changes": plan.has_changes,
        "summary": dict(plan.counts()),
        "not_managed": [
            {"kind": n.kind, "count": n.count, "handled_by": n.handled_by} for n in plan.not_managed
        ],
        "warnings": list(plan.warnings),
        "changes": [_change_json(c, by_kind[c.resource]) for c in plan.changes],
    }


def _change_json(change: Change, resource: Resource) -> dict[str, Any]:
    drift = change.drift
    return {
        "address": change.address,
        "resource": change.resource,
        "action": change.action,
        "scope": change.scope,
        "title": change.title,
        "id": change.target_id,
        "fields": list(change.fields),
        "details": resource.describe(change),
        "warnings": list(change.warnings),
        "reason": change.reason,
        "drift": None
        if drift is None
        else {
            "author": drift.author,
            "modified_at": drift.modified_at,
            "version": drift.version,
            "written_version": drift.written_version,
        },
        **resource.summary_json(change),
    }


def print_report(report: ApplyReport, console: Console) -> None:
    """The failed and skipped changes with their reasons, done ones with a note, then the
    summary line."""
    for result in report.results:
        if result.outcome == "done" and not result.message:
            continue
        style = {"done": "cyan", "failed": "red"}.get(result.outcome, "yellow")
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
