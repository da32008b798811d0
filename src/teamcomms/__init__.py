"""teamcomms: Jira workflows, onboarding checklists and Confluence doc templates as code.

The public API is what this module names in ``__all__``; everything else is internal. The CLI
is a thin layer over these functions::

    import teamcomms

    project = teamcomms.load_project(Path("examples/ecommerce"))  # raises DefinitionError
    with teamcomms.open_site("sandbox", project=project) as site:
        plan = teamcomms.plan_project(project, site)  # a value: print it, save it
        report = teamcomms.apply_plan(plan, site.confluence)  # exactly that plan

Names are loaded on first use, so ``import teamcomms`` (and ``teamcomms --help``) stays cheap
and never imports the Atlassian client libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from teamcomms.definitions import Project, json_schema, load_project, validate_project
    from teamcomms.engine.connect import open_site
    from teamcomms.errors import DefinitionError, Problem, SiteError, TeamcommsError
    from teamcomms.publish.apply import apply_plan
    from teamcomms.publish.changes import Plan
    from teamcomms.publish.session import plan_project
    from teamcomms.render import (
        markdown_to_adf,
        render_definition,
        render_project,
        workflow_diagram,
    )
    from teamcomms.sandbox import start_sandbox

_LAZY = {
    "load_project": "teamcomms.definitions",
    "validate_project": "teamcomms.definitions",
    "json_schema": "teamcomms.definitions",
    "Project": "teamcomms.definitions",
    "render_definition": "teamcomms.render",
    "render_project": "teamcomms.render",
    "markdown_to_adf": "teamcomms.render",
    "workflow_diagram": "teamcomms.render",
    "open_site": "teamcomms.engine.connect",
    "plan_project": "teamcomms.publish.session",
    "Plan": "teamcomms.publish.changes",
    "apply_plan": "teamcomms.publish.apply",
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
    "__version__",
    "apply_plan",
    "json_schema",
    "load_project",
    "markdown_to_adf",
    "open_site",
    "plan_project",
    "render_definition",
    "render_project",
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
