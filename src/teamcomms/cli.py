"""The ``teamcomms`` command line: a thin Typer layer over the library.

Each command lives in its own module under :mod:`teamcomms.commands` and is a few lines that
call the library. Command modules import only light modules at the top, so ``teamcomms --help``
and ``validate`` never load the Atlassian clients (see ``tests/test_startup.py``).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer.core import TyperGroup

from teamcomms import console
from teamcomms.errors import ExitCode, TeamcommsError
from teamcomms.redaction import redact

_GLOBAL_FLAGS = frozenset({"--debug", "--no-color"})


class DebugScope(StrEnum):
    """Whose debug logs ``--debug`` shows."""

    teamcomms = "teamcomms"
    """teamcomms' own and the HTTP requests (urllib3)."""
    all = "all"
    """Every library's (the Markdown parser alone writes thousands of lines)."""


def _is_global(arg: str) -> bool:
    return arg in _GLOBAL_FLAGS or arg.startswith("--debug=")


class ErrorHandlingGroup(TyperGroup):
    """The one place that turns errors into messages and exit codes."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # People type `teamcomms apply --debug`; click only takes group flags before the command.
        # Flags are moved to the front (never past a `--`), so both spellings work. A bare
        # --debug means --debug=teamcomms (Typer has no options with an optional value).
        end = args.index("--") if "--" in args else len(args)
        flags = [arg for arg in args[:end] if _is_global(arg)]
        flags = ["--debug=teamcomms" if arg == "--debug" else arg for arg in flags]
        rest = [arg for arg in args[:end] if not _is_global(arg)]
        console.configure_colour(no_color="--no-color" in flags)  # before any --help is shown
        from teamcomms.commands.metavars import use_readable_metavars

        use_readable_metavars(self, ctx)
        return super().parse_args(ctx, [*flags, *rest, *args[end:]])

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except TeamcommsError as error:
            if console.settings.debug:
                console.stderr().print_exception()
            console.stderr().print(redact(error.format()), style="red", markup=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            # Commands that write say what was done (apply); everything else just stops.
            console.stderr().print("interrupted", style="red")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as error:
            # Only click's own exceptions (usage errors) may pass; anything else is a bug.
            if type(error).__module__.startswith("typer"):
                raise
            if console.settings.debug:
                console.stderr().print_exception()
            console.stderr().print(
                redact(f"internal error: {type(error).__name__}: {error}"),
                style="red",
                markup=False,
            )
            console.stderr().print("  hint: re-run with --debug for the traceback and report it")
            raise typer.Exit(ExitCode.FAILED) from None


app = typer.Typer(
    name="teamcomms",
    cls=ErrorHandlingGroup,
    help="Keep Jira workflows, onboarding checklists and Confluence doc templates as code.",
    epilog="Example: teamcomms validate examples/ecommerce",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    # Markdown mode re-flows docstring paragraphs; the default keeps their hard line breaks,
    # which wrap raggedly in narrow terminals.
    rich_markup_mode="markdown",
)


def _show_version(value: bool) -> None:
    if value:
        from teamcomms.version import tool_version

        typer.echo(f"teamcomms {tool_version()}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        DebugScope | None,
        typer.Option(
            "--debug",
            metavar="[=all]",
            help="Show teamcomms' debug log with its HTTP requests, and tracebacks; "
            "--debug=all: every library's debug log too. Secrets are masked.",
            show_default=False,
        ),
    ] = None,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain output: no colour, bold or other styles.")
    ] = False,
) -> None:
    """Keep Jira workflows, onboarding checklists and Confluence doc templates as code."""
    console.configure(no_color=no_color, debug=debug is not None, debug_all=debug is DebugScope.all)


def _register_commands() -> None:
    from teamcomms.commands import COMMANDS

    for register in COMMANDS:
        register(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv if argv is not None else sys.argv[1:], prog_name="teamcomms")
