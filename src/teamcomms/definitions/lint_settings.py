"""The ``lint:`` settings of the project file and of a definition: which plain-language rules run.

The rule ids live here, at the bottom of the layers, so that the models can refuse a misspelt
rule name with a position in the YAML; :mod:`teamcomms.lint` implements the rules.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from teamcomms.definitions.common import DefinitionValueError, StrictModel

LINT_RULES: dict[str, str] = {
    "jargon": "a glossary term used before it is spelled out, or a term to avoid everywhere",
    "undefined-acronym": "an acronym that no glossary lists and the text does not spell out",
    "long-sentence": "a sentence longer than max_sentence_words",
    "passive-voice": "passive sentences above max_passive_percent of a page or definition",
    "readability": "a page whose Flesch reading ease is below min_reading_ease",
    "vague-link": "a link whose text does not say where it goes ('click here', 'here')",
}
"""Every rule id and what it flags, in the order the docs list them."""


def _known_rule(value: str) -> str:
    if value not in LINT_RULES:
        from teamcomms.definitions.messages import suggest

        guess = suggest(value, tuple(LINT_RULES))
        raise DefinitionValueError(
            f"'{value}' is not a lint rule" + (f": did you mean '{guess}'?" if guess else ""),
            f"rules are: {', '.join(LINT_RULES)}",
        )
    return value


RuleId = Annotated[str, AfterValidator(_known_rule), WithJsonSchema({"enum": list(LINT_RULES)})]


class DefinitionLint(StrictModel):
    """``lint:`` on a page, template, workflow or checklist: rules switched off for it alone."""

    disable: tuple[RuleId, ...] = ()


class LintConfig(StrictModel):
    """``lint:`` in ``teamcomms.yaml``: rules switched off for the project, and the limits."""

    disable: tuple[RuleId, ...] = ()
    max_sentence_words: int = Field(
        default=35, ge=5, description="A sentence with more words is flagged (long-sentence)."
    )
    max_passive_percent: int = Field(
        default=25,
        ge=0,
        le=100,
        description="Passive sentences are flagged when more than this share of a page (or of "
        "a workflow's or checklist's texts) is passive (passive-voice).",
    )
    min_reading_ease: float = Field(
        default=50,
        le=121,
        description="A page of at least 100 words scoring lower on the Flesch reading ease "
        "scale (0-100, higher is easier) is flagged (readability).",
    )
