"""Crash logs: what a maintainer needs to fix a bug, written when teamcomms meets one.

The CLI's error handler calls :func:`write_crash_log` for any exception that is not a
:class:`~teamcomms.errors.TeamcommsError`. The file holds the command line, the versions of
teamcomms, Python and the libraries it drives, the names of the ``TEAMCOMMS_*`` variables that
are set (never their values) and the traceback, all passed through
:func:`~teamcomms.redaction.redact`. It goes to ``$TEAMCOMMS_CRASH_DIR``, else to the user's log
folder (``~/.local/state/teamcomms/log`` on Linux, ``~/Library/Logs/teamcomms`` on macOS,
``%LOCALAPPDATA%\\teamcomms\\Logs`` on Windows).
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from teamcomms.redaction import redact

CRASH_DIR_VARIABLE = "TEAMCOMMS_CRASH_DIR"
# The distributions whose versions decide how a request is sent or a definition is read.
LIBRARIES = (
    "typer",
    "rich",
    "pydantic",
    "PyYAML",
    "Jinja2",
    "markdown-it-py",
    "requests",
    "urllib3",
    "jira",
    "atlassian-python-api",
)


def crash_folder(env: Mapping[str, str] | None = None) -> Path:
    """Where crash logs go: ``$TEAMCOMMS_CRASH_DIR``, else the user's log folder."""
    environ = os.environ if env is None else env
    chosen = environ.get(CRASH_DIR_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("teamcomms", appauthor=False))


def crash_report(
    error: BaseException,
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """The text of a crash log for ``error``, secrets masked."""
    environ = os.environ if env is None else env
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    variables = sorted(name for name in environ if name.startswith("TEAMCOMMS_"))
    lines = [
        "teamcomms crash log: please attach this file to a bug report (secrets are masked)",
        f"time: {when}",
        f"command: {' '.join(['teamcomms', *argv])}",
        f"teamcomms: {_version('teamcomms')}",
        f"python: {platform.python_version()} ({platform.python_implementation()}) "
        f"on {platform.platform()}",
        "libraries: " + ", ".join(f"{name} {_version(name)}" for name in LIBRARIES),
        f"TEAMCOMMS_* variables set: {', '.join(variables) or 'none'}",
        "",
        *traceback.format_exception(error),
    ]
    return redact("\n".join(line.rstrip("\n") for line in lines) + "\n")


def write_crash_log(
    error: BaseException,
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Path:
    """Write the crash log for ``error`` and return its path. Raises OSError if it cannot."""
    now = clock()
    folder = crash_folder(env)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{now:%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    text = crash_report(error, sys.argv[1:] if argv is None else argv, env=env, now=now)
    # Only the user may read it: a traceback names local paths and the site's URLs.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"
