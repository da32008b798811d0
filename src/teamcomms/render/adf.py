"""Markdown to Atlassian Document Format (ADF, doc version 1) for Jira issue descriptions.

Same dialect as the storage renderer. What has no ADF form offline degrades to text: images
(ADF media needs an upload first) become their alt text, linked when the image has an http(s)
URL; ``page:`` links keep their text; ``jira:OPS-12`` is the key as text; ``[[toc]]`` is
dropped; ``[[jql:...]]`` is inline code.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.tree import SyntaxTreeNode

from teamcomms.errors import DefinitionError, Problem
from teamcomms.render import urls
from teamcomms.render.limits import RenderLimitError
from teamcomms.render.markdown import JIRA_KEY, container_title, parse, source_position
from teamcomms.render.templating import ValueTable, render_jinja

Node = dict[str, Any]
Mark = dict[str, Any]

# Chosen by colour: Confluence's note is yellow and warning red; in ADF warning is yellow and
# error red. GitHub's IMPORTANT is purple, like ADF's note.
CONTAINER_PANELS = {"info": "info", "tip": "tip", "note": "warning", "warning": "error"}
ALERT_PANELS = {"NOTE": "info", "TIP": "tip", "IMPORTANT": "note", "WARNING": "warning"}
ALERT_PANELS["CAUTION"] = "error"
STATUS_COLOURS = {"grey": "neutral", "gray": "neutral", "neutral": "neutral"}
STATUS_COLOURS.update({c: c for c in ("red", "yellow", "green", "blue", "purple")})
_LIST_ITEM_BLOCKS = ("paragraph", "bulletList", "orderedList", "taskList", "codeBlock")
_QUOTE_BLOCKS = ("paragraph", "bulletList", "orderedList", "codeBlock")


@dataclass
class _Context:
    values: ValueTable
    source: Path
    markdown: str
    site: str | None = None
    next_id: int = 1
    marks: list[Mark] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, node: SyntaxTreeNode, message: str, hint: str) -> None:
        line, column = source_position(self.markdown, node.content, node)
        self.problems.append(Problem(str(self.source), line, column, message, hint=hint))

    def local_id(self) -> str:
        # Deterministic UUID-shaped ids keep the output stable for hashing and golden files.
        value = str(uuid.UUID(int=self.next_id))
        self.next_id += 1
        return value


def markdown_to_adf(
    markdown: str,
    variables: Mapping[str, object] | None = None,
    *,
    source: Path | None = None,
    site: str | None = None,
) -> dict[str, Any]:
    """An ADF document for ``markdown``.

    With ``variables``, the text first goes through the same sandboxed Jinja as pages (values
    appear literally); without, ``{{`` is plain text. With ``site``
    (``https://acme.atlassian.net``), Jira issue keys become smart links to the issue; without,
    they are text. Raises :class:`~teamcomms.errors.DefinitionError` for an unknown status
    colour, a malformed issue key or a Jinja error, naming ``source`` and the line.
    """
    where = source or Path("<markdown>")
    if variables is None:
        values, text = ValueTable(), markdown
    else:
        expanded = render_jinja(markdown, variables, source=where)
        values, text = expanded.values, expanded.text
    context = _Context(values, where, markdown, site.rstrip("/") if site else None)
    try:
        content = _blocks(parse(text, where), context)
    except RenderLimitError as error:
        raise DefinitionError([Problem(str(where), 1, 0, str(error), hint=error.hint)]) from None
    if context.problems:
        raise DefinitionError(context.problems)
    return {"version": 1, "type": "doc", "content": content}


def _blocks(node: SyntaxTreeNode, ctx: _Context) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        out.extend(_block(child, ctx))
    return out


def _block(node: SyntaxTreeNode, ctx: _Context) -> list[Node]:
    kind = node.type
    if kind == "paragraph":
        content = _inline_children(node, ctx)
        return [{"type": "paragraph", "content": content}] if content else []
    if kind == "heading":
        level = int(node.tag[1])
        return [
            {"type": "heading", "attrs": {"level": level}, "content": _inline_children(node, ctx)}
        ]
    if kind in ("bullet_list", "ordered_list"):
        return [_list(node, ctx)]
    if kind in ("fence", "code_block"):
        return [_code(node, ctx)]
    if kind == "blockquote":
        inner = _only(_blocks(node, ctx), _QUOTE_BLOCKS)
        return [{"type": "blockquote", "content": inner}] if inner else []
    if kind == "hr":
        return [{"type": "rule"}]
    if kind == "table":
        return [_table(node, ctx)]
    if kind == "alert":
        panel = ALERT_PANELS.get(str(node.meta.get("kind", "NOTE")).upper(), "info")
        inner = [b for c in node.children if c.type != "alert_title" for b in _block(c, ctx)]
        return _panel(panel, "", inner)
    if kind == "container_expand":
        inner = _blocks(node, ctx) or [{"type": "paragraph", "content": []}]
        return [
            {
                "type": "expand",
                "attrs": {"title": _plain(container_title(node), ctx)},
                "content": inner,
            }
        ]
    if kind == "container_chart":
        # ADF has no chart: a Jira description shows the chart's table.
        return _blocks(node, ctx)
    if kind.startswith("container_"):
        panel = CONTAINER_PANELS[kind.removeprefix("container_")]
        return _panel(panel, _plain(container_title(node), ctx), _blocks(node, ctx))
    return []


def _panel(panel_type: str, title: str, inner: list[Node]) -> list[Node]:
    if title:
        heading = {"type": "text", "text": title, "marks": [{"type": "strong"}]}
        inner = [{"type": "paragraph", "content": [heading]}, *inner]
    inner = _only(inner, ("paragraph", "heading", "bulletList", "orderedList", "codeBlock", "rule"))
    return (
        [{"type": "panel", "attrs": {"panelType": panel_type}, "content": inner}] if inner else []
    )


def _only(blocks: list[Node], allowed: tuple[str, ...]) -> list[Node]:
    """Keep blocks ADF allows here; others become their paragraphs (a heading in a list item)."""
    out: list[Node] = []
    for block in blocks:
        if block["type"] in allowed:
            out.append(block)
        elif block["type"] == "heading":
            out.append({"type": "paragraph", "content": block["content"]})
        elif "content" in block and block["type"] not in ("text", "codeBlock"):
            out.extend(_only(block["content"], allowed))
    return out


def _list(node: SyntaxTreeNode, ctx: _Context) -> Node:
    items = node.children
    if items and all("checked" in item.meta for item in items):
        return _task_list(node, ctx)
    content = []
    for item in items:
        blocks = _only(_blocks(item, ctx), _LIST_ITEM_BLOCKS)
        if not blocks or blocks[0]["type"] != "paragraph":
            blocks.insert(0, {"type": "paragraph", "content": []})
        content.append({"type": "listItem", "content": blocks})
    if node.type == "bullet_list":
        return {"type": "bulletList", "content": content}
    start = node.attrs.get("start", 1)
    return {"type": "orderedList", "attrs": {"order": int(start)}, "content": content}


def _task_list(node: SyntaxTreeNode, ctx: _Context) -> Node:
    task_list: Node = {"type": "taskList", "attrs": {"localId": ctx.local_id()}, "content": []}
    for item in node.children:
        attrs = {"localId": ctx.local_id(), "state": "DONE" if item.meta["checked"] else "TODO"}
        inline: list[Node] = []
        nested: list[Node] = []
        for block in _blocks(item, ctx):
            if block["type"] == "taskList":
                nested.append(block)
            elif block["type"] in ("paragraph", "heading"):
                if inline:
                    inline.append({"type": "hardBreak"})
                inline.extend(block["content"])
            else:
                # A task item holds only inline content; keep the text of other nested blocks.
                text = _text_of(block)
                if text:
                    inline.extend([{"type": "hardBreak"}, {"type": "text", "text": text}])
        task_list["content"].append({"type": "taskItem", "attrs": attrs, "content": inline})
        task_list["content"].extend(nested)
    return task_list


def _text_of(block: Node) -> str:
    if block.get("type") == "text":
        return str(block["text"])
    return " ".join(t for t in (_text_of(c) for c in block.get("content", [])) if t)


def _code(node: SyntaxTreeNode, ctx: _Context) -> Node:
    words = node.info.split() if node.type == "fence" else []
    code = _plain(node.content.removesuffix("\n"), ctx)
    result: Node = {"type": "codeBlock"}
    if words:
        result["attrs"] = {"language": words[0].lower()}
    result["content"] = [{"type": "text", "text": code}] if code else []
    return result


def _table(node: SyntaxTreeNode, ctx: _Context) -> Node:
    rows = []
    for section in node.children:
        for row in section.children:
            cells = []
            for cell in row.children:
                kind = "tableHeader" if cell.tag == "th" else "tableCell"
                paragraph = {"type": "paragraph", "content": _inline_children(cell, ctx)}
                cells.append({"type": kind, "attrs": {}, "content": [paragraph]})
            rows.append({"type": "tableRow", "content": cells})
    return {"type": "table", "content": rows}


def _plain(text: str, ctx: _Context) -> str:
    return ctx.values.plain(text.replace("%EE%80%80", "\ue000").replace("%EE%80%81", "\ue001"))


def _inline_children(node: SyntaxTreeNode, ctx: _Context) -> list[Node]:
    out: list[Node] = []
    for child in node.children:
        _inline(child, ctx, out)
    return _merge(out)


def _merge(nodes: list[Node]) -> list[Node]:
    merged: list[Node] = []
    for item in nodes:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and item["type"] == previous["type"] == "text"
            and item.get("marks") == previous.get("marks")
        ):
            previous["text"] += item["text"]
        else:
            merged.append(item)
    return merged


def _emit_text(text: str, ctx: _Context, out: list[Node], marks: list[Mark] | None = None) -> None:
    if not text:
        return
    node: Node = {"type": "text", "text": text}
    all_marks = [*ctx.marks, *(marks or [])]
    if any(mark["type"] == "code" for mark in all_marks):
        # ADF allows code only together with link marks.
        all_marks = [m for m in all_marks if m["type"] in ("code", "link")]
    if all_marks:
        node["marks"] = [dict(m) for m in all_marks]
    out.append(node)


def _inline(node: SyntaxTreeNode, ctx: _Context, out: list[Node]) -> None:
    kind = node.type
    if kind == "inline":
        for child in node.children:
            _inline(child, ctx, out)
    elif kind == "text":
        _emit_text(_plain(node.content, ctx), ctx, out)
    elif kind == "softbreak":
        _emit_text(" ", ctx, out)
    elif kind == "hardbreak":
        out.append({"type": "hardBreak"})
    elif kind == "code_inline":
        _emit_text(_plain(node.content, ctx), ctx, out, [{"type": "code"}])
    elif kind in ("em", "strong", "s", "link"):
        mark = _mark(node, ctx)
        if mark:
            ctx.marks.append(mark)
        for child in node.children:
            _inline(child, ctx, out)
        if mark:
            ctx.marks.pop()
    elif kind == "image":
        src = _plain(str(node.attrs.get("src", "")), ctx)
        link = [{"type": "link", "attrs": {"href": urls.cleaned(src)}}] if _web(src) else []
        _emit_text(_plain(node.content, ctx), ctx, out, link)
    elif kind == "tc_macro":
        _jira(node, ctx, out)
    elif kind == "tc_status":
        colour = STATUS_COLOURS.get(node.meta["colour"], "neutral")
        if node.meta["colour"] not in STATUS_COLOURS:
            ctx.problem(node, f"unknown status colour `{node.meta['colour']}`", _COLOUR_HINT)
        text = _plain(node.meta["text"], ctx)
        attrs = {"text": text, "color": colour, "localId": ctx.local_id()}
        out.append({"type": "status", "attrs": attrs})
    elif kind == "tc_mention":
        name = _plain(node.meta["name"], ctx)
        attrs = {"id": _plain(node.meta["account_id"], ctx), "text": f"@{name}"}
        out.append({"type": "mention", "attrs": attrs})
    else:
        _emit_text(_plain(node.content, ctx), ctx, out)


def _mark(node: SyntaxTreeNode, ctx: _Context) -> Mark | None:
    """The ADF mark for emphasis or a link; links without a web address keep only their text."""
    if node.type != "link":
        return {"type": {"s": "strike"}.get(node.type, node.type)}
    href = _plain(str(node.attrs.get("href", "")), ctx)
    if _web(href) or (urls.scheme(href) == "mailto" and not urls.has_control_characters(href)):
        return {"type": "link", "attrs": {"href": urls.cleaned(href)}}
    return None


def _web(address: str) -> bool:
    """Whether a browser would open ``address`` as an http(s) address (see ``urls``)."""
    return urls.scheme(address) in urls.IMAGE_SCHEMES and not urls.has_control_characters(address)


_COLOUR_HINT = "use one of grey, red, yellow, green, blue, purple: {status:green|Done}"


def _jira(node: SyntaxTreeNode, ctx: _Context, out: list[Node]) -> None:
    argument = _plain(node.meta["argument"], ctx)
    if node.meta["macro"] == "jql":
        _emit_text(argument, ctx, out, [{"type": "code"}])
    elif node.meta["macro"] != "jira":
        return
    elif not re.fullmatch(JIRA_KEY, argument):
        ctx.problem(
            node,
            f"`{argument}` is not a Jira issue key",
            "write the key as PROJECT-NUMBER, for example [[jira:OPS-12]]",
        )
    elif ctx.site:
        out.append({"type": "inlineCard", "attrs": {"url": f"{ctx.site}/browse/{argument}"}})
    else:
        _emit_text(argument, ctx, out)
