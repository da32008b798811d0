"""What every definition model shares: strictness, the source location and the key shapes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

PROJECT_KEY_PATTERN = r"^[A-Z][A-Z0-9_]{1,9}$"
SPACE_KEY_PATTERN = r"^[A-Za-z0-9]{1,255}$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class DefinitionValueError(ValueError):
    """A value is wrong; ``hint`` says how to fix it (the loader shows it under the message)."""

    def __init__(
        self, message: str, hint: str | None = None, *, at: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.at = at
        """Path of the offending value relative to where the validator ran."""


class StrictModel(BaseModel):
    """Frozen, and unknown keys are errors. YAML keys are the field aliases where they differ."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
    )


class Location(BaseModel):
    """Where a definition was written: file and 1-based line and column."""

    model_config = ConfigDict(frozen=True)

    file: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


UNKNOWN_LOCATION = Location(file=Path("<memory>"))


class Definition(StrictModel):
    """Base of every kind. ``source`` is filled by the loader and is not part of the YAML."""

    kind: str
    name: str = Field(min_length=1, description="Unique per kind.")
    description: str = ""
    source: SkipJsonSchema[Location] = Field(default=UNKNOWN_LOCATION, exclude=True)

    @property
    def identity(self) -> str:
        """``kind/name``, for example ``template/deployment-readiness``."""
        return f"{self.kind}/{self.name}"

    @property
    def label(self) -> str:
        """How messages name this definition: ``workflow 'Order Fulfillment'``."""
        return f"{self.kind} '{self.name}'"


def _project_key(value: str) -> str:
    if not re.fullmatch(PROJECT_KEY_PATTERN, value):
        raise DefinitionValueError(
            f"'{value}' is not a valid Jira project key",
            "a project key is 2-10 characters: an uppercase letter, then uppercase letters, "
            "digits or '_' (for example OPS or PEOPLE)",
        )
    return value


def _space_key(value: str) -> str:
    if not re.fullmatch(SPACE_KEY_PATTERN, value):
        raise DefinitionValueError(
            f"'{value}' is not a valid Confluence space key",
            "a space key is letters and digits only, no spaces or dashes (for example TEAM)",
        )
    return value


def _slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        raise DefinitionValueError(
            f"'{value}' is not a valid name for this kind",
            f"use lowercase letters, digits and dashes, for example '{suggestion or 'my-name'}'",
        )
    return value


def _email(value: str) -> str:
    if not re.fullmatch(EMAIL_PATTERN, value):
        raise DefinitionValueError(
            f"'{value}' is not an email address", "write it as name@example.com"
        )
    return value


ProjectKey = Annotated[
    str,
    AfterValidator(_project_key),
    WithJsonSchema({"type": "string", "pattern": PROJECT_KEY_PATTERN}),
]
SpaceKey = Annotated[
    str,
    AfterValidator(_space_key),
    WithJsonSchema({"type": "string", "pattern": SPACE_KEY_PATTERN}),
]
Slug = Annotated[
    str,
    AfterValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
Email = Annotated[
    str,
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "pattern": EMAIL_PATTERN}),
]


def as_tuple(value: Any) -> Any:
    """Accept a single value where a list is expected (``from: Picking``)."""
    if isinstance(value, str):
        return (value,)
    return value


def default_space(value: Any, info: ValidationInfo) -> Any:
    """Fill a missing ``space`` from ``defaults.space`` of the project file."""
    if value is not None:
        return value
    context = info.context or {}
    space = context.get("default_space")
    if space is None:
        raise DefinitionValueError(
            "no Confluence space",
            "set 'space:' here, or 'defaults: {space: KEY}' in teamcomms.yaml",
        )
    return space


def default_project(value: Any, info: ValidationInfo) -> Any:
    """Fill a missing Jira project key from ``defaults.project`` of the project file."""
    if value is not None:
        return value
    project = (info.context or {}).get("default_project")
    if project is None:
        raise DefinitionValueError(
            "no Jira project",
            "set 'project:' here, or 'defaults: {project: KEY}' in teamcomms.yaml",
        )
    return project


def resolve_body(value: Any, info: ValidationInfo) -> Any:
    """Make a body path absolute, relative to the folder of the definition file."""
    context = info.context or {}
    base = context.get("base_dir")
    if isinstance(value, str) and base is not None:
        # normpath, not resolve(): a symlink loop must become "not found", not an exception.
        return Path(os.path.normpath(Path(base).absolute() / value))
    return value
