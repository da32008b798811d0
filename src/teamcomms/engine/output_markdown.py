"""A plan as GitHub-flavoured Markdown, to post as a pull-request comment (``plan --format
markdown``): a summary line, one table row per change, what differs, and each body's diff folded
away in a ``<details>`` block."""

from __future__ import annotations

from collections.abc import Sequence

from teamcomms.engine.change import Change, Plan
from teamcomms.engine.resource import DiffView, Resource, index_by_kind

_ICONS = {
    "create": "➕",
    "update": "✏️",
    "rename": "✏️",
    "move": "✏️",
    "relabel": "✏️",
    "adopt": "🤝",
    "no-op": "",
    "conflict": "⛔",
    "drifted": "⚠️",
    "unsupported": "🚫",
    "orphan": "❔",
    "archive": "🗄️",
    "delete": "🗑️",
}


def plan_markdown(
    plan: Plan, resources: Sequence[Resource], *, diff: DiffView | None = "text"
) -> str:
    """The plan as Markdown (unchanged objects are counted, not listed)."""
    by_kind = index_by_kind(resources)
    where = f" on `{plan.site}`" if plan.site else ""
    lines = [f"### teamcomms plan{where}", "", f"**{plan.summary()}**", ""]
    shown = [c for c in plan.changes if c.action != "no-op"]
    if shown:
        lines += ["| | Object | What changes |", "|---|---|---|"]
        lines += [_row(change, by_kind[change.resource]) for change in shown]
        lines.append("")
    for note in plan.not_managed:
        lines.append(f"- not managed by plan: {note.count} `{note.kind}`: {note.handled_by}")
    for warning in plan.all_warnings():
        lines.append(f"- ⚠️ {_cell(warning)}")
    if plan.blocking:
        lines += ["", "> **apply will refuse** until the conflicts and hand edits are resolved."]
    if diff is not None:
        for change in shown:
            body = by_kind[change.resource].text_diff(change, diff)
            if body:
                lines += [
                    "",
                    f"<details><summary><code>{change.address}</code> body</summary>",
                    "",
                    "```diff",
                    *body,
                    "```",
                    "</details>",
                ]
    return "\n".join(lines).rstrip() + "\n"


def _row(change: Change, resource: Resource) -> str:
    where = f" ({change.scope})" if change.scope else ""
    what = "; ".join([*resource.describe(change), *([change.reason] if change.reason else [])])
    icon = _ICONS.get(change.action, "")
    title = _cell(change.title)
    return f"| {icon} {change.action} | `{change.address}`{where}: {title} | {_cell(what)} |"


def _cell(text: str) -> str:
    """Text that cannot break a table row: pipes escaped, lines joined."""
    return " ".join(text.split()).replace("|", "\\|")
