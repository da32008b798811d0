"""The steps ``plan`` and ``apply`` share, so the commands stay a few lines each."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from teamcomms.errors import ExitCode, TeamcommsError, UsageError
from teamcomms.publish.changes import Plan
from teamcomms.publish.current import read_current
from teamcomms.publish.fingerprint import state_fingerprint
from teamcomms.publish.from_project import desired_state
from teamcomms.publish.plan import PlanOptions, Prune, compute_plan
from teamcomms.publish.saved_plan import check_fresh

if TYPE_CHECKING:
    from collections.abc import Iterator

    from teamcomms.definitions import Project
    from teamcomms.site.connection import Site


@contextmanager
def connected(
    site_option: str | None,
    *,
    project: Project | None = None,
    project_dir: Path | None = None,
    workers: int | None = None,
) -> Iterator[Site]:
    """The site for a command (see :func:`teamcomms.engine.connect.open_site`)."""
    from teamcomms.engine.connect import open_site

    with open_site(site_option, project=project, project_dir=project_dir, workers=workers) as site:
        try:
            yield site
        except KeyboardInterrupt:
            # Ctrl-C while reading the site; once apply writes, it reports ApplyInterrupted.
            raise Interrupted() from None


class Interrupted(TeamcommsError):
    """Ctrl-C before anything was written."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self) -> None:
        super().__init__(
            "interrupted while reading the site; nothing was written",
            hint="run the command again when ready",
        )


def site_label(site: Site) -> str:
    """How a plan names its site: the URL, or ``sandbox`` (whose port changes every run)."""
    return site.label


def prune_mode(value: str | None) -> Prune | None:
    """The planner's prune mode for ``--prune`` (``archive``) or ``--prune=delete``."""
    if value is None:
        return None
    if value == "archive":
        return "archive"
    if value == "delete":
        return "delete"
    raise UsageError(f"--prune={value} is not a prune mode", hint="use --prune or --prune=delete")


def plan_project(
    project: Project,
    site: Site,
    *,
    targets: Sequence[str] = (),
    prune: Prune | None = None,
    workers: int | None = None,
) -> Plan:
    """Render the project, read the site in bulk, and compute the plan."""
    desired = desired_state(project)
    current = read_current(
        site.confluence, desired.all_spaces, workers=workers or site.pool.workers
    )
    options = PlanOptions(prune=prune, targets=tuple(targets))
    return compute_plan(desired, current, options, site=site_label(site))


def check_saved_plan(saved: Plan, site: Site, *, workers: int | None = None) -> None:
    """Re-read the spaces a saved plan touches; refuse it when its objects changed since."""
    current = read_current(site.confluence, saved.spaces, workers=workers or site.pool.workers)
    check_fresh(saved, state_fingerprint(saved.changes, current), site_label(site))
