"""The Confluence page that lists a glossary's terms: a table of term, plain words and notes.

Where the page goes (space, parent, title) comes from the glossary's ``page:`` block; the
publisher files it like any other managed page. Every value is escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from teamcomms.render import xml
from teamcomms.render.model import RenderedPage

if TYPE_CHECKING:
    from teamcomms.definitions.kinds.glossary import GlossaryDefinition

DEFAULT_TITLE = "Glossary"


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def glossary_storage(glossary: GlossaryDefinition) -> str:
    """The glossary as storage XHTML: an introduction, the terms table and the known names."""
    parts = []
    if glossary.description:
        parts.append(f"<p>{xml.text(glossary.description)}</p>")
    if glossary.terms:
        head = "".join(f"<th>{name}</th>" for name in ("Term", "Write instead", "Notes"))
        rows = []
        for entry in sorted(glossary.terms, key=lambda e: e.term.casefold()):
            term = xml.text(entry.term)
            if entry.aliases:
                term += " <em>(also " + xml.text(", ".join(entry.aliases)) + ")</em>"
            plain = xml.text(entry.plain)
            if not entry.allowed_once_spelled_out:
                plain += " <em>(always)</em>"
            rows.append(_row(f"<strong>{term}</strong>", plain, xml.text(entry.notes)))
        parts.append(f"<table><tbody><tr>{head}</tr>{''.join(rows)}</tbody></table>")
        parts.append(
            "<p>Spell a term out the first time a page uses it, as in "
            "<em>average order value (AOV)</em>; after that the short form is fine. Terms marked "
            "<em>(always)</em> are never used: write the plain words.</p>"
        )
    if glossary.known:
        names = ", ".join(xml.text(name) for name in sorted(glossary.known))
        parts.append(f"<p>Names everyone knows, used as they are: {names}.</p>")
    return "\n".join(parts)


def glossary_page(glossary: GlossaryDefinition, default_space: str | None = None) -> RenderedPage:
    """The glossary's page; without a ``page:`` block it goes to ``default_space``."""
    page = glossary.page
    return RenderedPage(
        title=page.title if page else DEFAULT_TITLE,
        storage=glossary_storage(glossary),
        definition=glossary.identity,
        space=page.space if page else default_space,
        parent=page.parent if page else None,
        labels=tuple(page.labels) if page else ("glossary",),
    )
