"""Trello's board export (the JSON from *Menu > Print, export and share > Export as JSON*) as
rows, one per card, and the preset mapping for it.

A card's columns: ``id``, ``name``, ``desc``, ``description`` (``desc`` followed by the card's
checklists as Markdown task lists), ``list`` (its list's name: what the preset maps to a Jira
status), ``labels`` (names; a label without a name is named by its colour), ``due``, ``members``
(usernames: the export has no emails), ``url``, ``archived`` (``true`` when the card or its list
is archived) and one column per custom field (the Custom Fields power-up), by the field's name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from teamcomms.errors import Problem
from teamcomms.imports.problems import InvalidRows
from teamcomms.imports.rows import Cell, SourceRow, SourceTable

BUILT_IN = ("id", "name", "desc", "description", "list", "labels", "due", "members", "url",
            "archived")  # fmt: skip
PRESET_COLUMNS: Mapping[str, str] = {
    "id": "id",
    "summary": "name",
    "description": "description",
    "labels": "labels",
    "due_date": "due",
    "status": "list",
}
"""What the ``trello`` preset maps, unless the mapping says otherwise: the card's id is the
external id, its name the summary, its list the status."""


def read_trello(file: str, text: str) -> SourceTable:
    """The cards of a Trello board export. Raises :class:`InvalidRows`."""
    try:
        board = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem(file, error.lineno, error.colno, f"not JSON: {error.msg}")
        raise InvalidRows(file, [problem]) from None
    if not isinstance(board, dict) or not isinstance(board.get("cards"), list):
        raise InvalidRows(
            file,
            [Problem(file, 1, 1, "not a Trello board export (no 'cards' list)")],
            hint="export the board from Trello: Menu > Print, export and share > Export as JSON",
        )
    lists = {str(x.get("id")): x for x in _objects(board.get("lists"))}
    labels = {str(x.get("id")): _label_name(x) for x in _objects(board.get("labels"))}
    members = {
        str(x.get("id")): str(x.get("username") or "") for x in _objects(board.get("members"))
    }
    fields = {str(x.get("id")): x for x in _objects(board.get("customFields"))}
    checklists: dict[str, list[Mapping[str, Any]]] = {}
    for checklist in sorted(_objects(board.get("checklists")), key=lambda c: _pos(c)):
        checklists.setdefault(str(checklist.get("idCard")), []).append(checklist)
    rows: list[SourceRow] = []
    columns: dict[str, None] = dict.fromkeys(BUILT_IN)
    for card in _objects(board["cards"]):
        values = _card(card, lists, labels, members, checklists.get(str(card.get("id")), []))
        for name, value in _custom_values(card, fields):
            values.setdefault(name, value)
            columns.setdefault(name)
        name = str(card.get("name") or "")
        rows.append(SourceRow(len(rows) + 1, 0, values, label=f"(card {name!r})"))
    return SourceTable(file, "trello", tuple(columns), tuple(rows))


def _objects(value: Any) -> list[Mapping[str, Any]]:
    return [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


def _pos(item: Mapping[str, Any]) -> float:
    try:
        return float(item.get("pos") or 0)
    except (TypeError, ValueError):
        return 0.0


def _label_name(label: Mapping[str, Any]) -> str:
    return str(label.get("name") or label.get("color") or "").strip()


def _card(
    card: Mapping[str, Any],
    lists: Mapping[str, Mapping[str, Any]],
    labels: Mapping[str, str],
    members: Mapping[str, str],
    checklists: list[Mapping[str, Any]],
) -> dict[str, Cell]:
    in_list = lists.get(str(card.get("idList")), {})
    names = [_label_name(x) for x in _objects(card.get("labels"))]
    if not names:
        names = [labels.get(str(i), "") for i in card.get("idLabels") or []]
    desc = str(card.get("desc") or "").strip()
    todo = _checklists_markdown(checklists)
    archived = bool(card.get("closed")) or bool(in_list.get("closed"))
    people = [members.get(str(i), "") for i in card.get("idMembers") or []]
    return {
        "id": str(card.get("id") or "") or None,
        "name": str(card.get("name") or "").strip() or None,
        "desc": desc or None,
        "description": "\n\n".join(part for part in (desc, todo) if part) or None,
        "list": str(in_list.get("name") or "").strip() or None,
        "labels": tuple(n for n in names if n) or None,
        "due": str(card.get("due") or "") or None,
        "members": tuple(m for m in people if m) or None,
        "url": str(card.get("url") or "") or None,
        "archived": "true" if archived else "false",
    }


def _checklists_markdown(checklists: list[Mapping[str, Any]]) -> str:
    blocks = []
    for checklist in checklists:
        items = sorted(_objects(checklist.get("checkItems")), key=_pos)
        lines = [f"**{_escape(str(checklist.get('name') or 'Checklist'))}**", ""]
        lines += [
            f"- [{'x' if item.get('state') == 'complete' else ' '}] "
            f"{_escape(str(item.get('name') or ''))}"
            for item in items
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _escape(text: str) -> str:
    """Checklist text taken literally, not as Markdown."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|~" else c for c in text.strip())


def _custom_values(
    card: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, Cell]]:
    found: list[tuple[str, Cell]] = []
    for item in _objects(card.get("customFieldItems")):
        field = fields.get(str(item.get("idCustomField")))
        if field is None:
            continue
        name = str(field.get("name") or "").strip()
        if not name:
            continue
        if name in BUILT_IN:
            name = f"custom.{name}"
        found.append((name, _custom_text(item, field)))
    return found


def _custom_text(item: Mapping[str, Any], field: Mapping[str, Any]) -> str | None:
    if item.get("idValue"):
        for option in _objects(field.get("options")):
            if str(option.get("id")) == str(item["idValue"]):
                return str((option.get("value") or {}).get("text") or "") or None
        return None
    value = item.get("value") or {}
    for kind in ("text", "number", "date"):
        if value.get(kind) not in (None, ""):
            return str(value[kind])
    if "checked" in value:
        return "true" if str(value["checked"]).lower() == "true" else "false"
    return None
