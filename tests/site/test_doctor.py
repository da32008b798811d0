"""``teamcomms doctor`` through the CLI against a mocked site; secrets never in the output."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from typer.testing import CliRunner

from teamcomms.cli import app
from tests.logging_support import debug_logging_undone  # noqa: F401 (fixture)

SITE = "https://northwind-doctor.atlassian.net"
EMAIL = "ada@northwind.test"
TOKEN = "ATATT-doctor-secret-9f8e7d6c5b4a"
BASIC = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
JIRA = f"{SITE}/rest/api/3"
V2 = f"{SITE}/wiki/api/v2"

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "teamcomms.yaml").write_text(
        f"name: Northwind\nsite: {SITE}\ndefaults:\n  space: TEAM\n  project: OPS\n"
    )
    for name in ("TEAMCOMMS_SITE", "TEAMCOMMS_PAT", "TEAMCOMMS_TOKEN_SCOPED", "TEAMCOMMS_CLOUD_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEAMCOMMS_EMAIL", EMAIL)
    monkeypatch.setenv("TEAMCOMMS_API_TOKEN", TOKEN)
    monkeypatch.setattr("teamcomms.site.settings.system_keyring", lambda service, user: None)
    return tmp_path


@pytest.fixture
def healthy_site() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{JIRA}/serverInfo", json={"deploymentType": "Cloud", "version": "1001.0.0"})
        mock.get(
            f"{JIRA}/myself",
            json={"accountId": "557058:ada", "displayName": "Ada", "emailAddress": EMAIL},
        )
        mock.get(
            f"{V2}/spaces",
            json={"results": [{"id": "98304", "key": "TEAM", "name": "Team", "homepageId": "1"}]},
        )
        mock.get(
            f"{V2}/spaces/98304/operations",
            json={
                "operations": [
                    {"operation": "create", "targetType": "page"},
                    {"operation": "administer", "targetType": "space"},
                ]
            },
        )
        mock.get(
            f"{JIRA}/project/OPS",
            json={"id": "10000", "key": "OPS", "name": "Operations", "projectTypeKey": "software"},
        )
        mock.get(
            f"{JIRA}/mypermissions",
            json={
                "permissions": {
                    key: {"havePermission": True}
                    for key in ("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES")
                }
            },
        )
        yield mock


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert TOKEN not in text
        assert BASIC not in text


@pytest.mark.usefixtures("debug_logging_undone")
def test_doctor_passes_on_a_ready_site_and_debug_output_has_no_secret(
    project: Path, healthy_site: responses.RequestsMock
) -> None:
    result = runner.invoke(app, ["--debug", "doctor", str(project)])
    assert result.exit_code == 0, result.output
    assert "signed in as Ada" in result.stdout
    assert "space TEAM" in result.stdout and "project OPS" in result.stdout
    assert "all checks passed" in result.stdout
    assert "GET" in result.stderr  # the debug log shows requests...
    _assert_no_secret(result.stdout, result.stderr)  # ...but never the credentials
    sent = healthy_site.calls[0].request.headers["Authorization"]
    assert sent == f"Basic {BASIC}"


@pytest.mark.usefixtures("debug_logging_undone")
def test_rejected_credentials_name_the_variables_and_leak_nothing(
    project: Path, healthy_site: responses.RequestsMock
) -> None:
    healthy_site.replace(responses.GET, f"{JIRA}/myself", status=401, body="Unauthorized")
    result = runner.invoke(app, ["--debug", "doctor", str(project)])
    assert result.exit_code == 1
    assert "FAIL  credentials" in result.stdout
    assert "TEAMCOMMS_API_TOKEN" in result.stdout and "TEAMCOMMS_EMAIL" in result.stdout
    _assert_no_secret(result.stdout, result.stderr)


def test_missing_project_fails_with_what_to_do_in_json(
    project: Path, healthy_site: responses.RequestsMock
) -> None:
    healthy_site.replace(
        responses.GET,
        f"{JIRA}/project/OPS",
        status=404,
        json={"errorMessages": ["No project could be found with key 'OPS'."], "errors": {}},
    )
    result = runner.invoke(app, ["doctor", str(project), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["deployment"] == "cloud"
    [check] = [c for c in report["checks"] if c["name"] == "project OPS"]
    assert check["status"] == "missing"
    assert "create the project OPS" in check["hint"]
    assert [c["status"] for c in report["checks"] if c["name"] == "space TEAM"] == ["ok"]


def test_deployment_mismatch_is_reported(
    project: Path, healthy_site: responses.RequestsMock
) -> None:
    healthy_site.replace(
        responses.GET,
        f"{JIRA}/serverInfo",
        json={"deploymentType": "DataCenter", "version": "10.3.1"},
    )
    result = runner.invoke(app, ["doctor", str(project)])
    assert result.exit_code == 1
    assert "DataCenter 10.3.1" in result.stdout
    assert "deployment: datacenter" in result.stdout


def test_missing_credentials_are_reported_without_touching_the_network(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEAMCOMMS_API_TOKEN")
    with responses.RequestsMock() as mock:
        result = runner.invoke(app, ["doctor", str(project)])
        assert len(mock.calls) == 0
    assert result.exit_code == 1
    assert "FAIL  settings" in result.stdout
    assert "TEAMCOMMS_API_TOKEN" in result.stdout


def test_plain_http_to_a_remote_host_is_refused(project: Path) -> None:
    result = runner.invoke(app, ["doctor", str(project), "--site", "http://wiki.example.com"])
    assert result.exit_code == 1
    assert "refusing plain http://" in result.stdout


def test_targets_come_from_every_kind_of_definition(tmp_path: Path) -> None:
    from teamcomms.definitions import load_project
    from teamcomms.resources.prerequisites import site_prerequisites

    (tmp_path / "teamcomms.yaml").write_text("name: T\ndefaults:\n  space: TEAM\n")
    (tmp_path / "defs.yaml").write_text(
        "kind: page\nname: handbook\ntitle: Handbook\nspace: ENG\nbody: h.md\n"
        "---\nkind: filter\nname: Open orders\njql: project = OPS\n"
        "share:\n  - {type: project, project: SHOP}\n  - {type: group, group: warehouse}\n"
    )
    (tmp_path / "h.md").write_text("# Handbook\n")
    targets = site_prerequisites(load_project(tmp_path))
    assert targets.spaces == ("ENG", "TEAM")
    assert targets.projects == ("SHOP",)
    assert targets.groups == ("warehouse",)
    assert targets.needs_jira_admin is False


def _echo_credentials(request: Any) -> tuple[int, dict[str, str], str]:
    """A site that quotes the Authorization header it got (and its decoding) in its 401."""
    header = request.headers["Authorization"]
    decoded = base64.b64decode(header.split()[1]).decode()
    body = {"message": f"rejected {header!r} ({decoded})", "status-code": 401}
    return 401, {"Content-Type": "application/json"}, json.dumps(body)


@pytest.mark.usefixtures("debug_logging_undone")
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_site_echoing_the_authorization_header_leaks_nothing(
    project: Path, healthy_site: responses.RequestsMock, output: str
) -> None:
    healthy_site.remove(responses.GET, f"{JIRA}/myself")
    healthy_site.add_callback(responses.GET, f"{JIRA}/myself", callback=_echo_credentials)
    result = runner.invoke(app, ["--debug", "doctor", str(project), "--format", output])
    assert result.exit_code == 1
    _assert_no_secret(result.stdout, result.stderr)
    assert "rejected" in result.stdout and "****" in result.stdout
    if output == "json":
        [check] = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "credentials"]
        assert check["status"] == "missing"
        assert "TEAMCOMMS_API_TOKEN" in check["hint"]


def test_the_doctor_report_itself_holds_no_echoed_secret(
    project: Path, healthy_site: responses.RequestsMock
) -> None:
    from teamcomms.engine.connect import open_site
    from teamcomms.site.doctor import Targets, format_text, run_doctor

    healthy_site.remove(responses.GET, f"{JIRA}/myself")
    healthy_site.add_callback(responses.GET, f"{JIRA}/myself", callback=_echo_credentials)
    report = run_doctor(lambda: open_site(SITE), Targets())
    assert not report.ok
    _assert_no_secret(json.dumps(report.as_json()), "\n".join(format_text(report)))


@pytest.mark.parametrize(
    "site",
    ["ftp://ada:hunter2-pw@wiki.example.com", "https://ada:hunter2-pw@wiki.example.com"],
)
def test_a_site_url_with_a_password_is_refused_without_echoing_it(project: Path, site: str) -> None:
    with responses.RequestsMock() as mock:
        result = runner.invoke(app, ["doctor", str(project), "--site", site, "--format", "json"])
        assert len(mock.calls) == 0
    assert result.exit_code == 1
    assert "hunter2" not in result.output
    [check] = json.loads(result.stdout)["checks"]
    assert check["name"] == "settings" and "hunter2" not in json.dumps(check)


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_scoped_token_whose_cloud_id_lookup_echoes_it_leaks_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    site = f"https://scoped-doctor-{output}.atlassian.net"
    monkeypatch.setenv("TEAMCOMMS_TOKEN_SCOPED", "1")
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, f"{site}/_edge/tenant_info", callback=_echo_credentials)
        result = runner.invoke(app, ["doctor", str(project), "--site", site, "--format", output])
    assert result.exit_code == 1
    _assert_no_secret(result.stdout, result.stderr)
    assert "_edge/tenant_info" in result.stdout
    assert "TEAMCOMMS_API_TOKEN" in result.stdout  # what to check
