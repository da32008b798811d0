"""One object for a command's whole conversation with one site.

:func:`connect_site` builds both clients on one :class:`HttpPolicy` and hands out the typed
facades and the request counters. The site layer knows sites by URL only; which site a command
means (``--site``, ``TEAMCOMMS_SITE``, the project file, or the local sandbox) is decided once, by
:func:`teamcomms.engine.connect.open_site`::

    with connect_site(settings, workers=4) as site:
        pages = site.confluence.list_pages("TEAM", property_keys=["teamcomms"])
        print(site.stats.requests)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from teamcomms.site.clients import SiteClients, connect
from teamcomms.site.confluence import ConfluenceSite
from teamcomms.site.http import HttpConfig, HttpPolicy, RequestStats
from teamcomms.site.jira import JiraSite
from teamcomms.site.pool import WorkerPool, workers_setting
from teamcomms.site.settings import SiteSettings


@dataclass
class Site:
    """Settings, clients, facades, worker pool and counters of one run against one site."""

    settings: SiteSettings
    clients: SiteClients
    confluence: ConfluenceSite
    jira: JiraSite
    pool: WorkerPool
    label: str = ""
    """How plans name this site: its URL, or ``sandbox`` (whose port changes every run)."""
    opened_at: float = field(default_factory=time.monotonic)
    """``time.monotonic()`` when the connection was made (reports time the whole run)."""
    on_close: list[Callable[[], None]] = field(default_factory=list)
    """Called after the connections are closed (the opener stops a sandbox it started)."""
    notes: list[str] = field(default_factory=list)
    """What the user should know about the site itself (what a sandbox was given to start)."""

    @property
    def policy(self) -> HttpPolicy:
        """The HTTP policy every request goes through."""
        return self.clients.policy

    @property
    def stats(self) -> RequestStats:
        """Requests sent so far (reads, writes, retries, seconds waited)."""
        return self.clients.policy.stats

    def close(self) -> None:
        """Close connections, then run the ``on_close`` callbacks."""
        try:
            self.clients.close()
        finally:
            while self.on_close:
                self.on_close.pop()()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def connect_site(
    settings: SiteSettings,
    *,
    workers: int | None = None,
    policy: HttpPolicy | None = None,
    env: Mapping[str, str] | None = None,
    label: str | None = None,
) -> Site:
    """Build the clients for ``settings``. Sends no request unless a scoped token needs its
    cloud id looked up. ``workers`` (else ``TEAMCOMMS_WORKERS``) sizes the worker pool."""
    count = workers_setting(workers, env)
    clients = connect(settings, policy or _default_policy(settings, env))
    return Site(
        settings=clients.settings,
        clients=clients,
        confluence=ConfluenceSite(clients, workers=min(2, count)),
        jira=JiraSite(clients),
        pool=WorkerPool(count),
        label=label or clients.settings.site_url,
    )


def _default_policy(settings: SiteSettings, env: Mapping[str, str] | None) -> HttpPolicy:
    return HttpPolicy(HttpConfig.from_env(env), auth_hint=settings.auth_hint)
