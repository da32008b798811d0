"""What the Jira resources' exports share: a definition that plans as "adopt, marker only".

Every exported Jira object is checked the way a plan will see it: the definition's document is
validated with the kind's own model and turned into a :class:`Spec` with the kind's own function,
then compared with the spec read from the site. Equal: the definition says ``adopt: true`` (or
nothing, when teamcomms owns the object already), and the first apply only writes the marker. Not
equal, or something on the site the definition cannot say: the definition is written without
``adopt`` and with a comment saying why, and the report lists it, so a plan shows a conflict
instead of an apply quietly changing the object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from teamcomms.engine.resource import Exported, ExportedDefinition, ExportNote
from teamcomms.resources.jira_objects import Existing, Spec, changed_fields

ADOPT_HINT = "set `adopt: true` once a plan's changes to it are what you want"


def export_object(
    *,
    kind: str,
    noun: str,
    item: Existing,
    document: Mapping[str, Any],
    spec_of: Callable[[dict[str, Any]], Spec],
    file: str,
    problems: Sequence[str] = (),
) -> Exported:
    """The definition of ``item`` (its keys in ``document``), checked against the site's spec
    with ``spec_of`` (the kind's own definition -> spec); ``problems`` are what the definition
    cannot say about it. See the module docstring."""
    name = item.spec.name
    where = f"{noun} {name!r}" + (f" in {item.scope}" if item.scope else "")
    notes = [ExportNote(where, problem) for problem in problems]
    body = dict(document)
    try:
        wanted = spec_of({"kind": kind, "name": name, **body})
    except ValueError as error:
        reason = _first_error(error)
        return Exported(notes=(*notes, ExportNote(where, f"not exported: {reason}")))
    differs = changed_fields(item.spec, wanted)
    if differs:
        notes.append(
            ExportNote(
                where,
                f"the definition cannot hold its {', '.join(differs)} as the site has them; a "
                "plan would change them",
            )
        )
    comment = ""
    address = f"{kind}/{name}"
    if item.owner is None:
        if problems or differs:
            reasons = [*problems, *(f"a plan would change its {f}" for f in differs)]
            comment = "\n".join(["Not adopted:", *(f"- {r}" for r in reasons), ADOPT_HINT])
        else:
            body["adopt"] = True
    elif item.owner != address:
        notes.append(
            ExportNote(
                where,
                f"its teamcomms marker names {item.owner}, not {address}: a plan shows it as "
                "a conflict",
            )
        )
    definition = ExportedDefinition(kind, name, file, body, comment=comment)
    return Exported((definition,), tuple(notes))


def _first_error(error: ValueError) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
    return str(error)


def skipped(noun: str, name: str, why: str) -> ExportNote:
    """A note for an object that is not exported at all."""
    return ExportNote(f"{noun} {name!r}", f"not exported: {why}")
