"""Every file a project names must be inside the project folder, after following symlinks.

A body's text is published to Confluence and an image is uploaded, so a path such as
``../../.ssh/id_rsa``, ``/etc/passwd`` or a symlink that points out of the project would publish
a file nobody meant to share. Paths are compared once both are fully resolved: ``..`` and
symlinks (of the file and of every folder on the way) are followed first.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from teamcomms.definitions.common import ConfluenceContent
from teamcomms.definitions.yaml_source import display_name, read_text, real_path
from teamcomms.errors import DefinitionError, Problem

OUTSIDE_HINT = (
    "move the file into the project folder (beside teamcomms.yaml): teamcomms publishes what "
    "it reads, so it reads no file outside the project"
)


def project_folder(root: Path) -> Path:
    """The folder files must stay in: ``root`` itself, or its folder when ``root`` is a file
    (a definition file validated on its own, without a project file)."""
    return root if root.is_dir() else root.parent


def outside_reason(path: Path, root: Path) -> str | None:
    """Why ``path`` is not inside the project ``root``, or ``None`` when it is."""
    folder = project_folder(root)
    if real_path(path).is_relative_to(real_path(folder)):
        return None
    written = Path(os.path.normpath(path.absolute()))
    if written.is_relative_to(Path(os.path.normpath(folder.absolute()))):
        return "is a link to a file outside the project folder"
    return "is outside the project folder"


def read_body(definition: ConfluenceContent, root: Path) -> str:
    """The Markdown body of a page or template, read only from inside the project ``root``.

    ``validate`` reports the same problems first; this is the last guard before a body's text
    is rendered and published. Raises :class:`DefinitionError` at the ``body:`` key.
    """
    reason = outside_reason(definition.body, root)
    if reason is not None:
        where = definition.source.at("body")
        problem = Problem(
            display_name(where.file),
            where.line,
            where.column,
            f"body '{os.path.relpath(definition.body, where.file.parent)}' {reason}",
            definition=definition.label,
            path="body",
            hint=OUTSIDE_HINT,
        )
        raise DefinitionError([problem])
    text, problems = read_text(definition.body, display_name(definition.body), "body file")
    if text is None:
        raise DefinitionError([replace(p, definition=definition.label) for p in problems])
    return text
