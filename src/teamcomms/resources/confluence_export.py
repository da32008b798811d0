"""Pages and content templates read from the site -> ``page`` and ``template`` definitions with
Markdown bodies, for ``teamcomms export``.

A body becomes Markdown that renders back to the same page (what Markdown cannot say stays a
```` ```storage ```` block; :mod:`teamcomms.render.markdown_export`), links between exported pages
become ``page:NAME``, a template's variables become ``{{ name }}``. A page or template without a
marker is exported with ``adopt: true``; one teamcomms owns keeps its definition's name, so its
marker still names it. A page another kind of definition makes (a workflow's explanation page, a
hire's welcome page) is left to that definition.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from teamcomms.engine.resource import Exported, ExportedDefinition, ExportNote
from teamcomms.render.markdown_export import MarkdownBody, NotStorage, storage_to_markdown
from teamcomms.render.storage_markdown import jinja_literal
from teamcomms.resources.confluence_marker import (
    TEMPLATE_DESCRIPTION_LIMIT,
    Marker,
    template_description,
)
from teamcomms.resources.confluence_state import CurrentPage, CurrentState, CurrentTemplate
from teamcomms.resources.marker_tag import strip_tag

_LABEL = re.compile(r"^[^\s!#&()*,.:;<>?@\[\]^'`A-Z]+$")


def export_pages(current: CurrentState) -> Exported:
    """A ``page`` definition per page of the spaces read (see the module docstring)."""
    notes: list[ExportNote] = []
    names = _names(
        ((p.id, p.title, p.marker.definition if p.marker else None) for p in current.pages()),
        "page",
    )
    for page in current.pages():
        if page.id not in names and page.marker is not None:
            notes.append(
                ExportNote(
                    _where_page(page),
                    f"made by {page.marker.definition}, which publishes it again: not exported "
                    "as a page",
                )
            )
    links = {(p.space, p.title): names[p.id] for p in current.pages() if p.id in names}
    definitions = []
    by_id = {p.id: p for p in current.pages()}
    for page in sorted(current.pages(), key=lambda p: (p.space, _depth(p, by_id), p.title)):
        if page.id not in names:
            continue
        name = names[page.id]
        folder = f"confluence/{page.space}"
        body_path = f"pages/{name}.md"
        try:
            body = storage_to_markdown(page.body, pages=links, space=page.space)
        except NotStorage as error:
            notes.append(ExportNote(_where_page(page), f"not exported: {error}"))
            continue
        notes.extend(_raw_notes(_where_page(page), body, f"{folder}/{body_path}"))
        document: dict[str, Any] = {"title": jinja_literal(page.title), "space": page.space}
        if page.parent_title is not None:
            document["parent"] = page.parent_title
        labels, refused = _labels(page.labels)
        if refused:
            notes.append(_refused_labels(_where_page(page), refused))
        if labels:
            document["labels"] = labels
        document["body"] = body_path
        if page.marker is None:
            document["adopt"] = True
        definitions.append(
            ExportedDefinition(
                "page",
                name,
                f"{folder}/pages.yaml",
                document,
                files={f"{folder}/{body_path}": body.markdown},
            )
        )
    return Exported(tuple(definitions), tuple(notes))


def export_templates(current: CurrentState) -> Exported:
    """A ``template`` definition (``confluence_template: true``) per content template."""
    templates = current.templates()
    names = _names(
        ((t.id, t.name, t.marker.definition if t.marker else None) for t in templates),
        "template",
    )
    definitions = []
    notes: list[ExportNote] = []
    for template in sorted(templates, key=lambda t: (t.space, t.name)):
        where = f"content template {template.name!r} in {template.space}"
        name = names.get(template.id)
        if name is None:
            owner = template.marker.definition if template.marker else "?"
            notes.append(ExportNote(where, f"not exported: its marker names {owner}"))
            continue
        folder = f"confluence/{template.space}"
        body_path = f"templates/{name}.md"
        try:
            body = storage_to_markdown(template.body, space=template.space, template=True)
        except NotStorage as error:
            notes.append(ExportNote(where, f"not exported: {error}"))
            continue
        notes.extend(_raw_notes(where, body, f"{folder}/{body_path}"))
        document = _template_document(template, body, body_path, notes, where)
        _shortened(name, document.get("description", ""), notes, where)
        definitions.append(
            ExportedDefinition(
                "template",
                name,
                f"{folder}/templates.yaml",
                document,
                files={f"{folder}/{body_path}": body.markdown},
            )
        )
    return Exported(tuple(definitions), tuple(notes))


def _template_document(
    template: CurrentTemplate,
    body: MarkdownBody,
    body_path: str,
    notes: list[ExportNote],
    where: str,
) -> dict[str, Any]:
    document: dict[str, Any] = {"title": jinja_literal(template.name), "space": template.space}
    description = " ".join(strip_tag(template.description).split())
    if description:
        document["description"] = description
    labels, refused = _labels(template.labels)
    if refused:
        notes.append(_refused_labels(where, refused))
    if labels:
        document["labels"] = labels
    document["body"] = body_path
    if body.variables:
        document["variables"] = {name: {} for name in body.variables}
    document["confluence_template"] = True
    if template.marker is None:
        document["adopt"] = True
    return document


def _shortened(name: str, description: str, notes: list[ExportNote], where: str) -> None:
    """A note when the marker will not fit beside the description: Confluence keeps at most
    100 characters of a template's description, so writing the marker shortens it."""
    marked = template_description(description, Marker(f"template/{name}", "0" * 64))
    if strip_tag(marked) != description:
        notes.append(
            ExportNote(
                where,
                "its description is too long to hold teamcomms' marker beside it within "
                f"Confluence's {TEMPLATE_DESCRIPTION_LIMIT} characters: the first apply shortens "
                f"it to {strip_tag(marked)!r}",
            )
        )


def _names(objects: Iterable[tuple[str, str, str | None]], kind: str) -> dict[str, str]:
    """A definition name per object id: the one its marker names when it is a ``kind``
    definition, else a name made from its title, unique among them all. Objects whose marker
    names another kind get none."""
    objects = list(objects)
    names: dict[str, str] = {}
    taken: set[str] = set()
    for object_id, _, owner in objects:
        owner_kind, _, owned_name = (owner or "").partition("/")
        if owner_kind == kind and owned_name:
            names[object_id] = owned_name
            taken.add(owned_name)
    for object_id, title, owner in objects:
        if owner is not None:
            continue
        base = slug(title) or kind
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        names[object_id] = name
        taken.add(name)
    return names


def slug(title: str) -> str:
    """A definition name from a title: lowercase ASCII letters, digits and dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")


def _labels(labels: Iterable[str]) -> tuple[list[str], list[str]]:
    kept = sorted({label for label in labels if _LABEL.match(label)})
    return kept, sorted(set(labels) - set(kept))


def _refused_labels(where: str, refused: list[str]) -> ExportNote:
    return ExportNote(
        where,
        f"labels {', '.join(refused)} are not ones a definition may hold; a plan would remove them",
    )


def _raw_notes(where: str, body: MarkdownBody, path: str) -> list[ExportNote]:
    return [
        ExportNote(where, f"kept as storage: {', '.join(raw.what)}", f"{path}:{raw.line}")
        for raw in body.raw
    ]


def _where_page(page: CurrentPage) -> str:
    return f"page {page.title!r} in {page.space}"


def _depth(page: CurrentPage, by_id: Mapping[str, CurrentPage]) -> int:
    depth, seen = 0, {page.id}
    while page.parent_id in by_id and page.parent_id not in seen:
        page = by_id[page.parent_id or ""]
        seen.add(page.id)
        depth += 1
    return depth
