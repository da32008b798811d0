"""What a round trip needs from planning: an object read from the site and its exported
definition compare equal, so adopting it writes only the marker. Pages and templates compare
bodies as Confluence shows them; Jira descriptions compare with whitespace collapsed."""

from __future__ import annotations

from dataclasses import replace

from teamcomms.resources.confluence_marker import Marker
from teamcomms.resources.jira_filters import _existing as existing_filter
from teamcomms.resources.jira_objects import Spec, Wanted, plan_objects
from teamcomms.resources.jira_statuses import _existing as existing_status
from teamcomms.site.jira_filters import RemoteFilter
from teamcomms.site.jira_workflows import RemoteStatus
from tests.resources.factories import (
    compute_plan,
    desired,
    hand_edit,
    site,
    template,
    template_written,
    unmanaged,
    want,
    written,
)

RENDERED = (
    "<h2>Steps</h2>\n<p>Pick <strong>fast</strong>.</p>\n"
    '<ac:structured-macro ac:name="toc" ac:schema-version="1"/>'
)
EDITOR = (
    "<h2>Steps</h2><p>Pick\n<strong>fast</strong>. </p>"
    '<ac:structured-macro ac:macro-id="9f" ac:name="toc"/>'
)


def test_adopting_a_page_the_editor_stored_writes_only_its_marker() -> None:
    page = want("steps", "Steps", body=RENDERED, adopt=True)
    (change,) = compute_plan(desired(page), site(unmanaged("55", "Steps", EDITOR))).changes
    assert (change.action, change.fields) == ("adopt", ("marker",))


def test_a_page_confluence_saved_again_in_its_own_form_is_not_drift() -> None:
    page = want("steps", "Steps", body=RENDERED)
    saved = hand_edit(written(page, "10"), EDITOR)
    (change,) = compute_plan(desired(page), site(saved)).changes
    assert (change.action, change.fields) == ("update", ("marker",))
    edited = hand_edit(written(page, "10"), EDITOR.replace("fast", "slow"))
    (change,) = compute_plan(desired(page), site(edited)).changes
    assert change.action == "drifted"
    assert change.fields == ("body", "marker")


def test_adopting_a_template_the_editor_stored_writes_only_its_marker() -> None:
    wanted = template("release-checklist", body=RENDERED, adopt=True)
    theirs = replace(template_written(wanted, "t1"), body=EDITOR, marker=None, description="")
    (change,) = compute_plan(desired(templates=(wanted,)), site(templates=(theirs,))).changes
    assert (change.action, change.fields) == ("adopt", ("marker",))


def test_a_template_confluence_saved_again_in_its_own_form_is_not_drift() -> None:
    wanted = template("release-checklist", body=RENDERED)
    saved = replace(template_written(wanted, "t1"), body=EDITOR)
    (change,) = compute_plan(desired(templates=(wanted,)), site(templates=(saved,))).changes
    assert change.action == "no-op"
    older = replace(saved, marker=Marker(wanted.address, "sha256:" + "0" * 64))
    (change,) = compute_plan(desired(templates=(wanted,)), site(templates=(older,))).changes
    assert (change.action, change.fields) == ("update", ("marker",))


def test_a_description_written_on_two_lines_adopts_as_its_definition_says_it() -> None:
    found = RemoteFilter("10", "Open", "Returns not yet\n  refunded. ", "project = OPS", False, ())
    have = existing_filter(found)
    assert have.spec.values["description"] == "Returns not yet refunded."
    values = {"description": "Returns not yet refunded.", "jql": "project = OPS"}
    wanted = Wanted("filter/Open", Spec("Open", {**values, "favourite": False, "share": []}))
    (change,) = plan_objects("filter", "filter", [replace(wanted, adopt=True)], [have], None)
    assert (change.action, change.fields) == ("adopt", ("marker",))
    status = existing_status(RemoteStatus("3", "Picking", "IN_PROGRESS", "On the\nfloor."))
    assert status.spec.values == {"category": "in_progress", "description": "On the floor."}


def test_markers_still_come_off_descriptions() -> None:
    found = RemoteFilter(
        "10", "Open", "Open\nreturns [teamcomms filter/Open 0123456789abcdef]", "x", False, ()
    )
    have = existing_filter(found)
    assert (have.owner, have.written) == ("filter/Open", "0123456789abcdef")
    assert have.spec.values["description"] == "Open returns"


def test_a_template_description_the_marker_would_shorten_is_reported() -> None:
    from teamcomms.resources.confluence_export import export_templates
    from teamcomms.resources.confluence_state import CurrentSpace, CurrentState, CurrentTemplate

    def exported(description: str) -> list[str]:
        found = CurrentTemplate("t1", "TEAM", "Review", "<p>x</p>", description=description)
        state = CurrentState(spaces=(CurrentSpace("TEAM", "100", templates=(found,)),))
        return [n.what for n in export_templates(state).notes]

    assert exported("After every incident.") == []
    (note,) = exported(
        "After every incident, by the on-call engineer and their lead, within a week."
    )
    assert "the first apply shortens it to 'After every incident, by the on-call engineer" in note
