"""One object for a command's whole conversation with the site.

``plan``, ``apply`` and ``doctor`` call :func:`open_site` once; it resolves the settings (starting
the sandbox for ``--site sandbox``), builds both clients on one :class:`HttpPolicy`, and hands
out the typed facades and the request counters::

    with open_site(site_option, project=project, workers=workers) as site:
        pages = site.confluence.list_pages("TEAM", property_keys=["teamcomms"])
        print(site.stats.requests)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from teamcomms.settings import KeyringLookup, SiteSettings, resolve_settings, system_keyring
from teamcomms.site.clients import SiteClients, connect
from teamcomms.site.confluence import ConfluenceSite
from teamcomms.site.http import HttpConfig, HttpPolicy, RequestStats
from teamcomms.site.jira import JiraSite
from teamcomms.site.pool import WorkerPool, workers_setting

if TYPE_CHECKING:
    from teamcomms.definitions import Project


@dataclass
class Site:
    """Settings, clients, facades, worker pool and counters of one run against one site."""

    settings: SiteSettings
    clients: SiteClients
    confluence: ConfluenceSite
    jira: JiraSite
    pool: WorkerPool

    @property
    def policy(self) -> HttpPolicy:
        """The HTTP policy every request goes through."""
        return self.clients.policy

    @property
    def stats(self) -> RequestStats:
        """Requests sent so far (reads, writes, retries, seconds waited)."""
        return self.clients.policy.stats

    def close(self) -> None:
        """Close connections and stop the sandbox if this run started it."""
        try:
            self.clients.close()
        finally:
            self.settings.close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_site(
    site: str | None = None,
    *,
    project: Project | None = None,
    project_dir: Path | None = None,
    workers: int | None = None,
    policy: HttpPolicy | None = None,
    env: Mapping[str, str] | None = None,
    keyring_lookup: KeyringLookup = system_keyring,
) -> Site:
    """Connect to the site named by ``--site``, ``TEAMCOMMS_SITE`` or the project's ``site``.

    ``project`` is a loaded :class:`teamcomms.definitions.Project` (its ``config.site`` and
    ``config.deployment`` are used, and ``--site sandbox`` keeps state under its root).
    Sends no request unless a scoped token needs its cloud id looked up.
    """
    config = project.config if project is not None else None
    root = project_dir or (project.root if project is not None else None)
    settings = resolve_settings(
        site,
        project_site=config.site if config is not None else None,
        project_deployment=config.deployment if config is not None else None,
        project_dir=root,
        env=env,
        keyring_lookup=keyring_lookup,
    )
    try:
        count = workers_setting(workers, env)
        clients = connect(settings, policy or _default_policy(settings, env))
    except BaseException:
        settings.close()
        raise
    return Site(
        settings=clients.settings,
        clients=clients,
        confluence=ConfluenceSite(clients, workers=min(2, count)),
        jira=JiraSite(clients),
        pool=WorkerPool(count),
    )


def _default_policy(settings: SiteSettings, env: Mapping[str, str] | None) -> HttpPolicy:
    return HttpPolicy(HttpConfig.from_env(env), auth_hint=settings.auth_hint)
