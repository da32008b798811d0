"""Option values in ``--help`` as people write them: ``--site URL|sandbox``, ``--workers N``,
``--target KIND/NAME``, and nothing after a flag, instead of Typer's ``<str>``, ``<int>``,
``<list[str]>`` and ``<bool>``.

One pass over the command tree before parsing (:func:`use_readable_metavars`), so every
command, including ``--help`` itself, gets them without each option spelling one out; an option
that sets ``metavar=`` keeps its own.
"""

from __future__ import annotations

from typing import Any

# What the values of options that several commands share are, by option name.
BY_OPTION = {
    "--site": "URL|sandbox",
    "--out": "FILE",
    "--state": "FILE",
    "--target": "KIND/NAME",
    "--var": "NAME=VALUE",
    "--faults": "SPEC",
    "--host": "ADDRESS",
    "--space": "KEY",
    "--preset": "NAME",
    "--latency-ms": "MS",
}
# Typer's type names, as a value's description.
BY_TYPE = {"int": "N", "float": "NUMBER", "str": "TEXT", "path": "PATH"}


def use_readable_metavars(command: Any, ctx: Any) -> None:
    """Give every parameter of ``command`` and of its sub-commands a readable metavar."""
    if getattr(command, "_readable_metavars", False):
        return
    command._readable_metavars = True
    help_option = command.get_help_option(ctx)
    for param in [*command.params, *([help_option] if help_option is not None else [])]:
        if param.metavar is None:
            param.metavar = readable_metavar(param, ctx)
        if param.param_type_name == "argument":
            # Typer shows an argument's metavar as its name and its Python type (``<path>``)
            # beside it, with no setting to drop the second: this argument object shows none.
            param.display_type_rich = _no_type
    for sub in getattr(command, "commands", {}).values():
        use_readable_metavars(sub, ctx)


def _no_type(ctx: Any) -> None:
    return None


def readable_metavar(param: Any, ctx: Any) -> str:
    """The value a person types for ``param``: empty for a flag."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.param_type_name == "argument":
        # The usage line adds "..." to an argument that takes several values.
        return str(param.name).upper().replace("_", "-")
    named = next((BY_OPTION[o] for o in param.opts if o in BY_OPTION), None)
    if named is not None:
        return named
    shown = str(param.display_type(ctx)).strip("<>")
    inner = shown.removeprefix("list[").removesuffix("]") if shown.startswith("list[") else shown
    return BY_TYPE.get(inner, inner)
