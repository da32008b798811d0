"""Build the two client libraries on top of the one HTTP policy.

- Jira: pycontribs ``jira`` with ``max_retries=0`` and ``get_server_info=False`` (construction
  sends nothing); on Cloud ``deploymentType`` is set to ``"Cloud"`` by hand, because with
  ``get_server_info=False`` its ``@cloud_api`` methods (enhanced JQL search, …) silently return
  None otherwise.
- Confluence Cloud: atlassian-python-api 5.x ``ConfluenceV2`` for pages and properties (its
  ``Confluence(cloud=True)`` lacks create/update), and the v1 ``ConfluenceServer(<site>/wiki,
  cloud=True)`` for labels, templates, attachments and CQL.
- Confluence Data Center: the v1 client only (``/rest/api/content``).

Both libraries' own retries are off (``backoff_and_retry=False``, ``retry_with_header=False``,
``max_retries=0``) and their sessions' adapters are replaced by :class:`PolicyAdapter`, so every
request goes through :class:`HttpPolicy` exactly once.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import requests

from teamcomms.site.errors import SiteHttpError, atlassian_message
from teamcomms.site.http import HttpConfig, HttpPolicy
from teamcomms.site.settings import SiteSettings

_cloud_ids: dict[str, str] = {}
_cloud_ids_lock = threading.Lock()


@dataclass
class SiteClients:
    """The configured clients for one site, sharing one policy (and its request counters)."""

    settings: SiteSettings
    policy: HttpPolicy
    confluence_v1: Any
    """atlassian ``ConfluenceServer`` (v1 REST: labels, templates, attachments, CQL; DC pages)."""
    confluence_v2: Any | None
    """atlassian ``ConfluenceV2`` on Cloud (pages, properties); None on Data Center."""
    session: requests.Session
    """A plain authenticated session under the policy, for endpoints neither library covers."""
    _jira: Any = None
    _jira_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def jira(self) -> Any:
        """pycontribs ``jira.JIRA``, built on first use: importing the library is a tenth of a
        second that a project with only Confluence content does not need to spend."""
        with self._jira_lock:
            if self._jira is None:
                self._jira = build_jira(self.settings, self.policy)
            return self._jira

    def close(self) -> None:
        """Close the connection pools."""
        sessions = [self.session, self.confluence_v1.session]
        if self._jira is not None:
            sessions.append(self._jira._session)
        for session in sessions:
            session.close()
        if self.confluence_v2 is not None:
            self.confluence_v2.session.close()


def authenticated_session(settings: SiteSettings, policy: HttpPolicy) -> requests.Session:
    """A ``requests`` session with the site's credentials, going through ``policy``."""
    session = policy.new_session()
    credentials = settings.credentials
    if credentials.scheme == "basic":
        session.auth = (credentials.user or "", credentials.secret)
    else:
        session.headers["Authorization"] = credentials.authorization
    session.headers["Accept"] = "application/json"
    return session


def lookup_cloud_id(site_url: str, session: requests.Session) -> str:
    """The Cloud site's id from ``<site>/_edge/tenant_info``, looked up once per process."""
    with _cloud_ids_lock:
        known = _cloud_ids.get(site_url)
    if known:
        return known
    response = session.get(f"{site_url}/_edge/tenant_info")
    try:
        answer = response.json()
    except ValueError:  # not JSON: a proxy's page, or not an Atlassian Cloud site at all
        answer = None
    cloud_id = str(answer.get("cloudId") or "") if isinstance(answer, dict) else ""
    if not cloud_id:
        raise SiteHttpError(
            status=response.status_code,
            method="GET",
            url=response.url,
            atlassian_message=atlassian_message(response.content),
            what=f"{site_url} did not say its cloud id",
            hint="set TEAMCOMMS_CLOUD_ID (Atlassian admin > Products > your site)",
        )
    with _cloud_ids_lock:
        _cloud_ids[site_url] = cloud_id
    return cloud_id


def connect(
    settings: SiteSettings, policy: HttpPolicy | None = None, *, config: HttpConfig | None = None
) -> SiteClients:
    """Build the clients. Sends no request, except one to look up the cloud id for scoped
    tokens when ``TEAMCOMMS_CLOUD_ID`` is not set."""
    policy = policy or HttpPolicy(config or HttpConfig.from_env(), auth_hint=settings.auth_hint)
    if policy.auth_hint is None:
        policy.auth_hint = settings.auth_hint
    session = authenticated_session(settings, policy)
    if settings.needs_cloud_id:
        settings = settings.with_cloud_id(lookup_cloud_id(settings.site_url, session))
    return SiteClients(
        settings=settings,
        policy=policy,
        confluence_v1=build_confluence_v1(settings, policy),
        confluence_v2=build_confluence_v2(settings, policy) if settings.is_cloud else None,
        session=session,
    )


def build_jira(settings: SiteSettings, policy: HttpPolicy) -> Any:
    """pycontribs ``JIRA`` for the site, with the policy installed and its retries off."""
    from jira import JIRA

    credentials = settings.credentials
    auth: dict[str, Any] = (
        {"basic_auth": (credentials.user, credentials.secret)}
        if credentials.scheme == "basic"
        else {"token_auth": credentials.secret}
    )
    client = JIRA(
        server=settings.jira_url,
        max_retries=0,
        get_server_info=False,
        timeout=(policy.config.connect_timeout, policy.config.read_timeout),
        **auth,
    )
    if settings.is_cloud:
        # Without get_server_info the library thinks it talks to Server and its @cloud_api
        # methods return None; the settings already know this is Cloud.
        client.deploymentType = "Cloud"
    policy.install(client._session)
    return client


def _atlassian_kwargs(settings: SiteSettings, policy: HttpPolicy) -> dict[str, Any]:
    credentials = settings.credentials
    kwargs: dict[str, Any] = {
        "session": authenticated_session(settings, policy),
        "timeout": int(policy.config.read_timeout),
        "backoff_and_retry": False,
        # The library would otherwise sleep out a 429's Retry-After itself and retry once.
        "retry_with_header": False,
    }
    if credentials.scheme == "basic":
        kwargs.update(username=credentials.user, password=credentials.secret)
    else:
        kwargs["token"] = credentials.secret
    return kwargs


def build_confluence_v2(settings: SiteSettings, policy: HttpPolicy) -> Any:
    """atlassian ``ConfluenceV2`` for pages and page properties (Cloud)."""
    from atlassian import ConfluenceV2

    with warnings.catch_warnings():
        # atlassian-python-api 5.x warns on every ConfluenceV2 construction (#1683).
        warnings.filterwarnings("ignore", "V1 methods are deprecated", DeprecationWarning)
        client = ConfluenceV2(settings.confluence_url, **_atlassian_kwargs(settings, policy))
    client.url = settings.confluence_url  # it appends /wiki only for *.atlassian.net hosts
    return client


def build_confluence_v1(settings: SiteSettings, policy: HttpPolicy) -> Any:
    """atlassian ``ConfluenceServer`` for the v1 REST API (labels, templates, attachments, CQL)."""
    from atlassian.confluence import ConfluenceServer

    client = ConfluenceServer(  # type: ignore[no-untyped-call]
        settings.confluence_url, cloud=settings.is_cloud, **_atlassian_kwargs(settings, policy)
    )
    client.url = settings.confluence_url
    return client
