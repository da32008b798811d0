"""Open the site a command talks to, deciding once whether it is the local sandbox.

``--site``, else ``TEAMCOMMS_SITE``, else the project file's ``site``: a URL is handed to the site
layer with credentials from the environment or keyring; ``sandbox`` starts the local sandbox in
this process (state under the project's ``.teamcomms/``), connects to it with its own credentials
and without write pacing (it has no rate limits), and stops it when the connection is closed.
The sandbox emulates Data Center when ``TEAMCOMMS_DEPLOYMENT=datacenter`` or the project file
says ``deployment: datacenter`` (a state file of its own, a personal access token).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teamcomms.errors import ExitCode, TeamcommsError
from teamcomms.site.settings import (
    SANDBOX_SOURCE,
    Credentials,
    Deployment,
    KeyringLookup,
    SiteSettings,
    choose_site,
    normalise_site_url,
    parse_deployment,
    resolve_settings,
    system_keyring,
)

SANDBOX = "sandbox"
"""The ``--site`` value (or ``TEAMCOMMS_SITE``) that starts the local sandbox."""
Provision = Callable[[Any], Sequence[str]]
"""Creates what a project needs on a sandbox's state; returns lines saying what it created."""

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.site.connection import Site
    from teamcomms.site.http import HttpPolicy


def sandbox_state_file(project_dir: Path, deployment: Deployment = "cloud") -> Path:
    """Where ``--site sandbox`` keeps the sandbox's state for a project (one file per deployment:
    a state file holds one kind of site)."""
    name = "sandbox-datacenter-state.json" if deployment == "datacenter" else "sandbox-state.json"
    return project_dir / ".teamcomms" / name


def sandbox_deployment(project_deployment: str | None, env: Mapping[str, str]) -> Deployment:
    """Which deployment ``--site sandbox`` emulates: ``TEAMCOMMS_DEPLOYMENT``, else the project
    file's ``deployment``, else Cloud."""
    raw = env.get("TEAMCOMMS_DEPLOYMENT") or project_deployment
    return parse_deployment(raw) or "cloud"


def is_sandbox(chosen: str) -> bool:
    """Whether a ``--site`` value (or ``TEAMCOMMS_SITE``) names the local sandbox."""
    return chosen.strip() == SANDBOX


def check_not_a_sandbox_typo(chosen: str) -> None:
    """Refuse a site that is a slip of ``sandbox`` (``sandbx``, ``Sandbox``): taken as a host
    name it would end in "no credentials", advice about API tokens that sends people astray."""
    from difflib import SequenceMatcher

    from teamcomms.errors import ConfigError

    word = chosen.strip().lower()
    if any(mark in word for mark in "./:"):
        return  # a URL, a host name or host:port, however short
    if word == SANDBOX or SequenceMatcher(None, word, SANDBOX).ratio() >= 0.75:
        raise ConfigError(
            f"no site called {chosen!r}: did you mean sandbox?",
            hint="--site sandbox (all lower case) is the built-in local site; a real site is a "
            "URL such as https://acme.atlassian.net",
        )


def open_site(
    site: str | None = None,
    *,
    project: Project | None = None,
    project_dir: Path | None = None,
    workers: int | None = None,
    policy: HttpPolicy | None = None,
    env: Mapping[str, str] | None = None,
    keyring_lookup: KeyringLookup = system_keyring,
    provision: Provision | None = None,
) -> Site:
    """Connect to the site named by ``--site``, ``TEAMCOMMS_SITE`` or the project's ``site``.

    ``project`` is a loaded :class:`teamcomms.definitions.Project` (its ``config.site`` and
    ``config.deployment`` are used, and the sandbox keeps its state under its root). Sends no
    request unless a scoped token needs its cloud id looked up. ``provision`` is called with a
    sandbox's state before anything else, to create what the definitions need there; the lines
    it returns are kept in ``Site.notes``. Close the result (it is a context manager).
    """
    from teamcomms.site.connection import connect_site

    environ = os.environ if env is None else env
    config = project.config if project is not None else None
    root = project_dir or (project.root if project is not None else None) or Path.cwd()
    chosen = choose_site(site, project_site=config.site if config else None, env=environ)
    if not is_sandbox(chosen):
        check_not_a_sandbox_typo(chosen)
        settings = resolve_settings(
            chosen,
            project_deployment=config.deployment if config else None,
            env=environ,
            keyring_lookup=keyring_lookup,
        )
        return connect_site(settings, workers=workers, policy=policy, env=environ)
    deployment = sandbox_deployment(config.deployment if config else None, environ)
    return _open_sandbox(
        root, deployment, workers=workers, policy=policy, env=environ, provision=provision
    )


def _open_sandbox(
    root: Path,
    deployment: Deployment,
    *,
    workers: int | None,
    policy: HttpPolicy | None,
    env: Mapping[str, str],
    provision: Provision | None,
) -> Site:
    from teamcomms.sandbox import start_sandbox
    from teamcomms.site.connection import connect_site
    from teamcomms.site.http import HttpConfig, HttpPolicy

    state = sandbox_state_file(root, deployment)
    state.parent.mkdir(parents=True, exist_ok=True)
    running = start_sandbox(state_file=state, deployment=deployment)
    try:
        notes = list(provision(running.state)) if provision is not None else []
        if deployment == "datacenter":  # a personal access token, as Data Center takes
            credentials = Credentials("bearer", running.token, source=SANDBOX_SOURCE)
        else:
            credentials = Credentials(
                "basic", running.token, user=running.email, source=SANDBOX_SOURCE
            )
        credentials.register()
        settings = SiteSettings(
            site_url=normalise_site_url(running.url),
            deployment=deployment,
            credentials=credentials,
        )
        unpaced = policy or HttpPolicy(HttpConfig(write_interval=0.0), auth_hint=settings.auth_hint)
        connection = connect_site(settings, workers=workers, policy=unpaced, env=env, label=SANDBOX)
    except BaseException:
        running.stop()
        raise
    connection.on_close.append(running.stop)
    connection.notes.extend(notes)
    return connection


class Interrupted(TeamcommsError):
    """Ctrl-C before anything was written."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self) -> None:
        super().__init__(
            "interrupted while reading the site; nothing was written",
            hint="run the command again when ready",
        )


@contextmanager
def connected(
    site: str | None,
    *,
    project: Project | None = None,
    project_dir: Path | None = None,
    workers: int | None = None,
    provision: Provision | None = None,
) -> Iterator[Site]:
    """:func:`open_site` for a command: closed at the end, Ctrl-C while reading the site
    reported as :class:`Interrupted` (once apply writes, it reports what it did instead)."""
    with open_site(
        site, project=project, project_dir=project_dir, workers=workers, provision=provision
    ) as connection:
        try:
            yield connection
        except KeyboardInterrupt:
            raise Interrupted() from None
