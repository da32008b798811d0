"""Where output goes, and how it looks.

Data (plans, summaries, JSON) goes to stdout; messages, progress and errors go to stderr, so
``teamcomms plan --format json > plan.json`` stays clean. The global ``--no-color`` and
``--debug`` flags land here once and every command reads them from here.

``--no-color`` or ``NO_COLOR`` (https://no-color.org: set and not empty) mean no escape codes at
all, bold included, also in ``--help``. ``--debug`` shows teamcomms' own debug log and the HTTP
requests (urllib3's); ``--debug=all`` every library's (the Markdown parser alone writes
thousands of lines for one project).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class OutputSettings:
    """Process-wide output settings, set by the CLI's global options."""

    no_color: bool = False
    debug: bool = False


settings = OutputSettings()


DEBUG_LOGGERS = ("teamcomms", "urllib3")
"""Whose debug logs ``--debug`` shows: ours, and the HTTP requests."""


def configure(*, no_color: bool, debug: bool, debug_all: bool = False) -> None:
    """Apply the global CLI flags. ``NO_COLOR`` in the environment also turns colour off."""
    configure_colour(no_color=no_color)
    settings.debug = debug or debug_all
    if settings.debug:
        from teamcomms.redaction import RedactingFormatter

        handler = logging.StreamHandler()
        handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.handlers[:] = [handler]
        # Other libraries keep their warnings; their debug lines only with --debug=all.
        root.setLevel(logging.DEBUG if debug_all else logging.WARNING)
        for name in DEBUG_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)


def colour_wanted(no_color: bool = False) -> bool:
    """Whether output may be styled: not with ``--no-color`` or a non-empty ``NO_COLOR``."""
    return not no_color and not os.environ.get("NO_COLOR")


def configure_colour(*, no_color: bool) -> None:
    """Turn styles off (for our consoles and for Typer's help) when they are not wanted."""
    settings.no_color = not colour_wanted(no_color)
    stdout.cache_clear()
    stderr.cache_clear()
    if settings.no_color:
        import typer.rich_utils

        # Typer's documented switch: its help console draws no styles at all.
        typer.rich_utils.COLOR_SYSTEM = None


@cache
def stdout() -> Console:
    """The console for data."""
    from rich.console import Console

    return Console(
        no_color=settings.no_color,
        color_system=None if settings.no_color else "auto",
        highlight=False,
        soft_wrap=True,
    )


@cache
def stderr() -> Console:
    """The console for messages, progress and errors."""
    from rich.console import Console

    return Console(
        stderr=True,
        no_color=settings.no_color,
        color_system=None if settings.no_color else "auto",
        highlight=False,
        soft_wrap=True,
    )
