"""Keep secrets out of everything teamcomms prints, logs or saves.

Secrets are registered once, when settings read them from the environment, a keyring or the
sandbox, and everything shown passes through :func:`redact`: the consoles (messages, plans, JSON,
tracebacks), the ``--debug`` log formatter, crash logs, and saved plans (:func:`redact_data`).

A secret is masked in every form it can take on the way out: as is, URL-encoded, JSON-escaped,
split across lines (a wrapped traceback or a folded header), and inside any base64 text that
decodes to something containing it (``Basic base64(email:token)``, whatever the email): base64
of anything that contains a secret contains one of three strings that depend on the secret alone
(one per alignment of the secret in the 3-byte groups), so the whole base64 run around any of
them is masked without decoding anything.
Authorization header values and passwords in URLs are masked even when never registered,
because a site may echo back a header teamcomms did not build itself.
"""

from __future__ import annotations

import base64
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
_patterns: tuple[re.Pattern[str], re.Pattern[str] | None] | None = None

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
# Anchored on "://" (the scheme before it stays as it is), which keeps the scan fast.
_URL_PASSWORD = re.compile(r"(://[^\s/@:]*:)([^\s/@]+)(@)")
# Characters of a base64 run (standard or URL-safe alphabet) around the part that encodes a
# secret; the whole run is masked.
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")
# The part of a secret's base64 that depends on the secret alone is shorter than this only for
# very short secrets, whose cores would match ordinary long words.
_MIN_CORE = 8

_ENVIRONMENT_SECRETS = ("TEAMCOMMS_API_TOKEN", "TEAMCOMMS_PAT")


def register_secret(value: str | None) -> None:
    """Remember a secret so that it is masked wherever it would appear."""
    global _patterns
    if not value or len(value) < _MIN_SECRET:
        return
    with _lock:
        if value not in _secrets:
            _secrets.add(value)
            _patterns = None


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
    patterns = _compiled()
    if patterns is not None:
        forms, encoded = patterns
        text = forms.sub(MASK, text)
        if encoded is not None:
            text = _mask_base64_runs(text, encoded)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
    text = _BARE_SCHEME.sub(lambda m: m.group(1) + MASK, text)
    if "@" in text:
        text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return text


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


def _base64_cores(secret: str) -> set[str]:
    """What base64 of any text containing ``secret`` must contain, in both alphabets.

    Wherever the secret starts, one of its first three bytes starts a 3-byte group; from there,
    every whole group of the secret encodes to the same four characters whatever surrounds it.
    """
    raw = secret.encode()
    cores = set()
    for skip in range(3):
        whole = (len(raw) - skip) // 3 * 3
        core = base64.b64encode(raw[skip : skip + whole]).decode("ascii")
        if len(core) >= _MIN_CORE:
            cores |= {core, core.replace("+", "-").replace("/", "_")}
    return cores


def _compiled() -> tuple[re.Pattern[str], re.Pattern[str] | None] | None:
    """One pattern for every form of every registered secret, and one for base64 runs that
    encode any of them; None while nothing is registered."""
    global _patterns
    with _lock:
        if _patterns is None and _secrets:
            forms = {form for secret in _secrets for form in _variants(secret)}
            alternatives = [
                _LINE_BREAK.join(re.escape(char) for char in form)
                for form in sorted(forms, key=len, reverse=True)
            ]
            cores = sorted({core for secret in _secrets for core in _base64_cores(secret)})
            encoded = re.compile("|".join(map(re.escape, cores))) if cores else None
            _patterns = (re.compile("|".join(alternatives)), encoded)
        return _patterns


def _mask_base64_runs(text: str, cores: re.Pattern[str]) -> str:
    """``text`` with every base64 run that holds one of ``cores`` masked whole."""
    pieces: list[str] = []
    done = 0
    for hit in cores.finditer(text):
        if hit.start() < done:  # inside a run already masked
            continue
        start, end = hit.start(), hit.end()
        while start > done and text[start - 1] in _BASE64_CHARS:
            start -= 1
        while end < len(text) and text[end] in _BASE64_CHARS:
            end += 1
        padding = end
        while end < len(text) and end < padding + 2 and text[end] == "=":
            end += 1
        pieces += [text[done:start], MASK]
        done = end
    return "".join(pieces) + text[done:] if pieces else text
