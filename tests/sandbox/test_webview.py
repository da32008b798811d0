"""The sandbox's read-only web view, over real HTTP: what is on the site, every value escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import requests

from teamcomms.sandbox import SiteState, start_sandbox
from teamcomms.sandbox.webview_parts import href
from tests.conftest import SandboxHandle

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


class _Document(HTMLParser):
    """Visible text, links and elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._href: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("style", "script")
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._href is not None and data.strip():
            self.links[data.strip()] = self._href

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def _get(site: SandboxHandle, path: str, status: int = 200) -> _Document:
    answer = requests.get(site.url + path, timeout=10)  # no credentials: the view needs none
    assert answer.status_code == status, answer.text[:500]
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in answer.headers["Content-Security-Policy"]  # default-src 'none'
    document = _Document()
    document.feed(answer.text)
    return document


def _owned_page(state: SiteState) -> dict[str, object]:
    space = state.space_by_key("TEAM")
    assert space is not None
    home = state.page_by_title("TEAM", "Team Home")
    assert home is not None
    page = state.create_page(
        space["id"],
        "Runbook " + HOSTILE,
        "<h2>Steps</h2><ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>"
        "incomplete</ac:task-status><ac:task-body>Check &lt;stock&gt;</ac:task-body></ac:task>"
        '</ac:task-list><p><ac:link><ri:page ri:content-title="Team Home"/></ac:link></p>',
        home["id"],
    )
    page["labels"].append({"id": "1", "name": "runbook", "prefix": "global"})
    page["properties"]["2"] = {
        "id": "2",
        "key": "teamcomms",
        "value": {"definition": "page/runbook", "hash": "sha256:" + HOSTILE, "version": 1},
        "version": {"number": 1},
    }
    state.save()
    return page


def test_home_lists_spaces_projects_and_workflows_and_needs_no_credentials(
    sandbox_site: SandboxHandle,
) -> None:
    for path in ("/", "/_sandbox", "/_sandbox/"):
        home = _get(sandbox_site, path)
        assert "not a real Atlassian site" in home.words
        assert {"ENG", "OPS", "PROD", "TEAM", "PEOPLE", "SHOP", "jira"} <= set(home.links)
        assert home.links["TEAM"] == "/_sandbox/spaces/TEAM"
        assert home.links["SHOP"] == "/_sandbox/projects/SHOP"
    # The view is not the emulated API: nothing in the request log the budgets count.
    assert sandbox_site.requests == []


def test_a_space_shows_its_page_tree_with_owned_pages_marked(sandbox_site: SandboxHandle) -> None:
    page = _owned_page(sandbox_site.state)
    answer = requests.get(f"{sandbox_site.url}/_sandbox/spaces/TEAM", timeout=10)
    assert HOSTILE not in answer.text
    tree = re.search(r'<ul class="sb-tree">(.*)</ul><h2>', answer.text, re.S)
    assert tree is not None
    # Nested under its parent, marked as teamcomms's, with its version and labels.
    assert re.search(r"Team Home</a>.*?<ul><li>.*?teamcomms</span> <a href=\"/_sandbox/pages/"
                     + str(page["id"]), tree.group(1))  # fmt: skip
    document = _get(sandbox_site, "/_sandbox/spaces/TEAM")
    assert f"Runbook {HOSTILE}" in document.links
    assert "v1 runbook" in document.words


def test_a_page_shows_its_body_labels_version_and_owner_marker(
    sandbox_site: SandboxHandle,
) -> None:
    page = _owned_page(sandbox_site.state)
    sandbox_site.state.edit_page_as_user(str(page["id"]), body=str(page["body"]) + "<p>more</p>")
    answer = requests.get(f"{sandbox_site.url}/_sandbox/pages/{page['id']}", timeout=10)
    assert HOSTILE not in answer.text
    document = _get(sandbox_site, f"/_sandbox/pages/{page['id']}")
    words = document.words
    assert f"Runbook {HOSTILE}" in words
    assert "Version 2 by 712020:hand-editor" in words
    assert '"definition": "page/runbook"' in words
    assert "Labels runbook" in words
    assert "Check <stock>" in words
    assert document.links["Team Home"] == "/_sandbox/pages/" + str(page["parentId"])
    checkbox = [a for tag, a in document.tags if tag == "input"]
    assert checkbox and checkbox[0].get("type") == "checkbox"


def test_a_page_without_the_marker_says_teamcomms_does_not_own_it(
    sandbox_site: SandboxHandle,
) -> None:
    home = sandbox_site.state.page_by_title("TEAM", "Team Home")
    assert home is not None
    words = _get(sandbox_site, f"/_sandbox/pages/{home['id']}").words
    assert "Owner marker none: teamcomms does not own this page" in words


def test_a_body_that_is_not_xml_is_shown_escaped(sandbox_site: SandboxHandle) -> None:
    space = sandbox_site.state.space_by_key("ENG")
    assert space is not None
    page = sandbox_site.state.create_page(space["id"], "Broken", "<p>open &nbsp;" + HOSTILE, None)
    answer = requests.get(f"{sandbox_site.url}/_sandbox/pages/{page['id']}", timeout=10)
    assert answer.status_code == 200
    assert HOSTILE not in answer.text
    assert "The body is not well-formed storage XHTML" in answer.text


def test_templates_projects_workflows_issues_and_the_catalogue(
    sandbox_site: SandboxHandle,
) -> None:
    state = sandbox_site.state
    state.table("templates")["77"] = {
        "templateId": "77",
        "name": "Checklist " + HOSTILE,
        "description": "Go/no-go [teamcomms template/readiness 0123456789abcdef]",
        "body": "<p>Release {{ release }}</p>",
        "spaceKey": "ENG",
        "labels": [{"id": "5", "name": "checklist", "prefix": "global"}],
    }
    project = state.project_by_key("OPS")
    assert project is not None
    state.table("issues")["900"] = {
        "id": "900",
        "key": "OPS-1",
        "projectId": project["id"],
        "fields": {"summary": HOSTILE, "issuetype": "10001", "status": "3", "labels": ["x"]},
        "properties": {"teamcomms": {"definition": "hire/ada"}},
        "created": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z",
    }
    state.save()

    template = _get(sandbox_site, "/_sandbox/templates/77")
    assert "Release {{ release }}" in template.words
    assert "[teamcomms template/readiness 0123456789abcdef]" in template.words
    ops = _get(sandbox_site, "/_sandbox/projects/OPS")
    assert "Order jira" in ops.words  # the issue type and the workflow its scheme maps it to
    assert ops.links["OPS-1"] == "/_sandbox/issues/OPS-1"
    issue = _get(sandbox_site, "/_sandbox/issues/OPS-1")
    assert f"OPS-1: {HOSTILE}" in issue.words
    assert "Status In Progress" in issue.words
    assert '"definition": "hire/ada"' in issue.words
    workflow = _get(sandbox_site, "/_sandbox/workflows/10200")
    assert "New issues start in To Do" in workflow.words
    assert "In Progress any status In Progress" in workflow.words
    [diagram] = [a for tag, a in workflow.tags if tag == "img"]
    assert (diagram.get("src") or "").startswith("data:image/svg+xml;base64,")
    catalogue = _get(sandbox_site, "/_sandbox/jira")
    assert {"customer-care", "warehouse"} <= set(catalogue.words.split())
    for path in ("/_sandbox/templates/77", "/_sandbox/projects/OPS", "/_sandbox/issues/OPS-1"):
        assert HOSTILE not in requests.get(sandbox_site.url + path, timeout=10).text


def test_the_view_only_reads() -> None:
    # A sandbox without the contract checker: these requests are for no Atlassian API.
    with start_sandbox() as site:
        for path in ("/", "/_sandbox/spaces/TEAM"):
            answer = requests.post(site.url + path, data=b"x", timeout=10)
            assert answer.status_code == 401  # the emulated API's answer, not the view
            assert not answer.headers["Content-Type"].startswith("text/html")


def test_addresses_quote_what_they_name() -> None:
    assert href("spaces", "A B/C?") == "/_sandbox/spaces/A%20B%2FC%3F"


def test_missing_objects_are_404_pages(sandbox_site: SandboxHandle) -> None:
    for path in (
        "/_sandbox/pages/1",
        "/_sandbox/spaces/NOPE",
        "/_sandbox/issues/X-1",
        "/_sandbox/x",
    ):
        assert "Not found" in _get(sandbox_site, path, status=404).words
