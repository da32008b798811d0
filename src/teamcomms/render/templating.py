"""Jinja in a sandbox, with every value kept out of the Markdown parser.

Design: Jinja runs first over the Markdown source, but each ``{{ expression }}`` is replaced by an
opaque marker (two private-use characters around an index) instead of its text. Markdown then
parses the template's own syntax only, and the renderers swap the markers for the values, escaped
for where they land (XML text, attribute, CDATA, JSON). So a value like ``*bold*``,
``<ac:structured-macro>``, ``]]>`` or ``{{ 7*7 }}`` appears exactly as typed.

Variables without a value (a template previewed or published as a Confluence template) become
:class:`Placeholder` objects; the storage renderer turns them into ``<at:var at:name="..."/>``.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Collection, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError

from teamcomms.definitions.jinja_check import (
    FileTagError,
    NestingError,
    has_template_syntax,
    parse_self_contained,
    undeclared_variables,
)
from teamcomms.errors import DefinitionError, Problem
from teamcomms.render import limits
from teamcomms.render.limits import (
    DEFAULT_LIMITS,
    MAX_PAGE_CHARS,
    OutputTooLarge,
    RenderLimitError,
    RenderLimits,
    budget,
    check_value,
)
from teamcomms.render.sandbox import BoundedSandbox, bound_loops

_OPEN, _CLOSE = "\ue000", "\ue001"
MARKER_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_MAX_DEPTH = 4


class Placeholder:
    """A variable with no value; shown as ``{name}`` or as a Confluence template variable.

    Attribute and item access give nested placeholders (``hire.name``), so a template can be
    previewed before anyone is hired. The variable's name is kept under a private attribute so
    that it cannot shadow a template's own ``.name``.
    """

    __slots__ = ("_variable",)

    def __init__(self, variable: str) -> None:
        self._variable = variable

    @property
    def _name(self) -> str:
        return self._variable

    def __getattr__(self, attribute: str) -> Placeholder:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return Placeholder(f"{self._variable}.{attribute}")

    def __getitem__(self, key: object) -> Placeholder:
        return Placeholder(f"{self._variable}.{key}")

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Placeholder) and other._variable == self._variable

    def __hash__(self) -> int:
        return hash(self._variable)

    def __str__(self) -> str:
        table = _TABLE.get(None)
        return table.marker(self) if table is not None else "{" + self._variable + "}"


def variable_name(placeholder: Placeholder) -> str:
    """The dotted name of the variable a placeholder stands for (``hire.name``)."""
    return placeholder._name


Part = str | Placeholder


@dataclass
class ValueTable:
    """The values a Jinja render produced, addressed by the markers left in its output."""

    values: list[Part] = field(default_factory=list)
    expansion_limit: int = 2 * MAX_PAGE_CHARS
    """Characters the markers may expand to in all: a value may hold markers (a macro's
    output does), and text forging markers must not multiply one value a million times."""
    _expanded: int = 0

    def marker(self, value: object) -> str:
        """Record ``value`` and return the marker that stands for it."""
        if isinstance(value, Placeholder):
            part: Part = value
        else:
            check_value(value, "the value")
            part = _to_text(value)
            running = limits.current()
            if running is not None:
                running.output(len(part))
        self.values.append(part)
        return f"{_OPEN}{len(self.values) - 1}{_CLOSE}"

    def parts(self, text: str, depth: int = 0) -> Iterator[Part]:
        """``text`` split into literal strings and placeholders, markers replaced by values."""
        position = 0
        for match in MARKER_RE.finditer(text):
            if match.start() > position:
                yield text[position : match.start()]
            index = int(match.group(1))
            value = self.values[index] if index < len(self.values) else match.group(0)
            if isinstance(value, str):
                self._expanded += len(value)
                if self._expanded > self.expansion_limit:
                    raise OutputTooLarge(
                        f"the page's values expand to more than {self.expansion_limit:,} characters"
                    )
            if isinstance(value, str) and depth < _MAX_DEPTH:
                yield from self.parts(value, depth + 1)
            else:
                yield value
            position = match.end()
        if position < len(text):
            yield text[position:]

    def plain(self, text: str) -> str:
        """``text`` with values substituted and placeholders written as ``{name}``."""
        return "".join(p if isinstance(p, str) else "{" + p._name + "}" for p in self.parts(text))


def _to_text(value: object) -> str:
    if value is None:
        return ""
    return str(value)


_TABLE: ContextVar[ValueTable] = ContextVar("teamcomms_render_values")


def _finalize(value: object) -> str:
    return _TABLE.get().marker(value)


@cache
def environment() -> BoundedSandbox:
    """The one Jinja environment: sandboxed and bounded, strict about undefined names, values
    as markers."""
    return BoundedSandbox(
        # Nothing is evaluated while compiling, where no budget would bound it.
        optimized=False,
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Expanded:
    """The Jinja output with markers, and the table that resolves them."""

    text: str
    values: ValueTable


def render_jinja(
    source_text: str,
    variables: Mapping[str, object],
    *,
    source: Path,
    placeholders: Collection[str] = (),
    declared: Collection[str] = (),
    limits: RenderLimits = DEFAULT_LIMITS,
) -> Expanded:
    """Run the sandboxed Jinja over ``source_text``; raise :class:`DefinitionError` on any error.

    ``placeholders`` names variables rendered as :class:`Placeholder`; ``declared`` adds names
    to suggest when a variable is misspelt. The run is bounded by ``limits`` (size, time, loop
    steps, call depth): a template past them stops with an error naming its line.
    """
    if not has_template_syntax(source_text):
        # Most titles and many bodies are plain text: Jinja would only normalise line endings.
        text = _LINE_ENDINGS.sub("\n", source_text)
        try:
            with budget(limits) as running:
                running.output(len(text))
        except RenderLimitError as error:
            raise DefinitionError([_runtime_problem(error, source, error.hint)]) from None
        return Expanded(text, ValueTable())
    try:
        compiled = _compile(source_text, str(source))
    except TemplateSyntaxError as error:
        raise DefinitionError([_syntax_problem(error, source)]) from None
    context: dict[str, object] = {name: Placeholder(name) for name in placeholders}
    context.update(variables)
    _check_names(compiled, context, source, known=[*context, *declared])
    table = ValueTable()
    token = _TABLE.set(table)
    try:
        with budget(limits):
            text = compiled.template.render(context)
    except Exception as error:  # anything a template raises is its author's to fix
        raise DefinitionError([_runtime_problem(error, source, _hint(error))]) from None
    finally:
        _TABLE.reset(token)
    return Expanded(text, table)


_LINE_ENDINGS = re.compile(r"\r\n?")


def _hint(error: Exception) -> str:
    if isinstance(error, RenderLimitError):
        return error.hint
    if isinstance(error, SecurityError):
        return "templates may only read their variables; internal attributes are not available"
    if isinstance(error, UndefinedError):
        return "check the spelling, or give the value in `vars:` or with --var NAME=VALUE"
    if isinstance(error, RecursionError):
        return "give the macro a condition that stops it calling itself, or nest less"
    return "fix the Jinja expression on that line"


@dataclass(frozen=True)
class _Compiled:
    template: Template
    undeclared: frozenset[str]
    first_lines: Mapping[str, int]


@lru_cache(maxsize=2048)
def _compile(source_text: str, filename: str) -> _Compiled:
    """Parse, analyse and compile once per distinct text: pages share titles and bodies."""
    env = environment()
    ast = parse_self_contained(env, source_text, filename)
    undeclared = frozenset(undeclared_variables(ast)) - set(env.globals)
    first_lines: dict[str, int] = {}
    for node in ast.find_all(nodes.Name):
        if node.name in undeclared and node.ctx == "load":
            first_lines.setdefault(node.name, node.lineno)
    try:
        code = env.compile(bound_loops(ast), filename=filename)
    except (SyntaxError, RecursionError, MemoryError):
        # Python could not compile the code Jinja generated (blocks nested past its limits);
        # parse_self_contained refuses the usual causes with their line first.
        raise NestingError(
            "the template nests blocks or expressions too deeply to run", 1, filename
        ) from None
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return _Compiled(template, undeclared, first_lines)


def _check_names(
    compiled: _Compiled, context: Mapping[str, object], source: Path, known: list[str]
) -> None:
    missing = compiled.undeclared - set(context)
    if not missing:
        return
    first_line = compiled.first_lines
    problems = []
    for name in sorted(missing):
        close = difflib.get_close_matches(name, known, n=1)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else "declare it under `variables:` (template) or give it in `vars:` (page), "
            "or pass --var NAME=VALUE"
        )
        problems.append(
            Problem(
                file=str(source),
                line=first_line.get(name, 0),
                message=f"variable `{name}` has no value",
                hint=hint,
            )
        )
    raise DefinitionError(problems)


def _syntax_problem(error: TemplateSyntaxError, source: Path) -> Problem:
    return Problem(
        file=str(source),
        line=error.lineno or 0,
        message=f"Jinja syntax error: {error.message}",
        hint=error.hint
        if isinstance(error, FileTagError | NestingError)
        else "fix the {{ }} or {% %} tag on that line; a literal `{{` is written {{ '{{' }}",
    )


def _runtime_problem(error: Exception, source: Path, hint: str) -> Problem:
    line = 0
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == str(source) and frame.lineno:
            line = frame.lineno
    return Problem(file=str(source), line=line, message=_message(error), hint=hint)


def _message(error: Exception) -> str:
    if isinstance(error, TemplateError):
        return str(error) or type(error).__name__
    if isinstance(error, RecursionError):
        return "macros call each other too deeply (a macro that calls itself without end?)"
    if isinstance(error, MemoryError):
        return "the template ran out of memory"
    return f"the template failed: {error or type(error).__name__}"


def render_title(
    pattern: str,
    variables: Mapping[str, Any],
    *,
    source: Path,
    placeholders: Collection[str] = (),
    declared: Collection[str] = (),
) -> str:
    """A page title from its Jinja pattern; variables without a value appear as ``{name}``."""
    expanded = render_jinja(
        pattern, variables, source=source, placeholders=placeholders, declared=declared
    )
    try:
        return " ".join(expanded.values.plain(expanded.text).split())
    except RenderLimitError as error:
        raise DefinitionError([Problem(str(source), 1, 0, str(error), hint=error.hint)]) from None
