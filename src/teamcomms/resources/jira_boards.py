"""The board resource: Jira Software boards (scrum or kanban) on a filter, in a project.

A board is owned through its ``teamcomms`` board property (boards have entity properties).
Jira's API cannot change a board's type, filter or project, nor set its columns, swimlanes or
quick filters: a board whose definition asks for another type, filter or project is reported as
not supported (with what to do in Jira), and declared columns and quick filters are compared
with the board's configuration, each difference a warning with the steps to take in the board's
settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from teamcomms.definitions import BoardDefinition
from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    Applied,
    Exported,
    ExportedDefinition,
    ExportNote,
    ExportSelection,
    PlanOptions,
)
from teamcomms.resources import jira_objects
from teamcomms.resources.convergent import create_once
from teamcomms.resources.jira_export import export_object, skipped
from teamcomms.resources.jira_filters import filter_key
from teamcomms.resources.jira_objects import (
    Existing,
    ObjectDetail,
    Spec,
    Wanted,
    WantedObjects,
    uses_jira,
)
from teamcomms.resources.jira_resource import JiraObjectResource

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_boards import RemoteBoard

RESOURCE = "board"
PROPERTY = "teamcomms"
"""The board property that holds the marker."""


def _wanted(board: BoardDefinition) -> Wanted:
    return Wanted(
        address=board.identity,
        scope=board.project or "",
        spec=Spec(
            name=board.name,
            values={"type": board.type, "filter": board.filter, "project": board.project},
        ),
        adopt=board.adopt,
        requires=(filter_key(board.filter),),
        extra={
            "columns": [[c.name, list(c.statuses)] for c in board.columns],
            "swimlanes": board.swimlanes,
            "quick_filters": {q.name: q.jql for q in board.quick_filters},
        },
    )


class JiraBoards(JiraObjectResource):
    """Boards: create on their filter, adopt, delete (with ``--prune``); configuration checked."""

    kind = RESOURCE
    noun = "board"
    after: tuple[str, ...] = ("filter", "workflow-scheme")
    exports: tuple[str, ...] = ("board",)
    export_needs: tuple[str, ...] = ("filter",)
    title = "Jira boards"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """Every ``board`` definition."""
        project = workspace.project
        return WantedObjects(
            tuple(_wanted(b) for b in project.boards), uses_jira=uses_jira(project)
        )

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """The projects the boards are in (boards elsewhere are not teamcomms')."""
        if not desired.uses_jira:
            return ()
        return tuple(sorted({w.scope for w in desired.objects if w.scope}))

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """The boards of the projects, with their marker, filter, columns and quick filters."""
        if not scope:
            return ()
        jira = site.jira
        boards = [b for key in scope for b in jira.list_boards(project_key=key)]
        if not boards:
            return ()
        filters = {f.id: f.name for f in jira.list_filters()}
        statuses = {s.id: s.name for s in jira.list_statuses()} if jira.is_cloud else {}

        def existing(board: RemoteBoard) -> Existing:
            marker = jira.board_property(board.id, PROPERTY)
            configuration = jira.board_configuration(board.id)
            owner = marker.get("definition") if isinstance(marker, Mapping) else None
            return Existing(
                id=board.id,
                scope=board.project_key or "",
                spec=Spec(
                    name=board.name,
                    values={
                        "type": board.type,
                        "filter": filters.get(configuration.filter_id, configuration.filter_id),
                        "project": board.project_key,
                    },
                ),
                owner=str(owner) if owner else None,
                written=str(marker.get("hash")) if isinstance(marker, Mapping) else None,
                extra={
                    "columns": [
                        [name, [statuses.get(s, s) for s in ids]]
                        for name, ids in configuration.columns
                    ],
                    "quick_filters": jira.quick_filters(board.id),
                },
            )

        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(boards)))) as pool:
            return tuple(pool.map(existing, boards))

    def diff(
        self, desired: WantedObjects, current: tuple[Existing, ...], options: PlanOptions
    ) -> list[Change]:
        """Boards by name; a board Jira cannot change in place is reported, and declared
        columns and quick filters are compared with what the board shows."""
        wanted = {w.address: w for w in desired.objects}
        changes = jira_objects.plan_objects(
            RESOURCE, "board", desired.objects, current, options.prune
        )
        by_id = {e.id: e for e in current}
        return [_checked(c, wanted.get(c.address), by_id.get(c.target_id or "")) for c in changes]

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create a board on its filter, write its marker, or delete it."""
        jira = site.jira
        if change.action == "delete":
            jira.delete_board(change.target_id or "")
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
        marker = {"definition": change.address, "hash": detail.hash}
        board_id = change.target_id
        if change.action == "create":
            values = after.values
            filter_id = applied.id_of(filter_key(str(values["filter"]))) or next(
                (f.id for f in jira.list_filters() if f.name == values["filter"]), None
            )
            if filter_id is None:
                raise jira_objects.MissingOnSite(
                    f"the filter {values['filter']!r} of board {after.name!r} does not exist",
                    hint="define it as a `filter` (or check its name), then run apply again",
                )

            def find() -> RemoteBoard | None:
                for board in jira.list_boards(project_key=str(values["project"])):
                    found = jira.board_property(board.id, PROPERTY)
                    if isinstance(found, Mapping) and found.get("definition") == change.address:
                        return board
                return None

            created = create_once(
                lambda: jira.create_board(
                    after.name, str(values["type"]), filter_id, str(values["project"])
                ),
                find,
            )
            board_id = created.id
        jira.set_board_property(board_id or "", PROPERTY, marker)
        return board_id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """The boards of the chosen projects."""
        return tuple(selection.projects)

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """A definition per scrum or kanban board in a project, on its filter, with the
        columns and quick filters it shows (so a plan warns about none of them)."""
        definitions: list[ExportedDefinition] = []
        notes: list[ExportNote] = []
        for item in sorted(current, key=lambda e: (e.scope, e.spec.name.casefold(), e.id)):
            exported = _exported_board(item)
            definitions.extend(exported.definitions)
            notes.extend(exported.notes)
        return Exported(tuple(definitions), tuple(notes))


def _exported_board(item: Existing) -> Exported:
    values, name = item.spec.values, item.spec.name
    if values["type"] not in ("scrum", "kanban") or not values["project"]:
        why = f"a {values['type']} board" if values["project"] else "a board outside a project"
        return Exported(notes=(skipped("board", name, f"{why}, which definitions cannot say"),))
    document: dict[str, Any] = {
        "type": values["type"],
        "project": values["project"],
        "filter": values["filter"],
    }
    columns = [{"name": c[0], "statuses": list(c[1])} for c in item.extra.get("columns", [])]
    notes = [
        ExportNote(
            f"board {name!r} in {values['project']}",
            "swimlanes cannot be read through Jira's API: add `swimlanes:` to its definition "
            "to have plan remind you of them",
        )
    ]
    if any(not c["statuses"] for c in columns):
        notes.append(
            ExportNote(
                f"board {name!r} in {values['project']}",
                "a column shows no status, which a definition cannot say: columns not exported",
            )
        )
    elif columns:
        document["columns"] = columns
    quick = item.extra.get("quick_filters", {})
    if quick:
        document["quick_filters"] = [{"name": n, "jql": jql} for n, jql in quick.items()]
    exported = export_object(
        kind=RESOURCE,
        noun="board",
        item=item,
        document=document,
        spec_of=lambda d: _wanted(BoardDefinition.model_validate(d)).spec,
        file="jira/boards.yaml",
    )
    return Exported(exported.definitions, (*notes, *exported.notes))


def _checked(change: Change, wanted: Wanted | None, existing: Existing | None) -> Change:
    if wanted is None:
        return change
    if change.action in ("update", "drifted") and set(change.fields) - {"marker", "name"}:
        change = replace(
            change,
            action="unsupported",
            reason="Jira's API cannot change a board's type, filter or project: change it in the "
            "board's settings (Board > Configure), or delete the board and run apply to create "
            "it anew (its columns and quick filters would have to be set again)",
        )
    return replace(change, warnings=_configuration_warnings(change.title, wanted, existing))


def _configuration_warnings(
    name: str, wanted: Wanted, existing: Existing | None
) -> tuple[str, ...]:
    """What the user must set by hand in the board's settings, difference by difference."""
    warnings: list[str] = []
    steps = f"in Jira open board {name!r} > Board settings"
    have = existing.extra if existing is not None else {}
    columns = [(c[0], list(c[1])) for c in wanted.extra.get("columns", [])]
    current = [(c[0], list(c[1])) for c in have.get("columns", [])]
    if columns and columns != current:
        wanted_text = "; ".join(f"{n}: {', '.join(s)}" for n, s in columns)
        warnings.append(
            f"columns differ from the definition: {steps} > Columns and set them to "
            f"{wanted_text} (Jira has no API for board columns)"
        )
    swimlanes = wanted.extra.get("swimlanes")
    if swimlanes:
        warnings.append(
            f"swimlanes cannot be read through Jira's API: {steps} > Swimlanes and check that "
            f"they are grouped by {swimlanes}"
        )
    quick: Mapping[str, str] = wanted.extra.get("quick_filters", {})
    present: Mapping[str, str] = have.get("quick_filters", {})
    for filter_name, jql in quick.items():
        if present.get(filter_name) != jql:
            warnings.append(
                f"quick filter {filter_name!r} is missing or differs: {steps} > Quick filters, "
                f"add {filter_name!r} with JQL {jql!r} (Jira has no API to create quick filters)"
            )
    return tuple(warnings)
