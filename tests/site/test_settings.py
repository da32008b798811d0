"""Site URL and credentials from options, environment and keyring."""

from __future__ import annotations

import base64

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
