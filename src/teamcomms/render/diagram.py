"""Workflow diagrams: Mermaid and Graphviz DOT text, and SVG, PNG and PDF drawn by Graphviz.

Statuses are boxes coloured like Jira's status categories (grey to do, blue in progress, green
done); a filled dot points at the initial status; transitions are labelled arrows. A transition
``from: any`` is drawn as a dashed arrow from a dashed "Any status" box.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Literal, Protocol, TypeVar

from teamcomms.errors import UsageError
from teamcomms.render.graphviz import draw

DiagramFormat = Literal["mermaid", "dot", "svg", "png", "pdf"]
FORMATS: tuple[DiagramFormat, ...] = ("mermaid", "dot", "svg", "png", "pdf")
FILE_EXTENSIONS: dict[str, DiagramFormat] = {
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
}

# Jira's status-category colours: (fill, border, text).
CATEGORY_COLOURS = {
    "todo": ("#DFE1E6", "#42526E", "#172B4D"),
    "in_progress": ("#DEEBFF", "#0052CC", "#0747A6"),
    "done": ("#E3FCEF", "#00875A", "#006644"),
}
CATEGORY_LABELS = {"todo": "To do", "in_progress": "In progress", "done": "Done"}
ANY_STATUS = "Any status"


class StatusLike(Protocol):
    """What the diagrams read from a workflow status."""

    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def description(self) -> str: ...


class TransitionLike(Protocol):
    """What the diagrams read from a transition; ``sources`` is ``None`` for ``from: any``."""

    @property
    def name(self) -> str: ...
    @property
    def sources(self) -> Sequence[str] | None: ...
    @property
    def to(self) -> str: ...
    @property
    def description(self) -> str: ...


class WorkflowLike(Protocol):
    """What the diagrams and the workflow page read from a workflow definition."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def statuses(self) -> Sequence[StatusLike]: ...
    @property
    def initial(self) -> str: ...
    @property
    def transitions(self) -> Sequence[TransitionLike]: ...


WorkflowT = TypeVar("WorkflowT", bound=WorkflowLike)


def _ids(workflow: WorkflowLike) -> dict[str, str]:
    return {status.name: f"s{index}" for index, status in enumerate(workflow.statuses)}


def _mermaid_label(text: str) -> str:
    text = " ".join(text.split())
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return f'"{text}"'


def to_mermaid(workflow: WorkflowLike) -> str:
    """The workflow as a Mermaid flowchart."""
    ids = _ids(workflow)
    lines = ["flowchart TD", '    start((" ")):::start']
    for status in workflow.statuses:
        lines.append(f"    {ids[status.name]}[{_mermaid_label(status.name)}]:::{status.category}")
    if any(t.sources is None for t in workflow.transitions):
        lines.append(f"    any_status[{_mermaid_label(ANY_STATUS)}]:::any")
    if workflow.initial in ids:
        lines.append(f"    start --> {ids[workflow.initial]}")
    for transition in workflow.transitions:
        label = _mermaid_label(transition.name)
        target = ids.get(transition.to)
        if target is None:
            continue
        if transition.sources is None:
            lines.append(f"    any_status -.->|{label}| {target}")
            continue
        lines.extend(
            f"    {ids[source]} -->|{label}| {target}"
            for source in transition.sources
            if source in ids
        )
    for category, (fill, stroke, colour) in CATEGORY_COLOURS.items():
        lines.append(f"    classDef {category} fill:{fill},stroke:{stroke},color:{colour}")
    lines.append("    classDef any fill:#FFFFFF,stroke:#6B778C,stroke-dasharray:5 5,color:#42526E")
    lines.append("    classDef start fill:#172B4D,stroke:#172B4D")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(workflow: WorkflowLike) -> str:
    """The workflow as a Graphviz DOT digraph."""
    ids = _ids(workflow)
    font = 'fontname="Helvetica"'
    lines = [
        f"digraph {_dot_string(workflow.name)} {{",
        f"    graph [rankdir=TB, {font}, label={_dot_string(workflow.name)}, labelloc=t];",
        f'    node [shape=box, style="rounded,filled", {font}, fontsize=12];',
        f'    edge [{font}, fontsize=10, color="#42526E"];',
        '    start [shape=circle, label="", width=0.18, style=filled, fillcolor="#172B4D"];',
    ]
    for status in workflow.statuses:
        fill, stroke, colour = CATEGORY_COLOURS.get(status.category, CATEGORY_COLOURS["todo"])
        lines.append(
            f'    {ids[status.name]} [label={_dot_string(status.name)}, fillcolor="{fill}", '
            f'color="{stroke}", fontcolor="{colour}"];'
        )
    if any(t.sources is None for t in workflow.transitions):
        lines.append(
            f'    any [label={_dot_string(ANY_STATUS)}, style="rounded,dashed", '
            'color="#6B778C", fontcolor="#42526E"];'
        )
    if workflow.initial in ids:
        lines.append(f"    start -> {ids[workflow.initial]};")
    for transition in workflow.transitions:
        target = ids.get(transition.to)
        if target is None:
            continue
        label = _dot_string(transition.name)
        if transition.sources is None:
            lines.append(f"    any -> {target} [label={label}, style=dashed];")
            continue
        lines.extend(
            f"    {ids[source]} -> {target} [label={label}];"
            for source in transition.sources
            if source in ids
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def workflow_diagram(workflow: WorkflowLike, fmt: DiagramFormat = "mermaid") -> str | bytes:
    """The workflow's diagram: text for ``mermaid`` and ``dot``, bytes for ``svg``, ``png`` and
    ``pdf`` (drawn by Graphviz, :mod:`teamcomms.render.graphviz`)."""
    if fmt == "mermaid":
        return to_mermaid(workflow)
    if fmt == "dot":
        return to_dot(workflow)
    return draw(to_dot(workflow), fmt)


def format_for_file(path: PurePath) -> DiagramFormat | None:
    """The format a file name asks for by its extension (``.svg``, ``.mmd``...), if any."""
    return FILE_EXTENSIONS.get(path.suffix.lower())


def slug(text: str) -> str:
    """A file-name-safe form of ``text``: ``Order Fulfillment`` gives ``order-fulfillment``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "workflow"


def find_workflow(workflows: Sequence[WorkflowT], name: str) -> WorkflowT:
    """The workflow called ``name``, ignoring case, or written as its slug (``order-fulfillment``).

    Raises :class:`~teamcomms.errors.UsageError` naming the closest workflow and listing them all.
    """
    wanted = slug(name)
    for workflow in workflows:
        if slug(workflow.name) == wanted:
            return workflow
    names = [w.name for w in workflows]
    by_slug = {slug(n): n for n in names}
    close = difflib.get_close_matches(wanted, list(by_slug), n=1, cutoff=0.6)
    close = close or [key for key in by_slug if wanted in key][:1]
    guess = f": did you mean '{by_slug[close[0]]}'?" if close else ""
    raise UsageError(
        f"no workflow named {name!r}{guess}",
        hint=f"workflows defined: {', '.join(names)}" if names else "this project has no workflows",
    )
