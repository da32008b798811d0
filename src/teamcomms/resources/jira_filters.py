"""The filter resource: Jira saved filters from ``filter`` definitions (JQL, description,
sharing, favourite), matched by name and owned through a tag in their description."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from teamcomms.definitions import FilterDefinition
from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    ALL_OBJECTS,
    Applied,
    Exported,
    ExportedDefinition,
    ExportNote,
    ExportSelection,
)
from teamcomms.resources import jira_objects
from teamcomms.resources.convergent import create_once
from teamcomms.resources.jira_export import export_object
from teamcomms.resources.jira_objects import (
    Existing,
    ObjectDetail,
    Spec,
    Wanted,
    WantedObjects,
    uses_jira,
)
from teamcomms.resources.jira_resource import JiraObjectResource
from teamcomms.resources.marker_tag import description_text, read_tag, with_tag

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_filters import RemoteFilter, ShareTarget

RESOURCE = "filter"
FILE = "jira/filters.yaml"


def filter_key(name: str) -> str:
    """The plan key of the change that writes the filter named ``name``."""
    return f"{RESOURCE}:{RESOURCE}/{name}"


def filter_spec(definition: FilterDefinition) -> Spec:
    """What teamcomms manages of a filter, as the site would hold it."""
    shares = []
    for share in definition.share:
        if share.type == "project":
            shares.append(f"project:{share.project}")
        elif share.type == "group":
            shares.append(f"group:{share.group}")
        else:
            shares.append(share.type)
    return Spec(
        name=definition.name,
        values={
            "description": " ".join(definition.description.split()),
            "jql": definition.jql.strip(),
            "favourite": definition.favourite,
            "share": sorted(shares),
        },
    )


def _existing(found: RemoteFilter, me: str | None = None) -> Existing:
    tag = read_tag(found.description)
    spec = Spec(
        name=found.name,
        values={
            "description": description_text(found.description),
            "jql": found.jql.strip(),
            "favourite": found.favourite,
            "share": list(found.shares),
        },
    )
    return Existing(
        id=found.id,
        spec=spec,
        owner=tag.definition if tag else None,
        written=tag.short_hash if tag else None,
        extra={} if me is None else {"theirs": found.owner not in (None, me)},
    )


class JiraFilters(JiraObjectResource):
    """Saved filters: create, update, adopt, delete (with ``--prune``)."""

    kind = RESOURCE
    noun = "filter"
    after: tuple[str, ...] = ("status", "workflow", "field")
    exports: tuple[str, ...] = ("filter",)
    export_needs: tuple[str, ...] = ()
    title = "Jira filters"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """Every ``filter`` definition."""
        project = workspace.project
        return WantedObjects(
            objects=tuple(
                Wanted(address=f.identity, spec=filter_spec(f), adopt=f.adopt)
                for f in project.filters
            ),
            uses_jira=uses_jira(project),
        )

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """Every filter the user can see is read (``*``), or nothing when Jira is not used."""
        return ("*",) if desired.uses_jira else ()

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """Every visible filter, in pages of 100 (with ``ALL_OBJECTS``, also whether someone
        else owns it: only its owner may change a filter)."""
        if not scope:
            return ()
        me = site.jira.myself().account_id if ALL_OBJECTS in scope else None
        return tuple(_existing(found, me) for found in site.jira.list_filters())

    def preflight(self, changes: list[Change], site: Any) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or delete one filter."""
        from teamcomms.site.errors import BadRequest, NotFound

        jira = site.jira
        if change.action == "delete":
            try:
                jira.delete_filter(change.target_id or "")
            except (NotFound, BadRequest):
                # Jira answers 400 "not available" for a filter that is already gone.
                if any(f.id == change.target_id for f in jira.list_filters()):
                    raise
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
        values = after.values
        arguments: dict[str, Any] = {
            "description": with_tag(values["description"], change.address, detail.hash),
            "favourite": bool(values["favourite"]),
            "shares": [_share_target(site, share) for share in values["share"]],
        }
        if change.action != "create":
            updated = jira.update_filter(
                change.target_id or "", after.name, values["jql"], **arguments
            )
            return updated.id

        def find() -> RemoteFilter | None:
            for found in jira.list_filters():
                tag = read_tag(found.description)
                if found.name == after.name and tag and tag.definition == change.address:
                    return found
            return None

        created = create_once(
            lambda: jira.create_filter(after.name, values["jql"], **arguments), find
        )
        return created.id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Every filter the user can see."""
        return (ALL_OBJECTS,)

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """A definition per filter; one owned by someone else, or shared in a way definitions
        cannot say (with a user, a project role), is not adopted."""
        definitions: list[ExportedDefinition] = []
        notes: list[ExportNote] = []
        for item in sorted(current, key=lambda e: (e.spec.name.casefold(), e.id)):
            values = item.spec.values
            problems = []
            if item.extra.get("theirs"):
                problems.append("someone else owns it, and only its owner may change it")
            shares = []
            for share in values["share"]:
                kind, _, target = str(share).partition(":")
                if kind in ("project", "group") and target:
                    shares.append({"type": kind, kind: target})
                elif kind in ("loggedin", "global") and not target:
                    shares.append({"type": kind})
                else:
                    problems.append(f"it is shared with {share}, which a definition cannot say")
            document: dict[str, Any] = {}
            if values["description"]:
                document["description"] = values["description"]
            document["jql"] = values["jql"]
            if values["favourite"]:
                document["favourite"] = True
            if shares:
                document["share"] = shares
            exported = export_object(
                kind=RESOURCE,
                noun="filter",
                item=item,
                document=document,
                spec_of=lambda d: filter_spec(FilterDefinition.model_validate(d)),
                file=FILE,
                problems=problems,
            )
            definitions.extend(exported.definitions)
            notes.extend(exported.notes)
        return Exported(tuple(definitions), tuple(notes))


def _share_target(site: Site, share: str) -> ShareTarget:
    from teamcomms.site.jira_filters import ShareTarget

    kind, _, name = share.partition(":")
    if kind == "project":
        return ShareTarget("project", project_id=jira_objects.project_id(site, name))
    if kind == "group":
        return ShareTarget("group", group=name)
    return ShareTarget(kind)
