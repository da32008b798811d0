"""The Markdown dialect: CommonMark plus tables, task lists, alerts, containers and a few macros.

Extensions on top of CommonMark (documented in ``docs/rendering.md``):

- ``[[toc]]``: table of contents; ``[[jira:OPS-12]]`` or a bare ``jira:OPS-12``: a Jira issue;
  ``[[jql:project = OPS]]``: a Jira issue list;
- ``{status:green|Done}``: a status lozenge;
- ``@[Ada Lovelace](557058:f1e2...)``: a mention of an Atlassian account id;
- ``:::info`` / ``:::note`` / ``:::tip`` / ``:::warning`` (optional title after the name) and
  ``:::expand Title`` containers; GitHub alerts ``> [!NOTE]``;
- ``:::chart bar Title`` around a table: Confluence's chart macro (types bar, line, area, pie;
  the table's first column holds the categories, each other column is a series);
- ``<!-- teamcomms-lint: disable=RULE -->``: a comment for ``teamcomms lint``, left out of the page
  (other HTML is shown as text, since raw HTML is off).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin

from teamcomms.errors import DefinitionError, Problem

CONTAINERS = ("info", "note", "tip", "warning", "expand", "chart")
MAX_NESTING = 50
"""markdown-it's block nesting limit (a list level takes two); it also bounds recursion."""
JIRA_KEY = r"[A-Z][A-Z0-9_]{1,9}-\d+"
_BARE_JIRA = re.compile(rf"(?<![\w:/-])jira:({JIRA_KEY})\b")
_STATUS = re.compile(r"\{status:([A-Za-z]+)\|([^{}\n]+)\}")
_MENTION = re.compile(r"@\[([^\]\n]+)\]\(([^)\s]+)\)")
LINT_COMMENT = re.compile(r"<!--\s*teamcomms-lint:[^\n]*?-->")
"""A ``teamcomms lint`` directive; the renderers leave it out of the page."""


def _double_bracket(state: StateInline, silent: bool) -> bool:
    """``[[toc]]``, ``[[jira:KEY]]``, ``[[jql:QUERY]]``."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0 or "\n" in src[pos:end]:
        return False
    body = src[pos + 2 : end].strip()
    kind, _, argument = body.partition(":")
    kind = kind.strip().lower()
    if not (kind == "toc" and not argument) and kind not in ("jira", "jql"):
        return False
    if kind != "toc" and not argument.strip():
        return False
    if not silent:
        token = state.push("tc_macro", "", 0)
        token.meta = {"macro": kind, "argument": argument.strip()}
        token.content = src[pos : end + 2]
    state.pos = end + 2
    return True


def _status(state: StateInline, silent: bool) -> bool:
    match = _STATUS.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("tc_status", "", 0)
        token.meta = {"colour": match.group(1).lower(), "text": match.group(2).strip()}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _mention(state: StateInline, silent: bool) -> bool:
    match = _MENTION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("tc_mention", "", 0)
        token.meta = {"name": match.group(1).strip(), "account_id": match.group(2)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _lint_comment_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only a lint directive: nothing is rendered for it."""
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if state.sCount[start] - state.blkIndent >= 4 or not line.startswith("<!--"):
        return False
    match = LINT_COMMENT.match(line)
    if match is None or line[match.end() :].strip():
        return False
    if not silent:
        state.line = start + 1
    return True


def _lint_comment(state: StateInline, silent: bool) -> bool:
    """A lint directive inside a line of text: left out, like a Jinja comment."""
    match = LINT_COMMENT.match(state.src, state.pos)
    if match is None:
        return False
    state.pos = match.end()
    return True


def _bare_jira_keys(state: StateCore) -> None:
    """Split ``jira:OPS-12`` out of plain text (not inside links or code) into Jira macros."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        link_depth = 0
        for child in block.children:
            link_depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if child.type != "text" or link_depth or "jira:" not in child.content:
                children.append(child)
                continue
            position = 0
            for match in _BARE_JIRA.finditer(child.content):
                if match.start() > position:
                    children.append(_text(child.content[position : match.start()]))
                macro = Token("tc_macro", "", 0)
                macro.meta = {"macro": "jira", "argument": match.group(1)}
                macro.content = match.group(0)
                children.append(macro)
                position = match.end()
            if position < len(child.content):
                children.append(_text(child.content[position:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


@cache
def parser() -> MarkdownIt:
    """The configured parser. Raw HTML is off: it is shown as text, never passed through."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.options["tasklists"] = True
    md.options["alerts"] = True
    md.block.ruler.before("paragraph", "tc_lint_comment", _lint_comment_line)
    md.inline.ruler.before("link", "tc_lint_comment", _lint_comment)
    md.inline.ruler.before("link", "tc_double_bracket", _double_bracket)
    md.inline.ruler.before("link", "tc_mention", _mention)
    md.inline.ruler.before("link", "tc_status", _status)
    md.core.ruler.push("tc_bare_jira", _bare_jira_keys)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


def parse(markdown: str, source: Path) -> SyntaxTreeNode:
    """The syntax tree of ``markdown`` (shared: callers only read it).

    Raises :class:`~teamcomms.errors.DefinitionError` when blocks nest so deep that the parser
    would stop reading them (it drops the rest of the block without a word).
    """
    tree, too_deep_at = _tree(markdown)
    if too_deep_at is not None:
        message = f"lists, quotes and containers nested {MAX_NESTING // 2 - 1} or more levels deep"
        hint = "flatten the structure; Confluence shows at most a few levels well"
        raise DefinitionError([Problem(str(source), too_deep_at, 0, message, hint=hint)])
    return tree


@lru_cache(maxsize=64)
def _tree(markdown: str) -> tuple[SyntaxTreeNode, int | None]:
    """Parse once per distinct text: values reach the text as markers resolved after parsing,
    so the pages of one body or template usually share their Markdown. The second item is the
    line nesting first goes too deep, if it does."""
    tokens = parser().parse(markdown)
    deepest = max(tokens, key=lambda token: token.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        return SyntaxTreeNode([]), deepest.map[0] + 1 if deepest.map else 0
    return SyntaxTreeNode(tokens), None


def container_title(node: SyntaxTreeNode) -> str:
    """The text after the container's name: ``:::warning Heads up`` gives ``Heads up``."""
    return node.info.strip().partition(" ")[2].strip()


def source_line(node: SyntaxTreeNode) -> int:
    """The 1-based line of ``node`` or its nearest block ancestor in the parsed text."""
    current: SyntaxTreeNode | None = node
    while current is not None and not current.is_root:
        if current.map:
            return current.map[0] + 1
        current = current.parent
    return 0


def source_position(text: str, needle: str, node: SyntaxTreeNode) -> tuple[int, int]:
    """1-based line and column of ``needle`` in the Markdown ``text`` (its first occurrence),
    else the node's line and column 0 (unknown)."""
    index = text.find(needle) if needle else -1
    if index < 0:
        return source_line(node), 0
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
