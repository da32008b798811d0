"""The workflow-scheme resource: for each project that workflows are ``used_by``, a scheme that
maps its issue types to those workflows, assigned to the project.

teamcomms keeps one scheme per project, named ``<KEY> workflows`` and owned through a tag in its
description; a project on another scheme is switched to it. Assigning uses the direct call while
the project has no issues and the switch (an asynchronous task, polled with progress) when it has.
A 409 while another configuration task runs is waited out within a bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

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
from teamcomms.resources.convergent import again_if_uncertain, create_once
from teamcomms.resources.jira_objects import (
    Existing,
    ObjectDetail,
    Spec,
    Wanted,
    WantedObjects,
    uses_jira,
)
from teamcomms.resources.jira_resource import JiraObjectResource
from teamcomms.resources.jira_statuses import unsupported_on_data_center
from teamcomms.resources.jira_workflows import workflow_key
from teamcomms.resources.marker_tag import description_text, read_tag, with_tag

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_schemes import RemoteScheme

RESOURCE = "workflow-scheme"
DEFAULT_WORKFLOW = "jira"
"""Jira's default workflow: what issue types a scheme does not map use."""


def scheme_name(project_key: str) -> str:
    """The name of the scheme teamcomms keeps for a project."""
    return f"{project_key} workflows"


def wanted_schemes(project: Project) -> tuple[Wanted, ...]:
    """One scheme per project that a workflow is ``used_by``."""
    by_project: dict[str, dict[str, str]] = {}
    for workflow in project.workflows:
        for use in workflow.used_by:
            types = by_project.setdefault(use.project, {})
            for issue_type in use.issue_types:
                types[issue_type] = workflow.name
    return tuple(wanted_schemes_for(key, mappings) for key, mappings in sorted(by_project.items()))


class JiraWorkflowSchemes(JiraObjectResource):
    """Workflow schemes: create and assign, update in place, adopt, delete (with ``--prune``)."""

    kind = RESOURCE
    noun = "workflow scheme"
    after: tuple[str, ...] = ("workflow",)
    exports: tuple[str, ...] = ("workflow",)
    export_needs: tuple[str, ...] = ()
    title = "Jira workflow schemes"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """A scheme per project the workflows are used by."""
        project = workspace.project
        return WantedObjects(wanted_schemes(project), uses_jira=uses_jira(project))

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """The projects whose schemes matter."""
        if not desired.uses_jira:
            return ()
        return ("*", *sorted(w.scope for w in desired.objects))

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """Every scheme (owned ones are leftovers unless wanted), with which wanted project uses
        which, and the versions of the owned ones."""
        if not scope or not site.jira.is_cloud:
            return ()
        jira = site.jira
        keys = [key for key in scope if key not in ("*", ALL_OBJECTS)]
        projects = {key: jira.cached_project(key) for key in keys}
        ids = {p.id: key for key, p in projects.items() if p is not None}
        used = jira.schemes_of_projects(sorted(ids))
        users: dict[str, list[str]] = {}
        for project_id, scheme in used.items():
            users.setdefault(scheme.id, []).append(ids[project_id])
        type_names = {t.id: t.name for t in jira.issue_types()}
        wanted_names = {f"{key} workflows".casefold() for key in keys}
        relevant = [
            s
            for s in jira.list_schemes()
            if read_tag(s.description) is not None
            or s.name.casefold() in wanted_names
            or (ALL_OBJECTS in scope and s.id in users)
        ]
        versions = jira.scheme_versions([s.id for s in relevant])
        return tuple(
            _existing(s, sorted(users.get(s.id, [])), type_names, versions.get(s.id))
            for s in relevant
        )

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Data Center: not supported (its schemes API differs); nothing to ask on Cloud."""
        if site.jira.is_cloud:
            return changes
        return [unsupported_on_data_center(c, "workflow schemes") for c in changes]

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or delete one scheme, and assign it to its project."""
        jira = site.jira
        if change.action == "delete":
            jira_objects.while_busy(site, lambda: jira.delete_scheme(change.target_id or ""))
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
        values = after.values
        project = jira_objects.project_id(site, str(values["project"]))
        type_ids = _type_ids(site, values["mappings"])
        description = with_tag(str(values["description"]), change.address, detail.hash)
        # Creating a scheme and assigning it are two writes: until both are done its marker says
        # the write is pending, so an interrupted run is finished, not taken for a hand edit.
        pending = with_tag(str(values["description"]), change.address, jira_objects.PENDING)
        scheme_id = change.target_id
        if change.action == "create":

            def find() -> RemoteScheme | None:
                for scheme in jira.list_schemes():
                    tag = read_tag(scheme.description)
                    if tag and tag.definition == change.address:
                        return scheme
                return None

            mappings = {type_ids[t]: w for t, w in values["mappings"].items()}
            created = create_once(
                lambda: jira.create_scheme(after.name, pending, str(values["default"]), mappings),
                find,
            )
            scheme_id = created.id
            _assign(site, change, project, scheme_id)
            _update(site, replace(change, target_id=scheme_id), applied, description, type_ids)
            return scheme_id
        if "project" in change.fields:
            _update(site, change, applied, pending, type_ids)
            _assign(site, change, project, scheme_id or "")
        _update(site, change, applied, description, type_ids)
        return scheme_id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Every teamcomms scheme, and the schemes of the chosen projects."""
        return (ALL_OBJECTS, *selection.projects)

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """``used_by`` for the workflows a teamcomms scheme maps (parts of their definitions);
        a project on a scheme teamcomms does not keep is a note: ``used_by`` would move it to a
        scheme of teamcomms' own."""
        parts: list[ExportedDefinition] = []
        notes: list[ExportNote] = []
        for item in sorted(current, key=lambda e: e.spec.name):
            key = item.spec.values.get("project")
            where = f"workflow scheme {item.spec.name!r}"
            owned_key = (item.owner or "").removeprefix(f"{RESOURCE}/")
            if key is None:
                if item.owner is not None:
                    notes.append(
                        ExportNote(
                            where,
                            f"kept by teamcomms, but its project was not chosen: give --project "
                            f"{owned_key} to export which workflows it maps (a plan of the "
                            "export reports the scheme as an orphan)",
                        )
                    )
                continue
            mappings: dict[str, str] = dict(item.spec.values["mappings"])
            if item.owner != f"{RESOURCE}/{key}" or item.spec.name != scheme_name(key):
                if not mappings and item.spec.values["default"] == DEFAULT_WORKFLOW:
                    continue  # Jira's default workflow for everything: nothing to say
                shown = ", ".join(f"{t}: {w}" for t, w in mappings.items()) or "no mappings"
                notes.append(
                    ExportNote(
                        where,
                        f"project {key} uses it ({shown}); teamcomms keeps one scheme per "
                        f"project, {scheme_name(key)!r}, made from the workflows' `used_by`, "
                        f"so `used_by` was not exported: adding it moves {key} to that scheme",
                    )
                )
                continue
            by_workflow: dict[str, list[str]] = {}
            for issue_type, workflow in mappings.items():
                by_workflow.setdefault(workflow, []).append(issue_type)
            for workflow, types in sorted(by_workflow.items()):
                use = {"project": key, "issue_types": sorted(types)}
                parts.append(
                    ExportedDefinition("workflow", workflow, "", {"used_by": [use]}, part=True)
                )
            wanted = wanted_schemes_for(key, mappings)
            differs = jira_objects.changed_fields(item.spec, wanted.spec)
            if differs:
                notes.append(ExportNote(where, f"a plan would change its {', '.join(differs)}"))
        return Exported(tuple(parts), tuple(notes))


def wanted_schemes_for(key: str, mappings: Mapping[str, str]) -> Wanted:
    """The scheme teamcomms wants for project ``key`` mapping issue types to workflows."""
    return Wanted(
        address=f"{RESOURCE}/{key}",
        scope=key,
        spec=Spec(
            name=scheme_name(key),
            values={
                "description": f"Workflows of {key}, kept as code by teamcomms.",
                "default": DEFAULT_WORKFLOW,
                "mappings": dict(sorted(mappings.items())),
                "project": key,
            },
        ),
        requires=tuple(sorted({workflow_key(name) for name in mappings.values()})),
    )


def _existing(
    scheme: RemoteScheme,
    projects: list[str],
    type_names: Mapping[str, str],
    version: tuple[str, int] | None,
) -> Existing:
    tag = read_tag(scheme.description)
    mappings = {type_names.get(t, t): w for t, w in sorted(scheme.mappings.items())}
    spec = Spec(
        name=scheme.name,
        values={
            "description": description_text(scheme.description),
            "default": scheme.default_workflow,
            "mappings": dict(sorted(mappings.items())),
            "project": projects[0] if projects else None,
        },
    )
    return Existing(
        id=scheme.id,
        scope=projects[0] if projects else "",
        spec=spec,
        owner=tag.definition if tag else None,
        written=tag.short_hash if tag else None,
        extra={"version": list(version) if version else None},
    )


def _type_ids(site: Site, mappings: Mapping[str, str]) -> dict[str, str]:
    known = {t.name: t.id for t in site.jira.issue_types()}
    missing = sorted(t for t in mappings if t not in known)
    if missing:
        raise jira_objects.MissingOnSite(
            f"issue type(s) {', '.join(missing)} do not exist on the site",
            hint="create them (Jira settings > Issues > Issue types) or fix `used_by`",
        )
    return {name: known[name] for name in mappings}


def _update(
    site: Site, change: Change, applied: Applied, description: str, type_ids: Mapping[str, str]
) -> None:
    after, detail = change.after, change.detail
    assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
    jira = site.jira
    workflow_ids = {w.name: w.id for w in jira.list_workflows()}
    by_workflow: dict[str, list[str]] = {}
    for issue_type, workflow in after.values["mappings"].items():
        workflow_id = applied.id_of(workflow_key(workflow)) or workflow_ids.get(workflow, workflow)
        by_workflow.setdefault(workflow_id, []).append(type_ids[issue_type])
    scheme_id = change.target_id or ""

    def update() -> str | None:
        # The version is read just before each try: a repeat after a lost answer sends the same
        # content again at the new version instead of being refused as stale.
        version = jira.scheme_versions([scheme_id]).get(scheme_id, ("", 0))
        return jira_objects.while_busy(
            site,
            lambda: jira.update_scheme(
                scheme_id,
                name=after.name,
                description=description,
                version=(str(version[0]), int(version[1])),
                default_workflow_id=workflow_ids.get(str(after.values["default"])),
                workflows_for_types=by_workflow,
            ),
        )

    task = again_if_uncertain(update)
    if task is not None:
        jira_objects.wait_for_task(site, task, change.title)


def _assign(site: Site, change: Change, project_id: str, scheme_id: str) -> None:
    """Assign directly when the project has no issues; otherwise switch, and wait for the task."""
    from teamcomms.site.errors import BadRequest

    jira = site.jira
    try:
        jira_objects.while_busy(site, lambda: jira.assign_scheme(project_id, scheme_id))
        return
    except BadRequest:
        # Jira assigns directly only to a project without issues; the switch moves them.
        pass

    def switch() -> str | None:
        current = jira.schemes_of_projects([project_id]).get(project_id)
        if current is not None and current.id == scheme_id:
            return None  # an earlier try whose answer was lost switched it
        return jira_objects.while_busy(site, lambda: jira.switch_scheme(project_id, scheme_id))

    task = again_if_uncertain(switch)
    if task is not None:
        jira_objects.wait_for_task(site, task, change.title)
