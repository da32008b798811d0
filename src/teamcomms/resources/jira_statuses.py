"""The status resource: the Jira statuses the workflows use.

Statuses are global in Jira and shared by workflows, so each is wanted once, by name. A status
that exists already with the wanted category is reused as it is (teamcomms neither changes nor
owns it: "To Do" and "Done" belong to everyone); a missing one is created with its category and
the description of the first workflow that lists it, and owned through a tag in its description.
A status of the wanted name but another category is a conflict (Jira has one category per status).
Statuses exist only on Jira Cloud's ``/rest/api/3/statuses``: on Data Center each is reported as
not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    Applied,
    Exported,
    ExportSelection,
    PlanOptions,
)
from teamcomms.resources import jira_objects
from teamcomms.resources.convergent import create_once
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
    from teamcomms.definitions import Project
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_workflows import RemoteStatus

RESOURCE = "status"
CATEGORIES = {"todo": "TODO", "in_progress": "IN_PROGRESS", "done": "DONE"}
"""Definition category -> Jira's ``statusCategory``."""


def status_key(name: str) -> str:
    """The plan key of the change that writes the status named ``name``."""
    return f"{RESOURCE}:{RESOURCE}/{name}"


def wanted_statuses(project: Project) -> tuple[Wanted, ...]:
    """One wanted status per name (case-insensitive), from the workflows in file order."""
    seen: dict[str, Wanted] = {}
    for workflow in project.workflows:
        for status in workflow.statuses:
            key = status.name.casefold()
            if key in seen:
                continue
            seen[key] = Wanted(
                address=f"{RESOURCE}/{status.name}",
                spec=Spec(
                    name=status.name,
                    values={
                        "category": status.category,
                        "description": " ".join(status.description.split()),
                    },
                ),
            )
    return tuple(seen.values())


def _existing(found: RemoteStatus) -> Existing:
    tag = read_tag(found.description)
    category = {v: k for k, v in CATEGORIES.items()}.get(found.category, found.category.lower())
    spec = Spec(
        name=found.name,
        values={"category": category, "description": description_text(found.description)},
    )
    return Existing(
        id=found.id,
        spec=spec,
        owner=tag.definition if tag else None,
        written=tag.short_hash if tag else None,
    )


def plan_statuses(
    wanted: Sequence[Wanted], existing: Sequence[Existing], options: PlanOptions
) -> list[Change]:
    """Reuse unowned statuses of the same category; create, update and prune owned ones."""
    unowned = {e.spec.name.casefold(): e for e in existing if e.owner is None}
    reused: list[Change] = []
    rest: list[Wanted] = []
    for want in wanted:
        found = unowned.get(want.spec.name.casefold())
        if found is None:
            rest.append(want)
            continue
        same = found.spec.values.get("category") == want.spec.values.get("category")
        reused.append(
            Change(
                resource=RESOURCE,
                address=want.address,
                action="no-op" if same else "conflict",
                title=found.spec.name,
                target_id=found.id,
                before=found.spec,
                after=found.spec if same else want.spec,
                reason="reused: it exists already and teamcomms does not change it"
                if same
                else f"the status {found.spec.name!r} exists with category "
                f"{found.spec.values.get('category')}, the workflows want "
                f"{want.spec.values.get('category')}; Jira has one category per status: rename "
                "the status in the definitions, or change its category in Jira",
            )
        )
    taken = {c.target_id for c in reused}
    others = [e for e in existing if e.id not in taken]
    return reused + jira_objects.plan_objects(RESOURCE, "status", rest, others, options.prune)


class JiraStatuses(JiraObjectResource):
    """Statuses: reuse, create, update, delete (with ``--prune``)."""

    kind = RESOURCE
    noun = "status"
    after: tuple[str, ...] = ()
    exports: tuple[str, ...] = ()
    export_needs: tuple[str, ...] = ()
    title = "Jira statuses"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """Every status the workflows list."""
        project = workspace.project
        return WantedObjects(wanted_statuses(project), uses_jira=uses_jira(project))

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """Every status on the site is read when the project uses Jira."""
        return ("*",) if desired.uses_jira else ()

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """Every status (Cloud); nothing on Data Center, which has no status API to write."""
        if not scope or not site.jira.is_cloud:
            return ()
        return tuple(_existing(found) for found in site.jira.list_statuses())

    def diff(
        self, desired: WantedObjects, current: tuple[Existing, ...], options: PlanOptions
    ) -> list[Change]:
        """See :func:`plan_statuses`."""
        return plan_statuses(desired.objects, current, options)

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """On Data Center statuses cannot be created through REST: each is reported so."""
        if site.jira.is_cloud:
            return changes
        return [unsupported_on_data_center(c, "statuses") for c in changes]

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or delete one status."""
        jira = site.jira
        if change.action == "delete":
            jira.delete_statuses([change.target_id or ""])
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
        body = {
            "name": after.name,
            "statusCategory": CATEGORIES[str(after.values["category"])],
            "description": with_tag(str(after.values["description"]), change.address, detail.hash),
        }
        if change.action != "create":
            jira.update_statuses([{**body, "id": change.target_id or ""}])
            return change.target_id

        def find() -> RemoteStatus | None:
            for found in jira.list_statuses():
                tag = read_tag(found.description)
                if found.name == after.name and tag and tag.definition == change.address:
                    return found
            return None

        (created,) = create_once(lambda: jira.create_statuses([body]), lambda: _one(find()))
        return created.id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Nothing of its own: a status is exported inside the workflows that use it (its
        category and description come with the workflows' answer)."""
        return ()

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """Nothing (see :meth:`export_scope`)."""
        return Exported()


def _one(found: RemoteStatus | None) -> list[RemoteStatus] | None:
    return None if found is None else [found]


def unsupported_on_data_center(change: Change, what: str) -> Change:
    """``change`` reported as one a Data Center site cannot carry out through REST."""
    if change.action in ("no-op", "orphan"):
        return change
    return replace(
        change,
        action="unsupported",
        reason=f"Jira Data Center has no REST API to write {what}: make this change in Jira's "
        "administration screens (the definition still documents it)",
    )
