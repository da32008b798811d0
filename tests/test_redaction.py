"""Secrets never reach the debug log, even when a library prints them in a form not registered."""

from __future__ import annotations

import logging

import pytest

from teamcomms import console
from teamcomms.redaction import redact, register_secret
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    "line",
    [
        "send: {'Authorization': 'Basic YWRhOnRvay11bnJlZ2lzdGVyZWQ='}",
        'headers={"Authorization": "Bearer pat.unregistered-123"}',
        "Authorization: Bearer pat.unregistered-123",
    ],
)
def test_an_authorization_value_is_masked_even_if_it_was_never_registered(line: str) -> None:
    masked = redact(line)
    assert "unregistered" not in masked
    assert "YWRhOnRvay11bnJlZ2lzdGVyZWQ=" not in masked
    assert "Authorization" in masked and "****" in masked


@pytest.mark.usefixtures("debug_logging_undone")
def test_the_debug_log_masks_a_registered_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(console.settings, "debug", console.settings.debug)
    monkeypatch.setattr(console.settings, "no_color", console.settings.no_color)
    register_secret("tok-debug-log-271828")
    console.configure(no_color=True, debug=True)
    [handler] = root.handlers
    record = logging.LogRecord(
        "teamcomms.site",
        logging.DEBUG,
        __file__,
        1,
        "retrying with %s",
        ("tok-debug-log-271828",),
        None,
    )
    assert handler.format(record) == "DEBUG teamcomms.site: retrying with ****"
