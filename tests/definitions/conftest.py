"""A small valid project, written in code, that tests change one piece at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_FILE = "name: Northwind Outfitters\ndefaults: {space: TEAM, project: OPS}\n"

WORKFLOWS = """\
kind: workflow
name: Order Fulfillment
description: From paid order to delivered parcel.
statuses:
  - {name: Awaiting Payment, category: todo}
  - {name: Picking, category: in_progress}
  - {name: Delivered, category: done}
initial: Awaiting Payment
transitions:
  - {name: Payment received, from: Awaiting Payment, to: Picking}
  - {name: Deliver, from: [Picking], to: Delivered}
  - {name: Cancel, from: any, to: Delivered}
used_by: [{project: OPS, issue_types: [Task]}]
---
kind: filter
name: Fulfillment board
jql: project = OPS ORDER BY Rank ASC
share: [{type: project, project: OPS}]
---
kind: board
name: Fulfillment
type: kanban
filter: Fulfillment board
"""

ONBOARDING = """\
kind: checklist
name: storefront-developer
role: Storefront developer
team: product
jira: {project: PEOPLE, epic: "Onboarding: {{ hire.name }}"}
welcome_page: {template: new-hire-welcome, parent: Onboarding}
items:
  - {title: Laptop and accounts ready, owner: it, due: -2d}
  - {title: Deployment walkthrough, owner: buddy, due: 3bd, link: "template:deploy"}
---
kind: hire
name: ada-lovelace
full_name: Ada Lovelace
email: ada@northwind.example
checklist: storefront-developer
start: 2026-12-01
"""

DOCS = """\
kind: template
name: deploy
title: "Deployment readiness: {{ release }}"
space: ENG
body: bodies/deploy.md
variables:
  release: {required: true, description: Release version}
confluence_template: true
---
kind: template
name: new-hire-welcome
title: "Welcome, {{ hire.name }}"
body: bodies/welcome.md
variables:
  hire: {required: true}
---
kind: page
name: onboarding-home
title: Onboarding
body: bodies/home.md
vars: {store: Northwind Outfitters}
"""


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A valid project folder with one definition of most kinds."""
    root = tmp_path / "project"
    (root / "docs" / "bodies").mkdir(parents=True)
    (root / "teamcomms.yaml").write_text(PROJECT_FILE)
    (root / "workflows.yaml").write_text(WORKFLOWS)
    (root / "onboarding.yaml").write_text(ONBOARDING)
    (root / "docs" / "docs.yaml").write_text(DOCS)
    bodies = root / "docs" / "bodies"
    (bodies / "deploy.md").write_text(
        "# {{ release }}\n\n{% for i in [1, 2] %}- {{ i }}\n{% endfor %}"
    )
    (bodies / "welcome.md").write_text("Welcome {{ hire.name }}!\n")
    (bodies / "home.md").write_text("Onboarding at {{ store }}.\n")
    return root
