"""What every definition model shares: strictness, the source location and the key shapes."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationInfo,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import core_schema

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
    keys: tuple[tuple[str, int, int], ...] = ()
    """``(key, line, column)`` of each top-level key, so later checks can point at ``title:``."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def at(self, key: str) -> Location:
        """Where ``key`` was written, else where the definition starts."""
        for name, line, column in self.keys:
            if name == key:
                return Location(file=self.file, line=line, column=column)
        return Location(file=self.file, line=self.line, column=self.column)


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


@dataclass(frozen=True)
class Matching:
    """``Annotated`` marker: the text must match ``pattern``; the JSON Schema says so too.

    ``what`` completes "'VALUE' is not ...", and ``hint`` (text, or made from the value) says
    how to fix it.
    """

    pattern: str
    what: str
    hint: str | Callable[[str], str]

    def check(self, value: str) -> str:
        """``value`` unchanged, or a :class:`DefinitionValueError` when it does not match."""
        if not re.fullmatch(self.pattern, value):
            hint = self.hint(value) if callable(self.hint) else self.hint
            raise DefinitionValueError(f"'{value}' is not {self.what}", hint)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern}


def _slug_hint(value: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return f"use lowercase letters, digits and dashes, for example '{suggestion or 'my-name'}'"


ProjectKey = Annotated[
    str,
    Matching(
        PROJECT_KEY_PATTERN,
        "a valid Jira project key",
        "a project key is 2-10 characters: an uppercase letter, then uppercase letters, "
        "digits or '_' (for example OPS or PEOPLE)",
    ),
]
SpaceKey = Annotated[
    str,
    Matching(
        SPACE_KEY_PATTERN,
        "a valid Confluence space key",
        "a space key is letters and digits only, no spaces or dashes (for example TEAM)",
    ),
]
Slug = Annotated[str, Matching(SLUG_PATTERN, "a valid name for this kind", _slug_hint)]
Email = Annotated[str, Matching(EMAIL_PATTERN, "an email address", "write it as name@example.com")]


def known_timezone(value: str) -> str:
    """An IANA time zone name the system knows (``Europe/Berlin``, ``UTC``)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise DefinitionValueError(
            f"'{value}' is not a time zone", "write an IANA name such as America/Los_Angeles"
        ) from None
    return value


def as_tuple(value: Any) -> Any:
    """Accept a single value where a list is expected (``from: Picking``)."""
    if isinstance(value, str):
        return (value,)
    return value


def _from_defaults(key: str, what: str) -> Callable[[Any, ValidationInfo], Any]:
    """A validator filling a missing ``key`` from ``defaults.KEY`` of the project file."""

    def fill(value: Any, info: ValidationInfo) -> Any:
        if value is not None:
            return value
        default = (info.context or {}).get(f"default_{key}")
        if default is None:
            raise DefinitionValueError(
                f"no {what}",
                f"set '{key}:' here, or 'defaults: {{{key}: KEY}}' in teamcomms.yaml",
            )
        return default

    return fill


default_space = _from_defaults("space", "Confluence space")
"""Fill a missing ``space`` from ``defaults.space`` of the project file."""
default_project = _from_defaults("project", "Jira project")
"""Fill a missing Jira project key from ``defaults.project`` of the project file."""


def resolve_body(value: Any, info: ValidationInfo) -> Any:
    """Make a body path absolute, relative to the folder of the definition file."""
    context = info.context or {}
    base = context.get("base_dir")
    if isinstance(value, str) and base is not None:
        # normpath, not resolve(): a symlink loop must become "not found", not an exception.
        return Path(os.path.normpath(Path(base).absolute() / value))
    return value


MAX_LABEL_LENGTH = 255
# Confluence refuses labels with spaces or any of `! # & ( ) * , . : ; < > ? @ [ ] ^` (400 on
# POST .../label), and stores every label in lower case. Atlassian publishes no list for REST;
# ScriptRunner's documentation of Atlassian's label restrictions also names `'` and a backquote,
# so those are refused too: a label is a word, and refusing them costs nothing.
_LABEL_FORBIDDEN = re.compile(r"[\s!#&()*,.:;<>?@\[\]^'`]")


def check_label(value: str) -> str:
    """A Confluence label, or :class:`DefinitionValueError` saying what Confluence would do."""
    good = _LABEL_FORBIDDEN.sub("-", value.strip().lower()).strip("-") or "release-notes"
    hint = f"labels are single words of letters, digits, '-' and '_', for example '{good}'"
    if not value.strip():
        raise DefinitionValueError("a label cannot be empty", "remove it, or write a word")
    if len(value) > MAX_LABEL_LENGTH:
        raise DefinitionValueError(
            f"label is {len(value)} characters; Confluence allows at most {MAX_LABEL_LENGTH}",
            "shorten it",
        )
    bad = _LABEL_FORBIDDEN.search(value)
    if bad:
        shown = "a space" if bad.group().isspace() else f"'{bad.group()}'"
        raise DefinitionValueError(
            f"label '{value}' contains {shown}, which Confluence refuses in labels", hint
        )
    if value != value.lower():
        raise DefinitionValueError(
            f"label '{value}' has capitals; Confluence stores labels in lower case, so every "
            "plan would show it as changed",
            f"write it as '{value.lower()}'",
        )
    return value


def check_jira_label(value: str) -> str:
    """A Jira label: one word (Jira refuses spaces), at most 255 characters."""
    if not value.strip():
        raise DefinitionValueError("a label cannot be empty", "remove it, or write a word")
    if len(value) > MAX_LABEL_LENGTH:
        raise DefinitionValueError(
            f"label is {len(value)} characters; Jira allows at most {MAX_LABEL_LENGTH}",
            "shorten it",
        )
    if re.search(r"\s", value):
        joined = re.sub(r"\s+", "-", value.strip())
        raise DefinitionValueError(
            f"label '{value}' contains a space, which Jira refuses in labels",
            f"join the words with '-': '{joined}'",
        )
    return value


def _title_text(value: str) -> str:
    if not value.strip():
        raise DefinitionValueError(
            "the title is blank", "write a title; Confluence refuses a page without one"
        )
    return value


Label = Annotated[str, AfterValidator(check_label)]
JiraLabel = Annotated[str, AfterValidator(check_jira_label)]
Title = Annotated[str, AfterValidator(_title_text)]


class ConfluenceContent(Definition):
    """What a page and a template share: the title, where the page goes, its Markdown body."""

    name: Slug
    title: Title = Field(min_length=1)
    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    labels: tuple[Label, ...] = ()
    body: Annotated[Path, BeforeValidator(resolve_body)] = Field(
        description="Markdown + Jinja file, relative to the definition file."
    )
