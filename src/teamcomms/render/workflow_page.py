"""The Confluence page that explains a workflow to the team.

Decision: the diagram is a PNG attachment drawn by Graphviz (PNG shows in every Confluence
version and in the preview), which comes with teamcomms (:mod:`teamcomms.render.graphviz`). If it
still cannot be drawn, the page renders without the image: a note says so and the Mermaid source
follows in a code macro, and the rendered page carries a warning saying why, which ``render``,
``plan`` and ``apply`` show for that page, so such a page is never published unnoticed.
"""

from __future__ import annotations

from typing import Literal

from teamcomms.render import xml
from teamcomms.render.diagram import (
    ANY_STATUS,
    CATEGORY_LABELS,
    WorkflowLike,
    slug,
    to_dot,
    to_mermaid,
)
from teamcomms.render.graphviz import DiagramFailed, GraphvizMissing, draw
from teamcomms.render.model import Attachment, RenderedPage

ImageFormat = Literal["png", "svg"]
_LOZENGE = {"todo": "Grey", "in_progress": "Blue", "done": "Green"}
_MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


def workflow_page_title(workflow: WorkflowLike) -> str:
    """``How the Order Fulfillment workflow works``."""
    return f"How the {workflow.name} workflow works"


def _lozenge(category: str) -> str:
    colour = _LOZENGE.get(category, "Grey")
    title = xml.text(CATEGORY_LABELS.get(category, category))
    return (
        '<ac:structured-macro ac:name="status" ac:schema-version="1">'
        f'<ac:parameter ac:name="colour">{colour}</ac:parameter>'
        f'<ac:parameter ac:name="title">{title}</ac:parameter></ac:structured-macro>'
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{xml.text(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tbody><tr>{head}</tr>{body}</tbody></table>"


def _diagram(
    workflow: WorkflowLike, image: ImageFormat | None
) -> tuple[str, tuple[Attachment, ...]]:
    if image is not None:
        filename = f"{slug(workflow.name)}-workflow.{image}"
        data = draw(to_dot(workflow), image)
        attachment = Attachment(filename, _MEDIA[image], data=data)
        alt = xml.attribute(f"Diagram of the {workflow.name} workflow")
        return (
            f'<ac:image ac:alt="{alt}"><ri:attachment ri:filename="{xml.attribute(filename)}"/>'
            "</ac:image>",
            (attachment,),
        )
    note = (
        '<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>'
        "The diagram image could not be drawn where this page was rendered (teamcomms draws it "
        "with Graphviz). The Mermaid source of the diagram follows."
        "</p></ac:rich-text-body></ac:structured-macro>"
    )
    code = (
        '<ac:structured-macro ac:name="code" ac:schema-version="1">'
        '<ac:parameter ac:name="language">text</ac:parameter>'
        f"<ac:plain-text-body>{xml.cdata(to_mermaid(workflow))}</ac:plain-text-body>"
        "</ac:structured-macro>"
    )
    return note + code, ()


def workflow_page(
    workflow: WorkflowLike, *, image: ImageFormat | Literal["auto"] | None = "auto"
) -> RenderedPage:
    """The explanation page: description, diagram, a table of statuses and one of transitions.

    ``image="auto"`` attaches a PNG, or, when Graphviz cannot draw it, shows the Mermaid source
    and says why in the page's ``warnings``. An explicit format raises instead; ``None`` shows
    the Mermaid source without a warning.
    """
    warnings: tuple[str, ...] = ()
    if image == "auto":
        try:
            diagram, attachments = _diagram(workflow, "png")
        except (GraphvizMissing, DiagramFailed) as error:
            diagram, attachments = _diagram(workflow, None)
            hint = f" (hint: {error.hint})" if error.hint else ""
            warnings = (
                "the diagram was not drawn, the page shows its Mermaid source: "
                f"{error.message}{hint}",
            )
    else:
        diagram, attachments = _diagram(workflow, image)
    parts = []
    if workflow.description:
        parts.append(f"<p>{xml.text(workflow.description)}</p>")
    parts.append(
        f"<p>Every issue starts in <strong>{xml.text(workflow.initial)}</strong>. Grey statuses "
        "are to do, blue ones in progress and green ones done. Dashed arrows are transitions "
        f"available from any status.</p>"
    )
    parts.append("<h2>Diagram</h2>" + diagram)
    status_rows = [
        [f"<strong>{xml.text(s.name)}</strong>", _lozenge(s.category), xml.text(s.description)]
        for s in workflow.statuses
    ]
    parts.append("<h2>Statuses</h2>" + _table(["Status", "Category", "Meaning"], status_rows))
    transition_rows = [
        [
            f"<strong>{xml.text(t.name)}</strong>",
            xml.text(ANY_STATUS if t.sources is None else ", ".join(t.sources)),
            xml.text(t.to),
            xml.text(t.description),
        ]
        for t in workflow.transitions
    ]
    parts.append(
        "<h2>Transitions</h2>" + _table(["Transition", "From", "To", "When"], transition_rows)
    )
    return RenderedPage(
        title=workflow_page_title(workflow),
        storage="\n".join(parts),
        attachments=attachments,
        definition=f"workflow/{workflow.name}",
        warnings=warnings,
    )
