"""Moving imported issues to their rows' statuses, through the workflow's transitions, as Jira
requires (a create puts an issue in its workflow's initial status; the status field cannot be
set).

Per issue: the transitions it can take now (``GET issue/{id}/transitions``, asked once per issue
type and status and reused); one leading straight to the status is taken. Otherwise the issue
type's workflow is read (``POST workflows``, once per type; it needs *Administer projects*) and
the shortest way through its transitions is taken, one transition at a time.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from teamcomms.errors import OperationFailed

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import Transition
    from teamcomms.site.jira_workflows import RemoteWorkflow


class NoWay(OperationFailed):
    """No transitions lead from the issue's status to the wanted one."""


class Mover:
    """Moves issues of one project, remembering transitions and workflows per issue type."""

    def __init__(self, site: Site, project_id: str) -> None:
        self.site = site
        self.project_id = project_id
        self._transitions: dict[tuple[str, str], list[Transition]] = {}
        self._workflows: dict[str, RemoteWorkflow | None] = {}
        self._lock = threading.Lock()

    def move(self, issue_id: str, type_id: str, status: str, target: str) -> None:
        """Move ``issue_id`` (of issue type ``type_id``, now in ``status``) to ``target``.
        Raises :class:`NoWay`, or the site's error."""
        from teamcomms.site.errors import BadRequest

        if status.casefold() == target.casefold():
            return
        available = self._available(issue_id, type_id, status)
        direct = next((t for t in available if t.to_status.casefold() == target.casefold()), None)
        if direct is not None:
            try:
                self.site.jira.transition(issue_id, direct.id)
            except BadRequest:
                # A condition may hide a transition from this issue: ask about the issue itself.
                fresh = self.site.jira.transitions(issue_id)
                retry = next(
                    (t for t in fresh if t.to_status.casefold() == target.casefold()), None
                )
                if retry is None:
                    raise
                self.site.jira.transition(issue_id, retry.id)
            return
        for transition_id in self._way(type_id, status, target):
            self.site.jira.transition(issue_id, transition_id)

    def _available(self, issue_id: str, type_id: str, status: str) -> list[Transition]:
        key = (type_id, status.casefold())
        with self._lock:
            if key in self._transitions:
                return self._transitions[key]
        found = self.site.jira.transitions(issue_id)
        with self._lock:
            self._transitions.setdefault(key, found)
        return found

    def _workflow(self, type_id: str) -> RemoteWorkflow | None:
        from teamcomms.site.errors import NotFound, PermissionDenied

        with self._lock:
            if type_id in self._workflows:
                return self._workflows[type_id]
        try:
            found = self.site.jira.workflow_of(self.project_id, type_id)
        except (PermissionDenied, NotFound):
            found = None
        with self._lock:
            self._workflows[type_id] = found
        return found

    def _way(self, type_id: str, status: str, target: str) -> list[str]:
        workflow = self._workflow(type_id)
        if workflow is None:
            raise NoWay(
                f"no transition leads from '{status}' straight to '{target}', and the workflow "
                "(to find a way through other statuses) cannot be read",
                hint="reading a workflow needs the Administer projects permission; or map the "
                "rows to a status their issues can reach in one transition",
            )
        way = shortest_way(workflow, status, target)
        if way is None:
            raise NoWay(f"the workflow {workflow.name!r} has no way from '{status}' to '{target}'")
        return way


def shortest_way(workflow: RemoteWorkflow, start: str, target: str) -> list[str] | None:
    """The transition ids of the shortest way from status ``start`` to ``target`` (names),
    ``None`` when there is none. Global transitions lead from every status."""
    ids = {name.casefold(): sid for sid, name in workflow.status_names.items()}
    begin, end = ids.get(start.casefold()), ids.get(target.casefold())
    if begin is None or end is None:
        return None
    edges: dict[str, list[tuple[str, str]]] = {s: [] for s in workflow.statuses}
    for transition in workflow.transitions:
        if transition.type == "INITIAL":
            continue
        sources: Sequence[str] = (
            workflow.statuses if transition.type == "GLOBAL" else transition.sources
        )
        for source in sources:
            if source != transition.to:
                edges.setdefault(source, []).append((transition.id, transition.to))
    came: dict[str, tuple[str, str] | None] = {begin: None}
    queue = deque([begin])
    while queue:
        here = queue.popleft()
        if here == end:
            way: list[str] = []
            step = came[here]
            while step is not None:
                transition_id, previous = step
                way.append(transition_id)
                step = came[previous]
            return list(reversed(way))
        for transition_id, there in edges.get(here, []):
            if there not in came:
                came[there] = (transition_id, here)
                queue.append(there)
    return None
