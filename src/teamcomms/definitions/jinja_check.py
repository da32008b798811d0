"""Find the variables a Jinja text uses, from its syntax tree, and where each one is used."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import cache

from jinja2 import Environment, TemplateAssertionError, TemplateSyntaxError, meta, nodes
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


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False)


def parse_self_contained(
    environment: Environment, text: str, filename: str | None = None
) -> nodes.Template:
    """Parse ``text``; a tag that would read another file raises :class:`FileTagError`."""
    tree = environment.parse(text, filename=filename)
    for node in tree.find_all(tuple(_FILE_TAGS)):
        raise FileTagError(
            f"{{% {_FILE_TAGS[type(node)]} %}} is not supported: templates cannot read other files",
            node.lineno,
            filename=filename,
        )
    return tree


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


def variables_used(text: str) -> tuple[list[VariableUse], JinjaSyntaxProblem | None]:
    """The undeclared variables of ``text`` sorted by position, or its syntax error."""
    environment = _environment()
    try:
        tree = parse_self_contained(environment, text)
        # Compiling (which this does) also checks filter and test names: an unknown filter is a
        # TemplateAssertionError, a kind of TemplateSyntaxError, raised here and not by parsing.
        names = meta.find_undeclared_variables(tree) - set(environment.globals)
    except TemplateSyntaxError as error:
        line = error.lineno or 1
        problem = JinjaSyntaxProblem(
            f"Jinja syntax error: {error.message}", line, _column(text, line, None)
        )
        if isinstance(error, FileTagError):
            problem = replace(problem, hint=error.hint)
        elif isinstance(error, TemplateAssertionError):
            problem = replace(problem, hint=_name_hint(environment, error.message or ""))
        return [], problem
    first_line: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in names and node.ctx == "load":
            first_line.setdefault(node.name, node.lineno)
    uses = [
        VariableUse(name, first_line.get(name, 1), _column(text, first_line.get(name, 1), name))
        for name in names
    ]
    return sorted(uses, key=lambda use: (use.line, use.column, use.name)), None
