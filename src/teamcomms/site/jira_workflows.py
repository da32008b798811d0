"""Jira statuses and workflows through the current Cloud APIs (``/rest/api/3/statuses`` and
``/rest/api/3/workflows``; never the removed ``/rest/api/3/workflow``), and asynchronous tasks.

Workflows are written whole: a create or update payload lists the workflow's statuses (by id)
and every transition with its rules; an update carries the version it was read at (optimistic
locking) and may start a task that moves issues between statuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from teamcomms.site.jira_base import JiraBase

# Statuses and workflows are listed in pages of at most this many (statuses/search answers up to
# 200, workflows/search up to 50; asking for more is capped).
STATUS_PAGE = 200
WORKFLOW_PAGE = 50


@dataclass(frozen=True)
class RemoteStatus:
    """A status as the site holds it."""

    id: str
    name: str
    category: str
    """``TODO``, ``IN_PROGRESS`` or ``DONE``."""
    description: str = ""


@dataclass(frozen=True)
class RemoteTransition:
    """A workflow transition: ``sources`` are status ids (empty for INITIAL and GLOBAL)."""

    id: str
    name: str
    type: str
    """``INITIAL``, ``GLOBAL`` or ``DIRECTED``."""
    to: str
    sources: tuple[str, ...] = ()
    description: str = ""
    validators: tuple[Mapping[str, Any], ...] = ()
    conditions: Mapping[str, Any] | None = None
    actions: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class RemoteWorkflow:
    """A workflow as the site holds it, with the names of the statuses it uses."""

    id: str
    name: str
    description: str
    version_id: str
    version_number: int
    statuses: tuple[str, ...]
    """Status ids, in the order the workflow lists them."""
    transitions: tuple[RemoteTransition, ...]
    status_names: Mapping[str, str] = field(default_factory=dict)
    """Status id -> name, for every status the workflow uses."""


@dataclass(frozen=True)
class ValidationProblem:
    """One error or warning from Jira's workflow validation endpoints."""

    level: str
    message: str
    element: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskOutcome:
    """How an asynchronous Jira task ended (or that it was still running when waiting stopped)."""

    id: str
    status: str
    """``COMPLETE``, ``FAILED``, ``CANCELLED``, ``DEAD`` or ``RUNNING``/``ENQUEUED`` when it did
    not finish in time."""
    message: str = ""

    @property
    def finished(self) -> bool:
        """Whether the task is over (successfully or not)."""
        return self.status not in ("ENQUEUED", "RUNNING", "CANCEL_REQUESTED")

    @property
    def ok(self) -> bool:
        """Whether the task completed."""
        return self.status == "COMPLETE"


class JiraWorkflows(JiraBase):
    """Statuses, workflows and the tasks workflow changes start (Cloud only)."""

    # -- statuses ------------------------------------------------------------------------------

    def list_statuses(self) -> list[RemoteStatus]:
        """Every status on the site (global and project-scoped)."""
        return [
            status_from_json(item) for item in self._paged_bean("statuses/search", {}, STATUS_PAGE)
        ]

    def create_statuses(self, statuses: Sequence[Mapping[str, str]]) -> list[RemoteStatus]:
        """Create global statuses (``name``, ``statusCategory``, ``description`` each)."""
        data = {"scope": {"type": "GLOBAL"}, "statuses": [dict(s) for s in statuses]}
        return [status_from_json(item) for item in self._post("statuses", data) or []]

    def update_statuses(self, statuses: Sequence[Mapping[str, str]]) -> None:
        """Update statuses (``id``, ``name``, ``statusCategory``, ``description`` each)."""
        self._put("statuses", {"statuses": [dict(s) for s in statuses]})

    def delete_statuses(self, status_ids: Sequence[str]) -> None:
        """Delete statuses no workflow uses."""
        self._delete("statuses", {"id": list(status_ids)})

    # -- workflows -----------------------------------------------------------------------------

    def list_workflows(self) -> list[RemoteWorkflow]:
        """Every workflow, transitions included."""
        found: list[RemoteWorkflow] = []
        query: dict[str, Any] = {"expand": "values.transitions"}
        start = 0
        while True:
            page = self._get(
                "workflows/search", {**query, "startAt": start, "maxResults": WORKFLOW_PAGE}
            )
            names = {s["id"]: s["name"] for s in page.get("statuses") or [] if "id" in s}
            values = page.get("values") or []
            found.extend(workflow_from_json(item, names) for item in values)
            if page.get("isLast", True) or not values:
                return found
            start += len(values)

    def validate_workflows(
        self, payload: Mapping[str, Any], *, create: bool
    ) -> list[ValidationProblem]:
        """What Jira's ``/workflows/{create,update}/validation`` says about ``payload``."""
        endpoint = "workflows/create/validation" if create else "workflows/update/validation"
        data = {"payload": dict(payload), "validationOptions": {"levels": ["ERROR", "WARNING"]}}
        answer = self._post(endpoint, data) or {}
        return [
            ValidationProblem(
                level=str(error.get("level", "ERROR")),
                message=str(error.get("message", "")),
                element=error.get("elementReference") or {},
            )
            for error in answer.get("errors") or []
        ]

    def create_workflows(self, payload: Mapping[str, Any]) -> list[RemoteWorkflow]:
        """``POST /workflows/create``: the new workflows."""
        answer = self._post("workflows/create", dict(payload)) or {}
        return _workflows(answer)

    def update_workflows(
        self, payload: Mapping[str, Any]
    ) -> tuple[list[RemoteWorkflow], str | None]:
        """``POST /workflows/update``: the updated workflows and the task moving issues, if any."""
        answer = self._post("workflows/update", dict(payload)) or {}
        task = answer.get("taskId")
        return _workflows(answer), str(task) if task else None

    def delete_workflow(self, workflow_id: str) -> None:
        """Delete an inactive workflow (``DELETE /workflow/{entityId}``, which remains)."""
        self._delete(f"workflow/{workflow_id}")

    # -- tasks ---------------------------------------------------------------------------------

    def task(self, task_id: str) -> TaskOutcome:
        """The state of an asynchronous task (``GET /task/{id}``)."""
        data = self._get(f"task/{task_id}")
        return TaskOutcome(
            id=str(data.get("id", task_id)),
            status=str(data.get("status", "RUNNING")),
            message=str(data.get("message") or ""),
        )

    def wait_for_task(
        self,
        task_id: str,
        *,
        sleep: Callable[[float], None],
        polls: int,
        interval: float,
        on_poll: Callable[[TaskOutcome], None] | None = None,
    ) -> TaskOutcome:
        """Poll a task until it is over or ``polls`` polls were made (``interval`` seconds
        apart); the last state seen is returned either way."""
        outcome = self.task(task_id)
        for _ in range(polls - 1):
            if outcome.finished:
                break
            if on_poll is not None:
                on_poll(outcome)
            sleep(interval)
            outcome = self.task(task_id)
        return outcome

    # -- helpers -------------------------------------------------------------------------------

    def _paged_bean(self, path: str, params: Mapping[str, Any], size: int) -> list[Any]:
        found: list[Any] = []
        start = 0
        while True:
            page = self._get(path, {**params, "startAt": start, "maxResults": size})
            values = page.get("values") or []
            found.extend(values)
            if page.get("isLast", len(values) < size) or not values:
                return found
            start += len(values)


def status_from_json(data: Mapping[str, Any]) -> RemoteStatus:
    """A ``JiraStatus`` answer."""
    return RemoteStatus(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        category=str(data.get("statusCategory", "")),
        description=str(data.get("description") or ""),
    )


def _workflows(answer: Mapping[str, Any]) -> list[RemoteWorkflow]:
    names = {
        str(s.get("id") or s.get("statusReference")): str(s["name"])
        for s in answer.get("statuses") or []
        if s.get("name")
    }
    return [workflow_from_json(item, names) for item in answer.get("workflows") or []]


def workflow_from_json(data: Mapping[str, Any], names: Mapping[str, str]) -> RemoteWorkflow:
    """A ``JiraWorkflow`` answer; ``names`` maps the status ids it uses to names."""
    version = data.get("version") or {}
    statuses = tuple(str(s.get("statusReference")) for s in data.get("statuses") or [])
    transitions = tuple(
        RemoteTransition(
            id=str(t.get("id", "")),
            name=str(t.get("name", "")),
            type=str(t.get("type", "DIRECTED")),
            to=str(t.get("toStatusReference", "")),
            sources=tuple(str(link.get("fromStatusReference")) for link in t.get("links") or []),
            description=str(t.get("description") or ""),
            validators=tuple(t.get("validators") or ()),
            conditions=t.get("conditions"),
            actions=tuple(t.get("actions") or ()),
        )
        for t in data.get("transitions") or []
    )
    return RemoteWorkflow(
        id=str(data["id"]),
        name=str(data.get("name", "")),
        description=str(data.get("description") or ""),
        version_id=str(version.get("id", "")),
        version_number=int(version.get("versionNumber", 0)),
        statuses=statuses,
        transitions=transitions,
        status_names={k: v for k, v in names.items() if k in statuses},
    )
