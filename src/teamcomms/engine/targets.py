"""``--target KIND/NAME``: limit a plan to some definitions (and the changes they require)."""

from __future__ import annotations

from collections.abc import Sequence

from teamcomms.engine.change import Change
from teamcomms.errors import TeamcommsError


class UnknownTarget(TeamcommsError):
    """A ``--target`` names no definition. Exit code 1, so that ``plan --detailed-exitcode``
    never mistakes it for "changes"."""


def limit_to_targets(changes: Sequence[Change], targets: Sequence[str]) -> list[Change]:
    """The changes of ``targets``, plus the changes they require (a parent page's create, a
    status a workflow uses); all changes when ``targets`` is empty. Raises
    :class:`UnknownTarget` naming the known addresses."""
    if not targets:
        return list(changes)
    known = {c.address for c in changes}
    unknown = sorted(set(targets) - known)
    if unknown:
        raise UnknownTarget(
            f"unknown target {', '.join(unknown)}",
            hint="name a definition as KIND/NAME, e.g. page/onboarding-home; "
            f"known: {', '.join(sorted(known)) or 'none'}",
        )
    by_key = {c.key: c for c in changes}
    keep = {c.key for c in changes if c.address in set(targets)}
    waiting = list(keep)
    while waiting:
        change = by_key[waiting.pop()]
        for required in change.requires:
            if required in by_key and required not in keep:
                keep.add(required)
                waiting.append(required)
    return [c for c in changes if c.key in keep]
