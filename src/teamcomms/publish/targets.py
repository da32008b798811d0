"""``--target KIND/NAME``: limit a plan to some definitions (and the parents they need)."""

from __future__ import annotations

from teamcomms.errors import TeamcommsError
from teamcomms.publish.changes import Change


class UnknownTarget(TeamcommsError):
    """A ``--target`` names no definition. Exit code 1, so that ``plan --detailed-exitcode``
    never mistakes it for "changes" (2)."""


def limit_to_targets(changes: list[Change], targets: tuple[str, ...]) -> list[Change]:
    """The changes of ``targets``, plus the creates of parent pages they wait for (all changes
    when ``targets`` is empty). Raises :class:`UnknownTarget` naming the known addresses."""
    if not targets:
        return changes
    known = {c.address for c in changes}
    unknown = sorted(set(targets) - known)
    if unknown:
        raise UnknownTarget(
            f"unknown target {', '.join(unknown)}",
            hint="name a definition as KIND/NAME, e.g. page/onboarding-home; "
            f"known: {', '.join(sorted(known)) or 'none'}",
        )
    by_address = {c.address: c for c in changes}
    keep = set(targets)
    for address in targets:
        change = by_address[address]
        while change.depends_on and change.depends_on not in keep:
            keep.add(change.depends_on)
            change = by_address[change.depends_on]
    return [c for c in changes if c.address in keep]
