"""Taking Graphviz away, as on a machine where neither pygraphviz nor ``dot`` is installed."""

from __future__ import annotations

import sys

import pytest


def remove_graphviz(monkeypatch: pytest.MonkeyPatch, *, keep_dot_program: bool = False) -> None:
    """Make ``import pygraphviz`` fail (as where no wheel fits) and, unless ``keep_dot_program``,
    hide any ``dot`` program from the PATH."""
    monkeypatch.setitem(sys.modules, "pygraphviz", None)
    if not keep_dot_program:
        monkeypatch.setenv("PATH", "/nonexistent")
