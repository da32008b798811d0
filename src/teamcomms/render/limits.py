"""The bounds a template runs within: size of what it builds, time, loop steps and call depth.

A template is code written by whoever edits the project (or by whoever sends a pull request
to it), and ``validate`` runs it in CI. So every way a template can build something large or run
for long is bounded *while it runs*, and stops with an error naming the file and line:

- **size**: no value a template builds, and not the whole page, may exceed
  :data:`MAX_PAGE_CHARS`; checked *before* the operations that could build more (``*``, ``%``,
  ``~``, ``|center``, ``str.format``, ...), so a bomb never gets the memory it asks for;
- **time**: a deadline (:attr:`RenderLimits.seconds`), checked at every call, operator, loop
  step and piece of output, on an injectable clock so tests never sleep;
- **steps**: loop iterations per template (:attr:`RenderLimits.loop_steps`), so nested loops
  that build nothing still end quickly;
- **depth**: macro and recursive-loop calls (:attr:`RenderLimits.call_depth`), so a macro that
  calls itself stops with a clear message instead of Python's recursion limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

MAX_PAGE_CHARS = 5 * 1024 * 1024
"""Confluence refuses a page body over 5 MB (HTTP 413), so no page may build more text than
that, and no single value either: anything larger could never be published."""
MAX_INTEGER_BITS = 10_000
"""Integers a template may build (about 3,000 digits); Python refuses to print more than 4,300
digits anyway, and only a bomb (``(10**64)**64**...``) needs them."""


class RenderLimitError(SecurityError):
    """A template went past one of its bounds; the message says which and by how much."""

    hint = "build less in the template; a Confluence page body holds at most 5 MB"


class OutputTooLarge(RenderLimitError):
    """A template would build a value or a page larger than any page can hold."""


class RenderTimeout(RenderLimitError):
    """A template ran past its deadline or its loop steps."""

    hint = (
        "loop over less: nested loops multiply (two loops of 1,000 are a million steps), and a "
        "page needs far fewer"
    )


class RecursionTooDeep(RenderLimitError):
    """Macros (or a recursive loop) called each other too deep."""

    hint = "give the macro a condition that stops it calling itself, or nest less"


@dataclass(frozen=True)
class RenderLimits:
    """The bounds of one template run. Tests pass a fake ``clock`` instead of sleeping."""

    chars: int = MAX_PAGE_CHARS
    seconds: float = 10.0
    """Wall time per template: a large real page renders in well under a second, and a
    shared CI runner may be several times slower than a laptop."""
    loop_steps: int = 1_000_000
    """Loop iterations per template; a page of at most 5 MB needs far fewer."""
    call_depth: int = 40
    """Macro calls inside macro calls; each takes several Python frames, so this stays well
    inside Python's own recursion limit."""
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)


DEFAULT_LIMITS = RenderLimits()


class Budget:
    """What one run of a template has used of its :class:`RenderLimits`."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self._deadline = limits.clock() + limits.seconds
        self._chars = 0
        self._steps = 0
        self.depth = 0

    def check_time(self) -> None:
        """Raise :class:`RenderTimeout` once the deadline has passed."""
        if self.limits.clock() > self._deadline:
            raise RenderTimeout(
                f"the template ran longer than {self.limits.seconds:g} seconds and was stopped"
            )

    def step(self) -> None:
        """Count one loop iteration."""
        self._steps += 1
        if self._steps > self.limits.loop_steps:
            raise RenderTimeout(
                f"the template's loops ran more than {self.limits.loop_steps:,} steps and were "
                "stopped"
            )
        self.check_time()

    def output(self, size: int) -> None:
        """Count ``size`` characters of output (literal text or a value)."""
        self._chars += size
        if self._chars > self.limits.chars:
            raise OutputTooLarge(
                f"the page would be more than {self.limits.chars:,} characters long, more than "
                "Confluence accepts (5 MB)"
            )
        self.check_time()


_BUDGET: ContextVar[Budget | None] = ContextVar("teamcomms_render_budget", default=None)


def current() -> Budget | None:
    """The budget of the template running now; ``None`` while Jinja folds constants when it
    compiles (then only the size checks apply)."""
    return _BUDGET.get()


@contextmanager
def budget(limits: RenderLimits) -> Iterator[Budget]:
    """Run the block with a fresh :class:`Budget` for ``limits``."""
    token = _BUDGET.set(Budget(limits))
    try:
        yield _BUDGET.get()  # type: ignore[misc]
    finally:
        _BUDGET.reset(token)


def checkpoint() -> None:
    """Stop the template if it ran past its deadline (called at every call and operator)."""
    running = _BUDGET.get()
    if running is not None:
        running.check_time()


def max_chars() -> int:
    """The size bound of the running template (the default one while compiling)."""
    running = _BUDGET.get()
    return running.limits.chars if running is not None else MAX_PAGE_CHARS


def refuse_larger(size: int, what: str) -> None:
    """Raise :class:`OutputTooLarge` if building ``what`` would take ``size`` characters."""
    limit = max_chars()
    if size > limit:
        raise OutputTooLarge(
            f"{what} would build {size:,} characters, more than a page may hold ({limit:,})"
        )


def printed_size(value: object, limit: int) -> int:
    """About how many characters ``str(value)`` has, found without building it.

    Containers are measured item by item, and an item shared many times counts each time (a
    list of a thousand references to one large text prints it a thousand times), but each
    distinct container is measured once, so a structure built by doubling costs as many steps
    as it has distinct parts. Sizes stop growing past ``limit``. Texts inside containers count
    without the escapes ``repr`` adds, which at most multiplies a bounded size.
    """
    leaf = _leaf_size(value)
    if leaf is not None:
        return leaf
    sizes: dict[int, int] = {}
    pending: list[tuple[object, bool]] = [(value, False)]
    while pending:
        item, measured = pending.pop()
        key = id(item)
        parts = _parts(item)
        if not measured:
            if key in sizes:
                continue
            sizes[key] = 0  # in progress: a namespace holding itself counts once
            pending.append((item, True))
            pending.extend((part, False) for part in parts if _leaf_size(part) is None)
            continue
        total = 2 + 2 * len(parts)
        if total + len(parts) > limit:
            # Every item prints at least one character besides its separator: too large already.
            sizes[key] = limit + 1
            continue
        for part in parts:
            size = _leaf_size(part)
            total += sizes.get(id(part), 0) if size is None else size + 2
            if total > limit:
                break
        sizes[key] = min(total, limit + 1)
    return sizes[id(value)]


def _leaf_size(value: object) -> int | None:
    """The printed size of a value that is not a container, else ``None``."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bytes | bytearray):
        return 4 * len(value) + 3
    if isinstance(value, bool | float) or value is None:
        return 32
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, Mapping | list | tuple | set | frozenset | Namespace):
        return None
    return len(str(value))


def _parts(value: object) -> list[object]:
    """What a container prints: its items (a mapping's keys and values, a namespace's)."""
    if isinstance(value, Namespace):
        value = object.__getattribute__(value, "_Namespace__attrs")
    if isinstance(value, Mapping):
        return [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return []


def items_in(value: object) -> int | None:
    """The length of a text or sequence an operator would repeat or join, else ``None``."""
    if isinstance(value, str | bytes | bytearray | list | tuple):
        return len(value)
    return None


def check_value(value: object, what: str = "the expression") -> object:
    """``value`` unchanged, or :class:`OutputTooLarge` when printing it would pass the bound."""
    if isinstance(value, str):
        refuse_larger(len(value), what)
    elif isinstance(value, list | tuple | dict | set | frozenset | Namespace):
        refuse_larger(printed_size(value, max_chars()), what)
    elif isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise OutputTooLarge(f"{what} would build a number of more than {MAX_INTEGER_BITS:,} bits")
    return value
