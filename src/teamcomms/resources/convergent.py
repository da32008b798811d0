"""Creates that are never blindly re-sent.

When a create's answer is lost (:class:`~teamcomms.site.errors.UncertainWriteError`), the object
may or may not exist: teamcomms looks for it first and sends the create again only when the look
found nothing. A 400 that says the name is taken is what a create that landed unseen looks like on
a retry, so it is looked up too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Creates sent per object when each answer is lost: each retry comes only after a look-up found
# nothing, so the create is certain not to have landed. Three lost answers in a row mean the
# connection is broken; the run reports it and the next run picks up from there.
CREATE_ATTEMPTS = 3


def create_once(
    create: Callable[[], T], find: Callable[[], T | None], *, taken_is_found: bool = True
) -> T:
    """``create()``, or what ``find()`` finds after an uncertain failure (or, with
    ``taken_is_found``, after a 400 refusing the create, which is what a landed create looks
    like on a retry)."""
    from teamcomms.site.errors import BadRequest, UncertainWriteError

    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return create()
        except UncertainWriteError:
            found = find()
            if found is not None:
                return found
            # Looked and it is not there: it never landed, so sending it again is safe.
            if attempt == CREATE_ATTEMPTS:
                raise
        except BadRequest:
            found = find() if taken_is_found else None
            if found is None:
                raise
            return found
    raise AssertionError("unreachable")  # pragma: no cover


def again_if_uncertain(step: Callable[[], T]) -> T:
    """Run a step that reads the site before it writes only what is missing (reconciling a
    field's contexts, updating with a freshly read version), again after an uncertain failure:
    it reads anew, so whatever landed the first time is not sent twice."""
    from teamcomms.site.errors import UncertainWriteError

    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return step()
        except UncertainWriteError:
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
