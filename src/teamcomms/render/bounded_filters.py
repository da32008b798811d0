"""Jinja's filters, each checked: the value it is given and what it returns may not pass the size
bound, and the filters that can amplify (``center``, ``indent``, ``format``, ``join``,
``replace``, ``batch``, ``slice``, ``sum``, ``tojson``, ``wordwrap``, ``urlize``) are refused
before they build too much.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import pass_environment
from jinja2.filters import FILTERS, make_attrgetter
from jinja2.utils import Namespace

from teamcomms.render import limits
from teamcomms.render.bounded_ops import join_size, percent_size, replace_size
from teamcomms.render.limits import OutputTooLarge, check_value, printed_size, refuse_larger

_CONTAINERS = (list, tuple, dict, set, frozenset, Namespace)
_MAX_JSON_INDENT = 16
"""Deeper JSON indents serve only to multiply the output."""


def _limit() -> int:
    return limits.max_chars()


def _bounded_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` with its value and result checked, plus the checks of amplifying filters."""
    pass_arg = getattr(original, "jinja_pass_arg", None)
    skip = 1 if pass_arg is not None else 0
    pre = _FILTER_CHECKS.get(name)
    if name in _NOT_PRINTING and pre is None:
        return original

    @functools.wraps(original)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        limits.checkpoint()
        if len(args) > skip:
            value = args[skip]
            if pre is not None and isinstance(value, Iterable) and name in _MATERIALISED:
                # A generator can be read once: read it here, check it, pass the list on.
                value = value if isinstance(value, str | list | tuple) else list(value)
                args = (*args[:skip], value, *args[skip + 1 :])
            check_value(value, f"the value given to |{name}")
            if pre is not None:
                pre(*args[skip:], **kwargs)
        return check_value(original(*args, **kwargs), f"|{name}")

    return bounded


def _pre_center(value: Any, width: Any = 80) -> None:
    if isinstance(width, int):
        refuse_larger(len(str(value)) + width, "|center")


def _pre_indent(value: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    text = str(value)
    step = width if isinstance(width, int) else len(str(width))
    refuse_larger(len(text) + (text.count("\n") + 1) * step, "|indent")


def _pre_format(value: Any, *args: Any, **kwargs: Any) -> None:
    refuse_larger(percent_size(str(value), kwargs or args), "|format")


@pass_environment
def _join(environment: Any, value: Iterable[Any], d: Any = "", attribute: Any = None) -> str:
    """``|join``, refused as soon as the joined text would pass the bound (each item is turned
    into text once, as Jinja's own filter does, so checking costs nothing extra)."""
    limits.checkpoint()
    if attribute is not None:
        value = map(make_attrgetter(environment, attribute), value)
    separator = str(d)
    items = list(value)
    for item in items:
        if isinstance(item, _CONTAINERS):
            check_value(item, "an item given to |join")
    # Texts of scalars are short and texts of texts are the texts themselves: nothing large is
    # built before the total is known.
    parts = list(map(str, items))
    refuse_larger(sum(map(len, parts)) + len(separator) * max(len(parts) - 1, 0), "|join")
    return separator.join(parts)


def _pre_replace(value: Any, old: Any, new: Any, count: Any = None) -> None:
    refuse_larger(replace_size(str(value), str(old), str(new), count), "|replace")


def _pre_fill(value: Any, count: Any = 0, fill_with: Any = None) -> None:
    if isinstance(count, int):
        refuse_larger(count, "|batch or |slice")


def _pre_sum(value: Any, attribute: Any = None, start: Any = 0) -> None:
    items = list(value) if isinstance(value, list | tuple) else []
    if isinstance(start, list | tuple) or any(isinstance(i, list | tuple) for i in items):
        size = printed_size(start, _limit()) + join_size(items, "")
        refuse_larger(size, "|sum")
        # Summing lists copies the growing result once per item: refuse long runs of them.
        refuse_larger(len(items) * size // 64, "|sum of lists")


def _pre_tojson(value: Any, indent: Any = None) -> None:
    if isinstance(indent, int) and indent > _MAX_JSON_INDENT:
        raise OutputTooLarge(f"|tojson with an indent of {indent} (at most {_MAX_JSON_INDENT})")


def _pre_wordwrap(value: Any, width: Any = 79, *args: Any, **kwargs: Any) -> None:
    wrapstring = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
    if isinstance(wrapstring, str) and isinstance(width, int):
        lines = len(str(value)) // max(width, 1) + str(value).count("\n") + 1
        refuse_larger(len(str(value)) + lines * len(wrapstring), "|wordwrap")


def _pre_urlize(value: Any, *args: Any, **kwargs: Any) -> None:
    extra = sum(len(str(v)) for v in (*args, *kwargs.values()) if isinstance(v, str))
    refuse_larger(len(str(value)) * (1 + extra), "|urlize")


_NOT_PRINTING = frozenset(
    {
        *("length", "count", "first", "last", "list", "sort", "reverse", "unique", "random"),
        *("select", "reject", "selectattr", "rejectattr", "map", "min", "max", "dictsort"),
        *("groupby", "items", "attr", "default", "d", "abs", "int", "float", "round", "bool"),
    }
)
"""Filters that neither print their value nor make it larger: measuring it would only cost time
(a loop asking ``big|length`` a thousand times)."""
_MATERIALISED = frozenset({"sum"})
"""Filters whose amplification depends on every item: their input is read into a list first."""
_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _pre_center,
    "indent": _pre_indent,
    "format": _pre_format,
    "replace": _pre_replace,
    "batch": _pre_fill,
    "slice": _pre_fill,
    "sum": _pre_sum,
    "tojson": _pre_tojson,
    "wordwrap": _pre_wordwrap,
    "urlize": _pre_urlize,
}


def bounded_filters() -> dict[str, Callable[..., Any]]:
    """Every built-in Jinja filter, checked as the module docstring says."""
    filters = {name: _bounded_filter(name, original) for name, original in FILTERS.items()}
    filters["join"] = _join
    return filters
