"""The rules, run over the prose units of one page or definition (a *scope*)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from teamcomms.definitions import LintConfig
from teamcomms.lint.language import (
    Sentence,
    active_rewrite,
    normalise,
    passive,
    sentences,
    split_rewrite,
)
from teamcomms.lint.prose import Unit
from teamcomms.lint.vocabulary import Vocabulary, acronyms, spelled_out

VAGUE_LINK_TEXTS = frozenset(
    {
        "click",
        "click here",
        "click this",
        "click this link",
        "details",
        "go",
        "go here",
        "here",
        "learn more",
        "link",
        "more",
        "more info",
        "more information",
        "read more",
        "read this",
        "see here",
        "this",
        "this article",
        "this document",
        "this link",
        "this page",
    }
)
"""Link texts that do not say where the link goes (compared in lower case, without punctuation)."""


@dataclass(frozen=True)
class Finding:
    """What a rule found: in which unit, at which offset of its text, and what to write instead."""

    rule: str
    unit: Unit
    offset: int
    message: str
    suggestion: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Scope:
    """The units read together: a page body, or the texts of one workflow or checklist."""

    units: Sequence[Unit]
    rules: frozenset[str]
    """The rules that run here (project and definition settings applied)."""
    titles: dict[str, str]
    """``page:NAME`` and ``template:NAME`` to the page title, for vague-link suggestions."""


def check(scope: Scope, vocabulary: Vocabulary, config: LintConfig) -> Iterator[Finding]:
    """Every finding in ``scope``, unit by unit."""
    introduced: dict[str, set[str]] = {}
    passives: list[Finding] = []
    total = 0
    for unit in scope.units:
        seen = introduced.setdefault(unit.group, set())
        if "jargon" in scope.rules or "undefined-acronym" in scope.rules:
            yield from _terms(unit, vocabulary, seen, scope.rules)
        for sentence in sentences(unit.text):
            total += 1
            if "long-sentence" in scope.rules and sentence.words > config.max_sentence_words:
                yield _long(unit, sentence, config.max_sentence_words)
            found = None
            if "passive-voice" in scope.rules:
                found = passive(sentence.text)
            if found is not None:
                offset = sentence.start + found.offset
                raw = (unit.raw or unit.text)[sentence.start : sentence.end]
                suggestion = active_rewrite(raw, found)
                passives.append(Finding("passive-voice", unit, offset, found.phrase, suggestion))
        if "vague-link" in scope.rules:
            yield from _vague_links(unit, scope.titles)
    if passives and len(passives) * 100 > config.max_passive_percent * total:
        share = f"{len(passives)} of {total} sentences here are passive"
        limit = f"the limit is {config.max_passive_percent}%"
        for finding in passives:
            yield Finding(
                finding.rule,
                finding.unit,
                finding.offset,
                f"passive voice '{finding.message}' ({share}; {limit})",
                finding.suggestion,
                "say who does it; the draft uses WHO where the sentence does not say",
            )


def _long(unit: Unit, sentence: Sentence, limit: int) -> Finding:
    return Finding(
        "long-sentence",
        unit,
        sentence.start,
        f"sentence of {sentence.words} words (the limit is {limit})",
        split_rewrite(sentence, (unit.raw or unit.text)[sentence.start : sentence.end]),
        "split it into shorter sentences, one idea each",
    )


def _terms(
    unit: Unit, vocabulary: Vocabulary, seen: set[str], rules: frozenset[str]
) -> Iterator[Finding]:
    text = unit.text
    found = []
    covered: list[tuple[int, int]] = []
    for use in vocabulary.uses(text):
        covered.append((use.start, use.end))
        entry = use.entry
        word = text[use.start : use.end]
        if not entry.allowed_once_spelled_out:
            found.append(
                Finding(
                    "jargon",
                    unit,
                    use.start,
                    f"'{word}' is jargon",
                    entry.plain,
                    f"write '{entry.plain}' instead (the glossary says to avoid '{entry.term}')",
                )
            )
        elif use.key not in seen:
            seen.add(use.key)
            if not spelled_out(text, use.start, use.end, entry.plain):
                found.append(
                    Finding(
                        "jargon",
                        unit,
                        use.start,
                        f"'{word}' is used before it is spelled out",
                        f"{entry.plain} ({word})",
                        "spell it out the first time; after that the short form is fine",
                    )
                )
    for match in acronyms(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        word = match.group(0)
        base = word.removesuffix("s")
        if vocabulary.is_known(word) or base in seen:
            continue
        seen.add(base)
        if not spelled_out(text, match.start(), match.end(), None):
            found.append(
                Finding(
                    "undefined-acronym",
                    unit,
                    match.start(),
                    f"'{word}' is an acronym that is not spelled out and no glossary defines",
                    f"<what {base} stands for> ({word})",
                    "spell it out the first time, or add it to a glossary "
                    "(under terms with a plain alternative, or under known)",
                )
            )
    for finding in sorted(found, key=lambda finding: finding.offset):
        if finding.rule in rules:
            yield finding


def _vague_links(unit: Unit, titles: dict[str, str]) -> Iterator[Finding]:
    for link in unit.links:
        if normalise(link.text) not in VAGUE_LINK_TEXTS:
            continue
        title = titles.get(link.target)
        better = f"[{title}]({link.target})" if title else f"[<what the link opens>]({link.target})"
        yield Finding(
            "vague-link",
            unit,
            link.offset,
            f"link text '{link.text}' does not say where the link goes",
            better,
            "name the page or what the reader gets there; screen readers list links by text",
        )
