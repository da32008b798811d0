"""What the project's glossaries say about words: terms to spell out or avoid, and known names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from teamcomms.definitions import GlossaryDefinition, GlossaryTerm, Project
from teamcomms.definitions.kinds.glossary import is_acronym
from teamcomms.lint.language import ACRONYM


@dataclass(frozen=True)
class TermUse:
    """A glossary term found in a text: its entry and where it is."""

    entry: GlossaryTerm
    start: int
    end: int

    @property
    def key(self) -> str:
        """The same for every spelling of one entry."""
        return self.entry.term


def _phrase(words: str) -> str:
    """A regex for ``words``: any run of spaces or a hyphen between words."""
    return r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", words.strip()))


def _alternation(spellings: Iterable[str]) -> str:
    ordered = sorted(set(spellings), key=len, reverse=True)
    return "|".join(_phrase(spelling) for spelling in ordered)


def _key(spelling: str) -> str:
    """How a spelling is looked up: acronyms as written, other terms in lower case; hyphens and
    runs of spaces count as one space."""
    flat = " ".join(re.split(r"[\s-]+", spelling.strip()))
    return flat if is_acronym(spelling) else flat.casefold()


class Vocabulary:
    """The terms of every glossary of a project, and the names that need no spelling out."""

    def __init__(self, glossaries: Iterable[GlossaryDefinition], names: Iterable[str] = ()) -> None:
        self._entries: dict[str, GlossaryTerm] = {}
        self.known: set[str] = set(names)
        for glossary in glossaries:
            self.known.update(glossary.known)
            for entry in glossary.terms:
                for spelling in entry.spellings:
                    self._entries.setdefault(_key(spelling), entry)
        spellings = [s for e in self._entries.values() for s in e.spellings]
        exact = [s for s in spellings if is_acronym(s)]
        words = [s for s in spellings if not is_acronym(s)]
        patterns = []
        if exact:
            patterns.append(f"(?<![\\w-])(?:{_alternation(exact)})(?:s|es)?(?![\\w-])")
        if words:
            patterns.append(f"(?i:(?<![\\w-])(?:{_alternation(words)})(?:s|es)?(?![\\w-]))")
        self._pattern = re.compile("|".join(patterns)) if patterns else None

    def entry(self, spelling: str) -> GlossaryTerm | None:
        """The glossary entry for ``spelling`` (a plural ending in s allowed), if any."""
        for candidate in (spelling, spelling[:-1], spelling[:-2]):
            if candidate and candidate[-1:] != " ":
                for key in (_key(candidate), _key(candidate).casefold()):
                    found = self._entries.get(key)
                    if found is not None and (key == _key(candidate) or not is_acronym(key)):
                        return found
            if not spelling.endswith("s"):
                break
        return None

    def is_known(self, acronym: str) -> bool:
        """Whether an acronym is a known name or any glossary spelling (so not undefined)."""
        base = acronym.removesuffix("s")
        return acronym in self.known or base in self.known or self.entry(acronym) is not None

    def uses(self, text: str) -> Iterator[TermUse]:
        """Every glossary term in ``text``, left to right."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            entry = self.entry(match.group(0))
            if entry is not None:
                yield TermUse(entry, match.start(), match.end())


def acronyms(text: str) -> Iterator[re.Match[str]]:
    """Every acronym-looking word of ``text``."""
    return ACRONYM.finditer(text)


def spelled_out(text: str, start: int, end: int, plain: str | None) -> bool:
    """Whether the term at ``text[start:end]`` is written out next to it in parentheses.

    With ``plain`` (a glossary term) the words must be the plain alternative: "average order value
    (AOV)" or "AOV (average order value)". Without it (an acronym no glossary lists) any two or
    more words will do: "net promoter score (NPS)".
    """
    after = text[end:]
    before = text[:start]
    words = _phrase(plain) + "s?" if plain else r"[A-Za-z][\w'-]*(?:[\s-]+[\w'-]+)+"
    inside = re.match(rf"\s*\(\s*(?i:{words})\s*[),;]", after)
    if inside:
        return True
    wrapped = re.search(rf"(?i:{words})\s*\(\s*$", before) and re.match(r"\s*[),;:]", after)
    return bool(wrapped)


def project_names(project: Project) -> set[str]:
    """Jira project keys and Confluence space keys the definitions use: names, not jargon."""
    names: set[str] = set()
    defaults = project.config.defaults
    names.update(key for key in (defaults.project, defaults.space) if key)
    for workflow in project.workflows:
        names.update(use.project for use in workflow.used_by)
    for checklist in project.checklists:
        if checklist.jira.project:
            names.add(checklist.jira.project)
        if checklist.welcome_page and checklist.welcome_page.space:
            names.add(checklist.welcome_page.space)
    names.update(content.space for content in (*project.pages, *project.templates))
    names.update(standup.space for standup in project.standups)
    for board in project.boards:
        names.add(board.project)
    for field in project.fields:
        for context in field.contexts:
            names.update(context.projects)
    for glossary in project.glossaries:
        if glossary.page is not None:
            names.add(glossary.page.space)
    return names
