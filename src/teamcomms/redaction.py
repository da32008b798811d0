"""Keep secrets out of everything teamcomms prints or logs.

Secrets are registered once, when settings read them from the environment or a keyring, and
every log record and error message passes through :func:`redact` before it is shown. The
``Authorization`` header value is registered as well as the raw token, because a Basic header
is the base64 of ``email:token`` and would not match the token text.
"""

from __future__ import annotations

import logging
import re

_secrets: set[str] = set()
_MASK = "****"
# Authorization headers as requests and urllib3 print them in debug logs.
_AUTH_HEADER = re.compile(
    r"(Authorization['\"]?\s*[:=]\s*['\"]?(?:Basic|Bearer)\s+)[A-Za-z0-9+/=._~-]+"
)


def register_secret(value: str | None) -> None:
    """Remember a secret so that it is masked wherever it would appear."""
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    """Return ``text`` with every registered secret and Authorization value masked."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return _AUTH_HEADER.sub(lambda m: m.group(1) + _MASK, text)


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output never contains a registered secret."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
