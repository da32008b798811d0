"""The onboarding resources' diff: wanted hires + their issues on the site -> one epic change
and one tasks change per hire. Pure: no I/O.

Rules:
- an issue belongs to a hire by its marker, and to a checklist item by the marker's ``item``;
- what is missing is created; an item the checklist changed is updated, unless someone moved
  the issue on since teamcomms wrote it (status, or summary, description, assignee, due date or
  labels edited): such issues are never changed, the plan lists them as left alone;
- an issue whose item left the checklist is left alone too (nothing is ever deleted);
- an owner's email without a Jira user stops the plan (a conflict) unless the project says to
  leave such tasks unassigned.
"""

from __future__ import annotations

from dataclasses import replace

from teamcomms.engine.change import Change
from teamcomms.resources.marker_tag import short
from teamcomms.resources.onboarding_state import (
    EPIC_RESOURCE,
    TASKS_RESOURCE,
    CurrentOnboarding,
    EpicSpec,
    FoundIssue,
    HireTasks,
    LeftAlone,
    OnboardingDetail,
    TaskSpec,
    TaskWrite,
    WantedHire,
    WantedOnboarding,
)

UNASSIGNED_HINT = (
    "add the person to Jira or fix the email; or set `onboarding: {unknown_users: unassigned}` "
    "in teamcomms.yaml (`teamcomms onboard --unassigned`) to create such tasks unassigned"
)


def epic_key(address: str) -> str:
    """The plan key of a hire's epic change."""
    return f"{EPIC_RESOURCE}:{address}"


def plan_epics(desired: WantedOnboarding, current: CurrentOnboarding) -> list[Change]:
    """One change per hire: create, update or leave its epic."""
    return [_plan_epic(hire, current) for hire in desired.hires]


def plan_tasks(desired: WantedOnboarding, current: CurrentOnboarding) -> list[Change]:
    """One change per hire: the tasks to create and update, and those left alone."""
    return [_plan_tasks(hire, current, desired.unknown_users) for hire in desired.hires]


def _where(hire: WantedHire, current: CurrentOnboarding, type_name: str) -> tuple[str, str, str]:
    """``(project id, issue type id, problem)`` for creating in the hire's project."""
    project = next((p for p in current.projects if p[0] == hire.project), None)
    if project is None:
        return "", "", f"Jira project {hire.project} does not exist or you cannot see it"
    type_id = next((i for n, i in project[2] if n.lower() == type_name.lower()), None)
    if type_id is None:
        return project[1], "", f"project {hire.project} has no issue type {type_name!r}"
    return project[1], type_id, ""


def _plan_epic(hire: WantedHire, current: CurrentOnboarding) -> Change:
    want = hire.epic
    project_id, type_id, problem = _where(hire, current, "Epic")
    found = [i for i in current.of(hire.address) if not i.marker.item]
    detail = OnboardingDetail(
        hire=hire.name, project=hire.project, project_id=project_id, epic_type_id=type_id,
        notes=hire.notes,
    )  # fmt: skip
    base = Change(
        resource=EPIC_RESOURCE,
        address=hire.address,
        action="create",
        title=want.summary,
        scope=hire.project,
        after=want,
        fields=("summary", "description", "due", "labels"),
        detail=detail,
    )
    if not found:
        return replace(base, action="conflict", reason=problem) if problem else base
    epic = found[0]
    before = EpicSpec(
        summary=epic.summary, description=epic.text, due=epic.due or "", labels=epic.labels
    )
    unchanged = replace(
        base, action="no-op", target_id=epic.id, before=before, fields=(),
        detail=replace(detail, epic_id=epic.id),
    )  # fmt: skip
    if short(want.hash) == epic.marker.spec:
        return unchanged
    if epic.moved_on:
        reason = f"edited by hand ({', '.join(epic.changed_by_hand())}); left alone"
        left = LeftAlone(epic.key, epic.summary, reason)
        return replace(unchanged, detail=replace(unchanged.detail, left_alone=(left,)))
    fields = [
        name
        for name, old, new in (
            ("summary", epic.summary, want.summary),
            ("due", epic.due, want.due),
            ("labels", sorted(epic.labels), sorted(want.labels)),
        )
        if old != new
    ]
    return replace(unchanged, action="update", fields=tuple(fields or ["description"]))


def _plan_tasks(hire: WantedHire, current: CurrentOnboarding, unknown_users: str) -> Change:
    project_id, type_id, problem = _where(hire, current, hire.issue_type)
    specs, unknown, notes = _assigned(hire, current, unknown_users)
    found = _by_item(current.of(hire.address))
    epic = next((i for i in current.of(hire.address) if not i.marker.item), None)
    writes: list[TaskWrite] = []
    left: list[LeftAlone] = []
    for spec in specs:
        issue = found.get(spec.item)
        if issue is None:
            writes.append(TaskWrite(spec=spec))
        elif short(spec.hash) == issue.marker.spec:
            continue
        elif issue.moved_on:
            what = ", ".join(issue.changed_by_hand())
            left.append(LeftAlone(issue.key, issue.summary, f"edited by hand ({what}); left alone"))
        else:
            writes.append(TaskWrite(spec, issue.id, issue.key, _task_fields(issue, spec)))
    wanted_items = {spec.item for spec in specs}
    for item, issue in sorted(found.items()):
        if item not in wanted_items:
            left.append(LeftAlone(issue.key, issue.summary, "no longer in the checklist; kept"))
    creates = [w for w in writes if w.issue_id is None]
    detail = OnboardingDetail(
        hire=hire.name,
        project=hire.project,
        project_id=project_id,
        issue_type_id=type_id,
        epic_id=epic.id if epic else None,
        writes=tuple(writes),
        left_alone=tuple(left),
        notes=notes,
        known_ids=tuple(i.id for i in current.of(hire.address)),
    )
    change = Change(
        resource=TASKS_RESOURCE,
        address=hire.address,
        action="create" if creates else "update" if writes else "no-op",
        title=hire.epic.summary,
        scope=hire.project,
        after=HireTasks(tasks=specs),
        fields=("tasks",) if writes else (),
        requires=(epic_key(hire.address),),
        detail=detail,
    )
    if problem and creates:
        return replace(change, action="conflict", reason=problem)
    if unknown and writes:
        listed = "; ".join(f"{email} (owner of {titles})" for email, titles in unknown.items())
        return replace(
            change,
            action="conflict",
            reason=f"no Jira user has the email {listed}. {UNASSIGNED_HINT}",
        )
    return change


def _assigned(
    hire: WantedHire, current: CurrentOnboarding, unknown_users: str
) -> tuple[tuple[TaskSpec, ...], dict[str, str], tuple[str, ...]]:
    """The specs with their assignees' account ids; the unknown emails (with the items they
    own) when the project wants those to fail; notes for the plan."""
    specs: list[TaskSpec] = []
    unknown: dict[str, list[str]] = {}
    for spec in hire.tasks:
        looked, account = current.account(spec.email)
        if spec.email and looked and account is None:
            unknown.setdefault(spec.email, []).append(repr(spec.summary))
        specs.append(replace(spec, assignee=account))
    notes = list(hire.notes)
    if unknown_users == "unassigned":
        notes += [
            f"{len(titles)} task(s) unassigned: no Jira user has the email {email}"
            for email, titles in unknown.items()
        ]
        unknown = {}
    shown = {email: ", ".join(titles[:3]) + (", …" if len(titles) > 3 else "") for email, titles
             in unknown.items()}  # fmt: skip
    return tuple(specs), shown, tuple(notes)


def _by_item(issues: list[FoundIssue]) -> dict[str, FoundIssue]:
    """Each item's task: the oldest issue with its marker (``issues`` come oldest first)."""
    found: dict[str, FoundIssue] = {}
    for issue in issues:
        if issue.marker.item:
            found.setdefault(issue.marker.item, issue)
    return found


def _task_fields(issue: FoundIssue, spec: TaskSpec) -> tuple[str, ...]:
    fields = [
        name
        for name, old, new in (
            ("summary", issue.summary, spec.summary),
            ("assignee", issue.assignee, spec.assignee),
            ("due", issue.due, spec.due),
            ("labels", sorted(issue.labels), sorted(spec.labels)),
        )
        if old != new
    ]
    return tuple(fields or ["description"])
