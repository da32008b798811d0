"""The sandbox's write journal: what makes persisting a write cost the write, not the whole site.

Rewriting the whole state file after every write grows with the site: a 500-page apply spent
more time serialising the sandbox than in teamcomms. Instead, each write request the site carried
out is appended to ``<state>.journal`` (one JSON line, flushed before the answer goes out, so an
answered write survives the process being killed) and the full state file is rewritten only now
and then (:meth:`~teamcomms.sandbox.state.SiteState.save`). Loading replays the journal's lines on
top of the state file. Handlers are deterministic given the state, the request and the clock, and
the clock is frozen for the length of each write, so a replay lands exactly where the live write
did.

The journal's first line names the *generation* of the state file it continues; a save starts a
new generation. A journal left from an older generation (the process died between writing the
state file and starting the new journal) is already inside the state file and is ignored. A last
line cut short by a kill was never answered and is dropped.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teamcomms.errors import ConfigError

if TYPE_CHECKING:
    from teamcomms.sandbox.api import Request

# Headers handlers read (multipart boundaries, the XSRF check of attachment uploads). The
# Authorization header is never written down: the journal holds no credentials.
_KEPT_HEADERS = ("content-type", "x-atlassian-token")


def journal_path(state_file: Path) -> Path:
    """Where the journal of ``state_file`` lives."""
    return state_file.with_name(state_file.name + ".journal")


def entry(request: Request, at: datetime, status: int, base_url: str) -> dict[str, Any]:
    """One journal line for a write request carried out at ``at`` and answered ``status`` by the
    site at ``base_url`` (some answers, such as issue links, store their ``self`` URL)."""
    return {
        "status": status,
        "base_url": base_url,
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "headers": {k: v for k, v in request.headers.items() if k in _KEPT_HEADERS},
        "body": base64.b64encode(request.body).decode("ascii"),
        "at": at.isoformat(),
    }


def entry_body(line: dict[str, Any]) -> bytes:
    """The request body of a journal line."""
    return base64.b64decode(line["body"])


def entry_time(line: dict[str, Any]) -> datetime:
    """When the journalled write was carried out."""
    return datetime.fromisoformat(line["at"])


class Journal:
    """The append-only file of writes since the state file of one generation."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0

    def start(self, generation: int) -> None:
        """Begin an empty journal continuing the state file of ``generation``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps({"generation": generation}) + "\n"
        # Owner-only, like the state file: the journal holds the pages' content.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(header)
        self.size = len(header)

    def append(self, line: dict[str, Any]) -> None:
        """Add one write; in the operating system's hands (surviving a kill of this process)
        when this returns. Opened per line: a few microseconds, and no file left open."""
        if self.size == 0:
            raise RuntimeError("the journal was not started")
        text = json.dumps(line, separators=(",", ":")) + "\n"
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(text)
        self.size += len(text)

    def read(self, generation: int) -> list[dict[str, Any]]:
        """The writes journalled after the state file of ``generation`` (none if stale)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise ConfigError(
                f"cannot read the sandbox journal {self.path}: {error}",
                hint="delete it and the state file to start from a fresh sandbox site",
            ) from None
        lines = text.split("\n")
        try:
            header = json.loads(lines[0])
        except ValueError:
            return []  # cut short while a save was starting it: the state file holds everything
        if not isinstance(header, dict) or header.get("generation") != generation:
            return []
        complete = lines[1:-1]  # the text after the last newline was never answered
        return [json.loads(line) for line in complete if line]
