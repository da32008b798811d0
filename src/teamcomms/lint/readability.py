"""A readability score per page, from ``textstat`` (imported on first use: it loads the CMU
pronouncing dictionary, about half a second, which ``--help`` and ``validate`` of YAML alone never
need)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from teamcomms.lint.language import WORD
from teamcomms.lint.prose import Unit

MIN_WORDS = 100
"""Shorter pages get a score but no finding: on a few sentences the formula swings widely."""


@dataclass(frozen=True)
class Readability:
    """A page's Flesch reading ease (0-100, higher is easier) and US school grade."""

    reading_ease: float
    grade: float
    words: int


def page_text(units: Sequence[Unit]) -> str:
    """The prose of a page as textstat reads it: a heading, list item or cell is a sentence."""
    parts = []
    for unit in units:
        text = " ".join(unit.text.split())
        if text:
            parts.append(text if text[-1] in ".!?:" else text + ".")
    return " ".join(parts)


def readability(units: Sequence[Unit]) -> Readability:
    """The scores of the prose in ``units``."""
    import textstat

    text = page_text(units)
    words = len(WORD.findall(text))
    if not words:
        return Readability(0.0, 0.0, 0)
    return Readability(
        round(float(textstat.flesch_reading_ease(text)), 1),
        round(float(textstat.flesch_kincaid_grade(text)), 1),
        words,
    )
