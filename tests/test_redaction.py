"""Secrets never reach the debug log, even when a library prints them in a form not registered."""

from __future__ import annotations

import base64
import json
import logging
from urllib.parse import quote, quote_plus

import pytest

from teamcomms import console
from teamcomms.redaction import redact, redact_data, register_secret
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


TOKEN = "ATATT3xFfGF0-redaction/test+token=A1B2C3"
EMAIL = "ada@northwind.example"


@pytest.fixture
def registered() -> str:
    """A Cloud token registered the way settings register it."""
    from teamcomms.site.settings import Credentials

    Credentials("basic", TOKEN, user=EMAIL).register()
    return TOKEN


def _basic(user: str, token: str) -> str:
    return base64.b64encode(f"{user}:{token}".encode()).decode("ascii")


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(TOKEN, id="raw"),
        pytest.param(quote(TOKEN, safe=""), id="url-encoded"),
        pytest.param(quote_plus(TOKEN), id="form-encoded"),
        pytest.param(quote(TOKEN), id="path-encoded"),
        pytest.param(TOKEN.replace("/", "\\/"), id="escaped-slash"),
        pytest.param("%20" + _basic("other@example.com", TOKEN), id="basic-after-an-escape"),
        pytest.param(json.dumps(TOKEN)[1:-1].replace("/", "\\/"), id="json-escaped-slash"),
        pytest.param(_basic(EMAIL, TOKEN), id="basic-value"),
        pytest.param(quote(_basic(EMAIL, TOKEN), safe=""), id="basic-url-encoded"),
        pytest.param(_basic("someone-else@example.com", TOKEN), id="basic-other-email"),
        pytest.param(base64.urlsafe_b64encode(TOKEN.encode()).decode(), id="urlsafe-base64"),
        pytest.param(TOKEN[:15] + "\n    " + TOKEN[15:], id="split-indented"),
        pytest.param(TOKEN[:10] + "\r\n" + TOKEN[10:30] + "\n│ " + TOKEN[30:], id="split-boxed"),
        pytest.param(_basic(EMAIL, TOKEN)[:30] + "\n" + _basic(EMAIL, TOKEN)[30:], id="mime-wrap"),
        pytest.param(TOKEN[:12] + "\\n" + TOKEN[12:], id="split-json-escaped"),
    ],
)
def test_a_registered_token_is_masked_in_every_encoding(registered: str, form: str) -> None:
    shown = redact(f"the site said: invalid credentials <{form}> (HTTP 401)")
    # A percent-escape before base64 keeps its "%" (the escape's digits go with the mask).
    assert shown.replace("<%****>", "<****>") == (
        "the site said: invalid credentials <****> (HTTP 401)"
    )


def test_json_output_with_an_echoed_header_is_masked(registered: str) -> None:
    document = json.dumps({"detail": f"Authorization: Basic {_basic(EMAIL, TOKEN)}", "t": TOKEN})
    shown = redact(document)
    assert TOKEN not in shown and _basic(EMAIL, TOKEN) not in shown
    assert json.loads(shown) in (
        {"detail": "Authorization: ****", "t": "****"},
        {"detail": "Authorization: Basic ****", "t": "****"},
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "authorization: bearer pat.unregistered-123",
            "authorization: bearer ****",
            id="lowercase-bearer",
        ),
        pytest.param(
            "Authorization%3A%20Basic%20YWRhOnVucmVnaXN0ZXJlZDE%3D x",
            "Authorization%3A%20Basic%20**** x",
            id="url-encoded-header",
        ),
        pytest.param(
            '{"Authorization": "Bearer abc\\/def1"}',
            '{"Authorization": "Bearer ****"}',
            id="json-escaped",
        ),
        pytest.param(
            "Invalid header Bearer NjE0Mzg3OTI2NzQ0OrhV2",
            "Invalid header Bearer ****",
            id="bare-bearer",
        ),
        pytest.param(
            "clone https://ada:hunter2@git.example.com/x",
            "clone https://ada:****@git.example.com/x",
            id="url",
        ),
        pytest.param(
            "site: https://bot%40acme.io:p%40ss@acme.atlassian.net",
            "site: https://bot%40acme.io:****@acme.atlassian.net",
            id="url-encoded-user",
        ),
    ],
)
def test_unregistered_credentials_in_headers_and_urls_are_masked(line: str, expected: str) -> None:
    assert redact(line) == expected


@pytest.mark.parametrize(
    "prose",
    [
        "Basic authentication is disabled on this site",
        "use a Bearer token from your profile",
        "https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Release+notes",
        "page 1234567890123456 and id 98765432109876543210",
    ],
)
def test_ordinary_text_is_left_alone(registered: str, prose: str) -> None:
    assert redact(prose) == prose


def test_redact_data_masks_every_string_of_a_saved_plan(registered: str) -> None:
    plan = {
        "site": "https://acme.atlassian.net",
        "changes": [
            {"title": "Welcome", "body": f"<p>token {TOKEN}</p>", "labels": ("a", TOKEN)},
            {"count": 3, "flag": True, "none": None},
        ],
        TOKEN: "key",
    }
    masked = redact_data(plan)
    assert TOKEN not in json.dumps(masked)
    assert masked["changes"][0]["body"] == "<p>token ****</p>"
    assert masked["changes"][0]["labels"] == ("a", "****")
    assert masked["changes"][1] == {"count": 3, "flag": True, "none": None}
    assert masked["****"] == "key"
    assert masked["site"] == plan["site"]


def test_secrets_in_the_environment_are_masked_before_settings_read_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from teamcomms.redaction import register_environment_secrets

    env = {"TEAMCOMMS_EMAIL": "bo@x.io", "TEAMCOMMS_API_TOKEN": "env-tok-1618", "TEAMCOMMS_PAT": ""}
    register_environment_secrets(env)
    assert redact("a env-tok-1618 b") == "a **** b"
    assert redact(_basic("bo@x.io", "env-tok-1618")) == "****"


def test_everything_printed_through_the_consoles_is_masked(
    registered: str, capsys: pytest.CaptureFixture[str]
) -> None:
    console.stdout.cache_clear()
    console.stderr.cache_clear()
    console.stdout().print_json(json.dumps({"echo": f"Basic {_basic(EMAIL, TOKEN)}"}))
    console.stderr().print(f"failed: {TOKEN}", markup=False)
    out, err = capsys.readouterr()
    assert _basic(EMAIL, TOKEN) not in out
    assert out == '{\n  "echo": "****"\n}\n'
    assert err.strip() == "failed: ****"


def test_the_printed_and_json_doctor_report_never_hold_a_secret(registered: str) -> None:
    from teamcomms.site.doctor import Check, DoctorReport, format_text

    report = DoctorReport(site="https://acme.atlassian.net", deployment="cloud")
    report.add(Check("credentials", "missing", f"the site said {TOKEN}", f"not {TOKEN}"))
    printed = "\n".join(format_text(report))
    document = json.dumps(report.as_json())
    assert TOKEN not in printed and TOKEN not in document
    assert "the site said ****" in printed and "hint: not ****" in printed
    assert report.as_json()["checks"][0]["detail"] == "the site said ****"


PROGRESS = """
import sys
from rich.progress import Progress
from teamcomms import console
from teamcomms.redaction import register_secret

register_secret(sys.argv[1])
err = console.stderr()
assert err.is_terminal
with Progress(console=err) as progress:
    task = progress.add_task("pages", total=1)
    err.print(f"through the console {sys.argv[1]}", markup=False)
    print(f"a plain print {sys.argv[1]}")
    sys.stderr.write(f"straight to stderr {sys.argv[1]}\\n")
    progress.advance(task)
"""


def test_output_during_a_progress_display_is_masked_and_does_not_loop() -> None:
    import os
    import subprocess
    import sys

    # FORCE_COLOR makes rich treat the pipe as a terminal, so the display redirects stdout and
    # stderr through itself, as it does for a person at a terminal. Run apart: a loop would hang.
    done = subprocess.run(
        [sys.executable, "-c", PROGRESS, TOKEN],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "FORCE_COLOR": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown = done.stdout + done.stderr
    assert TOKEN not in shown
    for line in ("through the console ****", "a plain print ****", "straight to stderr ****"):
        assert line in shown


@pytest.mark.parametrize("before", ["", "x", "xy", "xyz", "ü", "Authorization: Basic "])
@pytest.mark.parametrize("after", ["", "!", "tail"])
def test_base64_of_any_text_around_a_token_is_masked_whole(
    registered: str, before: str, after: str
) -> None:
    inner = f"{before}user:{TOKEN}{after}".encode()
    for encoded in (base64.b64encode(inner), base64.urlsafe_b64encode(inner)):
        run = encoded.decode()
        assert redact(f"auth={run}; again {run}.") == "auth=****; again ****."


def test_url_safe_base64_of_a_token_is_masked_when_it_differs_from_standard_base64() -> None:
    secret = "pat???>>>??>>-2718281828"  # its base64 is full of "/" and "+"
    register_secret(secret)
    for before in ("", "a", "ab"):
        inner = f"{before}{secret}".encode()
        standard, url_safe = (
            base64.b64encode(inner).decode(),
            base64.urlsafe_b64encode(inner).decode(),
        )
        assert standard != url_safe
        assert redact(f"[{standard}] [{url_safe}]") == "[****] [****]"
