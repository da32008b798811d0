"""Where output goes, and how it looks.

Data (plans, summaries, JSON) goes to stdout; messages, progress and errors go to stderr, so
``teamcomms plan --format json > plan.json`` stays clean. The global ``--no-color`` and
``--debug`` flags land here once and every command reads them from here.
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


def configure(*, no_color: bool, debug: bool) -> None:
    """Apply the global CLI flags. ``NO_COLOR`` in the environment also turns colour off."""
    settings.no_color = no_color or "NO_COLOR" in os.environ
    settings.debug = debug
    stdout.cache_clear()
    stderr.cache_clear()
    if debug:
        from teamcomms.redaction import RedactingFormatter

        handler = logging.StreamHandler()
        handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(logging.DEBUG)


@cache
def stdout() -> Console:
    """The console for data."""
    from rich.console import Console

    return Console(no_color=settings.no_color, highlight=False, soft_wrap=True)


@cache
def stderr() -> Console:
    """The console for messages, progress and errors."""
    from rich.console import Console

    return Console(stderr=True, no_color=settings.no_color, highlight=False, soft_wrap=True)
