"""Drawing DOT text as SVG, PNG or PDF with Graphviz.

Decision: the drawing comes from ``pygraphviz``, a dependency whose wheels bundle Graphviz's
libraries with the dot layout and the cairo (PNG, PDF) and core (SVG) renderers, so ``pip install
teamcomms`` alone draws diagrams on a machine without Graphviz. Where pygraphviz cannot be
imported (a platform without a wheel where building it failed), the system ``dot`` program is the
fallback. Neither present raises :class:`GraphvizMissing`; a drawing Graphviz refuses raises
:class:`DiagramFailed`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib.util import find_spec
from typing import Literal

from teamcomms.errors import ConfigError, OperationFailed

ImageFormat = Literal["svg", "png", "pdf"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("svg", "png", "pdf")
INSTALL_HINT = (
    "reinstall teamcomms so that its `pygraphviz` dependency is installed "
    "(`pip install --force-reinstall teamcomms`), or install Graphviz (Debian/Ubuntu: "
    "`sudo apt-get install graphviz`, macOS: `brew install graphviz`, Windows: "
    "`winget install graphviz`); --format mermaid or dot need neither"
)

log = logging.getLogger(__name__)
# Graphviz keeps global state (its error buffer, fontconfig's cache) that is not safe to share
# between threads drawing at once; drawings are milliseconds, so one at a time.
_DRAWING = threading.Lock()


class GraphvizMissing(ConfigError):
    """An image was asked for but neither pygraphviz nor the Graphviz ``dot`` program is there."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz is not available: pygraphviz cannot be imported and there is no `dot` "
            "program on the PATH",
            hint=INSTALL_HINT,
        )


class DiagramFailed(OperationFailed):
    """Graphviz refused to draw the DOT text it was given."""

    def __init__(self, message: str) -> None:
        super().__init__(
            f"Graphviz could not draw the diagram: {message}",
            hint="run `teamcomms diagram WORKFLOW --format dot` and check the DOT text",
        )


def graphviz_backend() -> Literal["pygraphviz", "dot"] | None:
    """Which Graphviz would draw: the bundled library, the system ``dot`` program, or none."""
    if find_spec("pygraphviz") is not None:
        return "pygraphviz"
    return "dot" if shutil.which("dot") is not None else None


def graphviz_available() -> bool:
    """Whether images can be drawn at all."""
    return graphviz_backend() is not None


def draw(dot: str, fmt: ImageFormat) -> bytes:
    """``dot`` drawn by Graphviz in ``fmt``."""
    try:
        import pygraphviz  # noqa: F401 (only whether it loads)
    except ImportError as error:
        log.debug("pygraphviz is not usable (%s); trying the dot program", error)
    else:
        return _draw_in_process(dot, fmt)
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing()
    return _draw_with_program(program, dot, fmt)


def _draw_in_process(dot: str, fmt: ImageFormat) -> bytes:
    import pygraphviz

    data: object = None
    failure: str | None = None
    with _DRAWING, _stderr_captured() as captured:
        try:
            data = pygraphviz.AGraph(string=dot).draw(format=fmt, prog="dot")
        except (ValueError, TypeError) as error:  # pygraphviz answers a bad format with TypeError
            failure = str(error)
    said = captured.text()
    if said:
        log.debug("Graphviz said: %s", said)
    if failure is not None or not isinstance(data, bytes) or not data:
        errors = [line for line in said.splitlines() if line.startswith("Error")]
        raise DiagramFailed("; ".join(errors) or failure or "it produced no output")
    return data


def _draw_with_program(program: str, dot: str, fmt: ImageFormat) -> bytes:
    result = subprocess.run(
        [program, f"-T{fmt}"], input=dot.encode(), capture_output=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise DiagramFailed(result.stderr.decode(errors="replace").strip())
    return result.stdout


class _Captured:
    def __init__(self) -> None:
        self.data = b""

    def text(self) -> str:
        return self.data.decode(errors="replace").strip()


@contextmanager
def _stderr_captured() -> Iterator[_Captured]:
    """What C code writes to file descriptor 2 meanwhile, kept instead of shown.

    Graphviz reports problems by writing to stderr itself, and the fontconfig bundled in the
    wheel warns there about newer system font configuration ("unknown element reset-dirs") on
    first use: noise on a user's terminal that says nothing about the diagram. It goes to the
    debug log instead, and Graphviz's ``Error:`` lines into the exception.
    """
    captured = _Captured()
    with suppress(AttributeError, OSError, ValueError):
        sys.stderr.flush()  # what Python wrote before belongs on the terminal, not in the sink
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (a windowed process): nothing to keep out of sight
        yield captured
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.data = sink.read()
