"""Undo what ``--debug`` does to the root logger when a test runs the CLI in-process."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from teamcomms.console import DEBUG_LOGGERS


@pytest.fixture
def debug_logging_undone() -> Iterator[None]:
    """Restore the root logger's handlers and level after the test.

    ``--debug`` installs a DEBUG handler on the root logger; left in place, every later test
    formats every library debug line (the whole suite ran 62 s instead of 37 s).
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    named = {name: logging.getLogger(name).level for name in DEBUG_LOGGERS}
    yield
    root.handlers[:] = handlers
    for name, named_level in named.items():
        logging.getLogger(name).setLevel(named_level)
    root.setLevel(level)  # setLevel, not an assignment: it also clears the loggers' level caches
