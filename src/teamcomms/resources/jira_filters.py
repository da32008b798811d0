"""The filter resource: Jira saved filters from ``filter`` definitions (JQL, description,
sharing, favourite), matched by name and owned through a tag in their description."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import Applied, DiffView, Observed, PlanOptions
from teamcomms.resources import jira_describe, jira_objects
from teamcomms.resources.convergent import create_once
from teamcomms.resources.jira_objects import (
    Existing,
    ObjectDetail,
    Spec,
    Wanted,
    WantedObjects,
    uses_jira,
)
from teamcomms.resources.marker_tag import read_tag, strip_tag, with_tag

if TYPE_CHECKING:
    from teamcomms.definitions import FilterDefinition
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_filters import RemoteFilter, ShareTarget

RESOURCE = "filter"


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


def _existing(found: RemoteFilter) -> Existing:
    tag = read_tag(found.description)
    spec = Spec(
        name=found.name,
        values={
            "description": strip_tag(found.description),
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
    )


class JiraFilters:
    """Saved filters: create, update, adopt, delete (with ``--prune``)."""

    kind = RESOURCE
    after: tuple[str, ...] = ("status", "workflow", "field")
    title = "Jira filters"
    before_type = Spec
    detail_type = ObjectDetail

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
        """Every visible filter, in pages of 100."""
        if not scope:
            return ()
        return tuple(_existing(found) for found in site.jira.list_filters())

    def observe(self, current: tuple[Existing, ...]) -> Iterable[Observed]:
        """The filters in the engine's terms."""
        return jira_objects.observe(RESOURCE, current)

    def diff(
        self, desired: WantedObjects, current: tuple[Existing, ...], options: PlanOptions
    ) -> list[Change]:
        """See :func:`teamcomms.resources.jira_objects.plan_objects`."""
        return jira_objects.plan_objects(
            RESOURCE, "filter", desired.objects, current, options.prune
        )

    def preflight(self, changes: list[Change], site: Any) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """A filter write must carry the marker of its own definition and content."""
        return jira_objects.marker_problem(change)

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

    def describe(self, change: Change) -> list[str]:
        """``jql: 'a' -> 'b'``, ``share: +group:warehouse``..."""
        return jira_describe.describe(change)

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """Filters have no body."""
        return []

    def summary_json(self, change: Change) -> dict[str, Any]:
        """``before`` and ``after`` values."""
        return jira_describe.summary_json(change)


def _share_target(site: Site, share: str) -> ShareTarget:
    from teamcomms.site.jira_filters import ShareTarget

    kind, _, name = share.partition(":")
    if kind == "project":
        return ShareTarget("project", project_id=jira_objects.project_id(site, name))
    if kind == "group":
        return ShareTarget("group", group=name)
    return ShareTarget(kind)
