"""The Jinja environment templates run in: Jinja's immutable sandbox, plus bounds on size, time,
loop steps and call depth (see :mod:`teamcomms.render.limits`).

Jinja's sandbox stops a template from reaching Python internals; it does not stop it from
asking for a billion characters (``'%0999999999d' % 1``, ``'x'|center(999999999)``), doubling a
text in a loop, or looping for ever. Each operation that can build more than it was given is
checked here *before* it runs, and the code Jinja generates counts output and loop steps as it
goes. Lists, dicts and sets cannot be changed in place (``ImmutableSandboxedEnvironment``), so
no template can grow a list behind these checks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import nodes, pass_environment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS, make_attrgetter
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import Namespace, generate_lorem_ipsum

from teamcomms.render import limits
from teamcomms.render.limits import (
    MAX_INTEGER_BITS,
    OutputTooLarge,
    RecursionTooDeep,
    RenderLimitError,
    printed_size,
    refuse_larger,
)

_PERCENT_SPEC = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.S)
_NUMBER = re.compile(r"\d+")
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
_CONTAINERS = (list, tuple, dict, set, frozenset, Namespace)
_MAX_JSON_INDENT = 16
"""Deeper JSON indents serve only to multiply the output."""


class RangeTooLarge(RenderLimitError):
    """``range()`` asked for more numbers than a loop may take."""

    hint = f"loop over at most {MAX_RANGE:,} numbers"


def _limit() -> int:
    return limits.max_chars()


def check_value(value: object, what: str = "the expression") -> object:
    """``value`` unchanged, or :class:`OutputTooLarge` when printing it would pass the bound."""
    if isinstance(value, str):
        refuse_larger(len(value), what)
    elif isinstance(value, list | tuple | dict | set | frozenset | Namespace):
        refuse_larger(printed_size(value, _limit()), what)
    elif isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise OutputTooLarge(f"{what} would build a number of more than {MAX_INTEGER_BITS:,} bits")
    return value


def _percent_size(text: str, args: object) -> int:
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


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, refusing widths and repeats that build too much."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self._built = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        widths = [int(n) for n in _NUMBER.findall(format_spec)]
        self._built += max(widths, default=0) + printed_size(value, _limit())
        refuse_larger(self._built, "str.format()")
        return super().format_field(value, format_spec)


def _join_size(items: list[Any], separator: str) -> int:
    size = len(separator) * max(len(items) - 1, 0)
    for item in items:
        size += printed_size(item, _limit())
        if size > _limit():
            break
    return size


def _replace_size(text: str, old: str, new: str, count: int | None) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _check_method(method: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
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
        refuse_larger(_replace_size(owner, str(args[0]), str(args[1]), count), what)
    elif name == "join":
        items = list(args[0]) if isinstance(args[0], Iterable) else []
        refuse_larger(_join_size(items, str(owner)), what)
        return (items, *args[1:])
    elif name == "translate" and isinstance(args[0], Mapping) and isinstance(owner, str):
        longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
        refuse_larger(len(owner) * longest, what)
    return args


def _range(*args: int) -> range:
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise RangeTooLarge(f"range() of more than {MAX_RANGE:,} numbers")
    return numbers


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    # Each word is about ten characters; refuse before generating.
    refuse_larger(abs(n) * abs(max) * 10, "lipsum()")
    return str(generate_lorem_ipsum(n, html, min, max))


class BoundedNamespace(Namespace):
    """``namespace()``: an attribute may not hold more than a page can (no doubling bombs)."""

    def __setitem__(self, name: str, value: Any) -> None:
        check_value(value, f"namespace attribute `{name}`")
        limits.checkpoint()
        super().__setitem__(name, value)


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
    refuse_larger(_percent_size(str(value), kwargs or args), "|format")


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
    refuse_larger(_replace_size(str(value), str(old), str(new), count), "|replace")


def _pre_fill(value: Any, count: Any = 0, fill_with: Any = None) -> None:
    if isinstance(count, int):
        refuse_larger(count, "|batch or |slice")


def _pre_sum(value: Any, attribute: Any = None, start: Any = 0) -> None:
    items = list(value) if isinstance(value, list | tuple) else []
    if isinstance(start, list | tuple) or any(isinstance(i, list | tuple) for i in items):
        size = printed_size(start, _limit()) + _join_size(items, "")
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


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with checks written into the template's code: literal output is
    counted, ``~`` and literal lists, tuples and dicts are built through a size check."""

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        literal = sum(len(c.data) for c in node.nodes if isinstance(c, nodes.TemplateData))
        if literal:
            self.writeline(f"environment.count_output({literal})", node)
        super().visit_Output(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")

    def _checked(self, visit: Callable[[Any, Frame], None], node: Any, frame: Frame) -> None:
        self.write("environment.checked(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._checked(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._checked(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":
            self._checked(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with every amplifying operation bounded (see the module docstring)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.update(range=_range, lipsum=_lipsum, namespace=BoundedNamespace)
        self.filters.update({n: _bounded_filter(n, f) for n, f in FILTERS.items()})
        self.filters["join"] = _join

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits.checkpoint()
        what = f"the `{operator}` expression"
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int):
                    refuse_larger(printed_size(sequence, _limit()) * max(count, 0), what)
        elif operator == "+" and isinstance(left, str | list | tuple):
            refuse_larger(printed_size(left, _limit()) + printed_size(right, _limit()), what)
        elif operator == "%" and isinstance(left, str):
            refuse_larger(_percent_size(left, right), what)
        elif (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and left.bit_length() * abs(right) > MAX_INTEGER_BITS
        ):
            raise OutputTooLarge(
                f"{what} would build a number of more than {MAX_INTEGER_BITS:,} bits"
            )
        result = super().call_binop(context, operator, left, right)
        # Texts and lists were checked before; numbers can only be checked once computed.
        return check_value(result, what) if isinstance(result, int) else result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        running = limits.current()
        if running is not None:
            running.check_time()
        args = _check_method(__obj, args)
        nested = isinstance(__obj, Macro | LoopContext) and running is not None
        if isinstance(__obj, LoopContext) and args:
            args = (__self.bounded_loop(args[0]), *args[1:])
        if nested and running is not None:
            running.depth += 1
            if running.depth > running.limits.call_depth:
                raise RecursionTooDeep(
                    f"macros called inside each other more than {running.limits.call_depth} "
                    "deep (a macro that calls itself without end?)"
                )
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            if nested and running is not None:
                running.depth -= 1
        return check_value(result, f"calling {getattr(__obj, '__name__', 'a function')}")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        is_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if len(args) != 1 or kwargs:
                    raise TypeError("format_map() takes exactly one argument, a mapping")
                kwargs, args = dict(args[0]), ()
            return type(text)(_BoundedFormatter(self).vformat(text, args, kwargs))

        return functools.update_wrapper(bounded, value)

    def count_output(self, size: int) -> None:
        """Called by the generated code for each piece of literal template text it outputs."""
        running = limits.current()
        if running is not None:
            running.output(size)

    def bounded_concat(self, values: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``, refused before it is built if the result would be too large."""
        limits.checkpoint()
        total = 0
        for value in values:
            total += printed_size(value, _limit())
            refuse_larger(total, "the `~` expression")
        return "".join(map(str, values))

    def checked(self, value: Any) -> Any:
        """A literal list, tuple or dict, refused if it holds (or repeats) too much."""
        return check_value(value, "the list or dict")

    def bounded_loop(self, iterable: Any) -> Iterator[Any]:
        """``iterable``, counting each step of the loop against the template's budget."""
        running = limits.current()
        for item in iterable:
            if running is not None:
                running.step()
            yield item


def bound_loops(tree: nodes.Template) -> nodes.Template:
    """Make every ``{% for %}`` of ``tree`` iterate through :meth:`BoundedSandbox.bounded_loop`."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Call(
            nodes.EnvironmentAttribute("bounded_loop", lineno=loop.lineno),
            [loop.iter],
            [],
            None,
            None,
            lineno=loop.lineno,
        )
    return tree
