"""Templates are bounded while they run: what they build, how long and how deep they go.

Every bomb here used to exhaust memory, hang, or end in "internal error" (issue 8); now each
stops early with an error naming the body and the line, and ordinary templates are untouched.
Time is a fake clock: these tests never wait for a deadline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.errors import DefinitionError
from teamcomms.render.limits import MAX_PAGE_CHARS, RenderLimits
from teamcomms.render.storage import render_storage
from teamcomms.render.templating import render_jinja
from tests.render.support import LINKS, storage_text

SOURCE = Path("/project/docs/page.md")
HEAD = "# Title\n\n"
"""Two lines before the expression: every problem below must name line 3."""


def _render(markdown: str, **variables: object) -> str:
    return render_storage(markdown, variables, source=SOURCE, links=LINKS).storage


def _refused(markdown: str, **variables: object) -> tuple[int, str, str]:
    with pytest.raises(DefinitionError) as error:
        _render(markdown, **variables)
    [problem] = error.value.problems
    assert problem.file == str(SOURCE)
    return problem.line, problem.message, problem.hint or ""


class Ticking:
    """A clock that moves ``step`` seconds each time it is read, and counts the reads."""

    def __init__(self, step: float = 0.0, jump_at: int | None = None) -> None:
        self.now = 0.0
        self.reads = 0
        self.step = step
        self.jump_at = jump_at

    def __call__(self) -> float:
        self.reads += 1
        self.now += self.step
        if self.jump_at is not None and self.reads >= self.jump_at:
            self.now += 3600
        return self.now


BOMBS = {
    "percent-width": ("'%0999999999d' % 1", "`%` expression would build"),
    "percent-star-width": ("'%*d' % (999999999, 1)", "`%` expression would build"),
    "percent-precision": ("'%.999999999f' % 1.5", "`%` expression would build"),
    "percent-repeats-a-value": (
        "'%(a)s%(a)s%(a)s' % {'a': 'x' * 2000000}",
        "`%` expression would build",
    ),
    "center-filter": ("'x'|center(999999999)", "|center would build"),
    "center-method": ("'x'.center(999999999)", "str.center() would build"),
    "ljust-method": ("'x'.ljust(999999999)", "str.ljust() would build"),
    "zfill-method": ("'1'.zfill(999999999)", "str.zfill() would build"),
    "expandtabs-method": ("('\\t' * 1000000).expandtabs(100)", "str.expandtabs() would build"),
    "format-method-width": ("'{:>999999999}'.format(1)", "str.format() would build"),
    "format-method-nested-width": ("'{0:{1}}'.format(1, 999999999)", "str.format() would build"),
    "format-map-width": ("'{a:>999999999}'.format_map({'a': 1})", "str.format() would build"),
    "format-filter": ("'%0999999999d'|format(1)", "|format would build"),
    "replace-filter": ("('a' * 5000000)|replace('a', 'aa')", "|replace would build"),
    "replace-method": ("('a' * 5000000).replace('a', 'aa')", "str.replace() would build"),
    "translate-method": ("('x' * 3000000).translate({120: 'yy'})", "str.translate() would build"),
    "join-filter": ("range(100000)|join('x' * 100)", "|join would build"),
    "join-method": ("('x' * 100).join(range(100000)|map('string'))", "str.join() would build"),
    "batch-fill": ("[1]|batch(999999999, 'x')|list", "|batch or |slice would build"),
    "slice-fill": ("[1]|slice(999999999, 'x')|list", "|batch or |slice would build"),
    "indent-width": ("('a\\n' * 100000)|indent(1000)", "|indent would build"),
    "tojson-indent": ("{'a': [1, 2]}|tojson(indent=999)", "|tojson with an indent of 999"),
    "urlize-target": ("('http://a ' * 500000)|urlize(target='x' * 100)", "|urlize would build"),
    "lipsum": ("lipsum(1000000)", "lipsum() would build"),
    "repeat-text": ('"ab" * 100000000', "`*` expression would build"),
    "repeat-list": ("100000000 * [1, 2]", "`*` expression would build"),
    "repeat-shared-items": ("[['x' * 1000000] * 3] * 3", "`*` expression would build"),
    "concat": ("('x' * 3000000) ~ ('x' * 3000000)", "`~` expression would build"),
    "plus-text": ("('x' * 3000000) + ('x' * 3000000)", "`+` expression would build"),
    "power-tower": ("((10**64)**64)**64", "more than 10,000 bits"),
    "huge-power": ("2 ** 100000", "more than 10,000 bits"),
    "product-of-products": ("(10**3000) * (10**3000)", "more than 10,000 bits"),
    "huge-range": ("range(1000000000)|length", "range() of more than 100,000 numbers"),
    "astronomic-range": ("range(10**30)|length", "range() of more than 100,000 numbers"),
}


@pytest.mark.parametrize("expression", [e for e, _ in BOMBS.values()], ids=list(BOMBS))
def test_an_expression_that_would_build_too_much_is_refused_before_it_is_built(
    expression: str,
) -> None:
    line, message, hint = _refused(HEAD + "{{ " + expression + " }}\n")
    assert line == 3
    assert BOMBS[next(k for k, v in BOMBS.items() if v[0] == expression)][1] in message
    assert hint


GROWTH = {
    "namespace-doubling": (
        "{% set n = namespace(s='ab') %}{% for i in range(40) %}{% set n.s = n.s ~ n.s %}"
        "{% endfor %}{{ n.s|length }}",
        "`~` expression would build",
    ),
    "namespace-list-sharing": (
        "{% set n = namespace(l=[1]) %}{% for i in range(60) %}{% set n.l = [n.l, n.l] %}"
        "{% endfor %}{{ n.l|length }}",
        "the list or dict would build",
    ),
    "dict-sharing": (
        "{% set n = namespace(d={}) %}{% for i in range(60) %}"
        "{% set n.d = dict(a=n.d, b=n.d) %}{% endfor %}{{ n.d|length }}",
        "calling dict would build",
    ),
    "namespace-sharing-through-an-attribute": (
        # `cycler(...).items` is a plain attribute, not a checked operation: only the namespace
        # sees the doubled list when it is stored.
        "{% set n = namespace(l=['x']) %}{% for i in range(60) %}"
        "{% set n.l = cycler(n.l, n.l).items %}{% endfor %}{{ n.l|length }}",
        "namespace attribute `l` would build",
    ),
    "nested-loops": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "loops ran more than 1,000,000 steps",
    ),
    "literal-text-in-a-loop": (
        "{% for i in range(100000) %}" + "x" * 100 + "{% endfor %}",
        "the page would be more than 5,242,880 characters",
    ),
    "recursive-macro": (
        "{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(1) }}",
        "macros called inside each other more than 40 deep",
    ),
    "macros-calling-each-other": (
        "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}",
        "macros called inside each other more than 40 deep",
    ),
    "recursive-loop": (
        "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
        "macros called inside each other more than 40 deep",
    ),
}


@pytest.mark.parametrize("template", [t for t, _ in GROWTH.values()], ids=list(GROWTH))
def test_a_template_that_grows_step_by_step_is_stopped_at_its_line(template: str) -> None:
    line, message, _ = _refused(HEAD + template + "\n")
    assert line == 3
    assert GROWTH[next(k for k, v in GROWTH.items() if v[0] == template)][1] in message


def test_values_shared_by_reference_count_every_time_they_are_printed() -> None:
    # Thirty lines each doubling the list without copying anything: the literal on the line
    # where the printed size passes the page limit is refused.
    lines = ["{% set a0 = ['x' * 1000] %}"]
    lines += [f"{{% set a{n} = [a{n - 1}, a{n - 1}] %}}" for n in range(1, 31)]
    line, message, _ = _refused("\n".join([*lines, "{{ a30 == a30 }}"]) + "\n")
    limit_line = next(n for n in range(31) if 1002 * 2**n > MAX_PAGE_CHARS) + 1
    assert line == limit_line
    assert "would build" in message


def test_markers_forged_in_the_text_cannot_multiply_a_value() -> None:
    # The private-use characters that stand for values, typed into the body over and over, must
    # not make one value appear over and over (here 20 million characters; a million markers
    # and a five-megabyte value would make terabytes).
    forged = "\ue0000\ue001" * 200
    with pytest.raises(DefinitionError) as error:
        _render("{{ big }}\n\n" + forged + "\n", big="x" * 100_000)
    assert "expand to more than" in error.value.problems[0].message


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 1 / 0 }}", "division by zero"),
        ('{{ "a" + 1 }}', 'can only concatenate str (not "int") to str'),
        ('{{ "{}{}".format(1) }}', "tuple index out of range"),
        ('{{ "%d" % "a" }}', "%d format: a real number is required"),
        ("{{ 'a' < 1 }}", "'<' not supported"),
    ],
    ids=["divide-by-zero", "add-text-and-number", "format-index", "percent-type", "compare"],
)
def test_an_error_inside_an_expression_is_located_not_internal(template: str, message: str) -> None:
    line, found, hint = _refused(HEAD + template + "\n")
    assert line == 3
    assert found.startswith("the template failed: ")
    assert message in found
    assert hint == "fix the Jinja expression on that line"


def test_lists_cannot_be_changed_in_place() -> None:
    line, message, hint = _refused(HEAD + "{% set l = [1] %}{{ l.extend(l) }}\n")
    assert line == 3
    assert "extend" in message
    assert "internal attributes" in hint


NESTING = {
    "parentheses": ("{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}", "brackets or operators"),
    "unary-minus": ("{{ " + "-" * 2000 + "1 }}", "brackets or operators"),
    "not-chain": ("{{ " + "not " * 2000 + "1 }}", "brackets or operators"),
    "long-sum": ("{{ " + "+".join(["1"] * 50000) + " }}", "nested more than 60 deep"),
    "filter-chain": ("{{ 'x'" + "|upper" * 5000 + " }}", "nested more than 60 deep"),
    "nested-loops": ("{% for i in [1] %}" * 30 + "x" + "{% endfor %}" * 30, "more than 10 loops"),
    "nested-ifs": ("{% if 1 %}" * 1000 + "x" + "{% endif %}" * 1000, "more than 40 blocks"),
    "long-number": ("{{ " + "9" * 5000 + " }}", "cannot read the template"),
}


@pytest.mark.parametrize("template", [t for t, _ in NESTING.values()], ids=list(NESTING))
def test_nesting_too_deep_to_compile_is_a_located_syntax_error(template: str) -> None:
    line, message, hint = _refused(HEAD + template + "\n")
    assert line == 3
    assert NESTING[next(k for k, v in NESTING.items() if v[0] == template)][1] in message
    assert hint


def test_a_page_larger_than_confluence_accepts_is_refused_after_rendering() -> None:
    # Each `&` is one character of template output and five of storage (`&amp;`).
    with pytest.raises(DefinitionError) as error:
        _render("{{ text }}\n", text="&" * 1_100_000)
    [problem] = error.value.problems
    assert problem.message.startswith("the rendered page is 5,500,")
    assert "5 MB" in problem.message
    _render("{{ text }}\n", text="&" * 1_000_000)


ORDINARY = [
    "{% for i in range(1000) %}{{ i }} {% endfor %}",
    "{% macro tree(n) %}{% if n %}({{ tree(n - 1) }}){% endif %}{% endmacro %}{{ tree(10) }}",
    "{{ '%5.2f' % 3.14159 }} {{ '%s and %s' % ('a', 'b') }} {{ '%(x)s' % {'x': 1} }}",
    "{{ '{:>10}'.format('right') }} {{ '{a}-{b}'.format_map({'a': 1, 'b': 2}) }}",
    "{{ 'mid'|center(20) }} {{ ['a', 'b']|join(', ') }} {{ 'a\nb'|indent(2) }}",
    "{% set n = namespace(total=0) %}{% for i in range(10) %}{% set n.total = n.total + i %}"
    "{% endfor %}{{ n.total }}",
    "{{ [1, 2] + [3] }} {{ {'a': [1, 2]}|tojson(indent=2) }} {{ 'a' ~ 'b' ~ 1 }}",
    "{{ lipsum(2, html=False)|length > 0 }} {{ range(10)|sum }} {{ 10 ** 64 }}",
    "{{ [[1, 2], [3]]|sum(start=[]) }} {{ [1, 2, 3]|batch(2)|list }} {{ 'a b'|replace(' ', '-') }}",
]


@pytest.mark.parametrize("template", ORDINARY)
def test_ordinary_templates_are_untouched_by_the_bounds(template: str) -> None:
    assert storage_text(_render(template + "\n"))


def test_output_exactly_at_the_bound_passes_and_one_more_character_is_refused() -> None:
    limits = RenderLimits(chars=100)
    render_jinja("x" * 90 + "{{ v }}", {"v": "y" * 10}, source=SOURCE, limits=limits)
    with pytest.raises(DefinitionError) as error:
        render_jinja("x" * 90 + "{{ v }}", {"v": "y" * 11}, source=SOURCE, limits=limits)
    assert "more than 100 characters" in error.value.problems[0].message
    with pytest.raises(DefinitionError):
        render_jinja("x" * 101, {}, source=SOURCE, limits=limits)


def test_loop_steps_exactly_at_the_bound_pass_and_one_more_is_refused() -> None:
    limits = RenderLimits(loop_steps=10)
    render_jinja("{% for i in range(10) %}{% endfor %}", {}, source=SOURCE, limits=limits)
    with pytest.raises(DefinitionError) as error:
        render_jinja("{% for i in range(11) %}{% endfor %}", {}, source=SOURCE, limits=limits)
    assert "more than 10 steps" in error.value.problems[0].message


def test_macro_depth_exactly_at_the_bound_passes_and_one_more_is_refused() -> None:
    limits = RenderLimits(call_depth=5)
    macro = "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{% endif %}{% endmacro %}"
    render_jinja(macro + "{{ d(4) }}", {}, source=SOURCE, limits=limits)  # five calls deep
    with pytest.raises(DefinitionError) as error:
        render_jinja(macro + "{{ d(5) }}", {}, source=SOURCE, limits=limits)
    assert "more than 5 deep" in error.value.problems[0].message


def test_the_deadline_stops_a_template_while_it_runs() -> None:
    # The clock passes the deadline on its 50th reading: rendering must stop right there, long
    # before the 100,000 steps the loop asks for (it is checked while rendering, not after).
    clock = Ticking(jump_at=50)
    limits = RenderLimits(seconds=10, clock=clock)
    with pytest.raises(DefinitionError) as error:
        render_jinja(
            "\n{% for i in range(100000) %}{{ i }}{% endfor %}", {}, source=SOURCE, limits=limits
        )
    [problem] = error.value.problems
    assert problem.message == "the template ran longer than 10 seconds and was stopped"
    assert problem.line == 2
    assert 50 <= clock.reads <= 55
    assert "loop over less" in (problem.hint or "")


def test_the_deadline_is_measured_from_the_start_of_each_template() -> None:
    # A clock moving a second per reading: five short templates take 15 s in all, but each one
    # gets its own 10 s.
    clock = Ticking(step=1.0)
    limits = RenderLimits(seconds=10, clock=clock)
    for _ in range(5):
        render_jinja("{{ 1 + 1 }}", {}, source=SOURCE, limits=limits)
    assert clock.now >= 15


def test_a_slow_clock_stops_a_template_that_calls_no_loop() -> None:
    clock = Ticking(step=1.0)
    limits = RenderLimits(seconds=5, clock=clock)
    template = "{{ 'a'|upper }}" * 20
    with pytest.raises(DefinitionError) as error:
        render_jinja(template, {}, source=SOURCE, limits=limits)
    assert "ran longer than 5 seconds" in error.value.problems[0].message
