"""One bulk create of up to 50 issues that is never blindly re-sent: what onboarding's tasks and
imported rows share.

Jira's ``POST issue/bulk`` is not atomic: it answers with what it made and what it refused, item
by item. When its answer is lost (:class:`~teamcomms.site.errors.UncertainWriteError`), the
caller's look-up finds which items landed (by the marker every issue carries, set in the create
request itself), and only the others are sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from teamcomms.resources.convergent import CREATE_ATTEMPTS

if TYPE_CHECKING:
    from teamcomms.site.connection import Site
    from teamcomms.site.jira_issues import CreatedIssue, IssueToCreate

Landed = Callable[[], Mapping[str, "CreatedIssue"]]
"""Item -> the issue on the site that carries its marker (searched after a lost answer)."""


def bulk_create_once(
    site: Site,
    payloads: Sequence[IssueToCreate],
    items: Sequence[str],
    landed: Landed,
) -> tuple[list[tuple[int, CreatedIssue]], list[tuple[int, str]]]:
    """Create ``payloads`` (``items[n]`` names what ``payloads[n]`` is, as its marker does) in
    one request; returns ``(position, issue)`` for each created or found, and ``(position,
    Jira's reason)`` for each refused. Raises the lost answer's error after
    :data:`CREATE_ATTEMPTS` attempts that found nothing."""
    from teamcomms.site.errors import UncertainWriteError

    pending = list(range(len(payloads)))
    made: list[tuple[int, CreatedIssue]] = []
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            result = site.jira.create_issues([payloads[n] for n in pending])
        except UncertainWriteError:
            found = landed()
            made.extend((n, found[items[n]]) for n in pending if items[n] in found)
            pending = [n for n in pending if items[n] not in found]
            if not pending:
                return made, []
            if attempt == CREATE_ATTEMPTS:
                raise
            continue
        made.extend((pending[at], issue) for at, issue in result.created if at < len(pending))
        refused = [f for f in result.failed if 0 <= f.index < len(pending)]
        return made, [(pending[f.index], f.message) for f in refused]
    raise AssertionError("unreachable")  # pragma: no cover
