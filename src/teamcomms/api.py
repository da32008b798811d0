"""The library calls the commands make, with the engine wired to every registered resource.

The engine knows no kind of object and the resources know no command line; this module puts
them together once (``teamcomms.__all__`` exports from here)::

    workspace = load_workspace("examples/ecommerce")     # definitions checked, bodies rendered
    with open_site("sandbox", project=workspace.project) as site:
        plan = plan_project(workspace, site)              # a value: print it, save it
        report = apply_plan(plan, site, confirm=lambda plan, count: True)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teamcomms.engine.planner import plan_workspace
from teamcomms.engine.resource import ExportSelection, PlanOptions, Prune
from teamcomms.engine.runner import ApplyOptions, Confirm, ResultCallback
from teamcomms.engine.workspace import Workspace, workspace_of
from teamcomms.resources import NOT_PLANNED, RESOURCES

if TYPE_CHECKING:
    from teamcomms.definitions import HireDefinition, ImportDefinition, Project
    from teamcomms.engine.change import Plan
    from teamcomms.engine.export import ExportReport
    from teamcomms.engine.report import ApplyReport
    from teamcomms.imports import SourceTable
    from teamcomms.resources.imported_issues import ImportedIssues
    from teamcomms.sandbox import SiteState
    from teamcomms.sandbox.provision import Provisioned
    from teamcomms.site.connection import Site


def plan_project(
    project: Project | Workspace,
    site: Site,
    *,
    targets: Sequence[str] = (),
    prune: Prune | None = None,
    workers: int | None = None,
) -> Plan:
    """Read the site in bulk and compute the plan for every kind of object the project
    defines. Nothing is written."""
    options = PlanOptions(prune=prune, targets=tuple(targets))
    return plan_workspace(
        RESOURCES,
        workspace_of(project),
        site,
        options,
        not_planned=NOT_PLANNED,
        workers=workers,
    )


def apply_plan(
    plan: Plan,
    site: Site,
    options: ApplyOptions | None = None,
    *,
    confirm: Confirm | None = None,
    on_result: ResultCallback | None = None,
) -> ApplyReport:
    """Check the plan (a saved one against the site), ask ``confirm`` (None: do not ask),
    carry out exactly its changes and report (see :func:`teamcomms.engine.runner.apply_plan`)."""
    from teamcomms.engine.runner import apply_plan as run

    options = options or ApplyOptions(workers=site.pool.workers)
    return run(plan, site, RESOURCES, options, confirm=confirm, on_result=on_result)


def save_plan(plan: Plan, path: Path) -> str:
    """Write ``plan`` for ``apply FILE``; returns its digest."""
    from teamcomms.engine.saved_plan import save_plan as save

    return save(plan, path, RESOURCES)


def load_plan(path: Path) -> Plan:
    """Read a plan written by :func:`save_plan` (refused if it was edited)."""
    from teamcomms.engine.saved_plan import load_plan as load

    return load(path, RESOURCES)


def provision_sandbox(state: SiteState, project: Project) -> Provisioned:
    """Create on a sandbox the spaces, Jira projects, issue types and groups the project's
    definitions name (what ``doctor`` checks); what was created."""
    from teamcomms.resources.prerequisites import site_prerequisites
    from teamcomms.sandbox.provision import provision

    needs = site_prerequisites(project)
    return provision(
        state,
        spaces=needs.spaces,
        projects={key: list(needs.issue_types_in(key)) for key in needs.projects},
        issue_types=needs.field_issue_types,
        groups=needs.groups,
    )


def sandbox_provision(project: Project | None) -> Callable[[Any], list[str]] | None:
    """For ``--site sandbox``: :func:`provision_sandbox`, saying what was created."""
    if project is None:
        return None

    def provision(state: Any) -> list[str]:
        made = provision_sandbox(state, project)
        return [f"sandbox: created {line}" for line in made.describe()]

    return provision


def export_project(
    site: Site,
    directory: Path,
    selection: ExportSelection | None = None,
    *,
    kinds: Collection[str] | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ExportReport:
    """Read the chosen parts of the site and write a project to ``directory`` that a plan
    against the same site shows as unchanged but for ownership markers (see
    :mod:`teamcomms.engine.export`); the written project is validated. Only reads the site."""
    from teamcomms.engine.connect import SANDBOX
    from teamcomms.engine.export import ExportReport, export_site, planned_files, write_files
    from teamcomms.engine.workspace import validate_project

    result = export_site(
        RESOURCES,
        site,
        selection or ExportSelection(),
        kinds,
        workers=workers or site.pool.workers,
        progress=progress,
    )
    settings: dict[str, Any] = {"name": directory.resolve().name}
    if site.label != SANDBOX:
        settings["site"] = site.settings.site_url
    if site.settings.deployment != "cloud":
        settings["deployment"] = site.settings.deployment
    written = write_files(directory, planned_files(result, settings), force=force)
    validation = validate_project(directory)
    return ExportReport(result, tuple(written), tuple(validation.problems))


def plan_onboarding(
    project: Project | Workspace,
    site: Site,
    hires: Sequence[HireDefinition] = (),
    *,
    unassigned: bool = False,
    workers: int | None = None,
) -> Plan:
    """The plan that onboards ``hires`` (the project's own when none are given): their epics,
    tasks and welcome pages, and what those need first (a parent page). Nothing is written.

    ``hires`` given here replace the project's hires of the same name; ``unassigned`` creates
    tasks whose owner has no Jira user without an assignee instead of stopping.
    """
    from dataclasses import replace

    from teamcomms.resources import ONBOARDING_RESOURCES

    workspace = workspace_of(project)
    whole = workspace.project
    chosen = list(hires) or list(whole.hires)
    config = whole.config
    if unassigned:
        onboarding = config.onboarding.model_copy(update={"unknown_users": "unassigned"})
        config = config.model_copy(update={"onboarding": onboarding})
    merged = replace(
        whole,
        config=config,
        # Only the hires onboarded now are read and planned (the others are not in scope).
        hires=tuple(chosen),
    )
    targets = tuple(sorted(h.identity for h in chosen))
    if not targets:
        from teamcomms.errors import UsageError

        raise UsageError(
            "no hire to onboard", hint="give --name/--email/..., --hire FILE or --from FILE"
        )
    onboarding_workspace = Workspace(merged, context=workspace.context)
    return plan_workspace(
        ONBOARDING_RESOURCES,
        onboarding_workspace,
        site,
        PlanOptions(targets=targets),
        workers=workers,
    )


def import_resource(
    definition: ImportDefinition, table: SourceTable, *, skip_invalid: bool = False
) -> ImportedIssues:
    """The resource of one import run: ``table``'s rows read through ``definition``. Plan it
    with :func:`plan_import`, apply it with :func:`apply_import`; afterwards its
    :meth:`~teamcomms.resources.imported_issues.ImportedIssues.outcomes` say what became of
    each row."""
    from teamcomms.resources.imported_issues import ImportedIssues

    return ImportedIssues(definition, table, skip_invalid=skip_invalid)


def plan_import(
    project: Project | Workspace,
    site: Site,
    rows: ImportedIssues,
    *,
    workers: int | None = None,
) -> Plan:
    """Read what the rows need from the site and plan their creation: every row checked
    against the project's create metadata first. Nothing is written."""
    return plan_workspace([rows], workspace_of(project), site, PlanOptions(), workers=workers)


def apply_import(
    plan: Plan,
    site: Site,
    rows: ImportedIssues,
    options: ApplyOptions | None = None,
    *,
    confirm: Confirm | None = None,
    on_result: ResultCallback | None = None,
) -> ApplyReport:
    """Carry out an import's plan (see :func:`apply_plan`); ``rows`` is the resource it was
    planned with (it records the issues it creates)."""
    from teamcomms.engine.runner import apply_plan as run

    options = options or ApplyOptions(workers=site.pool.workers)
    return run(plan, site, [rows], options, confirm=confirm, on_result=on_result)
