"""``kind: glossary``: the team's jargon with plain alternatives, checked by ``teamcomms lint``.

A glossary also describes the Confluence page that lists its terms (``page:``); the renderer
turns it into a table (:func:`teamcomms.render.glossary_page`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from teamcomms.definitions.common import (
    Definition,
    DefinitionValueError,
    Slug,
    SpaceKey,
    StrictModel,
    default_space,
)

ACRONYM = re.compile(r"^[0-9&]*[A-Z][A-Z0-9&]*$")
"""An acronym (``SKU``, ``3PL``, ``GA4``) is matched case-sensitively; other terms are not."""


def is_acronym(term: str) -> bool:
    """Whether ``term`` is written as an acronym, and so is matched with its case."""
    return bool(ACRONYM.match(term))


class GlossaryTerm(StrictModel):
    """One term, what to write instead, and whether it may be used once spelled out."""

    term: str = Field(min_length=1, pattern=r"\S")
    plain: str = Field(min_length=1, pattern=r"\S", description="The plain alternative.")
    notes: str = ""
    aliases: tuple[str, ...] = Field(
        default=(), description="Other spellings of the term (plurals ending in s are matched)."
    )
    allowed_once_spelled_out: bool = Field(
        default=True,
        description="true: the term may be used after it has been written out once, as "
        "'plain (TERM)' or 'TERM (plain)'; false: always write the plain alternative.",
    )

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term and its aliases."""
        return (self.term, *self.aliases)


class GlossaryPage(StrictModel):
    """Where the glossary's Confluence page goes."""

    space: Annotated[SpaceKey, BeforeValidator(default_space)] = Field(
        default=None, validate_default=True
    )
    parent: str | None = None
    title: str = Field(default="Glossary", min_length=1)
    labels: tuple[str, ...] = ("glossary",)


class GlossaryDefinition(Definition):
    """A glossary: ``terms`` to spell out or avoid; ``known`` names readers need no help with."""

    kind: Literal["glossary"] = "glossary"
    name: Slug
    terms: tuple[GlossaryTerm, ...] = ()
    known: tuple[str, ...] = Field(
        default=(),
        description="Acronyms and names every reader knows (UPS, URL): never flagged.",
    )
    page: GlossaryPage | None = None

    @model_validator(mode="after")
    def _each_spelling_once(self) -> GlossaryDefinition:
        seen: dict[str, str] = {}
        for index, entry in enumerate(self.terms):
            for spelling in entry.spellings:
                key = spelling if is_acronym(spelling) else spelling.casefold()
                if key in seen:
                    raise DefinitionValueError(
                        f"'{spelling}' is listed twice (also under {seen[key]})",
                        "list each term once; put other spellings in 'aliases'",
                        at=("terms", index, "term"),
                    )
                seen[key] = f"terms[{index}]"
        for index, name in enumerate(self.known):
            key = name if is_acronym(name) else name.casefold()
            if key in seen:
                raise DefinitionValueError(
                    f"'{name}' is both a term and known (also under {seen[key]})",
                    "keep it in 'terms' to have it spelled out, or in 'known' to allow it as is",
                    at=("known", index),
                )
            seen[key] = "known"
        return self
