"""Merge a page that people edited with a new version of it: three-way, block by block, with
task lists merged task by task (``teamcomms standup --publish`` on a day whose page exists).

The three versions are storage XHTML: ``base`` (what teamcomms generated last time, before
merging; the page's marker keeps it), ``theirs`` (the page now, maybe edited by hand) and
``mine`` (what teamcomms generates now). Rules:

- the body is cut into its top-level blocks (paragraphs, headings, tables, macros, task lists);
  blocks are compared without the attributes editors add (``local-id``, ``data-*``) and without
  differences in white space;
- a block people changed and teamcomms did not is kept as they left it; a block teamcomms
  changed and people did not takes the new version; a block both changed keeps the hand edit
  (a *kept edit*, reported so that the user knows those figures are not refreshed);
- task lists are merged task by task (a task is known by its text): a task on the page keeps
  its status, so a ticked task stays ticked; a task people added stays; a task people deleted
  is not added again; a task teamcomms wrote that is no longer suggested and nobody touched is
  dropped. Tasks are matched within the n-th task list of the page.

Without a ``base`` (it was too large to keep) every block that differs is treated as changed
on both sides: hand edits win.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.entities import name2codepoint
from xml.parsers import expat

from merge3 import Merge3

from teamcomms.render.xml import NAMESPACES, wrap

TASK_LIST = "<ac:task-list>"
_PLACEHOLDER = "\ue010tasks:{}\ue011"
_EDITOR_ATTRIBUTES = re.compile(r'\s(?:[\w:-]*local-id|data-[\w-]+|ac:macro-id)="[^"]*"')
_SPACE = re.compile(r"\s+")
_AROUND_TAGS = re.compile(r"\s*<[^>]+>\s*")
_TASK_ID = re.compile(r"<ac:task-id>\s*(\d+)\s*</ac:task-id>")
_AC = "{" + NAMESPACES["ac"] + "}"
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


@dataclass(frozen=True)
class Task:
    """One task of a task list: its raw storage, text (its identity) and status."""

    raw: str
    text: str
    complete: bool


@dataclass
class MergeResult:
    """The merged body and the blocks where a hand edit was kept over a new version."""

    body: str
    kept_edits: list[str] = field(default_factory=list)
    """The start of the text of each block whose new version was not written."""


def merge_storage(base: str | None, theirs: str, mine: str) -> MergeResult:
    """``theirs`` with ``mine``'s changes since ``base`` applied (see the module docstring).
    Raises :class:`ValueError` when a body is not well-formed storage."""
    versions = [_split(v) for v in (base if base is not None else mine, theirs, mine)]
    (base_blocks, base_lists), (their_blocks, their_lists), (my_blocks, my_lists) = versions
    if base is None:
        base_blocks, base_lists = [], []
    keys = [[_normal(b) for b in blocks] for blocks in (base_blocks, their_blocks, my_blocks)]
    result = MergeResult("")
    out: list[str] = []
    ia = ib = iz = 0
    for zmatch, zend, amatch, aend, bmatch, bend in Merge3(
        keys[0], keys[1], keys[2]
    ).find_sync_regions():
        theirs_part, mine_part = their_blocks[ia:amatch], my_blocks[ib:bmatch]
        base_part = base_blocks[iz:zmatch]
        if keys[1][ia:amatch] == keys[2][ib:bmatch]:
            out.extend(mine_part)
        elif keys[1][ia:amatch] == keys[0][iz:zmatch]:
            out.extend(mine_part)  # only teamcomms changed it
        elif keys[2][ib:bmatch] == keys[0][iz:zmatch]:
            out.extend(theirs_part)  # only people changed it
        else:
            out.extend(theirs_part)
            known = {_normal(x) for x in (*base_part, *theirs_part)}
            changed_by_us = [b for b in mine_part if _normal(b) not in known]
            result.kept_edits.extend(_summary(b) for b in changed_by_us if not _is_token(b))
        out.extend(my_blocks[bmatch:bend])
        ia, ib, iz = aend, bend, zend
    merged = "".join(out)
    next_id = 1 + max((int(n) for n in _TASK_ID.findall(theirs)), default=0)
    for number in range(max(len(their_lists), len(my_lists))):
        tasks, next_id = _merge_tasks(
            _at(base_lists, number), _at(their_lists, number), _at(my_lists, number), next_id
        )
        listing = f"{TASK_LIST}{''.join(tasks)}</ac:task-list>" if tasks else ""
        merged = merged.replace(_PLACEHOLDER.format(number), listing)
    result.body = merged
    return result


def tasks_of(storage: str) -> list[Task]:
    """Every task of every task list of ``storage``, in order."""
    return [task for listing in _split(storage)[1] for task in listing]


def _at(lists: list[list[Task]], number: int) -> list[Task]:
    return lists[number] if number < len(lists) else []


def _merge_tasks(
    base: list[Task], theirs: list[Task], mine: list[Task], next_id: int
) -> tuple[list[str], int]:
    base_status = {t.text: t.complete for t in base}
    their_texts = {t.text: t for t in theirs}
    my_texts = {t.text for t in mine}
    out: list[str] = []
    for task in mine:
        if task.text in their_texts:
            out.append(their_texts[task.text].raw)
        elif task.text not in base_status:
            out.append(_TASK_ID.sub(f"<ac:task-id>{next_id}</ac:task-id>", task.raw, count=1))
            next_id += 1
    for task in theirs:
        untouched = base_status.get(task.text) == task.complete
        if task.text not in my_texts and not untouched:
            out.append(task.raw)
    return out, next_id


def _split(storage: str) -> tuple[list[str], list[list[Task]]]:
    """The top-level blocks of ``storage`` (task lists replaced by numbered tokens) and the
    tasks of each task list."""
    document = wrap(_numeric_entities(storage)).encode("utf-8")
    spans = _top_level_spans(document, depth=1)
    blocks: list[str] = []
    lists: list[list[Task]] = []
    position = len(b"<root ") + document[len(b"<root ") :].index(b">") + 1
    for start, end in spans:
        between = document[position:start].decode("utf-8")
        if between.strip():
            blocks.append(between)
        block = document[start:end].decode("utf-8")
        if block.startswith(TASK_LIST[:-1]):
            blocks.append(_PLACEHOLDER.format(len(lists)))
            lists.append(_tasks(block))
        else:
            blocks.append(block)
        position = end
    tail = document[position : len(document) - len(b"</root>")].decode("utf-8")
    if tail.strip():
        blocks.append(tail)
    return blocks, lists


def _numeric_entities(storage: str) -> str:
    """Storage may use HTML's named entities (``&nbsp;``), which XML does not know."""

    def numeric(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in name2codepoint:
            return match.group(0)
        return f"&#{name2codepoint[name]};"

    return _ENTITY.sub(numeric, storage)


def _tasks(block: str) -> list[Task]:
    document = wrap(block).encode("utf-8")
    found = []
    for start, end in _top_level_spans(document, depth=2):
        raw = document[start:end].decode("utf-8")
        element = ET.fromstring(wrap(raw))[0]  # noqa: S314 (storage we parsed above)
        if element.tag != f"{_AC}task":
            continue
        body = element.find(f"{_AC}task-body")
        text = _SPACE.sub(" ", "".join(body.itertext()) if body is not None else "").strip()
        status = element.findtext(f"{_AC}task-status", "").strip()
        found.append(Task(raw, text, status == "complete"))
    return found


def _top_level_spans(document: bytes, *, depth: int) -> list[tuple[int, int]]:
    """Byte spans of the elements ``depth`` levels below the document root."""
    parser = expat.ParserCreate()
    spans: list[tuple[int, int]] = []
    level = 0
    start = 0

    def opened(name: str, attributes: object) -> None:
        nonlocal level, start
        level += 1
        if level == depth + 1:
            start = parser.CurrentByteIndex

    def closed(name: str) -> None:
        nonlocal level
        if level == depth + 1:
            index = parser.CurrentByteIndex
            # At an end tag the index is where "</" starts; at an empty element's end it is
            # the start of the element itself ("<br/>"), whose end is its first ">".
            end = document.index(b">", index) + 1
            spans.append((start, end))
        level -= 1

    parser.StartElementHandler = opened
    parser.EndElementHandler = closed
    try:
        parser.Parse(document, True)
    except expat.ExpatError as error:
        raise ValueError(f"the page body is not well-formed storage: {error}") from None
    return spans


def _normal(block: str) -> str:
    text = _SPACE.sub(" ", _EDITOR_ATTRIBUTES.sub("", block))
    return _AROUND_TAGS.sub(lambda m: m.group(0).strip(), text).strip()


def _is_token(block: str) -> bool:
    return block.startswith("\ue010")


def _summary(block: str) -> str:
    try:
        text = "".join(ET.fromstring(wrap(block)).itertext())  # noqa: S314
    except ET.ParseError:
        text = block
    text = _SPACE.sub(" ", text).strip()
    return text[:60] + ("..." if len(text) > 60 else "")
