"""Fixtures for the publisher: a Confluence connection to the contract-checked sandbox that never
sleeps (write pacing off, retries wait on a fake clock)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from teamcomms.engine.connect import open_site
from teamcomms.site.connection import Site
from teamcomms.site.http import HttpConfig, HttpPolicy
from teamcomms.site.settings import SiteSettings
from tests.conftest import SandboxHandle

PAGES_YAML = """\
kind: page
name: handbook
title: Team Handbook
labels: [handbook]
body: handbook.md
---
kind: page
name: promise
title: Our customer promise
parent: Team Handbook
labels: [handbook, service]
body: promise.md
vars: {store: Northwind}
---
kind: template
name: readiness
title: "Deployment readiness: {{ release }}"
description: Go/no-go checklist.
labels: [checklist]
body: readiness.md
variables:
  release: {required: true, description: Release name}
confluence_template: true
"""


BOTH_DEPLOYMENTS = pytest.mark.parametrize("sandbox_site", ["cloud", "datacenter"], indirect=True)
"""Run a test against a Cloud and a Data Center sandbox."""


# ``teamcomms`` in a real process (``[*UNPACED_TEAMCOMMS, "apply", ...]``) with its write pacing
# (0.1 s between writes, for Atlassian's burst limits) off: the sandbox has no rate limits, and
# tests never sleep for real.
_UNPACED_MAIN = """
import sys
from teamcomms.site import connection, http

def _unpaced(settings, env):
    return http.HttpPolicy(http.HttpConfig(write_interval=0.0), auth_hint=settings.auth_hint)

assert callable(connection._default_policy)
connection._default_policy = _unpaced
sys.argv[0] = "teamcomms"
from teamcomms.cli import main
main()
"""
UNPACED_TEAMCOMMS = [sys.executable, "-c", _UNPACED_MAIN]


def write_project(root: Path, yaml: str = PAGES_YAML) -> Path:
    """A small project: two pages (one under the other) and one content template, space TEAM."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text("name: Test\ndefaults: {space: TEAM}\n")
    (root / "docs.yaml").write_text(yaml)
    (root / "handbook.md").write_text("# Handbook\n\nHow we work.\n")
    (root / "promise.md").write_text("Orders from {{ store }} ship within 24 hours.\n")
    (root / "readiness.md").write_text("Release {{ release }} is ready when:\n\n- [ ] tests pass\n")
    return root


def connect_to(sandbox: SandboxHandle) -> Site:
    """A connection whose retries wait on a fake clock instead of sleeping."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    policy = HttpPolicy(
        HttpConfig(write_interval=0.0),
        sleeper=sleep,
        clock=lambda: now[0],
        wall_clock=lambda: 1_800_000_000.0 + now[0],
        jitter=lambda: 0.5,
    )
    return open_site(sandbox.url, env=credentials_env(sandbox), policy=policy, workers=4)


def credentials_env(sandbox: SandboxHandle) -> dict[str, str]:
    """What a user sets to reach the sandbox: email and API token on Cloud, a personal access
    token on Data Center."""
    if sandbox.deployment == "datacenter":
        return {"TEAMCOMMS_PAT": sandbox.token, "TEAMCOMMS_DEPLOYMENT": "datacenter"}
    return {"TEAMCOMMS_EMAIL": sandbox.email, "TEAMCOMMS_API_TOKEN": sandbox.token}


@pytest.fixture
def unpaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in-process with ``--site URL`` skip write pacing (as ``UNPACED_TEAMCOMMS``)."""
    from teamcomms.site import connection

    def policy(settings: SiteSettings, env: object) -> HttpPolicy:
        return HttpPolicy(HttpConfig(write_interval=0.0), auth_hint=settings.auth_hint)

    monkeypatch.setattr(connection, "_default_policy", policy)


@pytest.fixture
def confluence(sandbox_site: SandboxHandle) -> Iterator[Site]:
    connection = connect_to(sandbox_site)
    yield connection
    connection.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")
