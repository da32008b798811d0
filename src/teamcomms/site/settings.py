"""Site URL and credentials, from the command line, the environment and optionally a keyring.

Never from definitions: a project file may name the site (``site:``) but credentials only ever
come from ``TEAMCOMMS_*`` environment variables or the system keyring. Every secret is
registered with :func:`teamcomms.redaction.register_secret` the moment it is read.

This module imports nothing heavy; the rest of the site layer does the HTTP. It knows sites by
URL only: ``--site sandbox`` is resolved above the site layer (:mod:`teamcomms.engine.connect`),
which starts the sandbox and hands its URL and credentials down.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import SplitResult, urlsplit

from teamcomms.errors import ConfigError
from teamcomms.redaction import register_secret
from teamcomms.site.errors import InsecureSiteURL, MissingCredentials, SiteNotConfigured

Deployment = Literal["cloud", "datacenter"]
KEYRING_SERVICE = "teamcomms"
SANDBOX_SOURCE = "sandbox"
"""The credentials source name of the local sandbox (whose credentials are public)."""
GATEWAY = "https://api.atlassian.com"
TOKEN_PAGE = "https://id.atlassian.com/manage-profile/security/api-tokens"  # noqa: S105 - a URL

KeyringLookup = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Credentials:
    """How requests authenticate: Basic (Cloud email + API token) or Bearer (Data Center PAT)."""

    scheme: Literal["basic", "bearer"]
    secret: str = field(repr=False)
    user: str | None = None
    source: str = "environment"
    """Where the secret came from: an environment variable name, ``keyring`` or ``sandbox``."""

    @property
    def authorization(self) -> str:
        """The ``Authorization`` header value."""
        if self.scheme == "bearer":
            return f"Bearer {self.secret}"
        raw = f"{self.user}:{self.secret}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def register(self) -> None:
        """Mask the secret and the header built from it in every output."""
        register_secret(self.secret)
        value = self.authorization
        register_secret(value)
        register_secret(value.split(" ", 1)[1])


@dataclass(frozen=True)
class SiteSettings:
    """Where the site is and how to sign in. Build it with :func:`resolve_settings`."""

    site_url: str
    """``https://acme.atlassian.net``, no trailing slash."""
    deployment: Deployment
    credentials: Credentials
    scoped_token: bool = False
    """Scoped API tokens only work through ``api.atlassian.com/ex/{product}/{cloudId}``."""
    cloud_id: str | None = None
    jira_url_override: str | None = None
    confluence_url_override: str | None = None

    @property
    def is_cloud(self) -> bool:
        """Cloud (as opposed to Data Center)."""
        return self.deployment == "cloud"

    @property
    def needs_cloud_id(self) -> bool:
        """Whether the gateway is used and its cloud id is not known yet."""
        return self.scoped_token and not self.cloud_id

    def with_cloud_id(self, cloud_id: str) -> SiteSettings:
        """These settings with the looked-up cloud id."""
        return replace(self, cloud_id=cloud_id)

    @property
    def jira_url(self) -> str:
        """Base URL the Jira client uses (``/rest/api/...`` is appended)."""
        if self.jira_url_override:
            return self.jira_url_override
        return self._gateway("jira") if self.scoped_token else self.site_url

    @property
    def confluence_url(self) -> str:
        """Base URL of Confluence's REST APIs: ``…/wiki`` on Cloud, the site itself on DC."""
        if self.confluence_url_override:
            return self.confluence_url_override
        if self.scoped_token:
            return self._gateway("confluence") + "/wiki"
        return self.site_url + "/wiki" if self.is_cloud else self.site_url

    def _gateway(self, product: str) -> str:
        if not self.cloud_id:
            raise ConfigError(
                "scoped API tokens need the site's cloud id",
                hint="set TEAMCOMMS_CLOUD_ID, or let teamcomms look it up from the site",
            )
        return f"{GATEWAY}/ex/{product}/{self.cloud_id}"

    @property
    def auth_hint(self) -> str:
        """What to check when the site rejects the credentials (names the variables)."""
        c = self.credentials
        if c.source == SANDBOX_SOURCE:
            return "the sandbox issues its own credentials; delete .teamcomms/sandbox-state.json"
        if c.scheme == "bearer":
            where = "the keyring entry" if c.source == "keyring" else "TEAMCOMMS_PAT"
            return f"check {where}: a Data Center personal access token sent as Bearer"
        if not self.is_cloud:
            # Data Center answers Basic auth with 403 once an admin turns it off.
            return (
                "Data Center may refuse Basic auth (Jira 11 turns it off by default): create "
                "a personal access token (profile > Personal Access Tokens) and set TEAMCOMMS_PAT"
            )
        token = "the keyring entry" if c.source == "keyring" else "TEAMCOMMS_API_TOKEN"
        hint = (
            f"check TEAMCOMMS_EMAIL and {token} (create a token at {TOKEN_PAGE}; "
            "tokens expire after at most a year)"
        )
        if not self.scoped_token:
            hint += "; for a scoped API token also set TEAMCOMMS_TOKEN_SCOPED=1"
        return hint


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_site_url(raw: str, *, what: str = "the site URL") -> str:
    """Check and tidy a site URL; plain ``http://`` is refused except to loopback.

    Anything that is not an http(s) address of a host (another scheme such as ``javascript:``
    or ``ftp:``, no host, spaces, a port out of range, a query) is a :class:`ConfigError` that
    says what is wrong, and never echoes a password written into the URL.
    """
    url = raw.strip().rstrip("/")
    if not _SCHEME.match(url) or _HOST_PORT.match(url):
        url = "https://" + url
    shown = _without_userinfo(raw.strip())
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced "[" around an IPv6 address
        raise ConfigError(
            f"{what} {shown!r} is not usable: its host is not a valid address",
            hint="write an IPv6 address in brackets, e.g. https://[::1]:8443",
        ) from None
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"{what} must not contain credentials (a user name or password): {shown}",
            hint="put the credentials in TEAMCOMMS_EMAIL and TEAMCOMMS_API_TOKEN (or "
            "TEAMCOMMS_PAT) instead",
        )
    problem = _url_problem(url, parts)
    if problem:
        raise ConfigError(
            f"{what} {shown!r} is not usable: {problem}",
            hint="give the address of the Atlassian site, e.g. --site https://acme.atlassian.net, "
            "TEAMCOMMS_SITE, or site: in teamcomms.yaml",
        )
    host = parts.hostname or ""
    if parts.scheme == "http" and not is_loopback(host):
        raise InsecureSiteURL(
            f"refusing plain http:// to {host}: credentials would travel unencrypted",
            hint=f"use https://{parts.netloc}{parts.path}",
        )
    if parts.path.rstrip("/") == "/wiki" and host.endswith(".atlassian.net"):
        url = url[: -len("/wiki")]
    return url


# A scheme as RFC 3986 spells it, and a bare ``host:port`` that only looks like one.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST_PORT = re.compile(r"^[^:/?#\s]+:\d+(?:[/?#]|$)")
# One DNS label: letters, digits and hyphens, not at either end (RFC 1123).
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _url_problem(url: str, parts: SplitResult) -> str | None:
    """What makes ``url`` unusable as a site address, or None."""
    if parts.scheme.lower() not in ("http", "https"):
        return f"teamcomms talks to sites over https://, not {parts.scheme}:"
    if any(char.isspace() or not char.isprintable() for char in url):
        return "it contains spaces or control characters"
    if not parts.hostname:
        return "it names no host"
    if not _valid_host(parts.hostname):
        return f"{parts.hostname!r} is not a host name"
    try:
        port = parts.port
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if port == 0:
        return "its port is not a number from 1 to 65535"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "a site address has no ?query or #fragment"
    return None


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_LABEL.match(label) for label in ascii_host.rstrip(".").split("."))


def _without_userinfo(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority, slash, path = rest.partition("/")
    host = authority.rpartition("@")[2]
    return f"{scheme}{separator}{host}{slash}{path}"


def system_keyring(service: str, username: str) -> str | None:
    """The password stored in the system keyring, or None (also when ``keyring`` is absent)."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        value = keyring.get_password(service, username)
    except Exception:  # any backend failure means "no keyring"; env vars still work
        return None
    return str(value) if value else None


def resolve_credentials(
    site_url: str,
    deployment: Deployment | None,
    env: Mapping[str, str],
    keyring_lookup: KeyringLookup = system_keyring,
) -> Credentials:
    """Credentials from the environment, else from the keyring (service ``teamcomms``, user =
    the site's host). Raises :class:`MissingCredentials` naming what to set."""
    host = urlsplit(site_url).hostname or site_url
    email = env.get("TEAMCOMMS_EMAIL", "").strip() or None
    pat = env.get("TEAMCOMMS_PAT", "").strip()
    token = env.get("TEAMCOMMS_API_TOKEN", "").strip()
    if pat and not (deployment == "cloud" and token):
        credentials = Credentials("bearer", pat, source="TEAMCOMMS_PAT")
    elif token:
        if not email:
            raise MissingCredentials(
                "TEAMCOMMS_API_TOKEN is set but TEAMCOMMS_EMAIL is not",
                hint="set TEAMCOMMS_EMAIL to the Atlassian account email the token belongs to",
            )
        credentials = Credentials("basic", token, user=email, source="TEAMCOMMS_API_TOKEN")
    else:
        stored = keyring_lookup(KEYRING_SERVICE, host)
        if stored and email:
            credentials = Credentials("basic", stored, user=email, source="keyring")
        elif stored and deployment == "datacenter":
            credentials = Credentials("bearer", stored, source="keyring")
        elif stored:
            raise MissingCredentials(
                f"found a token for {host} in the keyring but TEAMCOMMS_EMAIL is not set",
                hint="set TEAMCOMMS_EMAIL (Cloud), or `deployment: datacenter` in "
                "teamcomms.yaml if the keyring holds a personal access token",
            )
        else:
            raise MissingCredentials(
                f"no credentials for {host}",
                hint="Cloud: set TEAMCOMMS_EMAIL and TEAMCOMMS_API_TOKEN "
                f"(create a token at {TOKEN_PAGE}); Data Center: set TEAMCOMMS_PAT; "
                f"or store the token with `keyring set {KEYRING_SERVICE} {host}`",
            )
    credentials.register()
    return credentials


def choose_site(
    site: str | None, *, project_site: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """Which site a command talks to: ``--site``, else ``TEAMCOMMS_SITE``, else the project
    file's ``site``. Raises :class:`SiteNotConfigured` when none is given."""
    environ = os.environ if env is None else env
    chosen = (site or environ.get("TEAMCOMMS_SITE") or project_site or "").strip()
    if not chosen:
        raise SiteNotConfigured(
            "no site given",
            hint="pass --site https://acme.atlassian.net (or --site sandbox), set "
            "TEAMCOMMS_SITE, or add `site:` to teamcomms.yaml",
        )
    return chosen


def resolve_settings(
    site: str | None = None,
    *,
    project_site: str | None = None,
    project_deployment: str | None = None,
    env: Mapping[str, str] | None = None,
    keyring_lookup: KeyringLookup = system_keyring,
) -> SiteSettings:
    """Settings for the site URL given by ``--site``, else ``TEAMCOMMS_SITE``, else the project
    file's ``site``, with credentials from the environment or the keyring."""
    environ = os.environ if env is None else env
    site_url = normalise_site_url(choose_site(site, project_site=project_site, env=environ))
    deployment = parse_deployment(environ.get("TEAMCOMMS_DEPLOYMENT") or project_deployment)
    credentials = resolve_credentials(site_url, deployment, environ, keyring_lookup)
    if credentials.scheme == "bearer":
        # Cloud has no personal access tokens: a PAT means Data Center, whatever the project
        # file's default says.
        deployment = "datacenter"
    elif deployment is None:
        deployment = "cloud"
    scoped = environ.get("TEAMCOMMS_TOKEN_SCOPED", "").strip().lower() in ("1", "true", "yes")
    if scoped and deployment != "cloud":
        raise ConfigError(
            "TEAMCOMMS_TOKEN_SCOPED=1 only applies to Atlassian Cloud",
            hint="unset TEAMCOMMS_TOKEN_SCOPED for Data Center",
        )
    return SiteSettings(
        site_url=site_url,
        deployment=deployment,
        credentials=credentials,
        scoped_token=scoped,
        cloud_id=environ.get("TEAMCOMMS_CLOUD_ID", "").strip() or None,
        jira_url_override=_optional_url(environ, "TEAMCOMMS_JIRA_URL"),
        confluence_url_override=_optional_url(environ, "TEAMCOMMS_CONFLUENCE_URL"),
    )


def parse_deployment(raw: str | None) -> Deployment | None:
    """``cloud`` or ``datacenter`` from what a user may write (``Data Center``, ``dc``, ``server``);
    None when nothing is given. Raises :class:`ConfigError` for anything else."""
    if not raw:
        return None
    value = raw.strip().lower().replace(" ", "").replace("_", "").replace("-", "")
    if value == "cloud":
        return "cloud"
    if value in ("datacenter", "server", "dc"):
        return "datacenter"
    raise ConfigError(
        f"unknown deployment {raw!r}", hint="use `cloud` or `datacenter` in teamcomms.yaml"
    )


def _optional_url(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(name, "")
    return normalise_site_url(raw, what=name) if raw.strip() else None
