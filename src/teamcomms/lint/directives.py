"""Comments that exempt a line from lint rules.

Markdown: ``<!-- teamcomms-lint: disable=jargon,long-sentence -->``; YAML:
``# teamcomms-lint: disable=passive-voice``. ``disable`` alone exempts from every rule. A comment
that shares its line with text applies to that line; a comment alone on its line applies to the
next line that has text. The renderers leave the Markdown comment out of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teamcomms.definitions import LINT_RULES
from teamcomms.definitions.messages import suggest

ALL_RULES = "*"
_MARKDOWN = re.compile(r"<!--\s*teamcomms-lint:(.*?)-->")
_YAML = re.compile(r"(?:^|\s)#\s*teamcomms-lint:(.*)$")
_BODY = re.compile(r"\s*disable\s*(?:=\s*(?P<rules>[\w\s,-]*?))?\s*$")


@dataclass(frozen=True)
class BadDirective:
    """A lint comment that cannot be understood: 1-based line and column, and why."""

    line: int
    column: int
    message: str
    hint: str


@dataclass
class Directives:
    """Which rules are off on which lines of one file."""

    off: dict[int, set[str]] = field(default_factory=dict)
    bad: list[BadDirective] = field(default_factory=list)

    def exempts(self, rule: str, lines: set[int] | frozenset[int]) -> bool:
        """Whether ``rule`` is off on any of ``lines``."""
        for line in lines:
            rules = self.off.get(line)
            if rules and (ALL_RULES in rules or rule in rules):
                return True
        return False


def _rules(body: str, line: int, column: int, directives: Directives) -> set[str] | None:
    match = _BODY.match(body)
    if match is None:
        directives.bad.append(
            BadDirective(
                line,
                column,
                f"cannot read the lint comment 'teamcomms-lint:{body.rstrip()}'",
                "write teamcomms-lint: disable=RULE[,RULE] (or disable alone for every rule)",
            )
        )
        return None
    if not match.group("rules"):
        return {ALL_RULES}
    rules = {rule.strip() for rule in match.group("rules").split(",") if rule.strip()}
    for rule in sorted(rules - set(LINT_RULES)):
        guess = suggest(rule, tuple(LINT_RULES))
        directives.bad.append(
            BadDirective(
                line,
                column,
                f"'{rule}' is not a lint rule" + (f": did you mean '{guess}'?" if guess else ""),
                f"rules are: {', '.join(LINT_RULES)}",
            )
        )
    return rules & set(LINT_RULES)


def _scan(lines: list[str], pattern: re.Pattern[str], *, skip_comments: bool) -> Directives:
    directives = Directives()
    for index, text in enumerate(lines):
        for match in pattern.finditer(text):
            rules = _rules(match.group(1), index + 1, match.start() + 1, directives)
            if not rules:
                continue
            rest = (text[: match.start()] + text[match.end() :]).strip()
            target = index
            if not rest or (skip_comments and rest.startswith("#")):
                target = _next_text_line(lines, index + 1, pattern, skip_comments=skip_comments)
            directives.off.setdefault(target + 1, set()).update(rules)
    return directives


def _next_text_line(
    lines: list[str], start: int, pattern: re.Pattern[str], *, skip_comments: bool
) -> int:
    for index in range(start, len(lines)):
        text = pattern.sub("", lines[index]).strip()
        if text and not (skip_comments and text.startswith("#")):
            return index
    return start


def markdown_directives(text: str) -> Directives:
    """The lint comments of a Markdown body."""
    return _scan(text.split("\n"), _MARKDOWN, skip_comments=False)


def yaml_directives(text: str) -> Directives:
    """The lint comments of a YAML file."""
    return _scan(text.split("\n"), _YAML, skip_comments=True)
