"""``teamcomms sandbox serve`` as a user runs it: a subprocess that prints URL and credentials."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from teamcomms.errors import ExitCode
from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN


def _serve(state: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, Any], float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "teamcomms",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--state",
            str(state),
            "--format",
            "json",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    assert line, process.stderr.read() if process.stderr else ""
    return process, json.loads(line), elapsed


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.communicate(timeout=10)  # also closes the pipes


def test_serve_prints_url_and_credentials_as_text(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "teamcomms", "sandbox", "serve", "--port", "0", "--state",
         str(tmp_path / "state.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(5)]
    _stop(process)
    assert lines[0].startswith("sandbox site: http://127.0.0.1:")
    assert "(Confluence: http://127.0.0.1:" in lines[0] and lines[0].rstrip().endswith("/wiki)")
    url = lines[0].split()[2]
    assert lines[1].split() == ["email:", SANDBOX_EMAIL]
    assert lines[2].split() == ["token:", SANDBOX_TOKEN]
    assert lines[3].split() == ["state:", str(tmp_path / "state.json")]
    assert lines[4] == f"web view:     {url}/  (read-only; open it in a browser)\n"


def test_serve_prints_url_and_credentials_and_persists(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    process, info, elapsed = _serve(state)
    try:
        assert info["url"].startswith("http://127.0.0.1:")
        assert (info["email"], info["token"]) == (SANDBOX_EMAIL, SANDBOX_TOKEN)
        assert info["format_version"] == 1
        assert info["web_view"] == info["url"] + "/"
        assert info["provisioned"] is None  # no project given
        assert "Sandbox site" in requests.get(info["web_view"], timeout=10).text
        auth = (info["email"], info["token"])
        spaces = requests.get(info["url"] + "/wiki/api/v2/spaces?keys=TEAM", auth=auth, timeout=10)
        space_id = spaces.json()["results"][0]["id"]
        created = requests.post(
            info["url"] + "/wiki/api/v2/pages",
            json={"spaceId": space_id, "title": "From the CLI"},
            auth=auth,
            timeout=10,
        )
        assert created.status_code == 200
    finally:
        _stop(process)
    # Start time is reported, not asserted (speed is measured in bench/): see the test output.
    print(f"sandbox serve answered its first line after {elapsed * 1000:.0f} ms")

    process, info, _ = _serve(state)
    try:
        found = requests.get(
            info["url"] + "/wiki/rest/api/content/search",
            params={"cql": 'title = "From the CLI"'},
            auth=(info["email"], info["token"]),
            timeout=10,
        )
        assert [r["title"] for r in found.json()["results"]] == ["From the CLI"]
    finally:
        _stop(process)


def test_serve_refuses_a_public_address(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "teamcomms",
            "sandbox",
            "serve",
            "--host",
            "0.0.0.0",  # noqa: S104 - refused, never bound
            "--state",
            str(tmp_path / "s.json"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1
    assert "the sandbox only listens on 127.0.0.1, not on '0.0.0.0'" in done.stderr
    assert "--host 127.0.0.1" in done.stderr  # what to do instead
    assert done.stdout == ""
    assert not (tmp_path / "s.json").exists()  # nothing was started


def test_state_saved_by_serve_is_the_site_of_site_sandbox(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from teamcomms.cli import app

    project = tmp_path / "project"
    project.mkdir()
    (project / "teamcomms.yaml").write_text("name: Shared\ndefaults:\n  project: LEGAL\n")
    # serve with the file --site sandbox uses for this project: <project>/.teamcomms/...
    process, info, _ = _serve(project / ".teamcomms" / "sandbox-state.json")
    try:
        created = requests.post(
            info["url"] + "/rest/api/3/project",
            json={"key": "LEGAL", "name": "Legal", "projectTypeKey": "business"},
            auth=(info["email"], info["token"]),
            timeout=10,
        )
        assert created.status_code == 201, created.text
        # While serve runs, --site sandbox on the same file would undo its changes: refused.
        busy = CliRunner().invoke(app, ["doctor", str(project), "--site", "sandbox"])
        assert busy.exit_code == 1
        assert "FAIL  settings: another sandbox is using the state file" in busy.stdout
        assert f"serving {info['url']}" in busy.stdout
        assert f"--site {info['url']}" in busy.stdout
    finally:
        _stop(process)

    result = CliRunner().invoke(app, ["doctor", str(project), "--site", "sandbox"])
    assert result.exit_code == 0, result.output
    assert "ok    project LEGAL: Legal: may browse, create and edit issues" in result.stdout


def test_serve_explains_a_bad_fault_spec(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from teamcomms.cli import app

    result = CliRunner().invoke(
        app, ["sandbox", "serve", "--state", str(tmp_path / "s.json"), "--faults", "429:lots"]
    )
    assert result.exit_code == ExitCode.USAGE
    assert "bad fault spec '429:lots'" in result.output
    assert not (tmp_path / "s.json").exists()  # nothing was started


def test_serve_a_project_creates_what_its_definitions_need_and_says_so(tmp_path: Path) -> None:
    project = tmp_path / "socks"
    project.mkdir()
    (project / "teamcomms.yaml").write_text("name: Socks\ndefaults: {space: SOCKS}\n")
    (project / "pages.yaml").write_text("kind: page\nname: home\ntitle: Socks\nbody: home.md\n")
    (project / "home.md").write_text("# Socks\n")
    process, info = _serve_project(project, "--format", "json")
    try:
        assert info["state"] == str(project / ".teamcomms" / "sandbox-state.json")
        assert info["provisioned"] == {
            "spaces": ["SOCKS"],
            "projects": [],
            "issue_types": [],
            "groups": [],
        }
        spaces = requests.get(
            info["url"] + "/wiki/api/v2/spaces?keys=SOCKS",
            auth=(info["email"], info["token"]),
            timeout=10,
        )
        assert [s["key"] for s in spaces.json()["results"]] == ["SOCKS"]
    finally:
        _stop(process)
    process = _serve_project_text(project)
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(6)]
    _stop(process)
    assert lines[5] == "created:      nothing: the site has everything the definitions need\n"


def test_serve_a_project_reports_what_it_created_as_text(tmp_path: Path) -> None:
    project = tmp_path / "socks"
    project.mkdir()
    (project / "teamcomms.yaml").write_text("name: Socks\ndefaults: {space: SOCKS, project: WEB}\n")
    process = _serve_project_text(project)
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(8)]
    _stop(process)
    assert lines[5:] == [
        "created:      spaces: SOCKS\n",
        "              Jira projects: WEB\n",
        "              (only the sandbox does this; on a real site an admin does)\n",
    ]


def _serve_project(project: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "teamcomms", "sandbox", "serve", str(project), "--port", "0",
         *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.stderr.read() if process.stderr else ""
    return process, json.loads(line)


def _serve_project_text(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "teamcomms", "sandbox", "serve", str(project), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_datacenter_prints_its_token_and_refuses_a_cloud_state_file(
    tmp_path: Path,
) -> None:
    state = tmp_path / "dc.json"
    process, info, _ = _serve(state, "--deployment", "datacenter")
    try:
        assert info["deployment"] == "datacenter"
        assert info["confluence_url"] == info["url"]  # no /wiki on Data Center
        bearer = {"Authorization": f"Bearer {info['token']}"}
        page = requests.post(
            info["url"] + "/rest/api/content",
            json={
                "type": "page",
                "title": "From the CLI",
                "space": {"key": "TEAM"},
                "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}},
            },
            headers=bearer,
            timeout=10,
        )
        assert page.status_code == 200
        me = requests.get(info["url"] + "/rest/api/2/myself", headers=bearer, timeout=10)
        assert me.json()["name"] == "sandbox"
    finally:
        _stop(process)
    # The state file remembers its deployment: serving it as Cloud is refused, saying why.
    refused = subprocess.run(
        [sys.executable, "-m", "teamcomms", "sandbox", "serve", "--port", "0", "--state",
         str(state)],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "holds a datacenter site, not a cloud one" in refused.stderr
    process, again, _ = _serve(state, "--deployment", "datacenter")
    try:
        found = requests.get(
            again["url"] + "/rest/api/content",
            params={"spaceKey": "TEAM", "title": "From the CLI"},
            headers={"Authorization": f"Bearer {again['token']}"},
            timeout=10,
        )
        assert [p["title"] for p in found.json()["results"]] == ["From the CLI"]
    finally:
        _stop(process)
