"""Find the variables a Jinja text uses, from its syntax tree, and where each one is used."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from jinja2 import (
    Environment,
    TemplateAssertionError,
    TemplateSyntaxError,
    meta,
    nodes,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment


@dataclass(frozen=True)
class VariableUse:
    """A variable the text reads without defining it, and its first 1-based line and column."""

    name: str
    line: int
    column: int


@dataclass(frozen=True)
class JinjaSyntaxProblem:
    """A Jinja syntax error, located in the text."""

    message: str
    line: int
    column: int
    hint: str = "fix the template tags: every {{ needs }}, every {% if %} an {% endif %}"


# Tags that make Jinja read another template file. A body must be self-contained, and no file
# outside the project may be read while rendering, so they are refused when a text is parsed.
_FILE_TAGS: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
    nodes.Extends: "extends",
}


class FileTagError(TemplateSyntaxError):
    """A tag that would read another file (``{% include %}``, ``{% import %}``, ...)."""

    hint = "copy the text into this file, or define a {% macro %} in it and call that"


class NestingError(TemplateSyntaxError):
    """Brackets, operators or blocks nested deeper than Jinja and Python can compile."""

    hint = "split it into smaller steps: {% set %} a part first, then use that name"


# Jinja's parser and code generator recurse once per level of nesting, and Python refuses to
# compile code nested past its own limits (20 loops, 100 indents, 200 brackets). A hand-written
# template stays far below these; deeper ones are refused with their line before they can end
# in "maximum recursion depth exceeded".
MAX_BRACKET_DEPTH = 30
"""Brackets inside brackets, or unary operators in a row (``- - - 1``), in one expression."""
MAX_BLOCK_DEPTH = 40
"""``{% if %}``, ``{% for %}``, ``{% macro %}`` ... open inside each other."""
MAX_TREE_DEPTH = 60
"""Blocks, expressions and filters nested inside each other (the depth of the syntax tree)."""
MAX_LOOP_NESTING = 10
"""``{% for %}`` inside ``{% for %}``; each level becomes a Python loop."""
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]}")
_UNARY = frozenset({"+", "-", "not"})
_BLOCKS = frozenset({"if", "for", "macro", "call", "filter", "with", "block", "autoescape"})


def _check_tokens(environment: Environment, text: str, filename: str | None) -> None:
    """Refuse deep nesting from the tokens, before the (recursive) parser meets it."""
    depth = unary = blocks = 0
    tag_start = False
    for line, kind, value in environment.lex(text, filename=filename):
        if kind == "whitespace":
            continue
        if kind == "operator" and value in _OPENING:
            depth += 1
        elif kind == "operator" and value in _CLOSING:
            depth = max(depth - 1, 0)
        unary = unary + 1 if kind in ("operator", "name") and value in _UNARY else 0
        if tag_start and kind == "name":
            blocks += 1 if value in _BLOCKS else -1 if value.removeprefix("end") in _BLOCKS else 0
        tag_start = kind == "block_begin"
        if depth > MAX_BRACKET_DEPTH or unary > MAX_BRACKET_DEPTH:
            raise NestingError(
                f"more than {MAX_BRACKET_DEPTH} brackets or operators nested in one expression",
                line,
                filename=filename,
            )
        if blocks > MAX_BLOCK_DEPTH:
            raise NestingError(
                f"more than {MAX_BLOCK_DEPTH} blocks ({{% if %}}, {{% for %}}, ...) open inside "
                "each other",
                line,
                filename=filename,
            )


def _check_tree(tree: nodes.Template, filename: str | None) -> None:
    pending: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while pending:
        node, depth, loops = pending.pop()
        loops += isinstance(node, nodes.For)
        if depth > MAX_TREE_DEPTH or loops > MAX_LOOP_NESTING:
            what = (
                f"more than {MAX_LOOP_NESTING} loops nested inside each other"
                if loops > MAX_LOOP_NESTING
                else f"blocks, expressions and filters nested more than {MAX_TREE_DEPTH} deep"
            )
            raise NestingError(what, getattr(node, "lineno", 1), filename=filename)
        pending.extend((child, depth + 1, loops) for child in node.iter_child_nodes())


@cache
def _environment() -> SandboxedEnvironment:
    # Not optimized, and a finalize that needs the context: otherwise Jinja evaluates constant
    # expressions while it analyses the tree, and `'%0999999999d' % 1` would be built here,
    # outside any bound, just to find the variables.
    return SandboxedEnvironment(autoescape=False, optimized=False, finalize=_unchanged)


@pass_context
def _unchanged(context: Context, value: object) -> object:
    return value


def parse_self_contained(
    environment: Environment, text: str, filename: str | None = None
) -> nodes.Template:
    """Parse ``text``; a tag that would read another file raises :class:`FileTagError`, and
    nesting too deep to compile :class:`NestingError` (both with their line)."""
    try:
        _check_tokens(environment, text, filename)
        tree = environment.parse(text, filename=filename)
    except RecursionError:
        raise NestingError("the template nests too deeply to read", 1, filename) from None
    except ValueError as error:
        # A number literal longer than Python converts (4,300 digits).
        digits = re.search(r"\d{4300}", text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else 1
        raise TemplateSyntaxError(f"cannot read the template: {error}", line, filename) from None
    _check_tree(tree, filename)
    for node in tree.find_all(tuple(_FILE_TAGS)):
        raise FileTagError(
            f"{{% {_FILE_TAGS[type(node)]} %}} is not supported: templates cannot read other files",
            node.lineno,
            filename=filename,
        )
    return tree


def undeclared_variables(tree: nodes.Template) -> set[str]:
    """The names ``tree`` reads without defining them (``jinja2.meta``'s analysis, unoptimized:
    the optimizer would evaluate constant expressions such as `'%0999999999d' % 1` outside any
    bound just to find names)."""
    tracker = meta.TrackingCodeGenerator(tree.environment)  # type: ignore[arg-type]
    tracker.optimizer = None
    tracker.visit(tree)
    return set(tracker.undeclared_identifiers)


def _column(text: str, line: int, word: str | None) -> int:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return 1
    source = lines[line - 1]
    if word:
        match = re.search(rf"\b{re.escape(word)}\b", source)
        if match:
            return match.start() + 1
    for opener in ("{{", "{%", "{#"):
        if opener in source:
            return source.index(opener) + 1
    return 1


def _name_hint(environment: Environment, message: str) -> str:
    """What to write instead of an unknown filter or test (Jinja names it in quotes)."""
    known = sorted({*environment.filters, *environment.tests})
    quoted = re.search(r"'([^']+)'", message)
    close = difflib.get_close_matches(quoted.group(1), known, n=1) if quoted else []
    suggestion = f"did you mean '{close[0]}'? " if close else ""
    return f"{suggestion}use one of Jinja's built-in filters and tests (for example upper, default)"


_TEMPLATE_OPENERS = ("{{", "{%", "{#")


def has_template_syntax(text: str) -> bool:
    """Whether Jinja would do more to ``text`` than normalise its line endings: both
    environments use the default delimiters and no line statements."""
    return any(opener in text for opener in _TEMPLATE_OPENERS)


def variables_used(text: str) -> tuple[list[VariableUse], JinjaSyntaxProblem | None]:
    """The undeclared variables of ``text`` sorted by position, or its syntax error."""
    if not has_template_syntax(text):
        return [], None
    uses, problem = _variables_used(text)
    return list(uses), problem


@lru_cache(maxsize=1024)
def _variables_used(text: str) -> tuple[tuple[VariableUse, ...], JinjaSyntaxProblem | None]:
    """:func:`variables_used`, once per distinct text: pages share bodies and titles."""
    environment = _environment()
    try:
        tree = parse_self_contained(environment, text)
        # Compiling (which this does) also checks filter and test names: an unknown filter is a
        # TemplateAssertionError, a kind of TemplateSyntaxError, raised here and not by parsing.
        names = undeclared_variables(tree) - set(environment.globals)
    except TemplateSyntaxError as error:
        line = error.lineno or 1
        problem = JinjaSyntaxProblem(
            f"Jinja syntax error: {error.message}", line, _column(text, line, None)
        )
        if isinstance(error, FileTagError | NestingError):
            problem = replace(problem, hint=error.hint)
        elif isinstance(error, TemplateAssertionError):
            problem = replace(problem, hint=_name_hint(environment, error.message or ""))
        return (), problem
    first_line: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in names and node.ctx == "load":
            first_line.setdefault(node.name, node.lineno)
    uses = [
        VariableUse(name, first_line.get(name, 1), _column(text, first_line.get(name, 1), name))
        for name in names
    ]
    return tuple(sorted(uses, key=lambda use: (use.line, use.column, use.name))), None
