"""teamcomms: Jira workflows, onboarding checklists and Confluence doc templates as code.

The public API is what this module names in ``__all__``; everything else is internal. The CLI
is a thin layer over these functions::

    import teamcomms

    workspace = teamcomms.load_workspace("examples/ecommerce")  # raises DefinitionError
    with teamcomms.open_site("sandbox", project=workspace.project) as site:
        plan = teamcomms.plan_project(workspace, site)  # a value: print it, save it
        report = teamcomms.apply_plan(plan, site)  # exactly that plan

Names are loaded on first use, so ``import teamcomms`` (and ``teamcomms --help``) stays cheap
and never imports the Atlassian client libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from teamcomms.api import apply_plan, load_plan, plan_project, save_plan
    from teamcomms.definitions import Project, json_schema
    from teamcomms.engine.change import Plan
    from teamcomms.engine.connect import open_site
    from teamcomms.engine.workspace import (
        Workspace,
        load_project,
        load_workspace,
        validate_project,
    )
    from teamcomms.errors import DefinitionError, Problem, SiteError, TeamcommsError
    from teamcomms.render import (
        markdown_to_adf,
        render_definition,
        render_project,
        workflow_diagram,
    )
    from teamcomms.sandbox import start_sandbox

_LAZY = {
    "load_project": "teamcomms.engine.workspace",
    "load_workspace": "teamcomms.engine.workspace",
    "validate_project": "teamcomms.engine.workspace",
    "Workspace": "teamcomms.engine.workspace",
    "json_schema": "teamcomms.definitions",
    "Project": "teamcomms.definitions",
    "render_definition": "teamcomms.render",
    "render_project": "teamcomms.render",
    "markdown_to_adf": "teamcomms.render",
    "workflow_diagram": "teamcomms.render",
    "open_site": "teamcomms.engine.connect",
    "plan_project": "teamcomms.api",
    "apply_plan": "teamcomms.api",
    "save_plan": "teamcomms.api",
    "load_plan": "teamcomms.api",
    "Plan": "teamcomms.engine.change",
    "start_sandbox": "teamcomms.sandbox",
    "TeamcommsError": "teamcomms.errors",
    "DefinitionError": "teamcomms.errors",
    "SiteError": "teamcomms.errors",
    "Problem": "teamcomms.errors",
}

__all__ = [
    "DefinitionError",
    "Plan",
    "Problem",
    "Project",
    "SiteError",
    "TeamcommsError",
    "Workspace",
    "__version__",
    "apply_plan",
    "json_schema",
    "load_plan",
    "load_project",
    "load_workspace",
    "markdown_to_adf",
    "open_site",
    "plan_project",
    "render_definition",
    "render_project",
    "save_plan",
    "start_sandbox",
    "validate_project",
    "workflow_diagram",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from teamcomms.version import tool_version

        return tool_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teamcomms' has no attribute {name!r}")
    return getattr(import_module(module), name)
