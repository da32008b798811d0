"""Definitions: load, validate and cross-check a project's YAML, and describe it as JSON Schema.

Other parts of teamcomms use only the names in ``__all__``::

    project = load_project(Path("examples/ecommerce"))   # raises DefinitionError on errors
    for workflow in project.workflows: ...
"""

from __future__ import annotations

from teamcomms.definitions.common import Definition, Location
from teamcomms.definitions.due import RelativeDue
from teamcomms.definitions.kinds import KINDS, MODELS
from teamcomms.definitions.kinds.board import BoardDefinition
from teamcomms.definitions.kinds.checklist import (
    ChecklistDefinition,
    ChecklistItem,
    ChecklistJira,
    WelcomePage,
)
from teamcomms.definitions.kinds.field import FieldContext, FieldDefinition
from teamcomms.definitions.kinds.filter import (
    FilterDefinition,
    GlobalShare,
    GroupShare,
    LoggedInShare,
    ProjectShare,
)
from teamcomms.definitions.kinds.glossary import GlossaryDefinition, GlossaryPage, GlossaryTerm
from teamcomms.definitions.kinds.hire import HireDefinition
from teamcomms.definitions.kinds.import_ import ColumnSpec, ImportDefinition, LinkSpec
from teamcomms.definitions.kinds.page import PageDefinition
from teamcomms.definitions.kinds.report import ReportDefinition
from teamcomms.definitions.kinds.standup import Deployments, StandupDefinition
from teamcomms.definitions.kinds.template import TemplateDefinition, VariableSpec
from teamcomms.definitions.kinds.workflow import Status, Transition, UsedBy, WorkflowDefinition
from teamcomms.definitions.lint_settings import LINT_RULES, DefinitionLint, LintConfig
from teamcomms.definitions.project import Project, Validation, load_project, validate_project
from teamcomms.definitions.project_file import PROJECT_FILE, Defaults, ProjectConfig
from teamcomms.definitions.schema import json_schema
from teamcomms.errors import DefinitionError, Problem

__all__ = [
    "KINDS",
    "LINT_RULES",
    "MODELS",
    "PROJECT_FILE",
    "BoardDefinition",
    "ChecklistDefinition",
    "ChecklistItem",
    "ChecklistJira",
    "ColumnSpec",
    "Defaults",
    "Definition",
    "DefinitionError",
    "DefinitionLint",
    "Deployments",
    "FieldContext",
    "FieldDefinition",
    "FilterDefinition",
    "GlobalShare",
    "GlossaryDefinition",
    "GlossaryPage",
    "GlossaryTerm",
    "GroupShare",
    "HireDefinition",
    "ImportDefinition",
    "LinkSpec",
    "LintConfig",
    "Location",
    "LoggedInShare",
    "PageDefinition",
    "Problem",
    "Project",
    "ProjectConfig",
    "ProjectShare",
    "RelativeDue",
    "ReportDefinition",
    "StandupDefinition",
    "Status",
    "TemplateDefinition",
    "Transition",
    "UsedBy",
    "Validation",
    "VariableSpec",
    "WelcomePage",
    "WorkflowDefinition",
    "json_schema",
    "load_project",
    "validate_project",
]
