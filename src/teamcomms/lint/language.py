"""Sentences, words, acronyms and the passive voice in English prose.

Decision: passive voice is found the way write-good and proselint do it, a form of "to be"
followed by a past participle, because the libraries that parse grammar (spaCy and the packages
built on it) need a language model downloaded at run time. Participles are words ending in -ed
plus the irregular ones below; capitalised words are left alone, since in this domain they are
status names ("moves to Shipped").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9'’-]|\.(?=[A-Za-z0-9]))*")
"""A word; ``e.g`` and ``2.4`` count as one."""
ACRONYM = re.compile(
    r"(?<![\w/&.-])(?=(?:[0-9]*[A-Z]){2})[0-9]*[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*(s?)"
    r"(?![\w&/]|-\d|\.\w)"
)
"""Two or more capitals, digits allowed (``SKU``, ``3PL``, ``GA4``), an optional plural ``s``; not
part of a Jira key (``OPS-12``), a path or a dotted name."""

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "approx", "mr", "ms", "mrs", "dr", "no"})

_BE = (
    r"(?:(?:is|are|was|were|am)\s+being|(?:has|have|had)\s+been"
    r"|(?:will|can|must|should|may|might|could|would)\s+(?:not\s+)?be"
    r"|(?:it|that|what|which)['’]s"
    r"|am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
)
_FILLERS = r"(?:(?:not|also|already|still|then|now|always|never|usually|often|only|just|\w+ly)\s+)"
IRREGULAR_PARTICIPLES = {
    "begun": "began", "bought": "bought", "brought": "brought", "built": "built",
    "caught": "caught", "chosen": "chose", "dealt": "dealt", "done": "did", "drawn": "drew",
    "driven": "drove", "eaten": "ate", "fallen": "fell", "felt": "felt", "found": "found",
    "forgotten": "forgot", "frozen": "froze", "given": "gave", "gotten": "got", "grown": "grew",
    "held": "held", "hidden": "hid", "kept": "kept", "known": "knew", "laid": "laid", "led": "led",
    "left": "left", "lost": "lost", "made": "made", "meant": "meant", "met": "met", "paid": "paid",
    "sent": "sent", "shown": "showed", "sold": "sold", "spent": "spent", "spoken": "spoke",
    "stolen": "stole", "taken": "took", "taught": "taught", "thrown": "threw", "told": "told",
    "understood": "understood", "won": "won", "worn": "wore", "written": "wrote",
    "broken": "broke", "seen": "saw", "withdrawn": "withdrew", "overridden": "overrode",
}  # fmt: skip
"""Irregular past participles and their simple past, for the suggested active rewrite."""
_NOT_PASSIVE = frozenset(
    {"based", "supposed", "interested", "tired", "located", "used", "need", "needed", "red"}
)
_PASSIVE = re.compile(
    rf"\b(?i:{_BE})\s+{_FILLERS}{{0,2}}([a-z][a-z-]*ed|{'|'.join(IRREGULAR_PARTICIPLES)})\b"
    r"(?:\s+by\s+((?:the|a|an|your|our|their|each|every)?\s*[\w-]+(?:\s+[\w-]+)?))?",
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a unit: where it starts and ends in the unit's text, and its words."""

    start: int
    end: int
    text: str
    words: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``; a unit without end punctuation is one sentence."""
    found: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        if before and before[-1].lower().rstrip(".") in _ABBREVIATIONS and match.group() == ".":
            continue
        found.append(_sentence(text, start, match.end()))
        start = match.end()
    if text[start:].strip():
        found.append(_sentence(text, start, len(text)))
    return [sentence for sentence in found if sentence.words]


def _sentence(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    body = text[start:end]
    return Sentence(start, end, body, len(WORD.findall(body)))


@dataclass(frozen=True)
class Passive:
    """A passive construction: its offset in the sentence, the participle and the agent."""

    offset: int
    phrase: str
    participle: str
    agent: str | None


def passive(sentence: str) -> Passive | None:
    """The first passive construction of ``sentence``, if any."""
    for match in _PASSIVE.finditer(sentence):
        if match.group(1) in _NOT_PASSIVE or match.group(1).endswith("eed"):
            continue
        agent = match.group(2).strip() if match.group(2) else None
        return Passive(match.start(), match.group(0), match.group(1), agent)
    return None


def active_rewrite(sentence: str, found: Passive) -> str:
    """A draft of ``sentence`` in the active voice: the agent (or WHO) acting on the subject."""
    clause = re.split(r"(?<=[;:,])\s", sentence[: found.offset])[-1]
    subject = " ".join(clause.split())
    words = subject.split()
    if not words or len(words) > 6 or subject.lower() in ("it", "this", "that"):
        subject = "it"
    elif subject[1:2].islower() and not sentence[: found.offset - len(clause)].strip():
        subject = subject[0].lower() + subject[1:]
    verb = IRREGULAR_PARTICIPLES.get(found.participle, found.participle)
    agent = found.agent or "WHO"
    rest = sentence[found.offset + len(found.phrase) :].strip()
    lead = sentence[: found.offset - len(clause)]
    draft = f"{agent[0].upper() if not lead else agent[0]}{agent[1:]} {verb} {subject}"
    if rest and rest[0].isalnum():
        draft += " "
    return " ".join(f"{lead}{draft}{rest or '.'}".split())


def split_point(sentence: Sentence) -> int | None:
    """Where a long sentence could end and a new one start: the joint nearest its middle."""
    middle = len(sentence.text) // 2
    joints = [
        match.start()
        for match in re.finditer(r";\s|,\s+(?:and|but|so|then)\s|\s[—–]\s", sentence.text)
        if 0 < match.start() < len(sentence.text) - 1
    ]
    if not joints:
        return None
    return min(joints, key=lambda joint: abs(joint - middle))


def split_rewrite(sentence: Sentence, raw: str) -> str | None:
    """The long sentence as two, split at :func:`split_point`; ``raw`` is its source text."""
    joint = split_point(sentence)
    if joint is None:
        return None
    first = " ".join(raw[:joint].split()).rstrip(" ,;")
    second = re.sub(r"^[;,—–]?\s*(?:and\s+)?", "", " ".join(raw[joint:].split())).strip()
    if not first or not second:
        return None
    return f"{first}. {second[0].upper()}{second[1:]}"


def normalise(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: for comparing phrases."""
    return " ".join(re.sub(r"[^\w\s'-]", " ", text.lower()).split())
