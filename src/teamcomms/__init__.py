"""teamcomms: Jira workflows, onboarding checklists and Confluence doc templates as code.

The public API is what this module names in ``__all__``; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teamcomms.definitions import load_project

__version__ = "0.1.0"

__all__ = ["__version__", "load_project"]


def __getattr__(name: str) -> Any:
    # Loaded on first use so that `import teamcomms` (and `teamcomms --help`) stays cheap.
    if name == "load_project":
        from teamcomms.definitions import load_project

        return load_project
    raise AttributeError(f"module 'teamcomms' has no attribute {name!r}")
