"""The sandbox site's state: plain JSON-able data in memory, kept in a file and its journal.

All collections live in :attr:`SiteState.data` so a full save is one ``json.dump``; between full
saves each write request is appended to the journal (:mod:`teamcomms.sandbox.journal`). Handlers
run while holding :attr:`SiteState.lock` (the server takes it), so they never see a half-applied
change. Tests use the helper methods to set up a site or act as a person editing it by hand.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from teamcomms.errors import ConfigError
from teamcomms.files import write_atomically
from teamcomms.sandbox.journal import Journal, entry_time, journal_path
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID, group_id_for, seed_site, upgrade_seed

Clock = Callable[[], datetime]
Deployment = Literal["cloud", "datacenter"]
DEPLOYMENTS: tuple[Deployment, ...] = ("cloud", "datacenter")

STATE_FORMAT = 1


def _utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Atlassian's timestamp form, ``2026-11-24T23:12:09.000Z``."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def jira_time(stored: str) -> str:
    """A stored timestamp in Jira's form, ``2026-11-24T23:12:09.000+0000``."""
    return stored.replace("Z", "+0000")


class SiteState:
    """Everything the emulated site knows, plus helpers for tests."""

    def __init__(
        self,
        path: Path | None = None,
        clock: Clock = _utcnow,
        deployment: Deployment | None = None,
    ) -> None:
        self.path = path
        self.clock = clock
        self.lock = threading.RLock()
        self.journal = Journal(journal_path(path)) if path is not None else None
        self._saved_size = 0
        self._writing = False
        self._read_changed = False
        self._unjournalled = False
        """A helper changed the site outside a journalled write (a test or script setting it up):
        the next write saves everything rather than journal a change that needs the helper's."""
        self.data: dict[str, Any] = self._load() if path is not None and path.exists() else {}
        if not self.data:
            self.data = {
                "format": STATE_FORMAT,
                "next_id": 10000,
                "deployment": deployment or "cloud",
            }
            seed_site(self)
        else:
            self._check_deployment(deployment)
            self._replay_journal()
            upgrade_seed(self)

    @property
    def deployment(self) -> Deployment:
        """Which product the site emulates: Atlassian Cloud, or Jira and Confluence Data Center.

        Fixed when the state file is created: its journal replays requests to the APIs of that
        deployment only (Data Center has no ``/wiki``, Cloud no ``/rest/api/content``).
        """
        return "datacenter" if self.data.get("deployment") == "datacenter" else "cloud"

    def _check_deployment(self, wanted: Deployment | None) -> None:
        if wanted is None or wanted == self.deployment:
            return
        raise ConfigError(
            f"the sandbox state file {self.path} holds a {self.deployment} site, not a "
            f"{wanted} one",
            hint=f"serve it with --deployment {self.deployment} (for --site sandbox: "
            f"TEAMCOMMS_DEPLOYMENT={self.deployment}), use another --state file, or delete this "
            "one and its .journal to start over",
        )

    def _load(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigError(
                f"cannot read the sandbox state file {self.path}: {error}",
                hint="delete the file to start from a fresh sandbox site",
            ) from None
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ConfigError(
                f"{self.path} is not a sandbox state file (format {STATE_FORMAT})",
                hint="point --state at another file or delete this one",
            )
        return data

    def _replay_journal(self) -> None:
        if self.journal is None:
            return
        from teamcomms.sandbox.routes import replay_write  # the routes import this module

        for line in self.journal.read(self.data.get("generation", 0)):
            with self.at_one_moment(entry_time(line)):
                replay_write(self, line)

    def save(self) -> None:
        """Write the whole state file atomically and start a new, empty journal; no-op without
        a file."""
        if self.path is None or self.journal is None:
            return
        with self.lock:
            self.data["generation"] = self.data.get("generation", 0) + 1
            text = json.dumps(self.data, sort_keys=True)
            write_atomically(self.path, text)
            self._saved_size = len(text)
            self._unjournalled = False
            self.journal.start(self.data["generation"])

    def record(self, write: dict[str, Any]) -> None:
        """Make a write request just carried out durable before it is answered: append it to the
        journal, or save everything once the journal has grown as big as the state file (so
        the full rewrites cost a constant share of the journal writes however big the site)."""
        if self.journal is None:
            return
        with self.lock:
            if self._unjournalled or not self.journal.size or self.journal.size > self._saved_size:
                self.save()
            else:
                self.journal.append(write)

    @property
    def helper_changes_unsaved(self) -> bool:
        """Whether helpers changed the site since the last save (saved at the next write or
        at stop; a sandbox killed before that loses them)."""
        return self._unjournalled

    @contextmanager
    def at_one_moment(self, moment: datetime | None = None) -> Iterator[datetime]:
        """Freeze :attr:`clock` (at ``moment``, default now) while a write is carried out, so
        that its journal line can replay it to the same timestamps."""
        with self.lock:
            frozen = moment or self.clock()
            clock = self.clock
            self.clock = lambda: frozen
            self._writing = True
            try:
                yield frozen
            finally:
                self.clock = clock
                self._writing = False

    def changed_by_read(self) -> None:
        """A read request changed the state (a Jira task counts its polls): journal it too."""
        self._read_changed = True

    def take_read_change(self) -> bool:
        """Whether the request just carried out changed the state although it was a read."""
        changed, self._read_changed = self._read_changed, False
        return changed

    def _changed_by_helper(self) -> None:
        if not self._writing:
            self._unjournalled = True

    def now(self) -> str:
        """The current time in Atlassian's form."""
        return iso(self.clock())

    def new_id(self) -> str:
        """A fresh numeric id (unique across all kinds of objects, as strings).

        One counter serves every kind, so it steps over the ids the seed gave (the default
        workflow is 10200, its scheme 10300): handing one out again would replace that object.
        """
        with self.lock:
            tables = [t for t in self.data.values() if isinstance(t, dict)]
            while True:
                self.data["next_id"] += 1
                fresh = str(self.data["next_id"])
                if not any(fresh in table for table in tables):
                    return fresh

    def table(self, name: str) -> dict[str, Any]:
        """One collection, keyed by id."""
        table: dict[str, Any] = self.data.setdefault(name, {})
        return table

    # ---- people -------------------------------------------------------------------------------
    def add_user(self, email: str, display_name: str) -> dict[str, Any]:
        """Add a person who can be found by email (Jira user search)."""
        with self.lock:
            self._changed_by_helper()
            account_id = f"712020:{self.new_id()}"
            user = {
                "accountId": account_id,
                "emailAddress": email,
                "displayName": display_name,
                "active": True,
                "accountType": "atlassian",
            }
            self.table("users")[account_id] = user
            return user

    def add_group(self, name: str, members: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
        """Add a Jira group with these members (account ids); returns the group."""
        with self.lock:
            self._changed_by_helper()
            group_id = group_id_for(name)
            group = {"groupId": group_id, "name": name, "members": list(members)}
            self.table("groups")[group_id] = group
            return group

    def set_task_timing(self, *, polls: int = 1, seconds: float | None = None) -> None:
        """How long the Jira tasks started from now on run: their first ``polls`` polls see
        ``RUNNING`` (0: none), unless the site's clock is ``seconds`` past their start first
        (default: the first poll sees ``RUNNING``, the next ``COMPLETE``)."""
        with self.lock:
            self._changed_by_helper()
            self.data["task_timing"] = {"polls": polls, "seconds": seconds}

    # ---- Confluence ---------------------------------------------------------------------------
    def add_space(self, key: str, name: str | None = None) -> dict[str, Any]:
        """Create a Confluence space with its homepage; returns the space."""
        with self.lock:
            self._changed_by_helper()
            space_id = self.new_id()
            space = {
                "id": space_id,
                "key": key,
                "name": name or key,
                "type": "global",
                "status": "current",
                "authorId": SANDBOX_ACCOUNT_ID,
                "createdAt": self.now(),
                "homepageId": "",
            }
            self.table("spaces")[space_id] = space
            home = self.create_page(space_id, f"{space['name']} Home", "<p>Welcome</p>", None)
            space["homepageId"] = home["id"]
            return space

    def space_by_key(self, key: str) -> dict[str, Any] | None:
        """The space with this key, if any."""
        return next((s for s in self.table("spaces").values() if s["key"] == key), None)

    def create_page(
        self,
        space_id: str,
        title: str,
        body: str,
        parent_id: str | None,
        *,
        status: str = "current",
        author_id: str = SANDBOX_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """Store a new page (no validation: handlers check titles and parents first)."""
        with self.lock:
            self._changed_by_helper()
            page_id = self.new_id()
            now = self.now()
            version = {
                "number": 1,
                "authorId": author_id,
                "createdAt": now,
                "message": "",
                "minorEdit": False,
                "title": title,
                "body": body,
            }
            page = {
                "id": page_id,
                "spaceId": space_id,
                "title": title,
                "status": status,
                "parentId": parent_id,
                "authorId": author_id,
                "ownerId": author_id,
                "createdAt": now,
                "body": body,
                "version": {k: v for k, v in version.items() if k not in ("title", "body")},
                "history": [version],
                "labels": [],
                "properties": {},
                "attachments": [],
            }
            self.table("pages")[page_id] = page
            return page

    def new_page_version(
        self,
        page: dict[str, Any],
        *,
        title: str,
        body: str,
        author_id: str,
        message: str = "",
    ) -> None:
        """Record a new version of ``page`` by ``author_id``."""
        with self.lock:
            self._changed_by_helper()
            number = page["version"]["number"] + 1
            version = {
                "number": number,
                "authorId": author_id,
                "createdAt": self.now(),
                "message": message,
                "minorEdit": False,
            }
            page["title"] = title
            page["body"] = body
            page["version"] = version
            page["history"].append({**version, "title": title, "body": body})

    def edit_page_as_user(
        self,
        page_id: str,
        *,
        body: str | None = None,
        title: str | None = None,
        account_id: str = "712020:hand-editor",
        message: str = "edited in the browser",
    ) -> dict[str, Any]:
        """Act as a person editing a page by hand in Confluence: a new version by someone else."""
        with self.lock:
            page = self.table("pages")[page_id]
            self.new_page_version(
                page,
                title=title if title is not None else page["title"],
                body=body if body is not None else page["body"],
                author_id=account_id,
                message=message,
            )
            self.save()
            return dict(page)

    def pages_in_space(self, space_key: str) -> list[dict[str, Any]]:
        """All pages of a space (any status), by id."""
        space = self.space_by_key(space_key)
        if space is None:
            return []
        pages = [p for p in self.table("pages").values() if p["spaceId"] == space["id"]]
        return sorted(pages, key=lambda p: int(p["id"]))

    def page_by_title(self, space_key: str, title: str) -> dict[str, Any] | None:
        """The page of a space with this title, if any."""
        return next((p for p in self.pages_in_space(space_key) if p["title"] == title), None)

    # ---- Jira ---------------------------------------------------------------------------------
    def project_by_key(self, key: str) -> dict[str, Any] | None:
        """The Jira project with this key or id, if any."""
        projects = self.table("projects").values()
        return next((p for p in projects if key in (p["key"], p["id"])), None)

    def require_field(self, project_key: str, field_id: str) -> None:
        """Make a field required in a project, as an administrator does in the field
        configuration of the project's issue types: creates that leave it empty are refused and
        the create metadata says it is required."""
        with self.lock:
            self._changed_by_helper()
            project = self.project_by_key(project_key)
            if project is None:
                raise KeyError(project_key)
            required = project.setdefault("requiredFields", [])
            if field_id not in required:
                required.append(field_id)

    def issue_by_key(self, key_or_id: str) -> dict[str, Any] | None:
        """The Jira issue with this key or id, if any."""
        issues = self.table("issues")
        if key_or_id in issues:
            found: dict[str, Any] = issues[key_or_id]
            return found
        return next((i for i in issues.values() if i["key"] == key_or_id), None)
