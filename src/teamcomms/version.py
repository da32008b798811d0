"""The installed version of teamcomms, read from the package metadata (the one place it is set
is ``pyproject.toml``)."""

from __future__ import annotations

from functools import cache


@cache
def tool_version() -> str:
    """``0.1.0``; ``unknown`` when teamcomms runs from a source tree that was never installed."""
    # Imported here: importlib.metadata costs about 35 ms, which `teamcomms --help` need not pay.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("teamcomms")
    except PackageNotFoundError:
        return "unknown"
