"""The prose of a Markdown body or a YAML value, with the position in the file of every character.

Rules read :class:`Unit` text, in which everything that is not prose (Jinja tags, code, link
targets, macros, HTML comments, Markdown markers) is blanked to spaces of the same length, so an
offset in the text maps straight back to a line and column of the file the user edits.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from teamcomms.render.markdown import parser

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_MENTION = re.compile(r"@\[[^\]\n]*\]\([^)\s]*\)")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)(?:\s+\"[^\"\n]*\")?\)")
_REFERENCE_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_BLANKED = re.compile(
    "|".join(
        (
            r"(`+).+?\1",  # code spans
            r"<!--.*?-->",  # HTML comments (lint directives among them)
            r"<https?://[^>\s]*>",  # autolinks
            r"https?://\S+",  # bare URLs
            r"[\w.+-]+@[\w-]+\.[\w.-]+",  # email addresses
            r"\[\[[^\]\n]*\]\]",  # [[toc]], [[jira:KEY]], [[jql:...]]
            r"\{status:[^}\n]*\}",  # status lozenges
            r"(?<![\w:/-])jira:[A-Z][A-Z0-9_]{1,9}-\d+",  # bare Jira keys
            r"</?[A-Za-z][^>\n]*>",  # HTML tags, shown as text by the renderer
            r"\\(?=[^\w\s])",  # backslash escapes
            r"^\s*\[![A-Z]+\]",  # GitHub alert markers
            r"[*_~]+",  # emphasis markers
        )
    ),
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Link:
    """A Markdown link: its text, its target and the offset of its ``[`` in the unit text."""

    text: str
    target: str
    offset: int


@dataclass(frozen=True)
class Unit:
    """One block of prose (a paragraph, heading, list item, table cell or YAML value).

    ``segments`` maps offsets: a pair ``(offset in text, offset in file)`` starts a stretch in
    which both advance together. ``lines`` are the file lines where a lint directive exempts the
    whole unit (its first line; for a YAML value also the line of its key).
    """

    text: str
    segments: tuple[tuple[int, int], ...]
    lines: frozenset[int]
    links: tuple[Link, ...] = ()
    raw: str = ""
    """The source text the unit was made from, as long as :attr:`text` (for rewrites)."""
    path: str | None = None
    """Where in the YAML definition (``items[3].description``); ``None`` for a Markdown body."""
    group: str = ""
    """Units of one group share which terms have been spelled out (a checklist item's title and
    description are read together in Jira, apart from the other items)."""

    def file_offset(self, offset: int) -> int:
        """The offset in the file of the character at ``offset`` in :attr:`text`."""
        index = bisect.bisect_right(self.segments, (offset, float("inf"))) - 1
        if index < 0:
            return self.segments[0][1] if self.segments else 0
        start, target = self.segments[index]
        return target + (offset - start)


@dataclass(frozen=True)
class SourceText:
    """A file's text with its line starts, to turn offsets into 1-based lines and columns."""

    text: str
    starts: tuple[int, ...] = field(default=())

    @staticmethod
    def of(text: str) -> SourceText:
        """The source with its line table."""
        starts = [0]
        starts.extend(match.end() for match in re.finditer("\n", text))
        return SourceText(text, tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line``, without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]


def _blank(text: str) -> str:
    """``text`` as spaces, keeping its line breaks."""
    return re.sub(r"[^\n]", " ", text)


def mask_inline(text: str) -> tuple[str, tuple[Link, ...]]:
    """``text`` with non-prose blanked and link syntax removed, and the links it holds."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "

    for match in _MENTION.finditer(text):
        blank(*match.span())
    for match in _IMAGE.finditer(text):
        blank(*match.span())
    links: list[Link] = []
    for pattern in (_LINK, _REFERENCE_LINK):
        for match in pattern.finditer("".join(chars)):
            target = match.group(2) if pattern is _LINK else ""
            links.append(Link(match.group(1), target, match.start()))
            blank(match.start(), match.start(1))
            blank(match.end(1), match.end())
    for match in _BLANKED.finditer("".join(chars)):
        blank(*match.span())
    return "".join(chars), tuple(sorted(links, key=lambda link: link.offset))


def mask_jinja(text: str) -> str:
    """``text`` with every Jinja tag, expression and comment blanked."""
    return _JINJA.sub(lambda match: _blank(match.group(0)), text)


def markdown_units(text: str) -> list[Unit]:
    """The prose units of a Markdown + Jinja body, in reading order."""
    masked = mask_jinja(text)
    source = SourceText.of(masked)
    units: list[Unit] = []
    row_cursor: dict[int, int] = {}
    tokens = parser().parse(masked)
    for position, token in enumerate(tokens):
        if token.type != "inline" or not token.map or not token.content.strip():
            continue
        first = token.map[0]
        in_table = position > 0 and tokens[position - 1].type in ("th_open", "td_open")
        segments: list[tuple[int, int]] = []
        offset = 0
        for index, line in enumerate(token.content.split("\n")):
            number = first + 1 + index
            if number > len(source.starts):
                break
            whole = source.line_text(number)
            if in_table:
                column = whole.find(line, row_cursor.get(number, 0))
                if column >= 0:
                    row_cursor[number] = column + len(line)
            else:
                column = _suffix_column(whole, line)
            segments.append((offset, source.starts[number - 1] + max(column, 0)))
            offset += len(line) + 1
        prose, links = mask_inline(token.content)
        raw = "\n".join(
            _unmasked(text, segment, len(line))
            for segment, line in zip(segments, token.content.split("\n"), strict=False)
        )
        raw = raw if len(raw) == len(prose) else token.content
        units.append(Unit(prose, tuple(segments), frozenset({first + 1}), links, raw))
    return units


def _unmasked(text: str, segment: tuple[int, int], length: int) -> str:
    """The original text (Jinja shown) of a line of a unit."""
    return text[segment[1] : segment[1] + length]


def _suffix_column(line: str, content_line: str) -> int:
    """Where ``content_line`` (a line of a block's text, prefixes removed) sits in ``line``."""
    trimmed, wanted = line.rstrip(), content_line.rstrip()
    if wanted and trimmed.endswith(wanted):
        return len(trimmed) - len(wanted)
    return line.find(content_line.strip())


def align_value(value: str, source: str, start: int) -> tuple[tuple[int, int], ...]:
    """Segments mapping a YAML string ``value`` to the file, from its node's offset ``start``.

    Walks the value and the file together: whitespace in the value matches any run of spaces and
    line breaks in the file (folded and plain scalars), an opening quote or block indicator is
    skipped, and an escape the value does not show is stepped over. Past a mismatch the rest of
    the value maps to where the walk stopped.
    """
    position = start
    if source[position : position + 1] in ("|", ">"):
        position = source.find("\n", position) + 1 if "\n" in source[position:] else position
    elif source[position : position + 1] in ("'", '"'):
        position += 1
    segments: list[tuple[int, int]] = []
    delta: int | None = None
    for offset, char in enumerate(value):
        if char.isspace():
            continue
        while position < len(source) and source[position] != char:
            if not (source[position].isspace() or source[position] in "\\'\""):
                break
            position += 1
        if position >= len(source) or source[position] != char:
            break
        if position - offset != delta:
            segments.append((offset, position))
            delta = position - offset
        position += 1
    return tuple(segments) or ((0, start),)
