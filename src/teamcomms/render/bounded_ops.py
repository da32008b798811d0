"""Size checks for the operations that can build more than they are given (``%``, ``str.format``,
text methods, ``range``, ``lipsum``): each estimates what it would build and refuses before
building it. Used by the bounded sandbox (:mod:`teamcomms.render.sandbox`) and its filters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2.sandbox import MAX_RANGE, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum

from teamcomms.render import limits
from teamcomms.render.limits import RenderLimitError, printed_size, refuse_larger

_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.S)
_NUMBER = re.compile(r"\d+")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})


class RangeTooLarge(RenderLimitError):
    """``range()`` asked for more numbers than a loop may take."""

    hint = f"loop over at most {MAX_RANGE:,} numbers"


def _limit() -> int:
    return limits.max_chars()


def percent_size(text: str, args: object) -> int:
    """About how long ``text % args`` is: widths and precisions, plus the values printed."""
    positional = iter(args) if isinstance(args, tuple) else iter((args,))
    total = len(text)
    if not isinstance(args, Mapping):
        total += printed_size(args, _limit())
    for match in _PERCENT_SPEC.finditer(text):
        key, width, precision, conversion = match.groups()
        if conversion == "%":
            continue
        for number in (width, precision):
            value = next(positional, 0) if number == "*" else int(number or 0)
            total += abs(value) if isinstance(value, int) else 0
        if key is not None and isinstance(args, Mapping):
            total += printed_size(args.get(key), _limit())
        if total > _limit():
            break
    return total


class BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, refusing widths and repeats that build too much."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self._built = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        widths = [int(n) for n in _NUMBER.findall(format_spec)]
        self._built += max(widths, default=0) + printed_size(value, _limit())
        refuse_larger(self._built, "str.format()")
        return super().format_field(value, format_spec)


def join_size(items: list[Any], separator: str) -> int:
    size = len(separator) * max(len(items) - 1, 0)
    for item in items:
        size += printed_size(item, _limit())
        if size > _limit():
            break
    return size


def replace_size(text: str, old: str, new: str, count: int | None) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def check_method(method: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Refuse a text method call that would build too much; ``args`` as the call should get."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str | bytes | bytearray) or not args:
        return args
    what = f"{type(owner).__name__}.{name}()"
    if name in _WIDTH_METHODS and isinstance(args[0], int):
        refuse_larger(args[0], what)
    elif name == "expandtabs" and isinstance(args[0], int):
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        refuse_larger(len(owner) + tabs * args[0], what)
    elif name == "replace" and len(args) >= 2 and isinstance(owner, str):
        count = args[2] if len(args) > 2 and isinstance(args[2], int) else None
        refuse_larger(replace_size(owner, str(args[0]), str(args[1]), count), what)
    elif name == "join":
        items = list(args[0]) if isinstance(args[0], Iterable) else []
        refuse_larger(join_size(items, str(owner)), what)
        return (items, *args[1:])
    elif name == "translate" and isinstance(args[0], Mapping) and isinstance(owner, str):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        refuse_larger(len(owner) * longest, what)
    return args


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise RangeTooLarge(f"range() of more than {MAX_RANGE:,} numbers")
    return numbers


def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    # Each word is about ten characters; refuse before generating.
    refuse_larger(abs(n) * abs(max) * 10, "lipsum()")
    return str(generate_lorem_ipsum(n, html, min, max))
