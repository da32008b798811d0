"""Keep secrets out of everything teamcomms prints, logs or saves.

Secrets are registered once, when settings read them from the environment, a keyring or the
sandbox, and everything shown passes through :func:`redact`: the consoles (messages, plans, JSON,
tracebacks), the ``--debug`` log formatter, crash logs, and saved plans (:func:`redact_data`).

A secret is masked in every form it can take on the way out: as is, URL-encoded, JSON-escaped,
split across lines (a wrapped traceback or a folded header), and inside any base64 text that
decodes to something containing it (``Basic base64(email:token)``, whatever the email).
Authorization header values and passwords in URLs are masked even when never registered,
because a site may echo back a header teamcomms did not build itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

MASK = "****"
# Shorter values are not secrets worth the false positives of masking them everywhere.
_MIN_SECRET = 4

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None

# Between two characters of a secret: a line break and what starts the next line of a wrapped
# traceback, a folded header (RFC 5322) or a quoted reply, or the same as JSON escapes.
_LINE_BREAK = r"(?:(?:\r?\n|\\r\\n|\\n)[ \t>|│]*)?"
# Characters of a credential as headers, URLs and JSON carry it: base64 (both alphabets), the
# punctuation Atlassian tokens use, percent-escapes and JSON's escaped slash.
_CREDENTIAL = r"(?:[A-Za-z0-9+/=._~-]|%[0-9A-Fa-f]{2}|\\/)+"
_AUTH_HEADER = re.compile(
    r"(authorization[\"']?\s*(?::|=|%3A)\s*[\"']?(?:%20|\+|\s)*(?:basic|bearer)(?:%20|\+|\s)+)"
    + _CREDENTIAL,
    re.IGNORECASE,
)
# ``Basic …`` or ``Bearer …`` without the header name, as a site's error message may quote it.
# Only values that look like credentials (long, with a digit), so that prose such as "Basic
# authentication" is left alone.
_BARE_SCHEME = re.compile(
    r"\b((?:basic|bearer)\s+)(?=[A-Za-z0-9+/=._~-]*\d)([A-Za-z0-9+/=._~-]{16,})", re.IGNORECASE
)
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^\s/@:]*:)([^\s/@]+)(@)", re.IGNORECASE)
# Runs that may be base64 (standard or URL-safe alphabet). 16 characters encode 12 bytes: the
# shortest ``email:token`` worth decoding.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")

_ENVIRONMENT_SECRETS = ("TEAMCOMMS_API_TOKEN", "TEAMCOMMS_PAT")


def register_secret(value: str | None) -> None:
    """Remember a secret so that it is masked wherever it would appear."""
    global _pattern
    if not value or len(value) < _MIN_SECRET:
        return
    with _lock:
        if value not in _secrets:
            _secrets.add(value)
            _pattern = None


def register_environment_secrets(env: Mapping[str, str]) -> None:
    """Register the secrets teamcomms reads from the environment, before anything runs.

    Settings register them again when they read them; doing it at start-up covers a crash or a
    message that comes before the settings are read.
    """
    email = env.get("TEAMCOMMS_EMAIL", "").strip()
    for name in _ENVIRONMENT_SECRETS:
        secret = env.get(name, "").strip()
        register_secret(secret)
        if secret and email and name == "TEAMCOMMS_API_TOKEN":
            register_secret(base64.b64encode(f"{email}:{secret}".encode()).decode("ascii"))


def redact(text: str) -> str:
    """Return ``text`` with every known secret, Authorization value and URL password masked."""
    pattern, secrets = _compiled()
    if pattern is not None:
        text = pattern.sub(MASK, text)
        text = _BASE64_RUN.sub(lambda match: _mask_encoded(match, secrets), text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
    text = _BARE_SCHEME.sub(lambda m: m.group(1) + MASK, text)
    return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)


def redact_data(value: Any) -> Any:
    """``value`` (JSON-like: dicts, lists, tuples, strings, numbers) with :func:`redact` applied
    to every string in it, keys included. For saved plans and other documents written to disk."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {redact_data(key): redact_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_data(item) for item in value)
    return value


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output never contains a registered secret (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _variants(secret: str) -> set[str]:
    """The forms a secret takes when it is URL-encoded (in a query, or in a path, which keeps
    its slashes) or JSON-escaped (with or without escaped slashes)."""
    escaped = json.dumps(secret)[1:-1]
    return {
        secret,
        quote(secret, safe=""),
        quote(secret, safe="/"),
        escaped,
        escaped.replace("/", "\\/"),
    }


def _compiled() -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One pattern for every form of every registered secret, and the secrets themselves."""
    global _pattern
    with _lock:
        if _pattern is None and _secrets:
            forms = {form for secret in _secrets for form in _variants(secret)}
            alternatives = [
                _LINE_BREAK.join(re.escape(char) for char in form)
                for form in sorted(forms, key=len, reverse=True)
            ]
            _pattern = re.compile("|".join(alternatives))
        return _pattern, tuple(_secrets)


def _mask_encoded(match: re.Match[str], secrets: tuple[str, ...]) -> str:
    """The run masked when it is base64 of anything that contains a registered secret.

    The run may start with characters that belong to the text before the encoded part (a
    URL-safe run takes in ``-`` and ``_``), so each of the four alignments is tried.
    """
    run = match.group(0)
    for start in range(4):
        decoded = _decode_base64(run[start:])
        if decoded and any(secret in decoded for secret in secrets):
            return MASK
    return run


def _decode_base64(run: str) -> str | None:
    body = run.rstrip("=")
    padded = body + "=" * (-len(body) % 4)
    try:
        if "-" in body or "_" in body:
            raw = base64.urlsafe_b64decode(padded)
        else:
            raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.decode("utf-8", "replace")
