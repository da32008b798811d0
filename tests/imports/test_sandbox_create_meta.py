"""The sandbox's create metadata, project statuses and custom field checks, through the site
layer (the contract checker compares every exchange with Atlassian's spec)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamcomms.site.connection import Site
from teamcomms.site.errors import BadRequest
from teamcomms.site.jira_issues import IssueToCreate
from tests.conftest import SandboxHandle
from tests.imports.conftest import SiteApi


def test_create_metadata_lists_types_fields_and_allowed_values(
    site: Site, sandbox_site: SandboxHandle, fields: dict[str, str]
) -> None:
    jira = site.jira
    types = {t.name: t for t in jira.create_meta_types("SHOP")}
    assert {name: t.hierarchy_level for name, t in types.items()} == {
        "Task": 0, "Epic": 1, "Subtask": -1, "Story": 0, "Bug": 0,
    }  # fmt: skip
    story = {f.id: f for f in jira.create_meta_fields("SHOP", types["Story"].id)}
    assert story["summary"].required and not story["summary"].has_default
    assert story["priority"].has_default and not story["priority"].required
    assert [v.name for v in story["priority"].allowed or ()] == [
        "Highest", "High", "Medium", "Low", "Lowest"
    ]  # fmt: skip
    assert {v.name for v in story["components"].allowed or ()} == {"Checkout", "Search", "Catalog"}
    assert (story["labels"].type, story["labels"].items, story["labels"].allowed) == (
        "array", "string", None
    )  # fmt: skip
    channel = story[fields["Sales Channel"]]
    assert (channel.name, channel.type) == ("Sales Channel", "option")
    assert [v.name for v in channel.allowed or ()] == ["Web shop", "Marketplace", "Retail store"]
    assert story[fields["Story Points"]].type == "number"
    assert not story["parent"].required
    assert "parent" not in {f.id for f in jira.create_meta_fields("SHOP", types["Epic"].id)}
    subtask = {f.id: f for f in jira.create_meta_fields("SHOP", types["Subtask"].id)}
    assert subtask["parent"].required


def test_a_field_with_no_context_for_the_project_is_not_on_its_screen(
    site: Site, sandbox_site: SandboxHandle
) -> None:
    api = SiteApi(sandbox_site)
    # Since CHANGE-3019 (April 2026) a field's global context can no longer be deleted: a field
    # limited to some projects is one made before, as here.
    sandbox_site.clock.start_at(datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    kind = "com.atlassian.jira.plugin.system.customfieldtypes:textfield"
    field = api.ok("POST", "/rest/api/3/field", json={"name": "Warehouse bin", "type": kind})
    (default,) = api.ok("GET", f"/rest/api/3/field/{field['id']}/context")["values"]
    api.ok("DELETE", f"/rest/api/3/field/{field['id']}/context/{default['id']}")
    ops = api.ok("GET", "/rest/api/3/project/OPS")["id"]
    api.ok("POST", f"/rest/api/3/field/{field['id']}/context",
           json={"name": "OPS only", "projectIds": [ops]})  # fmt: skip
    task = next(t for t in site.jira.create_meta_types("SHOP") if t.name == "Task")
    assert field["id"] not in {f.id for f in site.jira.create_meta_fields("SHOP", task.id)}
    ops_task = next(t for t in site.jira.create_meta_types("OPS") if t.name == "Task")
    assert field["id"] in {f.id for f in site.jira.create_meta_fields("OPS", ops_task.id)}


def test_a_required_field_is_said_so_and_a_create_without_it_is_refused(
    site: Site, sandbox_site: SandboxHandle, fields: dict[str, str]
) -> None:
    points = fields["Story Points"]
    sandbox_site.state.require_field("SHOP", points)
    task = next(t for t in site.jira.create_meta_types("SHOP") if t.name == "Task")
    meta = {f.id: f for f in site.jira.create_meta_fields("SHOP", task.id)}
    assert meta[points].required
    project = site.jira.project("SHOP")
    assert project is not None
    base = {"project": {"id": project.id}, "issuetype": {"id": task.id}, "summary": "x"}
    result = site.jira.create_issues([IssueToCreate(base), IssueToCreate({**base, points: 3})])
    assert [f.message for f in result.failed] == [f"{points}: Story Points is required."]
    assert len(result.created) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"value": "Phone"}, "Option value 'Phone' is not valid"),
        ({"id": "1"}, "Option id '1' is not valid"),
        ("Web shop", "Specify the option of Sales Channel as"),
    ],
)
def test_a_select_takes_only_its_enabled_options(
    site: Site, fields: dict[str, str], value: object, message: str
) -> None:
    project = site.jira.project("SHOP")
    assert project is not None
    channel = fields["Sales Channel"]
    fields_ = {"project": {"id": project.id}, "issuetype": {"name": "Task"}, "summary": "x"}
    with pytest.raises(BadRequest) as raised:
        site.jira.create_issue(IssueToCreate({**fields_, channel: value}))
    assert message in str(raised.value)
    made = site.jira.create_issue(IssueToCreate({**fields_, channel: {"value": "Marketplace"}}))
    assert made.key.startswith("SHOP-")


def test_project_statuses_are_per_issue_type(site: Site) -> None:
    found = {s.type_name: s.statuses for s in site.jira.project_statuses("SHOP")}
    assert found["Story"] == ("To Do", "In Progress", "Done")
    assert set(found) == {"Task", "Epic", "Subtask", "Story", "Bug"}


def test_create_metadata_is_paged(sandbox_site: SandboxHandle) -> None:
    api = SiteApi(sandbox_site)
    page = api.ok("GET", "/rest/api/3/issue/createmeta/SHOP/issuetypes?maxResults=2&startAt=2")
    assert (page["startAt"], page["total"], len(page["issueTypes"])) == (2, 5, 2)
