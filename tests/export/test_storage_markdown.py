"""Storage -> Markdown for export: each construct in the dialect's words, what it has no words for
kept as storage, and the result always renders back to the same page."""

from __future__ import annotations

from pathlib import Path

import pytest

from teamcomms.engine.workspace import load_workspace
from teamcomms.render.markdown_export import NotStorage, storage_to_markdown
from teamcomms.render.model import MappingLinkResolver, PageRef
from teamcomms.render.storage import render_storage
from teamcomms.render.storage_compare import same_storage

EXAMPLE = Path(__file__).parents[2] / "examples" / "ecommerce"
PAGES = {("TEAM", "Returns"): "returns"}


def rendered(markdown: str, variables: tuple[str, ...] = ()) -> str:
    links = MappingLinkResolver({("page", "returns"): PageRef("Returns", "TEAM")})
    page = render_storage(
        markdown,
        {},
        source=Path("x.md"),
        links=links,
        placeholders=variables,
        declared=variables,
    )
    return page.storage


def exported(storage: str, *, template: bool = False) -> str:
    body = storage_to_markdown(storage, pages=PAGES, space="TEAM", template=template)
    assert same_storage(storage, rendered(body.markdown, body.variables))
    assert not body.raw, body.raw
    return body.markdown


@pytest.mark.parametrize(
    ("storage", "markdown"),
    [
        ("<h2>Steps</h2>", "## Steps\n"),
        (
            "<p>Ship <strong>today</strong>, <em>not</em> <s>later</s> <code>a`b</code></p>",
            "Ship **today**, *not* ~~later~~ ``a`b``\n",
        ),
        ("<p>one<br/>two</p>", "one\\\ntwo\n"),
        ('<p><a href="https://x.example/a?b=1">docs</a></p>', "[docs](https://x.example/a?b=1)\n"),
        (
            '<p><ac:link><ri:page ri:content-title="Returns" ri:space-key="TEAM"/>'
            "<ac:link-body>returns</ac:link-body></ac:link></p>",
            "[returns](page:returns)\n",
        ),
        (
            '<p><ac:link><ri:user ri:account-id="557058:abc"/></ac:link></p>',
            "@[user](557058:abc)\n",
        ),
        (
            '<p><ac:image ac:alt="logo"><ri:url ri:value="https://x.example/l.png"/></ac:image></p>',
            "![logo](https://x.example/l.png)\n",
        ),
        ("<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>", "- a\n- b\n  - c\n"),
        ('<ol start="3"><li>c</li></ol>', "3. c\n"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b\n"),
        (
            "<ac:task-list><ac:task><ac:task-id>5</ac:task-id><ac:task-status>complete"
            "</ac:task-status><ac:task-body>Pick</ac:task-body></ac:task><ac:task-list><ac:task>"
            "<ac:task-id>6</ac:task-id><ac:task-status>incomplete</ac:task-status>"
            "<ac:task-body>Pack</ac:task-body></ac:task></ac:task-list></ac:task-list>",
            "- [x] Pick\n  - [ ] Pack\n",
        ),
        (
            '<table><tbody><tr><th>Step</th><th style="text-align: right;">Owner</th></tr>'
            '<tr><td>a|b</td><td style="text-align: right;">'
            '<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green'
            '</ac:parameter><ac:parameter ac:name="title">Done</ac:parameter>'
            "</ac:structured-macro></td></tr></tbody></table>",
            "| Step | Owner |\n| --- | --: |\n| a\\|b | {status:green\\|Done} |\n",
        ),
        (
            '<ac:structured-macro ac:name="warning" ac:macro-id="x"><ac:parameter ac:name="title">'
            "Careful</ac:parameter><ac:rich-text-body><p>Hot</p></ac:rich-text-body>"
            "</ac:structured-macro>",
            ":::warning Careful\nHot\n:::\n",
        ),
        (
            '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash'
            "</ac:parameter><ac:plain-text-body><![CDATA[echo {{ x }}\n```]]>"
            "</ac:plain-text-body></ac:structured-macro>",
            "````bash\necho {{ '{{' }} x }}\n```\n````\n",
        ),
        ('<ac:structured-macro ac:name="toc"/>', "[[toc]]\n"),
        (
            '<ac:structured-macro ac:name="jira"><ac:parameter ac:name="jqlQuery">project = OPS'
            "</ac:parameter></ac:structured-macro>",
            "[[jql:project = OPS]]\n",
        ),
        ("<blockquote><p>q</p><p>r</p></blockquote>", "> q\n>\n> r\n"),
        (
            '<ac:structured-macro ac:name="tip"><ac:rich-text-body><ol><li>a</li></ol><ol><li>b'
            "</li></ol><ul><li>c</li></ul><ul><li>d</li></ul></ac:rich-text-body>"
            "</ac:structured-macro>",
            ":::tip\n1. a\n\n1) b\n\n- c\n\n* d\n:::\n",
        ),
        ("<hr/>", "---\n"),
        (
            "<p>1. not a list, # not a heading, {{ not jinja }} {% no %}, *not em*, a_b</p>",
            "1\\. not a list, # not a heading, {\\{ not jinja }} {\\% no %}, \\*not em\\*, a_b\n",
        ),
    ],
)
def test_each_construct_is_said_in_markdown_and_renders_back(storage: str, markdown: str) -> None:
    assert exported(storage) == markdown


def test_a_template_variable_becomes_a_jinja_variable() -> None:
    storage = (
        '<at:declarations><at:string at:name="release"/></at:declarations>'
        '<p>Release <at:var at:name="release"/></p>'
    )
    body = storage_to_markdown(storage, template=True)
    assert (body.markdown, body.variables) == ("Release {{ release }}\n", ("release",))
    assert rendered(body.markdown, body.variables) == storage


@pytest.mark.parametrize(
    ("storage", "what"),
    [
        ('<ac:structured-macro ac:name="gallery"/>', "macro 'gallery'"),
        (
            '<p><ac:image><ri:attachment ri:filename="x.png"/></ac:image></p>',
            "the attached image 'x.png'",
        ),
        (
            "<table><tbody><tr><td>no header</td></tr></tbody></table>",
            "a table without a header row, or with rows of other widths",
        ),
        ("<p>Call jira:OPS-1</p>", "a block that renders differently as Markdown"),
        ('<p><span style="color: red;">red</span></p>', "<span>"),
        ("<p/>", "an empty paragraph"),
    ],
)
def test_what_markdown_cannot_say_stays_storage_with_why(storage: str, what: str) -> None:
    before = "<h1>Title</h1>"
    body = storage_to_markdown(before + storage + "<p>after</p>")
    (raw,) = body.raw
    assert raw.what == (what,)
    assert raw.line == 3
    assert body.markdown.startswith("# Title\n\n```storage\n")
    assert body.markdown.endswith("```\n\nafter\n")
    assert same_storage(before + storage + "<p>after</p>", rendered(body.markdown))


def test_a_template_whose_declarations_markdown_cannot_make_is_kept_whole() -> None:
    storage = (
        '<at:declarations><at:list at:name="size"/></at:declarations>'
        '<p><at:var at:name="size"/></p>'
    )
    body = storage_to_markdown(storage, template=True)
    assert [raw.what for raw in body.raw] == [("the whole body",)]
    assert body.variables == ()
    assert same_storage(storage, rendered(body.markdown))


def test_a_body_that_is_not_xml_cannot_be_exported() -> None:
    with pytest.raises(NotStorage):
        storage_to_markdown("<p>open")


def test_every_page_and_template_of_the_example_comes_back_exactly() -> None:
    """teamcomms' own rendering of a real project exports to Markdown that renders to the same
    bytes (so a re-exported managed page keeps its marker's hash), without storage blocks."""
    workspace = load_workspace(EXAMPLE)
    project = workspace.project
    pages = {(p.space or "", workspace.rendered(p).title): p.name for p in project.pages}
    checked = 0
    for definition in (*project.pages, *project.templates):
        page = workspace.rendered(definition)
        template = definition.kind == "template"
        body = storage_to_markdown(
            page.storage, pages=pages, space=page.space or "", template=template
        )
        links = MappingLinkResolver({("page", n): PageRef(t, s) for (s, t), n in pages.items()})
        again = render_storage(
            body.markdown, {}, source=Path("x.md"), links=links,
            placeholders=body.variables, declared=body.variables,
        )  # fmt: skip
        assert again.storage == page.storage, definition.name
        if not template:
            assert not body.raw, (definition.name, body.raw)
        checked += 1
    assert checked >= 15
