"""Options several commands share, declared once."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperOption

if TYPE_CHECKING:
    from typer._click import Context


class OutputFormat(StrEnum):
    """Output for people (text) or for tools (json)."""

    text = "text"
    json = "json"


class PlanFormat(StrEnum):
    """How ``plan`` prints: for people, for tools, or for a pull-request comment."""

    text = "text"
    json = "json"
    markdown = "markdown"


SiteOption = Annotated[
    str | None,
    typer.Option(
        "--site",
        help="Site URL, or `sandbox` (default: TEAMCOMMS_SITE, then teamcomms.yaml).",
        metavar="URL|sandbox",
    ),
]
TargetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        help="Limit to this definition (KIND/NAME, e.g. page/onboarding-home); repeatable.",
        show_default=False,
        metavar="KIND/NAME",
    ),
]


class PruneMode(StrEnum):
    """What ``--prune`` does with owned objects whose definition is gone."""

    archive = "archive"
    delete = "delete"


PruneOption = Annotated[
    PruneMode | None,
    typer.Option(
        "--prune",
        help="Remove what teamcomms owns and no definition names any more: pages are archived "
        "(--prune=delete deletes them, and content templates); Jira objects, which cannot be "
        "archived, are deleted.",
        metavar="[=archive|delete]",
        show_default=False,
    ),
]


class DiffMode(StrEnum):
    """How ``plan --diff`` shows a changed body."""

    text = "text"
    storage = "storage"


DiffOption = Annotated[
    DiffMode | None,
    typer.Option(
        "--diff",
        help="Show how each body changes, as readable text; --diff=storage shows the storage "
        "XHTML.",
        metavar="[=text|storage]",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="At most this many requests at once (default: TEAMCOMMS_WORKERS, then 4).",
        metavar="N",
    ),
]

# Options whose value may be left out, with the value a bare option means and the values it
# may take.
OPTIONAL_VALUES: dict[str, tuple[str, frozenset[str]]] = {
    "--prune": (PruneMode.archive.value, frozenset(m.value for m in PruneMode)),
    "--diff": (DiffMode.text.value, frozenset(m.value for m in DiffMode)),
}


class OptionalValueCommand(TyperCommand):
    """A command whose ``--prune`` and ``--diff`` may be given without a value.

    Typer's parser has no options with an optional value (click's ``flag_value`` with
    ``is_flag=False`` is not supported), so the arguments are normalised here, before parsing:
    a bare ``--prune`` becomes ``--prune=archive`` and a bare ``--diff`` ``--diff=text``, while
    ``--prune delete`` keeps its value. A bare option never swallows the PATH that follows it.
    """

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Parse ``args`` after giving bare optional-value options their value."""
        takes_value = {
            name
            for param in self.get_params(ctx)
            if isinstance(param, TyperOption) and not param.is_flag and not param.count
            for name in param.opts
        }
        return super().parse_args(ctx, with_optional_values(args, takes_value))


def with_optional_values(args: list[str], takes_value: set[str]) -> list[str]:
    """``args`` with every bare ``--prune``/``--diff`` given its value (the default unless the
    next argument is one of its values); the values of other options are left alone."""
    normalised: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == "--":
            normalised.extend(args[index:])
            break
        if arg in OPTIONAL_VALUES:
            default, values = OPTIONAL_VALUES[arg]
            explicit = following in values
            normalised.append(f"{arg}={following if explicit else default}")
            index += 2 if explicit else 1
            continue
        normalised.append(arg)
        if arg in takes_value and following is not None:
            normalised.append(following)
            index += 1
        index += 1
    return normalised
