"""The workflow resource: Jira workflows from ``workflow`` definitions, through
``/rest/api/3/workflows/create`` and ``/update`` (never the removed ``/rest/api/3/workflow``).

``plan`` sends each create or update to Jira's own validation endpoint first, so what Jira would
refuse shows in the plan at the definition's file and line, before anything is written. An
update carries the version the workflow was read at, keeps the ids of existing transitions, and
maps issues out of removed statuses with the definition's ``status_mapping``. Data Center has no
such API: each workflow is reported as not supported there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    ALL_OBJECTS,
    Applied,
    Exported,
    ExportSelection,
    PlanOptions,
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
from teamcomms.resources.jira_statuses import CATEGORIES, status_key, unsupported_on_data_center
from teamcomms.resources.jira_workflow_export import export_workflows
from teamcomms.resources.jira_workflow_read import existing_workflow, rule_names
from teamcomms.resources.jira_workflow_spec import Names, transitions_payload, workflow_spec
from teamcomms.resources.marker_tag import read_tag, with_tag

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_workflows import RemoteWorkflow

RESOURCE = "workflow"


def workflow_key(name: str) -> str:
    """The plan key of the change that writes the workflow named ``name``."""
    return f"{RESOURCE}:{RESOURCE}/{name}"


def wanted_workflows(workspace: Workspace) -> WantedObjects:
    """Every workflow definition, with what writing it needs."""
    project = workspace.project
    wanted = []
    for workflow in project.workflows:
        wanted.append(
            Wanted(
                address=workflow.identity,
                spec=workflow_spec(workflow),
                adopt=workflow.adopt,
                requires=tuple(status_key(s.name) for s in workflow.statuses),
                extra={
                    "location": str(workflow.source),
                    "categories": {s.name: CATEGORIES[s.category] for s in workflow.statuses},
                    "status_mapping": dict(workflow.status_mapping),
                    # Fields this run creates before the workflow (validation runs before that).
                    "defined_fields": sorted(f.name for f in project.fields),
                    "used_by": [
                        {"project": u.project, "issue_types": list(u.issue_types)}
                        for u in workflow.used_by
                    ],
                },
            )
        )
    return WantedObjects(tuple(wanted), uses_jira=uses_jira(project))


class JiraWorkflows(JiraObjectResource):
    """Workflows: create, update in place (version + 1), adopt, delete (with ``--prune``)."""

    kind = RESOURCE
    noun = "workflow"
    after: tuple[str, ...] = ("status", "field")
    exports: tuple[str, ...] = ("workflow",)
    export_needs: tuple[str, ...] = ()
    title = "Jira workflows"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """Every ``workflow`` definition."""
        return wanted_workflows(workspace)

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """The wanted workflows' names (every workflow is listed to find owned leftovers)."""
        if not desired.uses_jira:
            return ()
        return ("*", *sorted(w.spec.name for w in desired.objects))

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """Every workflow (Cloud); the ones wanted or owned (all with ``ALL_OBJECTS``) are
        translated into names."""
        if not scope or not site.jira.is_cloud:
            return ()
        wanted = {name.casefold() for name in scope if name != "*"}
        found = site.jira.list_workflows()
        relevant = [
            w
            for w in found
            if ALL_OBJECTS in scope
            or w.name.casefold() in wanted
            or read_tag(w.description) is not None
        ]
        names = rule_names(site, relevant)
        return tuple(existing_workflow(w, names) for w in relevant)

    def diff(
        self, desired: WantedObjects, current: tuple[Existing, ...], options: PlanOptions
    ) -> list[Change]:
        """See :func:`teamcomms.resources.jira_objects.plan_objects`."""
        wanted, prune = desired.objects, options.prune
        changes = jira_objects.plan_objects(RESOURCE, "workflow", wanted, current, prune)
        return [
            replace(change, warnings=(*change.warnings, _ADOPT_REWRITES))
            if change.action == "adopt"
            else change
            for change in changes
        ]

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """Jira's validation of every create and update; Data Center: not supported."""
        if not site.jira.is_cloud:
            return [unsupported_on_data_center(c, "workflows") for c in changes]
        if not any(c.action in _VALIDATED for c in changes):
            return changes
        known = {s.name.casefold(): s.id for s in site.jira.list_statuses()}
        return [_validated(change, site, known) for change in changes]

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or delete one workflow."""
        jira = site.jira
        if change.action == "delete":
            jira_objects.while_busy(site, lambda: jira.delete_workflow(change.target_id or ""))
            return change.target_id
        by_name: dict[str, str] = {}

        def status_id(name: str) -> str | None:
            found = applied.id_of(status_key(name))
            if found is None and not by_name:
                by_name.update((s.name.casefold(), s.id) for s in jira.list_statuses())
            return found or by_name.get(name.casefold())

        payload = workflow_payload(change, site, status_id)
        if change.action == "create":

            def find() -> RemoteWorkflow | None:
                for workflow in jira.list_workflows():
                    tag = read_tag(workflow.description)
                    if tag and tag.definition == change.address:
                        return workflow
                return None

            (created,) = create_once(
                lambda: jira_objects.while_busy(site, lambda: jira.create_workflows(payload)),
                lambda: _one(find()),
            )
            return created.id
        tries = 0

        def update() -> str | None:
            # After a lost answer the workflow is read again: a repeat sends the same content at
            # the version it has now (no duplicate; at worst one more version).
            nonlocal tries
            tries += 1
            fresh = payload
            if tries > 1:
                found = [w for w in jira.list_workflows() if w.id == change.target_id]
                if found:
                    fresh = _with_version(payload, found[0].version_id, found[0].version_number)
            return jira_objects.while_busy(site, lambda: jira.update_workflows(fresh))[1]

        task = again_if_uncertain(update)
        if task is not None:
            jira_objects.wait_for_task(site, task, change.title)
        return change.target_id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Every workflow of the site (workflows are global)."""
        return (ALL_OBJECTS,)

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """See :func:`teamcomms.resources.jira_workflow_export.export_workflows`."""
        return export_workflows(current)


def _site_names(site: Site, spec: Spec) -> Names:
    """What writing ``spec`` needs to know: the ids of the fields, groups, roles and resolution
    its rules name."""
    jira = site.jira
    transitions = spec.values["transitions"].values()
    wanted_groups = sorted({g for t in transitions for g in t.get("groups", [])})
    fields = (
        {f.name: f.id for f in jira.fields()} if any("requires" in t for t in transitions) else {}
    )
    groups = {g.name: g.id for g in jira.groups(names=wanted_groups)} if wanted_groups else {}
    roles = {r.name: r.id for r in jira.roles()} if any("roles" in t for t in transitions) else {}
    needs_resolution = any("resolution" in t for t in transitions)
    resolutions = {r.name: r.id for r in jira.resolutions()} if needs_resolution else {}
    return Names({}, fields, groups, roles, resolutions)


def workflow_payload(
    change: Change,
    site: Site,
    status_id_of: Callable[[str], str | None],
    *,
    validating: bool = False,
) -> dict[str, Any]:
    """The ``/workflows/create`` or ``/update`` payload for ``change``; a status whose id
    ``status_id_of`` does not know (validating before it is created) is sent as a new one, and
    when ``validating`` a required field that this run creates first is left out of the rules."""
    after, detail = change.after, change.detail
    assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
    if validating:
        after = _without_fields_made_later(site, after, detail.extra.get("defined_fields", []))
    categories: Mapping[str, str] = detail.extra.get("categories", {})
    statuses: list[dict[str, Any]] = []
    references: dict[str, str] = {}
    for name in after.values["statuses"]:
        status_id = status_id_of(name)
        reference = status_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"teamcomms-status:{name}"))
        references[name] = reference
        entry = {"statusReference": reference, "name": name, "statusCategory": categories.get(name)}
        statuses.append({**entry, "id": status_id} if status_id else entry)
    names = _site_names(site, after)
    current = detail.current
    transitions = transitions_payload(
        after, references.__getitem__, current.get("transition_ids", {}), names
    )
    workflow: dict[str, Any] = {
        "description": with_tag(after.values["description"], change.address, detail.hash),
        "statuses": [{"statusReference": references[n], "properties": {}} for n in references],
        "transitions": transitions,
    }
    if change.action == "create":
        workflow["name"] = after.name
        return {"scope": {"type": "GLOBAL"}, "statuses": statuses, "workflows": [workflow]}
    workflow["id"] = change.target_id
    workflow["version"] = {
        "id": current.get("version_id"),
        "versionNumber": current.get("version_number"),
    }
    mappings = _status_mappings(site, detail, references, change)
    if mappings:
        workflow["statusMappings"] = mappings
    return {"statuses": statuses, "workflows": [workflow]}


def _status_mappings(
    site: Site, detail: ObjectDetail, references: Mapping[str, str], change: Change
) -> list[dict[str, Any]]:
    """``statusMappings`` for the definition's ``status_mapping``, per project and issue type
    that uses the workflow."""
    mapping: Mapping[str, str] = detail.extra.get("status_mapping", {})
    if not mapping or not isinstance(change.before, Spec):
        return []
    old_ids = {}
    for old in mapping:
        found = _status_id_by_name(site, old)
        if found is not None:
            old_ids[old] = found
    migrations = [
        {"oldStatusReference": old_ids[old], "newStatusReference": references[new]}
        for old, new in mapping.items()
        if old in old_ids and new in references
    ]
    result = []
    for use in detail.extra.get("used_by", []):
        project = site.jira.cached_project(use["project"])
        if project is None:
            continue
        for issue_type in use["issue_types"]:
            type_id = project.issue_type_id(issue_type)
            if type_id:
                result.append(
                    {
                        "projectId": project.id,
                        "issueTypeId": type_id,
                        "statusMigrations": migrations,
                    }
                )
    return result


def _status_id_by_name(site: Site, name: str) -> str | None:
    return next(
        (s.id for s in site.jira.list_statuses() if s.name.casefold() == name.casefold()), None
    )


def _without_fields_made_later(site: Site, spec: Spec, defined: Sequence[str]) -> Spec:
    """``spec`` without the required fields that are not on the site yet but are defined in the
    project (created before the workflow; Jira would call them unknown when validating now)."""
    existing = {f.name for f in site.jira.fields()}
    later = set(defined) - existing
    if not later:
        return spec
    transitions = {
        name: {**t, "requires": [f for f in t.get("requires", []) if f not in later]}
        for name, t in spec.values["transitions"].items()
    }
    for transition in transitions.values():
        if not transition["requires"]:
            del transition["requires"]
    return Spec(spec.name, {**spec.values, "transitions": transitions})


def _with_version(payload: dict[str, Any], version_id: str, number: int) -> dict[str, Any]:
    """``payload`` updating the workflow at the version it has now."""
    workflows = [
        {**w, "version": {"id": version_id, "versionNumber": number}} for w in payload["workflows"]
    ]
    return {**payload, "workflows": workflows}


# Jira's workflow update takes the whole workflow: what teamcomms does not model on a workflow
# it did not write (a rule's own error message, transition properties) is not carried over.
_ADOPT_REWRITES = (
    "adopting writes the whole workflow as a new version in teamcomms' form: error messages of "
    "its rules and transition properties that the definition does not give are replaced"
)
_VALIDATED = frozenset({"create", "update", "adopt", "drifted"})


def _validated(change: Change, site: Site, known: Mapping[str, str]) -> Change:
    """``change``, or a conflict carrying Jira's validation errors at the definition's location."""
    if change.action not in _VALIDATED:
        return change
    detail = change.detail
    assert isinstance(detail, ObjectDetail)
    payload = workflow_payload(
        change, site, lambda name: known.get(name.casefold()), validating=True
    )
    problems = site.jira.validate_workflows(payload, create=change.action == "create")
    errors = [p.message for p in problems if p.level.upper() == "ERROR"]
    if not errors:
        return change
    where = detail.extra.get("location", "")
    hint = ""
    if any("status" in e.lower() and "mapping" in e.lower() for e in errors):
        hint = "; add `status_mapping: {OLD STATUS: NEW STATUS}` to the workflow definition"
    reason = f"{where}: Jira refuses this workflow: {'; '.join(errors)}{hint}"
    return replace(change, action="conflict", reason=reason)


def _one(found: RemoteWorkflow | None) -> list[RemoteWorkflow] | None:
    return None if found is None else [found]
