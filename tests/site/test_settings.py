"""Site URL and credentials from options, environment and keyring."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from teamcomms.errors import ConfigError
from teamcomms.redaction import redact
from teamcomms.site.errors import InsecureSiteURL, MissingCredentials, SiteNotConfigured
from teamcomms.site.settings import is_loopback, normalise_site_url, resolve_settings

CLOUD_ENV = {"TEAMCOMMS_EMAIL": "ada@northwind.test", "TEAMCOMMS_API_TOKEN": "tok-3141592653"}


def no_keyring(service: str, user: str) -> None:
    return None


def test_site_comes_from_option_then_environment_then_project_file() -> None:
    env = {**CLOUD_ENV, "TEAMCOMMS_SITE": "https://env.atlassian.net"}
    project = "https://project.atlassian.net"
    assert resolve_settings("opt.atlassian.net", project_site=project, env=env).site_url == (
        "https://opt.atlassian.net"
    )
    assert resolve_settings(None, project_site=project, env=env).site_url == (
        "https://env.atlassian.net"
    )
    assert resolve_settings(None, project_site=project, env=CLOUD_ENV).site_url == project


def test_no_site_says_how_to_give_one() -> None:
    with pytest.raises(SiteNotConfigured) as caught:
        resolve_settings(None, env=CLOUD_ENV)
    assert "TEAMCOMMS_SITE" in caught.value.format()
    assert "--site" in caught.value.format()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:5000", "http://[::1]:9000"],
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    assert normalise_site_url(url) == url


@pytest.mark.parametrize(
    "url", ["http://acme.atlassian.net", "http://10.0.0.5", "http://localhost.evil.com"]
)
def test_plain_http_is_refused_elsewhere(url: str) -> None:
    with pytest.raises(InsecureSiteURL) as caught:
        normalise_site_url(url)
    assert "https://" in caught.value.format()


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("LOCALHOST")
    assert not is_loopback("128.0.0.1") and not is_loopback("example.com")


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(ConfigError, match="must not contain credentials"):
        normalise_site_url("https://ada:pw@acme.atlassian.net")


def test_missing_credentials_name_the_variables() -> None:
    with pytest.raises(MissingCredentials) as caught:
        resolve_settings("https://acme.atlassian.net", env={}, keyring_lookup=no_keyring)
    text = caught.value.format()
    for variable in ("TEAMCOMMS_EMAIL", "TEAMCOMMS_API_TOKEN", "TEAMCOMMS_PAT"):
        assert variable in text


def test_token_without_email_names_the_email_variable() -> None:
    with pytest.raises(MissingCredentials, match="TEAMCOMMS_EMAIL is not"):
        resolve_settings("https://acme.atlassian.net", env={"TEAMCOMMS_API_TOKEN": "tok-1234"})


def test_cloud_token_is_basic_and_every_form_of_it_is_redacted() -> None:
    settings = resolve_settings("https://acme.atlassian.net", env=CLOUD_ENV)
    assert settings.deployment == "cloud"
    assert settings.credentials.scheme == "basic"
    header = base64.b64encode(b"ada@northwind.test:tok-3141592653").decode()
    assert settings.credentials.authorization == f"Basic {header}"
    leaked = f"token tok-3141592653 header Basic {header} raw {header}"
    assert "tok-3141592653" not in redact(leaked)
    assert header not in redact(leaked)
    assert "tok-3141592653" not in repr(settings)


def test_pat_means_bearer_and_data_center() -> None:
    env = {"TEAMCOMMS_PAT": "pat-2718281828"}
    settings = resolve_settings("https://jira.acme.internal", env=env)
    assert settings.deployment == "datacenter"
    assert settings.credentials.authorization == "Bearer pat-2718281828"
    assert settings.confluence_url == "https://jira.acme.internal"
    assert "TEAMCOMMS_PAT" in settings.auth_hint


def test_keyring_is_used_when_the_variable_is_absent() -> None:
    asked: list[tuple[str, str]] = []

    def lookup(service: str, user: str) -> str:
        asked.append((service, user))
        return "tok-from-keyring"

    env = {"TEAMCOMMS_EMAIL": "ada@northwind.test"}
    settings = resolve_settings("https://acme.atlassian.net", env=env, keyring_lookup=lookup)
    assert asked == [("teamcomms", "acme.atlassian.net")]
    assert settings.credentials.secret == "tok-from-keyring"
    assert settings.credentials.source == "keyring"
    assert "tok-from-keyring" not in redact("x tok-from-keyring y")


def test_scoped_tokens_use_the_gateway_urls() -> None:
    env = {**CLOUD_ENV, "TEAMCOMMS_TOKEN_SCOPED": "1", "TEAMCOMMS_CLOUD_ID": "abc-123"}
    settings = resolve_settings("https://acme.atlassian.net", env=env)
    assert settings.jira_url == "https://api.atlassian.com/ex/jira/abc-123"
    assert settings.confluence_url == "https://api.atlassian.com/ex/confluence/abc-123/wiki"


def test_cloud_urls_without_scoped_tokens() -> None:
    settings = resolve_settings("https://acme.atlassian.net/wiki/", env=CLOUD_ENV)
    assert settings.jira_url == "https://acme.atlassian.net"
    assert settings.confluence_url == "https://acme.atlassian.net/wiki"


def test_unknown_deployment_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown deployment"):
        resolve_settings("https://a.atlassian.net", project_deployment="mainframe", env=CLOUD_ENV)


def test_deployment_from_the_environment_overrides_the_project_file() -> None:
    env = {**CLOUD_ENV, "TEAMCOMMS_DEPLOYMENT": "datacenter"}
    settings = resolve_settings("https://wiki.acme.internal", project_deployment="cloud", env=env)
    assert settings.deployment == "datacenter"
    assert settings.credentials.scheme == "basic"
    assert settings.confluence_url == "https://wiki.acme.internal"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:99999", "its port is not a number from 1 to 65535"),
        ("https://acme.atlassian.net:0", "its port is not a number from 1 to 65535"),
        ("javascript:alert(1)", "over https://, not javascript:"),
        ("ftp://x", "over https://, not ftp:"),
        ("https://", "it names no host"),
        ("https:///wiki", "it names no host"),
        ("https://acme .atlassian.net", "spaces or control characters"),
        ("https://acme.atlassian.net/x\ty", "spaces or control characters"),
        ("https://exa_mple.com", "'exa_mple.com' is not a host name"),
        ("https://-acme.example", "is not a host name"),
        ("https://acme.atlassian.net/?x=1", "no ?query or #fragment"),
    ],
)
def test_a_bad_site_url_says_what_is_wrong_with_it(url: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalise_site_url(url)
    message = caught.value.format()
    assert problem in message
    assert "https://acme.atlassian.net" in message  # the hint shows what a site URL looks like


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ada:hunter2-pw@x.example",
        "https://ada:hunter2-pw@acme.atlassian.net/wiki",
        "https://ada:hunter2-pw@[::1",
        "javascript://ada:hunter2-pw@x",
    ],
)
def test_a_password_in_a_refused_site_url_is_never_echoed(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalise_site_url(url)
    assert "hunter2" not in caught.value.format()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("acme.atlassian.net", "https://acme.atlassian.net"),
        ("localhost:8080", "https://localhost:8080"),
        ("https://jira.corp.example/jira/", "https://jira.corp.example/jira"),
        ("https://bücher.example", "https://bücher.example"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_good_site_urls_are_tidied(url: str, expected: str) -> None:
    assert normalise_site_url(url) == expected


def test_an_unbalanced_ipv6_bracket_is_explained() -> None:
    with pytest.raises(ConfigError, match="its host is not a valid address") as caught:
        normalise_site_url("https://[::1")
    assert "https://[::1]:8443" in caught.value.format()


def test_a_bad_separate_server_url_names_its_variable() -> None:
    env = {"TEAMCOMMS_PAT": "pat-2718281828", "TEAMCOMMS_JIRA_URL": "https://jira corp"}
    with pytest.raises(ConfigError) as caught:
        resolve_settings("https://wiki.acme.internal", env=env)
    assert caught.value.message.startswith("TEAMCOMMS_JIRA_URL 'https://jira corp' is not usable")


def test_the_project_file_refuses_a_site_with_a_password_without_echoing_it(
    tmp_path: Path,
) -> None:
    from teamcomms.definitions import validate_project

    (tmp_path / "teamcomms.yaml").write_text("name: T\nsite: https://ada:hunter2-pw@x.example\n")
    [problem] = [p for p in validate_project(tmp_path).problems if p.severity == "error"]
    assert problem.location.endswith("teamcomms.yaml:2:7")
    assert "user name or password" in problem.format()
    assert "hunter2" not in problem.format()


@pytest.mark.parametrize(
    "site",
    [
        "http://127.0.0.1:99999",
        "javascript:alert(1)",
        "ftp://x",
        "https://",
        "https://acme .atlassian.net",
        "https://ada:hunter2-pw@[::1",
    ],
)
@pytest.mark.parametrize("command", ["plan", "apply", "doctor"])
def test_a_bad_site_option_is_a_clear_error_in_every_command(
    site: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from teamcomms.cli import app

    for name, value in CLOUD_ENV.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "teamcomms.yaml").write_text("name: T\n")
    extra = ["--yes"] if command == "apply" else []
    result = CliRunner().invoke(app, [command, str(tmp_path), "--site", site, *extra])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    assert "hunter2" not in result.output
    assert "is not usable" in result.output
