"""Markdown (after Jinja) to Confluence storage format XHTML."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from teamcomms.errors import DefinitionError, Problem
from teamcomms.render import urls, xml
from teamcomms.render.images import ImageProblem, local_image
from teamcomms.render.limits import MAX_PAGE_CHARS, RenderLimitError
from teamcomms.render.markdown import (
    JIRA_KEY,
    container_title,
    parse,
    source_line,
    source_position,
)
from teamcomms.render.model import Attachment, LinkResolver, RenderedPage
from teamcomms.render.storage_block import raw_storage
from teamcomms.render.templating import Placeholder, ValueTable, render_jinja, variable_name

ALERT_PANELS = {"NOTE": "info", "TIP": "tip", "IMPORTANT": "note", "WARNING": "note"}
ALERT_PANELS["CAUTION"] = "warning"
STATUS_COLOURS = {
    "grey": "Grey",
    "gray": "Grey",
    "neutral": "Grey",
    "red": "Red",
    "yellow": "Yellow",
    "green": "Green",
    "blue": "Blue",
    "purple": "Purple",
}
CODE_LANGUAGES = {"py": "python", "js": "javascript", "ts": "typescript", "yml": "yaml"}
CODE_LANGUAGES.update({"sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash"})
RAW_STORAGE = "storage"
"""The info word of a fenced block whose text is passed through as storage XHTML."""
CHART_TYPES = ("bar", "line", "area", "pie")
MAX_PAGE_BYTES = MAX_PAGE_CHARS
"""Confluence refuses a page body over 5 MB (HTTP 413): such a page fails validate, not apply."""
_ENCODED_MARKERS = {"%EE%80%80": "\ue000", "%EE%80%81": "\ue001"}


@dataclass
class _Context:
    values: ValueTable
    links: LinkResolver
    source: Path
    source_text: str
    root: Path | None = None
    """Images must be inside this folder (the project's); by default the Markdown file's."""
    problems: list[Problem] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    placeholders: set[str] = field(default_factory=set)
    next_task_id: int = 1

    def text(self, value: str) -> str:
        out = []
        for part in self.values.parts(value):
            if isinstance(part, Placeholder):
                name = variable_name(part)
                self.placeholders.add(name)
                out.append(f'<at:var at:name="{xml.attribute(name)}"/>')
            else:
                out.append(xml.text(part))
        return "".join(out)

    def plain(self, value: str) -> str:
        for encoded, marker in _ENCODED_MARKERS.items():
            value = value.replace(encoded, marker)
        return self.values.plain(value)

    def problem(self, node: SyntaxTreeNode, needle: str, message: str, hint: str) -> None:
        line, column = source_position(self.source_text, needle, node)
        self.problems.append(Problem(str(self.source), line, column, message, hint=hint))


def render_storage(
    markdown: str,
    variables: Mapping[str, object],
    *,
    source: Path,
    links: LinkResolver,
    placeholders: Collection[str] = (),
    declared: Collection[str] = (),
    title: str = "",
    root: Path | None = None,
) -> RenderedPage:
    """Render Markdown + Jinja to a Confluence page body in storage format.

    Values are escaped wherever they land; variables named in ``placeholders`` become Confluence
    template variables (``<at:var>``, declared at the top of the body). An image file outside
    ``root`` (the project folder; by default the Markdown file's folder) is refused: rendering
    attaches (uploads) the file. Raises
    :class:`~teamcomms.errors.DefinitionError` naming ``source`` and the line for a missing or
    misspelt variable, a Jinja error, a link to an unknown page, a missing image or a bad macro.
    """
    expanded = render_jinja(
        markdown, variables, source=source, placeholders=placeholders, declared=declared
    )
    context = _Context(expanded.values, links, source, markdown, root)
    tree = parse(expanded.text, source)
    blocks = []
    for child in tree.children:
        try:
            blocks.append(_block(child, context))
        except RenderLimitError as error:
            where = Problem(str(source), source_line(child), 0, str(error), hint=error.hint)
            raise DefinitionError([where]) from None
    body = "\n".join(blocks)
    if context.problems:
        raise DefinitionError(context.problems)
    _check_size(body, source)
    if context.placeholders:
        strings = "".join(
            f'<at:string at:name="{xml.attribute(name)}"/>' for name in sorted(context.placeholders)
        )
        body = f"<at:declarations>{strings}</at:declarations>{body}"
    return RenderedPage(
        title=title,
        storage=body,
        attachments=tuple(context.attachments.values()),
        placeholders=tuple(sorted(context.placeholders)),
    )


def _check_size(body: str, source: Path) -> None:
    """Refuse a page Confluence would refuse: its body limit is 5 MB (it answers 413)."""
    size = len(body.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        message = (
            f"the rendered page is {size:,} bytes; Confluence accepts at most "
            f"{MAX_PAGE_BYTES:,} (5 MB)"
        )
        hint = "split it into several pages, or show less in it"
        raise DefinitionError([Problem(str(source), 1, 0, message, hint=hint)])


def _blocks(node: SyntaxTreeNode, ctx: _Context) -> str:
    return "".join(_block(child, ctx) for child in node.children)


def _macro(name: str, parameters: Mapping[str, str], body: str | None = None) -> str:
    params = "".join(
        f'<ac:parameter ac:name="{key}">{value}</ac:parameter>' for key, value in parameters.items()
    )
    head = f'<ac:structured-macro ac:name="{name}" ac:schema-version="1"'
    if body is None and not params:
        return head + "/>"
    return f"{head}>{params}{body or ''}</ac:structured-macro>"


def _block(node: SyntaxTreeNode, ctx: _Context) -> str:
    kind = node.type
    if kind == "paragraph":
        return _paragraph(node, ctx)
    if kind == "heading":
        return f"<{node.tag}>{_inline_of(node, ctx)}</{node.tag}>"
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, ctx)
    if kind in ("fence", "code_block"):
        return _code(node, ctx)
    if kind == "table":
        return _table(node, ctx)
    if kind == "blockquote":
        return f"<blockquote>{_blocks(node, ctx)}</blockquote>"
    if kind == "hr":
        return "<hr/>"
    if kind == "alert":
        panel = ALERT_PANELS.get(str(node.meta.get("kind", "NOTE")).upper(), "info")
        inner = "".join(_block(c, ctx) for c in node.children if c.type != "alert_title")
        return _macro(panel, {}, f"<ac:rich-text-body>{inner}</ac:rich-text-body>")
    if kind.startswith("container_"):
        return _container(node, ctx)
    if kind == "inline":
        return _inline(node, ctx)
    return ""


def _paragraph(node: SyntaxTreeNode, ctx: _Context) -> str:
    inline = node.children[0] if node.children else None
    if (
        inline is not None
        and len(inline.children) == 1
        and inline.children[0].type == "tc_macro"
        and inline.children[0].meta["macro"] in ("toc", "jql")
    ):
        # Block macros stand on their own rather than inside a <p>.
        return _inline(inline, ctx)
    content = _inline_of(node, ctx)
    return content if node.hidden else f"<p>{content}</p>"


def _inline_of(node: SyntaxTreeNode, ctx: _Context) -> str:
    return "".join(_inline(child, ctx) for child in node.children)


def _container(node: SyntaxTreeNode, ctx: _Context) -> str:
    name = node.type.removeprefix("container_")
    title = container_title(node)
    if name == "chart":
        return _chart(node, title, ctx)
    params = {"title": xml.text(ctx.plain(title))} if title else {}
    return _macro(name, params, f"<ac:rich-text-body>{_blocks(node, ctx)}</ac:rich-text-body>")


def _chart(node: SyntaxTreeNode, title: str, ctx: _Context) -> str:
    """Confluence's chart macro around the container's table. ``dataOrientation=vertical``: the
    table's rows are the categories (x axis) and its columns the series, as a report's tables
    are laid out (Confluence's default reads them the other way round)."""
    kind, _, rest = title.partition(" ")
    if kind.lower() not in CHART_TYPES:
        kind, rest = "bar", title
    if not any(child.type == "table" for child in node.children):
        ctx.problem(
            node,
            ":::chart",
            "a chart holds no table",
            "put a Markdown table inside `:::chart`: a first column of categories, then one "
            "column of numbers per series",
        )
    params = {"type": kind.lower(), "dataOrientation": "vertical", "width": "600", "height": "300"}
    if rest.strip():
        params["title"] = xml.text(ctx.plain(rest.strip()))
    return _macro("chart", params, f"<ac:rich-text-body>{_blocks(node, ctx)}</ac:rich-text-body>")


def _code(node: SyntaxTreeNode, ctx: _Context) -> str:
    words = node.info.split() if node.type == "fence" else []
    if words and words[0] == RAW_STORAGE:
        return raw_storage(node, ctx)
    language = CODE_LANGUAGES.get(words[0].lower(), words[0].lower()) if words else ""
    params = {"language": xml.text(language)} if language else {}
    body = f"<ac:plain-text-body>{xml.cdata(ctx.plain(node.content))}</ac:plain-text-body>"
    return _macro("code", params, body)


def _list(node: SyntaxTreeNode, ctx: _Context) -> str:
    items = node.children
    if items and all("checked" in item.meta for item in items):
        return _task_list(node, ctx)
    tag = node.tag
    start = node.attrs.get("start")
    opening = f'<{tag} start="{start}">' if start not in (None, 1) else f"<{tag}>"
    return opening + "".join(_list_item(item, ctx) for item in items) + f"</{tag}>"


def _list_item(item: SyntaxTreeNode, ctx: _Context) -> str:
    mark = ""
    if "checked" in item.meta:
        mark = "\u2611 " if item.meta["checked"] else "\u2610 "
    return f"<li>{mark}{_blocks(item, ctx)}</li>"


def _task_list(node: SyntaxTreeNode, ctx: _Context) -> str:
    parts = []
    for item in node.children:
        task_id = ctx.next_task_id
        ctx.next_task_id += 1
        status = "complete" if item.meta["checked"] else "incomplete"
        body: list[str] = []
        nested: list[str] = []
        for child in item.children:
            rendered = _block(child, ctx)
            is_task_list = rendered.startswith("<ac:task-list>")
            (nested if is_task_list else body).append(rendered)
        # Nested task lists follow their parent task inside the same list, as Confluence does.
        parts.append(
            f"<ac:task><ac:task-id>{task_id}</ac:task-id>"
            f"<ac:task-status>{status}</ac:task-status>"
            f"<ac:task-body>{''.join(body)}</ac:task-body></ac:task>{''.join(nested)}"
        )
    return "<ac:task-list>" + "".join(parts) + "</ac:task-list>"


def _table(node: SyntaxTreeNode, ctx: _Context) -> str:
    rows = []
    for section in node.children:
        for row in section.children:
            cells = []
            for cell in row.children:
                style = str(cell.attrs.get("style", ""))
                align = style.removeprefix("text-align:") if style else ""
                attr = f' style="text-align: {align};"' if align else ""
                cells.append(f"<{cell.tag}{attr}>{_inline_of(cell, ctx)}</{cell.tag}>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table><tbody>" + "".join(rows) + "</tbody></table>"


def _inline(node: SyntaxTreeNode, ctx: _Context) -> str:
    kind = node.type
    if kind == "text":
        return ctx.text(node.content)
    if kind == "inline":
        return _inline_of(node, ctx)
    if kind == "softbreak":
        return "\n"
    if kind == "hardbreak":
        return "<br/>"
    if kind == "code_inline":
        return f"<code>{ctx.text(node.content)}</code>"
    if kind in ("em", "strong", "s"):
        return f"<{node.tag}>{_inline_of(node, ctx)}</{node.tag}>"
    if kind == "link":
        return _link(node, ctx)
    if kind == "image":
        return _image(node, ctx)
    if kind == "tc_macro":
        return _jira_or_toc(node, ctx)
    if kind == "tc_status":
        return _status(node, ctx)
    if kind == "tc_mention":
        account = ctx.plain(node.meta["account_id"])
        return f'<ac:link><ri:user ri:account-id="{xml.attribute(account)}"/></ac:link>'
    return ctx.text(node.content)


def _link(node: SyntaxTreeNode, ctx: _Context) -> str:
    written = ctx.plain(str(node.attrs.get("href", "")))
    href = urls.cleaned(written)
    body = _inline_of(node, ctx)
    scheme = urls.scheme(written)
    if scheme in ("page", "template") and href.lower().startswith(scheme + ":"):
        return _page_link(node, ctx, scheme, href[len(scheme) + 1 :], body)
    if (scheme and scheme not in urls.SAFE_LINK_SCHEMES) or urls.has_control_characters(written):
        shown = f"the scheme `{scheme}:`" if scheme else "control characters"
        ctx.problem(
            node,
            written,
            f"link `{urls.printable(written)}` uses {shown}, which pages may not link to",
            "use an http(s) or mailto link, or page:NAME / template:NAME",
        )
        return body
    return f'<a href="{xml.attribute(href)}">{body}</a>'


def _page_link(node: SyntaxTreeNode, ctx: _Context, scheme: str, rest: str, body: str) -> str:
    target, _, anchor = rest.partition("#")
    ref = ctx.links.resolve(scheme, target)
    if ref is None:
        ctx.problem(
            node,
            f"{scheme}:{target}",
            f"link to unknown {scheme} `{target}`",
            f"define a `kind: {scheme}` named `{target}`, or fix the name after `{scheme}:`",
        )
        return body
    space = f' ri:space-key="{xml.attribute(ref.space)}"' if ref.space else ""
    anchor_attr = f' ac:anchor="{xml.attribute(anchor)}"' if anchor else ""
    return (
        f'<ac:link{anchor_attr}><ri:page ri:content-title="{xml.attribute(ref.title)}"{space}/>'
        f"<ac:link-body>{body}</ac:link-body></ac:link>"
    )


def _image(node: SyntaxTreeNode, ctx: _Context) -> str:
    src = ctx.plain(str(node.attrs.get("src", "")))
    alt = ctx.plain(node.content)
    alt_attr = f' ac:alt="{xml.attribute(alt)}"' if alt else ""
    scheme = urls.scheme(src)
    if scheme in urls.IMAGE_SCHEMES and not urls.has_control_characters(src):
        url = xml.attribute(urls.cleaned(src))
        return f'<ac:image{alt_attr}><ri:url ri:value="{url}"/></ac:image>'
    root = ctx.root if ctx.root is not None else ctx.source.parent
    image = local_image(src, ctx.source, root, bool(scheme))
    if isinstance(image, ImageProblem):
        ctx.problem(node, src, image.message, image.hint)
        return ""
    filename = _attachment_name(ctx, image.path)
    attachment = Attachment(filename, image.media_type, path=image.path)
    ctx.attachments.setdefault(filename, attachment)
    return (
        f'<ac:image{alt_attr}><ri:attachment ri:filename="{xml.attribute(filename)}"/></ac:image>'
    )


def _attachment_name(ctx: _Context, path: Path) -> str:
    name, number = path.name, 1
    while name in ctx.attachments and ctx.attachments[name].path != path:
        number += 1
        name = f"{path.stem}-{number}{path.suffix}"
    return name


def _jira_or_toc(node: SyntaxTreeNode, ctx: _Context) -> str:
    macro, argument = node.meta["macro"], ctx.plain(node.meta["argument"])
    if macro == "toc":
        return _macro("toc", {})
    if macro == "jql":
        return _macro("jira", {"jqlQuery": xml.text(argument)})
    if not re.fullmatch(JIRA_KEY, argument):
        ctx.problem(
            node,
            node.content,
            f"`{argument}` is not a Jira issue key",
            "write the key as PROJECT-NUMBER, for example [[jira:OPS-12]]",
        )
        return ctx.text(argument)
    return _macro("jira", {"key": xml.text(argument)})


def _status(node: SyntaxTreeNode, ctx: _Context) -> str:
    colour = STATUS_COLOURS.get(node.meta["colour"])
    if colour is None:
        ctx.problem(
            node,
            node.content,
            f"unknown status colour `{node.meta['colour']}`",
            "use one of grey, red, yellow, green, blue, purple: {status:green|Done}",
        )
        return ctx.text(node.meta["text"])
    return _macro("status", {"colour": colour, "title": xml.text(ctx.plain(node.meta["text"]))})
