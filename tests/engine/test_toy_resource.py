"""A new kind of object is one module plus its registration: a toy resource, defined here and
nowhere else, goes through plan, output, a saved plan, apply and a second plan with the engine
unchanged."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console

from teamcomms.engine.change import Change, Plan
from teamcomms.engine.output import plan_to_json, print_plan
from teamcomms.engine.planner import plan_workspace
from teamcomms.engine.resource import (
    Applied,
    DiffView,
    Exported,
    ExportedDefinition,
    ExportSelection,
    Observed,
    PlanOptions,
    Resource,
)
from teamcomms.engine.runner import apply_plan
from teamcomms.engine.saved_plan import TamperedPlanError, load_plan, save_plan
from teamcomms.engine.workspace import Workspace
from teamcomms.engine.workspace import load_workspace as load
from teamcomms.site.http import RequestStats


@dataclass(frozen=True)
class Note:
    """The toy's before/after value."""

    name: str
    text: str


@dataclass(frozen=True)
class NoteDetail:
    """The toy's detail value."""

    owner: str


class Notes:
    """A toy resource: named notes on a site that keeps them in a dict."""

    kind = "note"
    after: tuple[str, ...] = ()
    exports: tuple[str, ...] = ("note",)
    export_needs: tuple[str, ...] = ()
    title = "Notes"
    before_type = Note
    detail_type = NoteDetail

    def __init__(self, wanted: dict[str, str]) -> None:
        self.wanted = wanted

    def desired(self, workspace: Workspace) -> dict[str, str]:
        return dict(self.wanted)

    def scope(self, desired: dict[str, str]) -> tuple[str, ...]:
        return ("board",)

    def read(self, site: Any, scope: Sequence[str], *, workers: int) -> dict[str, dict[str, str]]:
        site.reads += 1
        return {key: dict(note) for key, note in site.notes.items()}

    def observe(self, current: dict[str, dict[str, str]]) -> Iterable[Observed]:
        for key, note in current.items():
            yield Observed("note", key, "board", note["name"], note["owner"] or None, note["text"])

    def diff(
        self, desired: dict[str, str], current: dict[str, dict[str, str]], options: PlanOptions
    ) -> list[Change]:
        changes = []
        by_name = {note["name"]: (key, note) for key, note in current.items()}
        for name, text in sorted(desired.items()):
            base = Change("note", f"note/{name}", "create", name, "board", after=Note(name, text))
            base = replace(base, detail=NoteDetail(owner=base.address), fields=("text",))
            if name not in by_name:
                changes.append(base)
                continue
            key, note = by_name[name]
            before = Note(name, note["text"])
            if note["owner"] != base.address:
                reason = "a note with this name is not managed by teamcomms"
                changes.append(replace(base, action="conflict", target_id=key, reason=reason))
            elif note["text"] == text:
                changes.append(replace(base, action="no-op", target_id=key, before=before))
            else:
                changes.append(replace(base, action="update", target_id=key, before=before))
        return changes

    def preflight(self, changes: list[Change], site: Any) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        owner = change.detail.owner if isinstance(change.detail, NoteDetail) else None
        return None if owner == change.address else "it writes another owner"

    def carry_out(self, change: Change, site: Any, applied: Applied) -> str | None:
        assert isinstance(change.after, Note) and isinstance(change.detail, NoteDetail)
        key = change.target_id or f"n{len(site.notes) + 1}"
        site.notes[key] = {
            "name": change.after.name,
            "text": change.after.text,
            "owner": change.detail.owner,
        }
        return key

    def describe(self, change: Change) -> list[str]:
        if isinstance(change.before, Note) and isinstance(change.after, Note):
            return [f"text: {change.before.text!r} -> {change.after.text!r}"]
        return []

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        return {"text": change.after.text if isinstance(change.after, Note) else None}

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        return ("board",)

    def export(self, current: dict[str, dict[str, str]], selection: ExportSelection) -> Exported:
        """A ``note`` definition per note; one nobody owns is adopted."""
        definitions = []
        for note in sorted(current.values(), key=lambda n: n["name"]):
            document: dict[str, Any] = {"text": note["text"]}
            if not note["owner"]:
                document["adopt"] = True
            definitions.append(ExportedDefinition("note", note["name"], "notes.yaml", document))
        return Exported(tuple(definitions))


def toy_site() -> SimpleNamespace:
    return SimpleNamespace(
        notes={"n1": {"name": "lunch", "text": "noon", "owner": ""}},
        reads=0,
        label="toy",
        stats=RequestStats(),
        opened_at=time.monotonic(),
        pool=SimpleNamespace(workers=2),
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "teamcomms.yaml").write_text("name: Toy\n")
    return load(tmp_path)


def test_a_toy_resource_plans_saves_applies_and_converges(
    workspace: Workspace, tmp_path: Path
) -> None:
    registry: list[Resource] = [Notes({"standup": "9:30", "retro": "Friday"})]
    site = toy_site()
    plan = plan_workspace(registry, workspace, site)  # type: ignore[arg-type]
    assert plan.summary() == "2 to create"
    buffer = io.StringIO()
    print_plan(plan, registry, Console(file=buffer, no_color=True, width=120))
    assert "+ create    note/retro  board 'retro'" in buffer.getvalue()
    entry = plan_to_json(plan, registry)["changes"][0]
    assert (entry["resource"], entry["text"]) == ("note", "Friday")

    saved = tmp_path / "plan.json"
    save_plan(plan, saved, registry)
    loaded = load_plan(saved, registry)
    assert loaded == plan
    report = apply_plan(loaded, site, registry)  # type: ignore[arg-type]
    assert [r.outcome for r in report.results] == ["done", "done"]
    assert sorted(n["name"] for n in site.notes.values()) == ["lunch", "retro", "standup"]

    again = plan_workspace(registry, workspace, site)  # type: ignore[arg-type]
    assert not again.has_changes
    changed = plan_workspace(
        [Notes({"standup": "10:00", "retro": "Friday"})],
        workspace,
        site,  # type: ignore[arg-type]
    )
    (update,) = [c for c in changed.changes if c.action == "update"]
    assert Notes({}).describe(update) == ["text: '9:30' -> '10:00'"]


def test_a_saved_toy_plan_pointed_at_an_unowned_note_writes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    registry: list[Resource] = [Notes({"standup": "9:30"})]
    site = toy_site()
    apply_plan(plan_workspace(registry, workspace, site), site, registry)  # type: ignore[arg-type]
    owned = next(k for k, n in site.notes.items() if n["name"] == "standup")
    plan: Plan = plan_workspace([Notes({"standup": "10:00"})], workspace, site)  # type: ignore[arg-type]
    saved = tmp_path / "plan.json"
    save_plan(plan, saved, registry)
    document = json.loads(saved.read_text())
    for entry in document["changes"]:
        if entry["id"] == owned:
            entry["id"] = "n1"  # the unowned "lunch" note
    from teamcomms.engine.saved_plan import plan_digest

    document["digest"] = plan_digest(document)  # a careful tamperer recomputes the digest
    saved.write_text(json.dumps(document))
    with pytest.raises(TamperedPlanError, match="belongs to nobody"):
        apply_plan(load_plan(saved, registry), site, registry)  # type: ignore[arg-type]
    assert site.notes["n1"]["text"] == "noon"
