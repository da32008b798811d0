"""Desired state + current state -> a :class:`~teamcomms.engine.change.Plan`, for every resource.

:func:`compute_plan` is pure: the resources' desired and current values in, the plan out.
:func:`plan_workspace` does the I/O around it: each resource's desired state from the workspace
(every definition problem of every resource reported at once), then the current state of all
resources read side by side, then the diff. The engine never looks inside a resource's values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change, NotManaged, Plan
from teamcomms.engine.fingerprint import state_fingerprint
from teamcomms.engine.resource import Observed, PlanOptions, Prune, Resource
from teamcomms.engine.targets import limit_to_targets
from teamcomms.errors import DefinitionError, Problem, UsageError

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site


def compute_plan(
    resources: Sequence[Resource],
    desired: Mapping[str, Any],
    current: Mapping[str, Any],
    options: PlanOptions | None = None,
    *,
    site: str | None = None,
    scopes: Mapping[str, Sequence[str]] | None = None,
    not_managed: Sequence[NotManaged] = (),
    warnings: Sequence[str] = (),
    project_root: str | None = None,
) -> Plan:
    """Every change that makes each resource's ``current`` match its ``desired`` (both keyed
    by :attr:`Resource.kind`), resources in registry order, limited to ``options.targets``."""
    options = options or PlanOptions()
    changes: list[Change] = []
    observed: list[Observed] = []
    for resource in resources:
        if resource.kind not in desired:
            continue
        changes.extend(resource.diff(desired[resource.kind], current[resource.kind], options))
        observed.extend(resource.observe(current[resource.kind]))
    changes = limit_to_targets(changes, options.targets)
    return Plan(
        changes=tuple(changes),
        fingerprint=state_fingerprint(changes, observed),
        site=site,
        scopes=tuple((kind, tuple(sorted(scope))) for kind, scope in (scopes or {}).items()),
        not_managed=tuple(not_managed),
        warnings=tuple(warnings),
        project_root=project_root,
    )


def desired_states(resources: Sequence[Resource], workspace: Workspace) -> dict[str, Any]:
    """Each resource's desired state; raises one :class:`DefinitionError` with every problem."""
    problems: list[Problem] = []
    desired: dict[str, Any] = {}
    for resource in resources:
        try:
            desired[resource.kind] = resource.desired(workspace)
        except DefinitionError as error:
            problems.extend(error.problems)
    if problems:
        raise DefinitionError(problems)
    return desired


def read_states(
    resources: Sequence[Resource],
    site: Site,
    scopes: Mapping[str, Sequence[str]],
    *,
    workers: int,
) -> dict[str, Any]:
    """Each resource's current state of its scope, the resources read side by side (each
    bulk read parallelises its own requests over ``workers``)."""
    chosen = [r for r in resources if r.kind in scopes]
    if not chosen:
        return {}
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        read = pool.map(lambda r: r.read(site, scopes[r.kind], workers=workers), chosen)
        return {r.kind: state for r, state in zip(chosen, read, strict=True)}


def plan_workspace(
    resources: Sequence[Resource],
    workspace: Workspace,
    site: Site,
    options: PlanOptions | None = None,
    *,
    not_planned: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> Plan:
    """Read the site in bulk and compute the plan for ``workspace``.

    ``not_planned`` maps definition kinds that no resource plans to what handles them instead;
    they are listed in the plan so that nothing is silently ignored.
    """
    options = options or PlanOptions()
    desired = desired_states(resources, workspace)
    scopes = {r.kind: r.scope(desired[r.kind]) for r in resources}
    current = read_states(resources, site, scopes, workers=workers or site.pool.workers)
    plan = compute_plan(
        resources,
        desired,
        current,
        options,
        site=site.label,
        scopes=scopes,
        not_managed=_not_managed(workspace, not_planned or {}),
        warnings=workspace.warnings,
        project_root=str(workspace.root.resolve()),
    )
    return preflight(resources, plan, site)


def preflight(resources: Sequence[Resource], plan: Plan, site: Site) -> Plan:
    """``plan`` with every change the site says it would refuse turned into a conflict (see
    :meth:`Resource.preflight`); the fingerprint is unchanged (nothing new was read)."""
    changes: list[Change] = []
    for resource in resources:
        own = [c for c in plan.changes if c.resource == resource.kind]
        changes.extend(resource.preflight(own, site) if own else own)
    return replace(plan, changes=tuple(changes))


def _not_managed(workspace: Workspace, not_planned: Mapping[str, str]) -> list[NotManaged]:
    counts = workspace.project.counts()
    return [
        NotManaged(kind=kind, count=counts[kind], handled_by=handled_by)
        for kind, handled_by in not_planned.items()
        if counts.get(kind)
    ]


def prune_mode(value: str | None) -> Prune | None:
    """The planner's prune mode for ``--prune`` (``archive``) or ``--prune=delete``."""
    if value is None:
        return None
    if value == "archive":
        return "archive"
    if value == "delete":
        return "delete"
    raise UsageError(f"--prune={value} is not a prune mode", hint="use --prune or --prune=delete")
