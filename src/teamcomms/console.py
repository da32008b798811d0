"""Where output goes, and how it looks.

Data (plans, summaries, JSON) goes to stdout; messages, progress and errors go to stderr, so
``teamcomms plan --format json > plan.json`` stays clean. The global ``--no-color`` and
``--debug`` flags land here once and every command reads them from here.

Everything printed through these consoles passes through :func:`teamcomms.redaction.redact`
on its way out, so a secret that reached a message, a plan, JSON output or a traceback by a path
nobody thought of is still masked.

``--no-color`` or ``NO_COLOR`` (https://no-color.org: set and not empty) mean no escape codes at
all, bold included, also in ``--help``. ``--debug`` shows teamcomms' own debug log and the HTTP
requests (urllib3's); ``--debug=all`` every library's (the Markdown parser alone writes
thousands of lines for one project).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, TextIO, cast

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


class RedactingStream:
    """A text stream that masks secrets in what is written, then hands it to ``sys.stdout`` or
    ``sys.stderr`` as they are at that moment (tests and pagers replace them).

    Rich writes each rendered print in one ``write`` call, so a secret is masked whole.
    """

    def __init__(self, *, to_stderr: bool) -> None:
        self._to_stderr = to_stderr

    @property
    def target(self) -> TextIO:
        """The stream written to. While a rich progress display redirects ``sys.stdout`` and
        ``sys.stderr`` to itself, the stream underneath (as rich's own consoles do), or every
        write would come back here."""
        stream = sys.stderr if self._to_stderr else sys.stdout
        proxied: TextIO = getattr(stream, "rich_proxied_file", stream)
        return proxied

    def write(self, text: str) -> int:
        """Write ``text`` with secrets masked."""
        from teamcomms.redaction import redact  # not at import time: `--help` prints nothing

        return self.target.write(redact(text))

    def flush(self) -> None:
        """Flush the target stream."""
        self.target.flush()

    def isatty(self) -> bool:
        """Whether the target is a terminal (rich decides on colour and width from this)."""
        isatty = getattr(self.target, "isatty", None)
        return bool(isatty and isatty())

    def fileno(self) -> int:
        """The target's file descriptor."""
        return self.target.fileno()

    @property
    def encoding(self) -> str:
        """The target's encoding."""
        return getattr(self.target, "encoding", None) or "utf-8"


@cache
def stdout() -> Console:
    """The console for data."""
    from rich.console import Console

    return Console(
        file=cast(IO[str], RedactingStream(to_stderr=False)),
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
        file=cast(IO[str], RedactingStream(to_stderr=True)),
        stderr=True,
        no_color=settings.no_color,
        color_system=None if settings.no_color else "auto",
        highlight=False,
        soft_wrap=True,
    )
