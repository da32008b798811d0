"""The ``teamcomms`` command line: a thin Typer layer over the library.

Each command lives in its own module under :mod:`teamcomms.commands` and is a few lines that
call the library. Command modules import only light modules at the top, so ``teamcomms --help``
and ``validate`` never load the Atlassian clients (see ``tests/test_startup.py``).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer._click.core import Context
from typer._click.exceptions import ClickException
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from teamcomms import console
from teamcomms.errors import ExitCode, TeamcommsError

_GLOBAL_FLAGS = frozenset({"--debug", "--no-color"})
_ARGV = "teamcomms.argv"


class DebugScope(StrEnum):
    """Whose debug logs ``--debug`` shows."""

    teamcomms = "teamcomms"
    """teamcomms' own and the HTTP requests (urllib3)."""
    all = "all"
    """Every library's (the Markdown parser alone writes thousands of lines)."""


def _is_global(arg: str) -> bool:
    return arg in _GLOBAL_FLAGS or arg.startswith("--debug=")


class ErrorHandlingGroup(TyperGroup):
    """The one place that turns errors into messages and exit codes (see :class:`ExitCode`).

    A usage error found by click (unknown option, bad value, unknown command) exits with
    :attr:`ExitCode.USAGE`, never with click's 2, which ``plan --detailed-exitcode`` uses for
    "there are changes". An unexpected exception is a bug: it exits with
    :attr:`ExitCode.INTERNAL` and leaves a crash log.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickUsageError as error:  # options given before the command
            raise _as_usage_error(error) from None

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        ctx.meta[_ARGV] = list(args)
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
                _print_traceback(error)
            # Every console masks secrets on the way out (see teamcomms.console).
            console.stderr().print(error.format(), style="red", markup=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            # Commands that write say what was done (apply); everything else just stops.
            console.stderr().print("interrupted", style="red")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except ClickUsageError as error:  # the command's own options and arguments
            raise _as_usage_error(error) from None
        except (ClickException, typer.Exit, typer.Abort):
            raise
        except Exception as error:
            _report_bug(error, ctx.meta.get(_ARGV, sys.argv[1:]))
            raise typer.Exit(ExitCode.INTERNAL) from None


def _as_usage_error(error: ClickUsageError) -> ClickUsageError:
    """Click's usage error with our exit code and any secret in the echoed value masked (click
    prints it itself, not through our consoles)."""
    from teamcomms.redaction import redact

    error.exit_code = ExitCode.USAGE
    error.message = redact(error.message)
    return error


def _print_traceback(error: BaseException) -> None:
    """The plain traceback, never wrapped (a wrapped line would split a secret in two)."""
    import traceback

    text = "".join(traceback.format_exception(error))
    console.stderr().print(text.rstrip("\n"), markup=False, highlight=False)


def _report_bug(error: Exception, argv: list[str]) -> None:
    """Say that teamcomms met a bug, write the crash log and say where it is."""
    from teamcomms.crash_log import CRASH_DIR_VARIABLE, write_crash_log

    err = console.stderr()
    if console.settings.debug:
        _print_traceback(error)
    err.print(f"internal error: {type(error).__name__}: {error}", style="red", markup=False)
    try:
        path = write_crash_log(error, argv)
    except OSError as failure:
        err.print(
            f"  could not write a crash log ({type(failure).__name__}: {failure}); "
            f"set {CRASH_DIR_VARIABLE} to a writable folder, or re-run with --debug "
            "to see the traceback",
            markup=False,
        )
        err.print("  hint: this is a bug in teamcomms; please report it", markup=False)
        return
    err.print(f"  crash log: {path}", markup=False)
    err.print(
        "  hint: this is a bug in teamcomms; please report it with the crash log "
        "(secrets in it are masked)",
        markup=False,
    )


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
    # Plain click help: rich's help formatter costs more to import than typer, pydantic and
    # yaml together, and `--help` must stay quick (bench/bench_validate.py measures it).
    rich_markup_mode=None,
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
    from teamcomms.redaction import register_environment_secrets

    register_environment_secrets(os.environ)
    console.configure(no_color=no_color, debug=debug is not None, debug_all=debug is DebugScope.all)


def _register_commands() -> None:
    from teamcomms.commands import COMMANDS

    for register in COMMANDS:
        register(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    app(args=argv if argv is not None else sys.argv[1:], prog_name="teamcomms")
