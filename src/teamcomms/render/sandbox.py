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
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from teamcomms.render import limits
from teamcomms.render.bounded_filters import bounded_filters
from teamcomms.render.bounded_ops import (
    BoundedFormatter,
    bounded_lipsum,
    bounded_range,
    check_method,
    percent_size,
)
from teamcomms.render.limits import (
    MAX_INTEGER_BITS,
    OutputTooLarge,
    RecursionTooDeep,
    check_value,
    printed_size,
    refuse_larger,
)


class BoundedNamespace(Namespace):
    """``namespace()``: an attribute may not hold more than a page can (no doubling bombs)."""

    def __setitem__(self, name: str, value: Any) -> None:
        check_value(value, f"namespace attribute `{name}`")
        limits.checkpoint()
        super().__setitem__(name, value)


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
        self.globals.update(range=bounded_range, lipsum=bounded_lipsum, namespace=BoundedNamespace)
        self.filters.update(bounded_filters())

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits.checkpoint()
        what = f"the `{operator}` expression"
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int):
                    refuse_larger(printed_size(sequence, limits.max_chars()) * max(count, 0), what)
        elif operator == "+" and isinstance(left, str | list | tuple):
            refuse_larger(
                printed_size(left, limits.max_chars()) + printed_size(right, limits.max_chars()),
                what,
            )
        elif operator == "%" and isinstance(left, str):
            refuse_larger(percent_size(left, right), what)
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
        args = check_method(__obj, args)
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
            return type(text)(BoundedFormatter(self).vformat(text, args, kwargs))

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
            total += printed_size(value, limits.max_chars())
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
