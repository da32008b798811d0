"""The custom-field resource: Jira custom fields from ``field`` definitions, with their contexts
(the projects and issue types a field applies to) and the options of select-like fields.

Options are added, reordered, renamed (``renamed_options: {old: new}``) and disabled; an option
that leaves the definition is disabled, never deleted, so the issues that use it keep their value.
Fields are matched by name and owned through a tag in their description; ``--prune`` moves an
owned field whose definition is gone to Jira's trash (where Cloud keeps it for 60 days).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import (
    ALL_OBJECTS,
    Applied,
    Exported,
    ExportSelection,
)
from teamcomms.resources import jira_objects
from teamcomms.resources.convergent import again_if_uncertain, create_once
from teamcomms.resources.jira_field_export import export_fields
from teamcomms.resources.jira_objects import (
    PENDING,
    Existing,
    ObjectDetail,
    Spec,
    Wanted,
    WantedObjects,
    uses_jira,
)
from teamcomms.resources.jira_resource import JiraObjectResource
from teamcomms.resources.jira_statuses import unsupported_on_data_center
from teamcomms.resources.marker_tag import description_text, read_tag, with_tag

if TYPE_CHECKING:
    from teamcomms.definitions import FieldDefinition
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_catalogue import RemoteField
    from teamcomms.site.jira_fields import RemoteContext

RESOURCE = "field"
_PREFIX = "com.atlassian.jira.plugin.system.customfieldtypes:"
# Definition type -> (Jira's custom field type, its searcher), as the `POST /field` documentation
# lists them (the spec's prose table gives wrong keys for the multi* types).
TYPES: dict[str, tuple[str, str]] = {
    "text": ("textfield", "textsearcher"),
    "textarea": ("textarea", "textsearcher"),
    "number": ("float", "exactnumber"),
    "date": ("datepicker", "daterange"),
    "datetime": ("datetime", "datetimerange"),
    "select": ("select", "multiselectsearcher"),
    "multiselect": ("multiselect", "multiselectsearcher"),
    "checkboxes": ("multicheckboxes", "multiselectsearcher"),
    "radio": ("radiobuttons", "multiselectsearcher"),
    "url": ("url", "exacttextsearcher"),
    "user": ("userpicker", "userpickergroupsearcher"),
    "labels": ("labels", "labelsearcher"),
}
OPTION_TYPES = frozenset({"select", "multiselect", "checkboxes", "radio"})


def default_context(name: str) -> str:
    """The name Jira gives the global context it creates with a field."""
    return f"Default Configuration Scheme for {name}"


def field_spec(definition: FieldDefinition) -> Spec:
    """What teamcomms manages of a custom field, as the site would hold it.

    Every custom field has a global context on Jira Cloud that cannot be deleted or narrowed to
    projects (since April 2026, CHANGE-3019): it is part of the spec under Jira's name for it,
    unless a definition's own context is global (no projects), which then names it.
    """
    contexts: dict[str, Any] = {}
    global_name = default_context(definition.name)
    for context in definition.contexts:
        if not context.projects and not context.issue_types:
            global_name = context.name
            continue
        contexts[context.name] = {
            "projects": sorted(context.projects),
            "issue_types": sorted(context.issue_types),
        }
    contexts = {global_name: {"projects": [], "issue_types": []}, **contexts}
    if definition.type in OPTION_TYPES:
        for context in contexts.values():
            context["options"] = list(definition.options)
    return Spec(
        name=definition.name,
        values={
            "type": definition.type,
            "description": " ".join(definition.description.split()),
            "contexts": contexts,
        },
    )


def _type_of(field: RemoteField) -> str:
    short = field.type.removeprefix(_PREFIX)
    return next((kind for kind, (key, _) in TYPES.items() if key == short), short)


def _existing(field: RemoteField, contexts: Sequence[RemoteContext], site: Site) -> Existing:
    tag = read_tag(field.description)
    kind = _type_of(field)
    keys = {p.id: p.name for p in site.jira.projects()}
    types = {t.id: t.name for t in site.jira.issue_types()}
    found: dict[str, Any] = {}
    for context in contexts:
        entry: dict[str, Any] = {
            "projects": sorted(keys.get(p, p) for p in context.project_ids),
            "issue_types": sorted(types.get(t, t) for t in context.issue_type_ids),
        }
        if kind in OPTION_TYPES:
            entry["options"] = [o.value for o in context.options if not o.disabled]
        found[context.name] = entry
    spec = Spec(
        name=field.name,
        values={
            "type": kind,
            "description": description_text(field.description),
            "contexts": found,
        },
    )
    return Existing(
        id=field.id,
        spec=spec,
        owner=tag.definition if tag else None,
        written=tag.short_hash if tag else None,
    )


class JiraCustomFields(JiraObjectResource):
    """Custom fields: create, update contexts and options, adopt, trash (with ``--prune``)."""

    kind = RESOURCE
    noun = "custom field"
    after: tuple[str, ...] = ()
    exports: tuple[str, ...] = ("field",)
    export_needs: tuple[str, ...] = ()
    title = "Jira custom fields"

    def desired(self, workspace: Workspace) -> WantedObjects:
        """Every ``field`` definition."""
        project = workspace.project
        wanted = tuple(
            Wanted(
                address=f.identity,
                spec=field_spec(f),
                adopt=f.adopt,
                extra={"renamed_options": dict(f.renamed_options)},
            )
            for f in project.fields
        )
        return WantedObjects(wanted, uses_jira=uses_jira(project))

    def scope(self, desired: WantedObjects) -> tuple[str, ...]:
        """The wanted fields' names (every field is listed to find owned leftovers)."""
        if not desired.uses_jira:
            return ()
        return ("*", *sorted(w.spec.name for w in desired.objects))

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> tuple[Existing, ...]:
        """The custom fields wanted or owned, with contexts and options (read side by side).
        Nothing on Data Center: it has neither ``/field/search`` nor the context and option
        APIs these fields are written through."""
        if not scope or not site.jira.is_cloud:
            return ()
        wanted = {name.casefold() for name in scope if name != "*"}
        relevant = [
            f
            for f in site.jira.custom_fields()
            if ALL_OBJECTS in scope
            or f.name.casefold() in wanted
            or read_tag(f.description) is not None
        ]
        if not relevant:
            return ()

        def existing(field: RemoteField) -> Existing:
            kind = _type_of(field)
            if kind not in TYPES:
                # A type teamcomms does not model (an app's field): nothing to compare, so its
                # contexts are not read.
                return _existing(field, (), site)
            return _existing(
                field, site.jira.contexts(field.id, options=kind in OPTION_TYPES), site
            )

        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(relevant)))) as pool:
            return tuple(pool.map(existing, relevant))

    def preflight(self, changes: list[Change], site: Site) -> list[Change]:
        """On Data Center each field change is reported as one it cannot carry out."""
        if site.jira.is_cloud:
            return changes
        return [unsupported_on_data_center(c, "custom field contexts and options") for c in changes]

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or trash one field, then bring its contexts and options in line."""
        jira = site.jira
        if change.action == "delete":

            def trash() -> None:
                if any(f.id == change.target_id for f in jira.custom_fields()):
                    jira.delete_field(change.target_id or "")

            again_if_uncertain(trash)
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Spec) and isinstance(detail, ObjectDetail)
        text = str(after.values["description"])
        description = with_tag(text, change.address, detail.hash)
        # The field, its contexts and its options take several requests: until the last one the
        # marker says the write is pending, so an interrupted run is finished, not taken for drift.
        pending = with_tag(text, change.address, PENDING)
        field_id = change.target_id
        multi_step = change.action == "create" or "contexts" in change.fields
        if change.action == "create":
            key, searcher = TYPES[str(after.values["type"])]

            def find() -> RemoteField | None:
                for field in jira.custom_fields():
                    tag = read_tag(field.description)
                    if tag and tag.definition == change.address:
                        return field
                return None

            created = create_once(
                lambda: jira.create_field(
                    after.name,
                    type_key=_PREFIX + key,
                    searcher=_PREFIX + searcher,
                    description=pending,
                ),
                find,
            )
            field_id = created.id
            # Later writes (workflow rules, filters) look fields up by name.
            jira.forget_fields()
        elif multi_step:
            jira.update_field(field_id or "", name=after.name, description=pending)
        again_if_uncertain(lambda: _reconcile_contexts(site, field_id or "", after, detail))
        if multi_step or {"name", "description", "marker"} & set(change.fields):
            jira.update_field(field_id or "", name=after.name, description=description)
        return field_id

    def export_scope(self, selection: ExportSelection) -> tuple[str, ...]:
        """Every custom field of the site (fields are global)."""
        return (ALL_OBJECTS,)

    def export(self, current: tuple[Existing, ...], selection: ExportSelection) -> Exported:
        """See :func:`teamcomms.resources.jira_field_export.export_fields`."""
        return export_fields(current)


def _reconcile_contexts(site: Site, field_id: str, spec: Spec, detail: ObjectDetail) -> None:
    """Make the field's contexts, their scope and their options what ``spec`` says."""
    jira = site.jira
    wanted: Mapping[str, Any] = spec.values["contexts"]
    options = spec.values["type"] in OPTION_TYPES
    current = {c.name: c for c in jira.contexts(field_id, options=options)}
    types = {t.name: t.id for t in jira.issue_types()}
    renamed: Mapping[str, str] = detail.extra.get("renamed_options", {})
    for name, want in wanted.items():
        projects = [jira_objects.project_id(site, key) for key in want["projects"]]
        issue_types = [types.get(t, t) for t in want["issue_types"]]
        context = current.get(name)
        if context is None and not projects and not issue_types:
            # The global context Jira makes with every field (and keeps): named as wanted.
            context = next((c for c in current.values() if not c.project_ids), None)
            if context is not None:
                jira.update_context(field_id, context.id, name=name)
        if context is None:
            context_id = jira.create_context(
                field_id, name, project_ids=projects, issue_type_ids=issue_types
            )
            if options:
                jira.add_options(field_id, context_id, want["options"])
            continue
        if context.project_ids or projects or issue_types:
            _rescope(site, field_id, context, projects, issue_types)
        if options:
            _reconcile_options(site, field_id, context, list(want["options"]), renamed)


def _rescope(
    site: Site, field_id: str, context: RemoteContext, projects: list[str], types: list[str]
) -> None:
    jira = site.jira
    jira.set_context_projects(
        field_id,
        context.id,
        add=sorted(set(projects) - set(context.project_ids)),
        remove=sorted(set(context.project_ids) - set(projects)),
    )
    jira.set_context_issue_types(
        field_id,
        context.id,
        add=sorted(set(types) - set(context.issue_type_ids)),
        remove=sorted(set(context.issue_type_ids) - set(types)),
    )


def _reconcile_options(
    site: Site,
    field_id: str,
    context: RemoteContext,
    wanted: list[str],
    renamed: Mapping[str, str],
) -> None:
    """Rename, add, re-enable, disable and reorder options; nothing is deleted."""
    jira = site.jira
    by_value = {o.value: o for o in context.options}
    updates: list[dict[str, Any]] = []
    for old, new in renamed.items():
        option = by_value.get(old)
        if option is not None and new in wanted and new not in by_value:
            updates.append({"id": option.id, "value": new, "disabled": False})
            by_value[new] = by_value.pop(old)
    for value, option in by_value.items():
        if value in wanted and option.disabled:
            updates.append({"id": option.id, "disabled": False})
        elif value not in wanted and not option.disabled:
            # Issues may hold this value: Jira keeps a disabled option for them.
            updates.append({"id": option.id, "disabled": True})
    jira.update_options(field_id, context.id, updates)
    missing = [v for v in wanted if v not in by_value]
    ids = {v: o.id for v, o in by_value.items()}
    ids.update({o.value: o.id for o in jira.add_options(field_id, context.id, missing)})
    enabled = [o.value for o in context.options if not o.disabled and o.value in wanted]
    if [v for v in wanted if v in enabled] != enabled or missing:
        jira.order_options(field_id, context.id, [ids[v] for v in wanted if v in ids])
