"""The site layer against the real sandbox over loopback, every exchange contract-checked."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teamcomms.cli import app
from teamcomms.engine.connect import open_site, sandbox_state_file
from teamcomms.site import errors
from teamcomms.site.connection import Site
from teamcomms.site.http import HttpConfig, HttpPolicy
from tests.conftest import SandboxHandle
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)

from .conftest import FakeTime


@pytest.fixture
def site(sandbox_site: SandboxHandle, fake_time: FakeTime) -> Iterator[Site]:
    policy = HttpPolicy(
        HttpConfig(write_interval=0.0),
        sleeper=fake_time.sleep,
        clock=fake_time.clock,
        wall_clock=fake_time.clock,
        jitter=lambda: 0.5,
    )
    env = {"TEAMCOMMS_EMAIL": sandbox_site.email, "TEAMCOMMS_API_TOKEN": sandbox_site.token}
    connection = open_site(sandbox_site.url, env=env, policy=policy)
    yield connection
    connection.close()


def test_page_lifecycle_on_the_sandbox(site: Site, sandbox_site: SandboxHandle) -> None:
    confluence = site.confluence
    home = confluence.space("TEAM").homepage_id
    page = confluence.create_page("TEAM", "Returns policy", "<p>30 days</p>", parent_id=home)
    assert (page.version, page.parent_id) == (1, home)
    marker = confluence.set_property(page.id, "teamcomms", {"definition": "page/returns"})
    confluence.add_labels(page.id, ["service", "policy"])
    [listed] = [
        p for p in confluence.list_pages("TEAM", property_keys=["teamcomms"]) if p.id == page.id
    ]
    assert listed.body == "<p>30 days</p>"
    assert listed.labels == ("policy", "service")
    assert listed.properties["teamcomms"].value == {"definition": "page/returns"}
    updated = confluence.update_page(
        page.id, title="Returns policy", body="<p>60 days</p>", current_version=listed.version
    )
    assert updated.version == 2
    with pytest.raises(errors.VersionConflict):
        confluence.update_page(page.id, title="Returns policy", body="x", current_version=1)
    confluence.set_property(
        page.id, "teamcomms", {"definition": "page/returns", "v": 2}, current=marker
    )
    confluence.remove_label(page.id, "policy")
    again = confluence.get_page(page.id, property_keys=["teamcomms"])
    assert again is not None
    assert (again.version, again.labels) == (2, ("service",))
    assert again.properties["teamcomms"].version == 2


def test_space_listing_costs_two_requests_whatever_the_size(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    for n in range(30):
        site.confluence.create_page("ENG", f"Runbook {n}", f"<p>{n}</p>")
    site.policy.reset_stats()
    pages = site.confluence.list_pages("ENG", property_keys=["teamcomms"])
    assert len([p for p in pages if p.title.startswith("Runbook")]) == 30
    assert site.stats.requests == 2  # v2 listing + CQL for properties and labels (space cached)


def test_templates_and_attachments_on_the_sandbox(site: Site) -> None:
    confluence = site.confluence
    created = confluence.create_template(
        "TEAM", "Standup notes", "<p>Yesterday / today</p>", description="daily", labels=["standup"]
    )
    updated = confluence.update_template(
        created.id, "TEAM", "Standup notes", "<p>Done / next</p>", labels=["standup"]
    )
    assert updated.body == "<p>Done / next</p>"
    assert [t.name for t in confluence.list_templates("TEAM")].count("Standup notes") == 1
    page = confluence.create_page("TEAM", "Order flow", "<p>flow</p>")
    first = confluence.upload_attachment(page.id, "flow.svg", b"<svg/>", media_type="image/svg+xml")
    second = confluence.upload_attachment(
        page.id, "flow.svg", b"<svg></svg>", media_type="image/svg+xml"
    )
    assert first.id == second.id


def test_create_property_and_delete_template_on_the_sandbox(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    confluence = site.confluence
    page = confluence.create_page("TEAM", "Escalation", "<p>call ops</p>")
    site.policy.reset_stats()
    created = confluence.create_property(page.id, "teamcomms", {"definition": "page/escalation"})
    assert (site.stats.reads, site.stats.writes) == (0, 1)
    assert created.version == 1
    with pytest.raises(errors.BadRequest, match="already exists"):
        confluence.create_property(page.id, "teamcomms", {"definition": "page/other"})
    stored = confluence.get_property(page.id, "teamcomms")
    assert stored is not None and stored.value == {"definition": "page/escalation"}
    template = confluence.create_template("TEAM", "Retro notes", "<p>went well</p>")
    confluence.delete_template(template.id)
    assert "Retro notes" not in [t.name for t in confluence.list_templates("TEAM")]
    with pytest.raises(errors.PermissionDenied):  # as Confluence answers for a missing id
        confluence.delete_template(template.id)


@pytest.mark.parametrize("fault", ["429", "429-date", "503", "503-retry"])
def test_rate_limited_create_is_retried_and_lands_once(
    fault: str, site: Site, sandbox_site: SandboxHandle, fake_time: FakeTime
) -> None:
    sandbox_site.faults.inject(fault, method="POST", path="/wiki/api/v2/pages")
    page = site.confluence.create_page("TEAM", f"Shipping ({fault})", "<p>2 days</p>")
    assert sandbox_site.count("POST", "/wiki/api/v2/pages") == 2
    assert len(site.confluence.find_pages_by_title("TEAM", page.title)) == 1
    assert site.stats.retries == 1 and len(fake_time.sleeps) == 1


@pytest.mark.parametrize("fault", ["reset", "reset-after"])
def test_reset_create_is_not_resent(fault: str, site: Site, sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject(fault, method="POST", path="/wiki/api/v2/pages")
    with pytest.raises(errors.UncertainWriteError):
        site.confluence.create_page("TEAM", f"Warranty ({fault})", "<p>1 year</p>")
    assert sandbox_site.count("POST", "/wiki/api/v2/pages") == 1
    landed = site.confluence.find_pages_by_title("TEAM", f"Warranty ({fault})")
    assert len(landed) == (1 if fault == "reset-after" else 0)


def test_reset_read_is_retried(site: Site, sandbox_site: SandboxHandle) -> None:
    sandbox_site.faults.inject("reset", method="GET", path="/wiki/api/v2/spaces")
    assert site.confluence.space("OPS").key == "OPS"
    assert [kind for kind, _, _ in sandbox_site.faults.injected] == ["reset"]
    assert site.stats.retries == 1


def test_site_sandbox_starts_in_process_with_state_in_the_project(tmp_path: Path) -> None:
    connection = open_site("sandbox", project_dir=tmp_path, env={})
    try:
        assert connection.settings.site_url.startswith("http://127.0.0.1:")
        assert connection.settings.credentials.source == "sandbox"
    finally:
        connection.close()
    assert sandbox_state_file(tmp_path).exists()


@pytest.mark.usefixtures("debug_logging_undone")
def test_doctor_on_the_sandbox_never_shows_the_token(tmp_path: Path) -> None:
    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN

    (tmp_path / "teamcomms.yaml").write_text("name: T\ndefaults:\n  space: TEAM\n")
    result = CliRunner().invoke(app, ["--debug", "doctor", str(tmp_path), "--site", "sandbox"])
    assert result.exit_code == 0, result.output
    assert "space TEAM" in result.stdout
    basic = base64.b64encode(f"{SANDBOX_EMAIL}:{SANDBOX_TOKEN}".encode()).decode()
    for text in (result.stdout, result.stderr):
        assert SANDBOX_TOKEN not in text
        assert basic not in text


def test_archive_and_delete_take_pages_out_of_the_listing(site: Site) -> None:
    confluence = site.confluence
    kept = confluence.create_page("OPS", "Kept", "<p>k</p>")
    archived = confluence.create_page("OPS", "Old process", "<p>o</p>")
    deleted = confluence.create_page("OPS", "Scratch", "<p>s</p>")
    confluence.archive_page(archived.id)
    confluence.delete_page(deleted.id)
    listed = {p.id for p in confluence.list_pages("OPS")}
    assert kept.id in listed
    assert archived.id not in listed and deleted.id not in listed
