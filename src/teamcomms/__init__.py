"""teamcomms: Jira workflows, onboarding checklists and Confluence doc templates as code.

The public API is what this module names in ``__all__``; everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
