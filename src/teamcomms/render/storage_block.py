"""A ```` ```storage ```` block: storage XHTML in a Markdown body, passed through as written.

For what the Markdown dialect has no syntax for (a macro, an attached image): ``teamcomms export``
writes such blocks, and anyone may. The block must be well-formed (Confluence refuses a body that
is not, with a 400, so ``validate`` says so at the line instead); a Jinja value inside it is
inserted as escaped text, never as markup; tasks after it are numbered after its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from markdown_it.tree import SyntaxTreeNode

from teamcomms.errors import Problem
from teamcomms.render.markdown import source_line
from teamcomms.render.templating import MARKER_RE
from teamcomms.render.xml import NAMESPACES, parse_storage, storage_error


class StorageContext(Protocol):
    """What rendering a storage block needs from the renderer's context."""

    source: Path
    problems: list[Problem]
    next_task_id: int

    def text(self, value: str) -> str:
        """``value`` (holding value markers) as escaped storage text."""


def raw_storage(node: SyntaxTreeNode, ctx: StorageContext) -> str:
    """A ```` ```storage ```` block: its text is storage XHTML, passed through as written (what
    the Markdown dialect cannot say, such as a macro it has no syntax for). A value inside it is
    still inserted as escaped text, so a value never becomes markup."""
    parts = []
    position = 0
    content = node.content.removesuffix("\n")
    for match in MARKER_RE.finditer(content):
        parts.append(content[position : match.start()])
        parts.append(ctx.text(match.group(0)))
        position = match.end()
    parts.append(content[position:])
    storage = "".join(parts)
    parsed = parse_storage(storage)
    if parsed is None:
        # Confluence refuses a body that is not XML (400): say so at the line, not at apply.
        line, why = storage_error(storage) or (1, "not XML")
        ctx.problems.append(
            Problem(
                str(ctx.source),
                source_line(node) + line,
                0,
                f"the ```storage block is not well-formed storage XHTML ({why})",
                hint="close every tag and write & as &amp;, or write the content as Markdown",
            )
        )
        return ""
    # Task ids are unique in a page: tasks after the block are numbered after its own.
    texts = [t.text or "" for t in parsed.iter(f"{{{NAMESPACES['ac']}}}task-id")]
    ids = [int(text) for text in texts if text.isdigit()]
    ctx.next_task_id = max([ctx.next_task_id, *(i + 1 for i in ids)])
    return storage
