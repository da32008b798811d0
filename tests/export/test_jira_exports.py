"""Each Jira resource's export, on values: what becomes a definition, what is adopted, and what
a definition cannot say (reported, and the object not adopted)."""

from __future__ import annotations

from typing import Any

from teamcomms.engine.resource import Exported, ExportSelection
from teamcomms.resources.jira_boards import JiraBoards
from teamcomms.resources.jira_fields import JiraCustomFields
from teamcomms.resources.jira_filters import JiraFilters
from teamcomms.resources.jira_objects import Existing, Spec
from teamcomms.resources.jira_schemes import JiraWorkflowSchemes
from teamcomms.resources.jira_workflows import JiraWorkflows

CHOSEN = ExportSelection(projects=("OPS",))
STATUSES = {
    "Open": {"category": "todo", "description": ""},
    "Shipped": {"category": "done", "description": "Out of the door."},
    "Lost": {"category": "done", "description": ""},
}


def workflow(transitions: dict[str, Any], *, owner: str | None = None, **extra: Any) -> Existing:
    spec = Spec(
        "Orders",
        {
            "description": "Paid to shipped.",
            "statuses": ["Open", "Shipped", "Lost"],
            "initial": "Open",
            "transitions": transitions,
        },
    )
    return Existing("1", spec, owner=owner, extra={"statuses": STATUSES, **extra})


def ship(**rules: Any) -> dict[str, Any]:
    return {"from": ["Open"], "to": "Shipped", "description": "", **rules}


def only(exported: Exported) -> tuple[dict[str, Any], str]:
    (definition,) = exported.definitions
    return dict(definition.document), definition.comment


def notes(exported: Exported) -> list[str]:
    return [note.what for note in exported.notes]


def test_a_workflow_with_modelled_rules_is_adopted_as_it_is() -> None:
    transitions = {
        "Ship": ship(requires=["Carrier"], groups=["warehouse"], resolution="Done"),
        "Lose": {"from": "any", "to": "Lost", "description": "Gone", "resolution": "Done"},
    }
    exported = JiraWorkflows().export((workflow(transitions),), CHOSEN)
    document, comment = only(exported)
    assert comment == ""
    assert document == {
        "description": "Paid to shipped.",
        "statuses": [
            {"name": "Open", "category": "todo"},
            {"name": "Shipped", "category": "done", "description": "Out of the door."},
            {"name": "Lost", "category": "done"},
        ],
        "initial": "Open",
        "transitions": [
            {"name": "Ship", "from": ["Open"], "to": "Shipped", "requires": ["Carrier"],
             "groups": ["warehouse"]},
            {"name": "Lose", "from": "any", "to": "Lost", "description": "Gone"},
        ],
        "adopt": True,
    }  # fmt: skip
    assert notes(exported) == []


def test_no_resolution_anywhere_is_said_and_an_owned_workflow_needs_no_adopt() -> None:
    exported = JiraWorkflows().export(
        (workflow({"Ship": ship()}, owner="workflow/Orders"),), CHOSEN
    )
    document, _ = only(exported)
    assert document["resolution"] is None
    assert "adopt" not in document


def test_different_resolutions_and_unmodelled_rules_keep_a_workflow_from_being_adopted() -> None:
    transitions = {
        "Ship": ship(resolution="Done", **{"other rules": ["system:change-assignee"]}),
        "Lose": {"from": "any", "to": "Lost", "description": "", "resolution": "Won't Do"},
    }
    exported = JiraWorkflows().export((workflow(transitions),), CHOSEN)
    document, comment = only(exported)
    assert "adopt" not in document
    assert comment.startswith("Not adopted:\n- transition 'Ship' has rules teamcomms")
    found = notes(exported)
    assert any("system:change-assignee" in n for n in found)
    assert any("different resolutions (Ship: Done; Lose: Won't Do)" in n for n in found)
    assert any("a plan would change them" in n and "transitions" in n for n in found)


def test_jiras_own_workflow_and_one_without_categories_are_left_out_with_a_note() -> None:
    builtin = workflow({}, editable=False)
    unknown = Existing("2", Spec("Odd", {**workflow({}).spec.values, "statuses": ["Gone"]}))
    exported = JiraWorkflows().export((builtin, unknown), CHOSEN)
    assert exported.definitions == ()
    assert notes(exported) == [
        "not exported: the categories of Gone are unknown",
        "not exported: Jira's built-in workflow, read-only",
    ]


def field(contexts: dict[str, Any], kind: str = "select", owner: str | None = None) -> Existing:
    spec = Spec("Carrier", {"type": kind, "description": "Who ships it.", "contexts": contexts})
    return Existing("customfield_1", spec, owner=owner)


GLOBAL = "Default Configuration Scheme for Carrier"


def test_a_field_with_contexts_and_options_is_adopted() -> None:
    contexts = {
        GLOBAL: {"projects": [], "issue_types": [], "options": ["UPS", "DHL"]},
        "Freight": {
            "projects": ["DIST"],
            "issue_types": ["Stock Transfer"],
            "options": ["UPS", "DHL"],
        },
    }
    document, comment = only(JiraCustomFields().export((field(contexts),), CHOSEN))
    assert (document, comment) == (
        {
            "type": "select",
            "description": "Who ships it.",
            "options": ["UPS", "DHL"],
            "contexts": [
                {"name": "Freight", "projects": ["DIST"], "issue_types": ["Stock Transfer"]}
            ],
            "adopt": True,
        },
        "",
    )


def test_contexts_with_different_options_or_no_global_context_are_not_adopted() -> None:
    contexts = {
        GLOBAL: {"projects": [], "issue_types": [], "options": ["UPS"]},
        "Freight": {"projects": ["DIST"], "issue_types": [], "options": ["DHL"]},
    }
    exported = JiraCustomFields().export((field(contexts),), CHOSEN)
    document, comment = only(exported)
    assert "adopt" not in document and "different options" in comment
    scoped = {"Freight": {"projects": ["DIST"], "issue_types": [], "options": ["DHL"]}}
    exported = JiraCustomFields().export((field(scoped),), CHOSEN)
    assert any("no global context" in n for n in notes(exported))
    assert "adopt" not in only(exported)[0]


def test_a_field_of_an_unmodelled_type_is_left_out() -> None:
    exported = JiraCustomFields().export((field({}, kind="cascadingselect"),), CHOSEN)
    assert exported.definitions == ()
    assert notes(exported) == ["not exported: its type cascadingselect is not modelled"]


def a_filter(share: list[str], **extra: Any) -> Existing:
    values = {"description": "", "jql": "project = OPS", "favourite": False, "share": share}
    return Existing("10", Spec("Open", values), extra=extra)


def test_filters_someone_else_owns_or_shares_with_a_user_are_not_adopted() -> None:
    resource = JiraFilters()
    document, _ = only(resource.export((a_filter(["group:warehouse", "loggedin"]),), CHOSEN))
    assert document == {
        "jql": "project = OPS",
        "share": [{"type": "group", "group": "warehouse"}, {"type": "loggedin"}],
        "adopt": True,
    }
    exported = resource.export((a_filter(["user:557058:x"], theirs=True),), CHOSEN)
    document, comment = only(exported)
    assert "adopt" not in document
    assert "someone else owns it" in comment and "shared with user:557058:x" in comment


def test_a_filter_someone_else_owns_is_not_adopted_though_it_compares_equal() -> None:
    document, comment = only(JiraFilters().export((a_filter(["loggedin"], theirs=True),), CHOSEN))
    assert "adopt" not in document
    assert comment.splitlines()[1] == "- someone else owns it, and only its owner may change it"


def test_whose_a_filter_is_comes_from_its_owner_and_the_signed_in_user() -> None:
    from teamcomms.resources.jira_filters import _existing
    from teamcomms.site.jira_filters import RemoteFilter

    found = RemoteFilter("10", "Open", "", "project = OPS", False, (), owner="557058:ada")
    assert _existing(found, "557058:ada").extra == {"theirs": False}
    assert _existing(found, "557058:bob").extra == {"theirs": True}
    assert _existing(found).extra == {}


def board(columns: list[Any], kind: str = "kanban", project: str | None = "OPS") -> Existing:
    spec = Spec("Returns", {"type": kind, "filter": "Open returns", "project": project})
    extra = {"columns": columns, "quick_filters": {"Mine": "assignee = currentUser()"}}
    return Existing("7", spec, scope=project or "", extra=extra)


def test_a_board_keeps_its_columns_and_quick_filters() -> None:
    exported = JiraBoards().export((board([["To Do", ["Open"]], ["Done", ["Shipped"]]]),), CHOSEN)
    document, _ = only(exported)
    assert document == {
        "type": "kanban",
        "project": "OPS",
        "filter": "Open returns",
        "columns": [
            {"name": "To Do", "statuses": ["Open"]},
            {"name": "Done", "statuses": ["Shipped"]},
        ],
        "quick_filters": [{"name": "Mine", "jql": "assignee = currentUser()"}],
        "adopt": True,
    }
    empty = JiraBoards().export((board([["Backlog", []], ["Done", ["Shipped"]]]),), CHOSEN)
    assert "columns" not in only(empty)[0]
    assert any("a column shows no status" in n for n in notes(empty))
    simple = JiraBoards().export((board([], kind="simple"), board([], project=None)), CHOSEN)
    assert simple.definitions == ()
    assert len(notes(simple)) == 2


def scheme(name: str, owner: str | None, mappings: dict[str, str], project: str | None) -> Existing:
    values = {
        "description": "Workflows of OPS, kept as code by teamcomms.",
        "default": "jira",
        "mappings": mappings,
        "project": project,
    }
    return Existing("5", Spec(name, values), owner=owner)


def test_a_teamcomms_scheme_gives_the_workflows_their_used_by() -> None:
    owned = scheme(
        "OPS workflows", "workflow-scheme/OPS", {"Bug": "Orders", "Task": "Orders"}, "OPS"
    )
    exported = JiraWorkflowSchemes().export((owned,), CHOSEN)
    (part,) = exported.definitions
    assert (part.kind, part.name, part.part) == ("workflow", "Orders", True)
    assert part.document == {"used_by": [{"project": "OPS", "issue_types": ["Bug", "Task"]}]}
    assert exported.notes == ()


def test_a_scheme_teamcomms_does_not_keep_is_a_note_not_a_used_by() -> None:
    theirs = scheme("Ops scheme", None, {"Task": "Orders"}, "OPS")
    unchosen = scheme("DIST workflows", "workflow-scheme/DIST", {"Task": "Orders"}, None)
    exported = JiraWorkflowSchemes().export((theirs, unchosen), CHOSEN)
    assert exported.definitions == ()
    found = notes(exported)
    assert "give --project DIST" in found[0]
    assert "project OPS uses it (Task: Orders)" in found[1] and "'OPS workflows'" in found[1]


def test_a_filter_shared_with_a_project_role_is_not_adopted() -> None:
    exported = JiraFilters().export((a_filter(["project-role:OPS:Viewer"]),), CHOSEN)
    document, comment = only(exported)
    assert "adopt" not in document and "share" not in document
    assert "shared with project-role:OPS:Viewer" in comment
