"""Read YAML definition files safely, keeping the line and column of every key and value.

PyYAML composes each document into a node graph (safe tags only); :class:`_Builder` then turns
the nodes into plain Python values while recording positions in :class:`Document`. Building
ourselves, instead of calling ``safe_load``, is what lets us report duplicate keys, bound alias
expansion (a "billion laughs" file fails after a fixed number of expanded nodes instead of
eating memory) and keep mapping keys as the text the user wrote (``no:`` stays ``"no"``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from teamcomms.errors import Problem

MAX_FILE_BYTES = 1024 * 1024
MAX_ALIAS_EXPANSIONS = 100_000
"""Nodes built a second time through an alias; far above what a hand-written file needs."""
MAX_NESTING = 50
"""Levels of lists and mappings; definitions use fewer than ten, and deeper data is refused
with a position before it can exhaust Python's recursion limit."""

PathKey = tuple[str | int, ...]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class Document:
    """One YAML document of a file: its plain value and where each part of it was written."""

    file: Path
    display: str
    """The file name as problems show it."""
    number: int
    """1-based position of the document in its file."""
    data: Any
    values: dict[PathKey, Position] = field(default_factory=dict)
    """Where the value at each path starts; ``()`` is the whole document."""
    keys: dict[PathKey, Position] = field(default_factory=dict)
    """Where the key of each mapping entry was written."""

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for end in range(len(path) - 1, -1, -1):
            prefix = path[:end]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)

    def problem(
        self,
        path: PathKey,
        message: str,
        *,
        definition: str | None = None,
        hint: str | None = None,
        key: bool = False,
        severity: str = "error",
    ) -> Problem:
        """A :class:`Problem` located at ``path`` inside this document."""
        where = self.position(path, key=key)
        return Problem(
            file=self.display,
            line=where.line,
            column=where.column,
            message=message,
            definition=definition,
            path=format_path(path) or None,
            hint=hint,
            severity="warning" if severity == "warning" else "error",
        )


def format_path(path: PathKey) -> str:
    """``('transitions', 2, 'to')`` -> ``transitions[2].to``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _TooManyAliases(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


class _RecursiveAlias(_TooManyAliases):
    pass


class _TooDeep(_TooManyAliases):
    pass


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


class _Builder:
    """Turn a composed node graph into plain values, recording positions and bounding aliases."""

    def __init__(self, loader: Any, document: Document, problems: list[Problem]) -> None:
        self._loader = loader
        self._document = document
        self._problems = problems
        self._seen: set[int] = set()
        self._active: set[int] = set()
        self._expansions = 0

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if id(node) in self._active:
            raise _RecursiveAlias(node)
        if id(node) in self._seen:
            self._expansions += 1
            if self._expansions > MAX_ALIAS_EXPANSIONS:
                raise _TooManyAliases(node)
        else:
            self._seen.add(id(node))
        if len(path) > MAX_NESTING:
            raise _TooDeep(node)
        self._document.values.setdefault(path, _position(node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            return self._loader.construct_object(node, deep=True)
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        finally:
            self._active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.append(value_node)
                continue
            key = self._key(key_node, path)
            if key in result:
                first = self._document.keys[(*path, key)]
                self._problems.append(
                    Problem(
                        file=self._document.display,
                        line=key_node.start_mark.line + 1,
                        column=key_node.start_mark.column + 1,
                        message=f"duplicate key '{key}' (first written at line {first.line})",
                        path=format_path((*path, key)),
                        hint="keep one of them; YAML would otherwise silently use the last one",
                    )
                )
                continue
            self._document.keys.setdefault((*path, key), _position(key_node.start_mark))
            result[key] = self.build(value_node, (*path, key))
        for source in merged:
            for candidate in source.value if isinstance(source, yaml.SequenceNode) else [source]:
                value = self.build(candidate, path)
                if isinstance(value, dict):
                    for key, item in value.items():
                        result.setdefault(key, item)
        return result

    def _key(self, node: yaml.Node, path: PathKey) -> str:
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self._problems.append(
            Problem(
                file=self._document.display,
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
                message="a mapping key must be plain text, not a list or mapping",
                path=format_path(path) or None,
                hint="write the key as a word followed by ':'",
            )
        )
        return f"<key at line {node.start_mark.line + 1}>"


T = TypeVar("T")

# What one load already worked out about a file, by (question, absolute path): its resolved
# path, its name in messages, its text (see resolving_once).
_known: ContextVar[dict[tuple[str, ...], Any] | None] = ContextVar("_known", default=None)


@contextmanager
def resolving_once() -> Iterator[None]:
    """Within the block, each absolute path is resolved, named and read once on this thread.

    Loading a project names every body file several times (validation, the cross-check, the
    last guard before rendering, messages), and 500 pages may share one body: resolving walks
    every folder of the path with ``lstat``, a third of a 500-page load. Looking again within one
    load guards nothing more, since a file can change between any check and its reading anyway.
    """
    token = _known.set({})
    try:
        yield
    finally:
        _known.reset(token)


def _once(question: tuple[str, ...], path: Path, work: Callable[[], T]) -> T:
    """``work()``, or what it gave for the same ``question`` about ``path`` earlier in this
    load. Outside a load, or for a relative path (which depends on the folder), ``work()``."""
    memo = _known.get()
    if memo is None or not path.is_absolute():
        return work()
    key = (*question, os.fspath(path))
    if key not in memo:
        memo[key] = work()
    found: T = memo[key]
    return found


def real_path(path: Path) -> Path:
    """``path`` resolved, or just made absolute when it cannot be (a symlink loop)."""
    return _once(("real",), path, lambda: _resolve(path))


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    return _once(("display",), path, lambda: _display_name(path))


def _display_name(path: Path) -> str:
    try:
        return str(real_path(path).relative_to(real_path(Path.cwd())))
    except ValueError:
        return str(path)


def read_text(path: Path, display: str, what: str = "file") -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file of at most 1 MiB, or explain why it cannot be read."""
    text, problems = _once(("text", display, what), path, lambda: _read_text(path, display, what))
    return text, list(problems)  # a list of the caller's own: the remembered one stays as read


def _read_text(path: Path, display: str, what: str) -> tuple[str | None, list[Problem]]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [Problem(display, message=f"{what} not found", hint="check the path")]
    except OSError as error:
        return None, [Problem(display, message=f"cannot read {what}: {error.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                display,
                1,
                1,
                f"{what} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)",
                hint="split it into several files",
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [
            Problem(
                display,
                message=f"cannot read {what}: {error.strerror}",
                hint="check the file's permissions",
            )
        ]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem(
                display,
                line,
                column,
                f"{what} is not UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start}",
                hint="save the file as UTF-8",
            )
        ]


def _tab_problem(text: str, display: str) -> Problem | None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                display,
                number,
                indent.index("\t") + 1,
                "tab character used for indentation",
                hint="YAML indentation must use spaces; replace the tabs with spaces",
            )
    return None


def load_documents(path: Path) -> tuple[list[Document], list[Problem]]:
    """Parse every document of a YAML file. Returns the non-empty documents and the problems."""
    display = display_name(path)
    text, problems = read_text(path, display)
    if text is None:
        return [], problems
    tab = _tab_problem(text, display)
    if tab is not None:
        return [], [tab]
    documents: list[Document] = []
    loader = _Loader(text)
    try:
        number = 0
        while loader.check_node():
            number += 1
            node = loader.get_node()
            if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
                continue
            document = Document(path, display, number, None)
            document.data = _Builder(loader, document, problems).build(node, ())
            documents.append(document)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        detail = error.problem or error.context or "invalid YAML"
        hint = (
            "define the anchor (&name) before the alias (*name), in the same document: "
            "anchors do not cross '---'"
            if "undefined alias" in detail
            else "definitions need only a few levels; check the brackets and the indentation"
            if "nesting depth" in detail
            else "check indentation and quoting near here; a value containing ': ' or starting "
            "with '{', '[', '*', '&' or '@' needs quotes"
        )
        return [], [*problems, Problem(display, line, column, f"invalid YAML: {detail}", hint=hint)]
    except yaml.YAMLError as error:
        # Reader errors (control characters) carry a character offset, not a mark.
        offset = int(getattr(error, "position", 0) or 0)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return [], [
            *problems,
            Problem(
                display,
                line,
                column,
                f"invalid YAML: {getattr(error, 'reason', None) or error}",
                hint="remove the control character; YAML files hold printable text only",
            ),
        ]
    except _TooManyAliases as error:
        mark = error.node.start_mark
        hint = "write the values out or use fewer nested aliases"
        if isinstance(error, _TooDeep):
            message = f"lists and mappings nested more than {MAX_NESTING} levels deep"
            hint = "definitions need only a few levels; check the brackets and the indentation"
        elif isinstance(error, _RecursiveAlias):
            message = "an alias refers to the anchor that contains it, so it would never end"
        else:
            message = (
                f"aliases expand to more than {MAX_ALIAS_EXPANSIONS:,} nodes "
                "(nested anchors that multiply, as in a 'billion laughs' file)"
            )
        return [], [Problem(display, mark.line + 1, mark.column + 1, message, hint=hint)]
    except RecursionError:
        return [], [Problem(display, message="YAML nested too deeply", hint="flatten the file")]
    finally:
        loader.dispose()
    if not documents and not problems:
        problems.append(
            Problem(
                display,
                1,
                1,
                "empty file: no definitions found",
                hint="add a definition starting with 'kind:', or delete the file",
            )
        )
    return documents, problems
