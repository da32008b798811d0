"""The site layer's Data Center paths against the Data Center sandbox over loopback: a personal
access token, Confluence at its own base URL, Jira's API 2, and Data Center's error answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.connect import open_site, sandbox_state_file
from teamcomms.site import errors
from teamcomms.site.connection import Site
from teamcomms.site.http import HttpConfig, HttpPolicy
from tests.conftest import SandboxHandle
from tests.contract.datacenter import DatacenterChecker

from .conftest import FakeTime

pytestmark = pytest.mark.parametrize("sandbox_site", ["datacenter"], indirect=True)


def _policy(fake_time: FakeTime) -> HttpPolicy:
    return HttpPolicy(
        HttpConfig(write_interval=0.0),
        sleeper=fake_time.sleep,
        clock=fake_time.clock,
        wall_clock=fake_time.clock,
        jitter=lambda: 0.5,
    )


def _env(site: SandboxHandle, **extra: str) -> dict[str, str]:
    return {"TEAMCOMMS_PAT": site.token, **extra}


@pytest.fixture
def site(sandbox_site: SandboxHandle, fake_time: FakeTime) -> Iterator[Site]:
    with open_site(sandbox_site.url, env=_env(sandbox_site), policy=_policy(fake_time)) as opened:
        yield opened


def test_a_personal_access_token_means_data_center_and_reaches_both_products(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    assert site.settings.deployment == "datacenter"
    assert site.settings.confluence_url == sandbox_site.url  # no /wiki on Data Center
    info = site.jira.server_info()
    assert (info.deployment_type, info.is_cloud) == ("Server", False)
    me = site.jira.myself()
    assert (me.account_id, me.display_name) == ("sandbox", "Sandbox User")
    assert site.confluence.space("TEAM").homepage_id
    assert site.jira.project("OPS") is not None
    paths = {path for _, path, _ in sandbox_site.requests}
    assert "/rest/api/2/serverInfo" in paths and "/rest/api/space/TEAM" in paths
    assert not any(path.startswith(("/wiki", "/rest/api/3")) for path in paths)


def test_separate_confluence_and_jira_urls_are_used_for_each_product(
    sandbox_site: SandboxHandle, fake_time: FakeTime
) -> None:
    # Nothing listens at --site: only the two product URLs can answer.
    env = _env(
        sandbox_site,
        TEAMCOMMS_CONFLUENCE_URL=sandbox_site.url,
        TEAMCOMMS_JIRA_URL=sandbox_site.url,
    )
    with open_site("http://127.0.0.1:9", env=env, policy=_policy(fake_time)) as site:
        assert site.confluence.space("ENG").key == "ENG"
        assert site.jira.server_info().deployment_type == "Server"


def test_basic_auth_is_refused_with_a_hint_to_use_a_personal_access_token(
    sandbox_site: SandboxHandle, fake_time: FakeTime
) -> None:
    env = {
        "TEAMCOMMS_EMAIL": "sandbox@teamcomms.invalid",
        "TEAMCOMMS_API_TOKEN": "sandbox-api-token",
        "TEAMCOMMS_DEPLOYMENT": "datacenter",
    }
    with (
        open_site(sandbox_site.url, env=env, policy=_policy(fake_time)) as site,
        pytest.raises(errors.PermissionDenied) as refused,
    ):
        site.jira.myself()
    text = refused.value.format()
    assert "403" in text or refused.value.status == 403
    assert "Basic Authentication has been disabled" in text
    assert "TEAMCOMMS_PAT" in text


def test_data_center_error_answers_become_clear_typed_errors(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    v1 = site.clients.confluence_v1
    assert isinstance(sandbox_site.contract, DatacenterChecker)
    with sandbox_site.contract.malformed_requests():
        # Recorded: a 400 whose message is Jackson's raw exception text.
        with pytest.raises(errors.BadRequest) as jackson:
            v1.post(
                "rest/api/content",
                data={
                    "type": "page",
                    "title": "x",
                    "space": {"key": "TEAM"},
                    "version": {"by": {}},
                },
            )
        # Recorded: Jira's errorMessages alone, without an errors key.
        with pytest.raises(errors.BadRequest) as unrecognized:
            site.clients.session.post(
                f"{sandbox_site.url}/rest/api/2/issue", json={"fields": {}, "chump": 1}
            )
    assert jackson.value.status == 400
    assert "Could not resolve type id" in (jackson.value.atlassian_message or "")
    assert 'Unrecognized field "chump"' in (unrecognized.value.atlassian_message or "")
    with pytest.raises(errors.Conflict) as stale:
        site.confluence.update_page(
            site.confluence.space("TEAM").homepage_id or "",
            title="Team Home",
            body="<p>x</p>",
            current_version=7,
        )
    assert "Current version is: 1" in (stale.value.atlassian_message or "")
    sandbox_site.contract.absent.add("/wiki")
    # Tomcat's HTML 404 for a path outside /rest: a typed error, not a parsing crash.
    with pytest.raises(errors.NotFound) as html:
        site.clients.session.get(f"{sandbox_site.url}/wiki/api/v2/pages")
    assert html.value.status == 404


def test_an_html_429_without_retry_after_is_waited_out_and_retried(
    sandbox_site: SandboxHandle, fake_time: FakeTime
) -> None:
    def sleep(seconds: float) -> None:  # the client's wait passes on the site's clock too
        fake_time.sleep(seconds)
        sandbox_site.clock.advance(seconds)

    policy = HttpPolicy(
        HttpConfig(write_interval=0.0), sleeper=sleep, clock=fake_time.clock, jitter=lambda: 0.5
    )
    sandbox_site.clock.start_at(datetime(2026, 11, 24, tzinfo=UTC))
    sandbox_site.rate_limits.configure("GET /rest/api/space/*=1/1;omit-retry-after:1")
    with open_site(sandbox_site.url, env=_env(sandbox_site), policy=policy) as site:
        found = site.confluence.spaces(["TEAM", "ENG"])  # one token: the second look-up waits
    assert sorted(found) == ["ENG", "TEAM"]
    assert sandbox_site.rate_limits.refused, "the limiter should have refused one"
    assert site.stats.retries >= 1
    assert fake_time.sleeps  # backed off without a Retry-After, on the fake clock


def test_attachments_are_posted_and_new_versions_go_to_their_data(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    confluence = site.confluence
    page = confluence.create_page("TEAM", "Flow", "<p>f</p>")
    first = confluence.upload_attachment(
        page.id, "flow.svg", b"1", media_type="image/svg+xml", new=True
    )
    served = len(sandbox_site.requests)
    second = confluence.upload_attachment(page.id, "flow.svg", b"2", media_type="image/svg+xml")
    assert (first.id, first.version, second.id, second.version) == (first.id, 1, first.id, 2)
    # Known to exist: looked up, then a new version; no create sent to fail first.
    assert [(m, p.rsplit("/", 1)[-1], s) for m, p, s in sandbox_site.requests[served:]] == [
        ("GET", "attachment", 200),
        ("POST", "data", 200),
    ]
    # Sent as new although an earlier run uploaded it: the taken name leads to a new version.
    third = confluence.upload_attachment(
        page.id, "flow.svg", b"3", media_type="image/svg+xml", new=True
    )
    assert (third.id, third.version) == (first.id, 3)
    # A create whose answer was lost is found by name; its bytes go in as a new version.
    other = confluence.create_page("TEAM", "Other", "<p>o</p>")
    sandbox_site.faults.inject(
        "reset-after", method="POST", path="/rest/api/content/*/child/attachment"
    )
    lost = confluence.upload_attachment(
        other.id, "a.svg", b"x", media_type="image/svg+xml", new=True
    )
    # ...and one that never landed is sent again.
    sandbox_site.faults.inject("reset", method="POST", path="/rest/api/content/*/child/attachment")
    again = confluence.upload_attachment(
        other.id, "b.svg", b"y", media_type="image/svg+xml", new=True
    )
    stored = sandbox_site.state.table("pages")[other.id]["attachments"]
    assert sorted((a["title"], a["version"]["number"]) for a in stored) == [
        ("a.svg", 2),
        ("b.svg", 1),
    ]
    assert (lost.version, again.version) == (2, 1)


def test_site_sandbox_starts_data_center_from_the_environment_or_the_project(
    tmp_path: Path, sandbox_site: SandboxHandle
) -> None:
    with open_site(
        "sandbox", project_dir=tmp_path, env={"TEAMCOMMS_DEPLOYMENT": "datacenter"}
    ) as opened:
        assert opened.settings.deployment == "datacenter"
        assert opened.settings.credentials.scheme == "bearer"
        assert opened.jira.server_info().deployment_type == "Server"
    assert sandbox_state_file(tmp_path, "datacenter").exists()
    assert not sandbox_state_file(tmp_path).exists()  # Cloud keeps its own file
    (tmp_path / "teamcomms.yaml").write_text(
        "name: T\ndeployment: datacenter\ndefaults:\n  space: TEAM\n  project: OPS\n"
    )
    result = CliRunner().invoke(app, ["doctor", str(tmp_path), "--site", "sandbox"])
    assert result.exit_code == 0, result.output
    assert "(datacenter, credentials from sandbox)" in result.stdout
    assert "sandbox-personal-access-token" not in result.stdout + result.stderr
