"""``kind: import``: how the rows of a CSV, JSON lines or Trello file become Jira issues (see
``teamcomms import FILE --mapping MAPPING.yaml`` and docs/import.md).

Each Jira field names the column it comes from, either as the column's name or as a mapping
with a value map (``values: {High: Highest}``), a ``default`` for empty cells, a ``split`` for
lists and a date ``format``. Custom fields are named as Jira names them; their type comes from
the site when the import is planned.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from teamcomms.definitions.common import (
    Definition,
    DefinitionValueError,
    ProjectKey,
    Slug,
    StrictModel,
    default_project,
)

PRESETS = ("trello",)
"""Named presets; each says which columns hold the id, summary, description, status..."""
LIST_FIELDS = ("labels", "components")


def _scalars_as_text(value: Any) -> Any:
    """``values: {1: Highest}``: YAML reads the key as a number; the cell is text."""
    if isinstance(value, dict):
        return {
            (str(k) if isinstance(k, int | float) and not isinstance(k, bool) else k): (
                str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
            )
            for k, v in value.items()
        }
    return value


class ColumnSpec(StrictModel):
    """Where a field's value comes from, and how a cell becomes the value."""

    column: str | None = Field(
        default=None,
        min_length=1,
        description="The column (CSV header, JSON key, Trello card column); a preset names a "
        "default.",
    )
    values: Annotated[dict[str, str | None], BeforeValidator(_scalars_as_text)] = Field(
        default_factory=dict,
        description="Cell value -> Jira value, e.g. {High: Highest}; a value mapped to null "
        "is left empty. Cells not listed are taken as they are.",
    )
    default: str | tuple[str, ...] | None = Field(
        default=None, description="The value for an empty cell (after the value map)."
    )
    split: str | None = Field(
        default=None,
        min_length=1,
        description="Separator of several values in one cell (lists: labels, components, "
        "multi-value custom fields, links); default ','.",
    )
    format: str | None = Field(
        default=None,
        min_length=1,
        description="strptime format of dates in the column, e.g. '%d/%m/%Y' (default: "
        "ISO 8601, YYYY-MM-DD, a time after it ignored).",
    )
    add: tuple[str, ...] = Field(
        default=(), description="Values added to every row (lists only), e.g. [imported]."
    )


def _column_shorthand(value: Any) -> Any:
    """``summary: Title`` is ``summary: {column: Title}``."""
    return {"column": value} if isinstance(value, str) else value


Column = Annotated[
    ColumnSpec,
    # The schema says what a file may hold: a column's name, or the mapping.
    BeforeValidator(_column_shorthand, json_schema_input_type=str | ColumnSpec),
]


class ImportFields(StrictModel):
    """Jira's own fields and the columns they come from."""

    summary: Column | None = None
    description: Column | None = Field(
        default=None, description="Markdown, turned into Jira's rich text."
    )
    issue_type: Column | None = Field(default=None, description="Issue type names (default: Task).")
    priority: Column | None = None
    labels: Column | None = None
    components: Column | None = None
    due_date: Column | None = None
    assignee: Column | None = Field(default=None, description="The assignee's email.")


class LinkSpec(StrictModel):
    """Links from each row to the rows a column names (by their ids)."""

    column: str = Field(min_length=1)
    type: str = Field(
        min_length=1,
        description="A link type's name (Blocks) or one of its directions (blocks, is "
        "blocked by): the row <type> each row the column names.",
    )
    split: str = Field(default=",", min_length=1)


class ImportDefinition(Definition):
    """How one kind of file becomes Jira issues in one project."""

    kind: Literal["import"] = "import"
    name: Slug
    project: Annotated[ProjectKey, BeforeValidator(default_project)] = Field(
        default=None, validate_default=True
    )
    preset: Literal["trello"] | None = Field(
        default=None,
        description="trello: read a Trello board export; cards' id, name, description, "
        "labels, due date and list are mapped unless said otherwise.",
    )
    format: Literal["csv", "jsonl"] | None = Field(
        default=None, description="csv or jsonl (default: from the file's extension)."
    )
    id: str | None = Field(
        default=None,
        min_length=1,
        description="The column holding each row's own id (unique, never changing): what makes "
        "a re-run create nothing twice. Required unless a preset names it.",
    )
    fields: ImportFields = Field(default_factory=ImportFields)
    custom: dict[str, Column] = Field(
        default_factory=dict,
        description="Custom fields by their Jira name -> the column; the value is read as the "
        "field's type (text, number, date, select options, users by email).",
    )
    parent: str | None = Field(
        default=None,
        min_length=1,
        description="The column holding the id of the row (or earlier imported row) that is "
        "this row's parent: its epic, or the issue of a sub-task.",
    )
    links: tuple[LinkSpec, ...] = ()
    status: Column | None = Field(
        default=None,
        description="The Jira status each issue is moved to after it is created, through the "
        "workflow's transitions.",
    )
    include_archived: bool = Field(
        default=False, description="trello: import archived cards and cards of archived lists."
    )

    @model_validator(mode="after")
    def _consistent(self) -> ImportDefinition:
        if self.id is None and self.preset is None:
            raise DefinitionValueError(
                "no 'id' column",
                "name the column that holds each row's own id (id: Key): it is what lets a "
                "re-run create nothing twice",
                at=(),
            )
        if self.preset is not None and self.format is not None:
            raise DefinitionValueError(
                f"the {self.preset} preset reads its own format",
                "remove 'format'",
                at=("format",),
            )
        if self.include_archived and self.preset != "trello":
            raise DefinitionValueError(
                "include_archived is for Trello exports", "remove it", at=("include_archived",)
            )
        for name, spec in self.fields:
            if spec is not None and spec.add and name not in LIST_FIELDS:
                raise DefinitionValueError(
                    f"'add' is for lists ({', '.join(LIST_FIELDS)} and custom fields)",
                    "remove 'add'",
                    at=("fields", name, "add"),
                )
            if spec is not None and spec.format and name != "due_date":
                raise DefinitionValueError(
                    "'format' is for dates", "remove 'format'", at=("fields", name, "format")
                )
        return self
