"""Plain-language checks of what teamcomms publishes: ``teamcomms lint``, ``validate`` warnings.

Rules (ids in :data:`teamcomms.definitions.LINT_RULES`): glossary jargon, undefined acronyms,
long sentences, passive voice above a share, readability per page (``textstat``), vague link
text. Findings are :class:`teamcomms.errors.Problem` warnings carrying ``rule`` and
``suggestion``, positioned in the Markdown or YAML source. See ``docs/lint.md``.
"""

from __future__ import annotations

from teamcomms.lint.project import LintReport, PageScore, lint_paths, lint_project

__all__ = ["LintReport", "PageScore", "lint_paths", "lint_project"]
