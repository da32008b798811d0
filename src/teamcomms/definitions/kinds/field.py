"""``kind: field``: a Jira custom field with its options and contexts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from teamcomms.definitions.common import Definition, DefinitionValueError, ProjectKey, StrictModel

FieldType = Literal[
    "text",
    "textarea",
    "number",
    "date",
    "datetime",
    "select",
    "multiselect",
    "checkboxes",
    "radio",
    "url",
    "user",
    "labels",
]
OPTION_TYPES = frozenset({"select", "multiselect", "checkboxes", "radio"})


class FieldContext(StrictModel):
    """Where a custom field applies; empty ``projects`` and ``issue_types`` mean all of them."""

    name: str = Field(min_length=1)
    projects: tuple[ProjectKey, ...] = ()
    issue_types: tuple[str, ...] = ()


class FieldDefinition(Definition):
    """A Jira custom field, matched on the site by name."""

    kind: Literal["field"] = "field"
    type: FieldType
    options: tuple[str, ...] = ()
    renamed_options: dict[str, str] = Field(
        default_factory=dict,
        description="Options renamed in place (old value -> new value) instead of the old one "
        "being disabled and a new one added: issues keep the option, with its new name.",
    )
    contexts: tuple[FieldContext, ...] = ()
    adopt: bool = False
    """Take over an object of this name that teamcomms did not create, instead of a conflict."""

    @model_validator(mode="after")
    def _options_match_type(self) -> FieldDefinition:
        if self.type in OPTION_TYPES and not self.options:
            raise DefinitionValueError(
                f"a {self.type} field needs 'options'",
                "add options: [First, Second]",
                at=("type",),
            )
        if self.type not in OPTION_TYPES and self.options:
            raise DefinitionValueError(
                f"a {self.type} field has no options",
                "remove 'options', or use type select, multiselect, checkboxes or radio",
                at=("options",),
            )
        for old, new in self.renamed_options.items():
            if new not in self.options:
                raise DefinitionValueError(
                    f"renamed option '{old}' -> '{new}': '{new}' is not one of the options",
                    "list the new name under options",
                    at=("renamed_options", old),
                )
        if len(set(self.options)) != len(self.options):
            raise DefinitionValueError(
                "options are listed twice", "list each option once", at=("options",)
            )
        return self
