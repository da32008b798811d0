"""How a Jira object change reads in a plan: one line per changed field, per named item of a
mapping, and the JSON summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from teamcomms.engine.change import Change
from teamcomms.resources.jira_objects import Spec


def describe(change: Change) -> list[str]:
    """One line per changed field: ``jql: 'a' -> 'b'``, ``options: +eBay -Amazon``, and per
    named item of a mapping (``transition 'Ship': from ['Picking'] -> ['Picking', 'Packing']``)."""
    before, after = change.before, change.after
    if not isinstance(after, Spec) or not isinstance(before, Spec):
        return []
    lines: list[str] = []
    for name in change.fields:
        if name == "marker":
            continue
        if name == "name":
            lines.append(f"name: {before.name!r} -> {after.name!r}")
            continue
        lines.extend(value_diff(name, before.values.get(name), after.values.get(name)))
    return lines


def value_diff(label: str, old: Any, new: Any) -> list[str]:
    """Readable lines for one field that changed from ``old`` to ``new``."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        item = label[:-1] if label.endswith("s") else label
        lines: list[str] = []
        for key in sorted(set(old) | set(new), key=str):
            if key not in old:
                lines.append(f"{item} {key!r} added")
            elif key not in new:
                lines.append(f"{item} {key!r} removed")
            elif old[key] != new[key]:
                lines.append(f"{item} {key!r}: {_parts(old[key], new[key])}")
        return lines
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and all(isinstance(v, str) for v in (*old, *new))
    ):
        added = [f"+{v}" for v in new if v not in old]
        removed = [f"-{v}" for v in old if v not in new]
        if not added and not removed:
            return [f"{label}: order {', '.join(old)} -> {', '.join(new)}"]
        return [f"{label}: {' '.join(added + removed)}"]
    return [f"{label}: {_show(old)} -> {_show(new)}"]


def _parts(old: Any, new: Any) -> str:
    """``from [Picking] -> [Picking, Packing]; to ...`` for two versions of one named item."""
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return f"{_show(old)} -> {_show(new)}"
    keys = sorted(set(old) | set(new), key=str)
    return "; ".join(
        f"{key} {_show(old.get(key))} -> {_show(new.get(key))}"
        for key in keys
        if old.get(key) != new.get(key)
    )


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(v if isinstance(v, str) else _show(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def summary_json(change: Change) -> dict[str, Any]:
    """``before`` and ``after`` values of a Jira object change, for the plan JSON."""

    def values(spec: Any) -> dict[str, Any] | None:
        return {"name": spec.name, **spec.values} if isinstance(spec, Spec) else None

    return {"before": values(change.before), "after": values(change.after)}
