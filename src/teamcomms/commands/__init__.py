"""One module per command. Each exposes ``register(app)``; this list is the CLI's command order."""

from __future__ import annotations

from collections.abc import Callable

import typer

from teamcomms.commands import (
    apply,
    diagram,
    doctor,
    export,
    import_,
    init,
    lint,
    onboard,
    plan,
    render,
    report,
    sandbox,
    schema,
    standup,
    validate,
)

Registrar = Callable[[typer.Typer], None]

COMMANDS: list[Registrar] = [
    init.register,
    export.register,
    validate.register,
    lint.register,
    schema.register,
    doctor.register,
    sandbox.register,
    render.register,
    diagram.register,
    plan.register,
    apply.register,
    onboard.register,
    standup.register,
    report.register,
    import_.register,
]
