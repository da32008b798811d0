"""Image files a page shows: found next to the Markdown, inside the project, uploaded as is."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from teamcomms.render import urls

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp")
MAX_IMAGE_BYTES = 100 * 1024 * 1024
"""Confluence's default maximum attachment size (admins may lower it); every image is read into
memory to be uploaded, so a larger file is refused before that."""


@dataclass(frozen=True)
class LocalImage:
    """An image file to upload as an attachment."""

    path: Path
    media_type: str


@dataclass(frozen=True)
class ImageProblem:
    """Why an image address names no file that may be uploaded."""

    message: str
    hint: str


def local_image(
    src: str, markdown_file: Path, root: Path, has_scheme: bool
) -> LocalImage | ImageProblem:
    """The image file ``src`` (relative to ``markdown_file``) names, or why it cannot be used.

    The file must resolve, after following symlinks, inside ``root`` (the project folder): it
    is uploaded, so ``../../.ssh/id_rsa.png`` or a link pointing out must never be read.
    Confinement is checked before existence, so a page cannot probe for files elsewhere. A path
    the system cannot read (a NUL byte, a name too long, a symlink loop) is "not an image file".
    """
    shown = urls.printable(src)
    written = markdown_file.parent / unquote(urls.cleaned(src))
    try:
        path = written.resolve()
        outside = not path.is_relative_to(root.resolve())
        is_file = not outside and path.is_file()
        size = path.stat().st_size if is_file else 0
    except (OSError, ValueError, RuntimeError):
        outside, is_file, path, size = False, False, written, 0
    media_type = mimetypes.guess_type(path.name)[0] or ""
    if outside and not has_scheme:
        return ImageProblem(
            f"image `{shown}` is outside the project folder",
            f"copy the image into {root} (images are uploaded as attachments), or use an "
            "https:// URL",
        )
    if has_scheme or media_type not in IMAGE_TYPES or not is_file:
        return ImageProblem(
            f"image `{shown}` is not an image file next to the Markdown",
            f"put a PNG, JPEG, GIF, SVG or WebP file at {path} (paths are relative to the "
            "Markdown file), or use an https:// URL",
        )
    if size > MAX_IMAGE_BYTES:
        return ImageProblem(
            f"image `{shown}` is {size:,} bytes; attachments may be at most {MAX_IMAGE_BYTES:,}",
            "make the image smaller, or link to it with an https:// URL",
        )
    return LocalImage(path, media_type)
