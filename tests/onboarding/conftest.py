"""A small project with one checklist, two hires and a welcome page template, on the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from teamcomms.site.connection import Site
from tests.conftest import SandboxHandle
from tests.resources.conftest import connect_to, unpaced

__all__ = ["unpaced"]

PROJECT_FILE = """\
name: Test store
defaults: {space: TEAM, project: PEOPLE}
teams:
  it: {user: alice@teamcomms.invalid, group: it-support}
calendar: {country: US, region: CA, days_off: [2027-01-13]}
"""
CHECKLIST = """\
kind: checklist
name: developer
role: Developer
jira: {project: PEOPLE, labels: [onboarding]}
welcome_page: {template: welcome, parent: Onboarding}
items:
  - {title: Laptop ready, owner: it, due: -2d}
  - {title: Read the handbook, owner: hire, due: 1bd, link: "page:handbook"}
  - {title: Pair on the first change, owner: buddy, due: 2bd, description: "Run `make test`."}
  - {title: First-week check-in, owner: manager, due: 1w}
"""
TEMPLATES = """\
kind: page
name: handbook
title: Team Handbook
body: handbook.md
---
kind: page
name: onboarding
title: Onboarding
body: handbook.md
---
kind: template
name: welcome
title: "Welcome, {{ hire.name }}"
parent: Onboarding
body: welcome.md
variables:
  hire: {required: true, description: The hire}
"""
WELCOME = """\
Welcome {{ hire.name }}! Your manager is {{ hire.manager }}.

[[jql:{{ hire.tasks_jql }}]]
"""
HIRES = """\
kind: hire
name: ada-lovelace
full_name: Ada Lovelace
email: carol@teamcomms.invalid
checklist: developer
start: 2027-01-11
manager: bob@teamcomms.invalid
buddy: alice@teamcomms.invalid
"""


def write_project(root: Path, checklist: str = CHECKLIST, hires: str = HIRES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text(PROJECT_FILE)
    (root / "checklist.yaml").write_text(checklist)
    (root / "docs.yaml").write_text(TEMPLATES)
    (root / "handbook.md").write_text("How we work.\n")
    (root / "welcome.md").write_text(WELCOME)
    (root / "hires.yaml").write_text(hires)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture
def site(sandbox_site: SandboxHandle) -> Iterator[Site]:
    connection = connect_to(sandbox_site)
    yield connection
    connection.close()
