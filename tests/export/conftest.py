"""Fixtures shared with the resource tests: a contract-checked sandbox connection."""

from tests.resources.conftest import confluence, unpaced

__all__ = ["confluence", "unpaced"]
