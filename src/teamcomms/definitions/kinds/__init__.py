"""One module per definition kind; :data:`MODELS` maps each ``kind`` to its model."""

from __future__ import annotations

from teamcomms.definitions.common import Definition
from teamcomms.definitions.kinds.board import BoardDefinition
from teamcomms.definitions.kinds.checklist import ChecklistDefinition
from teamcomms.definitions.kinds.field import FieldDefinition
from teamcomms.definitions.kinds.filter import FilterDefinition
from teamcomms.definitions.kinds.glossary import GlossaryDefinition
from teamcomms.definitions.kinds.hire import HireDefinition
from teamcomms.definitions.kinds.import_ import ImportDefinition
from teamcomms.definitions.kinds.page import PageDefinition
from teamcomms.definitions.kinds.report import ReportDefinition
from teamcomms.definitions.kinds.standup import StandupDefinition
from teamcomms.definitions.kinds.template import TemplateDefinition
from teamcomms.definitions.kinds.workflow import WorkflowDefinition

MODELS: dict[str, type[Definition]] = {
    "workflow": WorkflowDefinition,
    "field": FieldDefinition,
    "filter": FilterDefinition,
    "board": BoardDefinition,
    "checklist": ChecklistDefinition,
    "hire": HireDefinition,
    "template": TemplateDefinition,
    "page": PageDefinition,
    "standup": StandupDefinition,
    "report": ReportDefinition,
    "glossary": GlossaryDefinition,
    "import": ImportDefinition,
}
"""Every kind, in the order summaries list them."""

KINDS: tuple[str, ...] = tuple(MODELS)
