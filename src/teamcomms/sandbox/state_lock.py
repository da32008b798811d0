"""One running sandbox per state file.

Each sandbox keeps the whole site in memory and writes every change to its state file (through
the journal, :mod:`teamcomms.sandbox.journal`), so two sandboxes on one file (``teamcomms sandbox
serve`` in one terminal, ``--site sandbox`` in another) would silently undo each other's changes.
A sandbox therefore holds an exclusive lock on ``<state file>.lock`` while it runs; the lock file
names the process and URL, so the second one can say where the first one is. The operating system
drops the lock when the process ends, so a crash never leaves a stale lock behind. Where
``fcntl`` is missing (Windows), there is no lock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from teamcomms.errors import ConfigError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class StateLock:
    """The exclusive lock of one state file, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self.path = state_file.with_name(state_file.name + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock; a :class:`ConfigError` saying who holds it when another sandbox does."""
        if fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_holder(handle)
            handle.close()
            raise self._busy(holder) from None
        self._handle = handle

    def record(self, url: str) -> None:
        """Write who holds the lock (this process, serving ``url``) into the lock file."""
        if self._handle is None:
            return
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps({"pid": os.getpid(), "url": url}))
        self._handle.flush()

    def release(self) -> None:
        """Give the lock up (closing the file releases it); safe to call twice."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _busy(self, holder: dict[str, Any]) -> ConfigError:
        who = f"process {holder['pid']}" if "pid" in holder else "another process"
        where = f", serving {holder['url']}" if "url" in holder else ""
        hint = "stop it first (Ctrl-C in its terminal)"
        if "url" in holder:
            hint += (
                f", or send this command to it: --site {holder['url']} with TEAMCOMMS_EMAIL and "
                "TEAMCOMMS_API_TOKEN set to the credentials `teamcomms sandbox serve` printed"
            )
        return ConfigError(
            f"another sandbox is using the state file {self.state_file} ({who}{where})",
            hint=hint,
        )


def _read_holder(handle: IO[str]) -> dict[str, Any]:
    try:
        handle.seek(0)
        holder = json.loads(handle.read() or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}
