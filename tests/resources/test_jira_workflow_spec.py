"""A workflow in names and in Jira's ids: what is written reads back as the same spec, rules
included, and differences read well on a pull request."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from teamcomms.engine.change import Change
from teamcomms.engine.workspace import load_workspace
from teamcomms.resources.jira_describe import describe
from teamcomms.resources.jira_objects import Spec
from teamcomms.resources.jira_workflow_spec import (
    FIELD_REQUIRED,
    RESTRICT,
    UPDATE_FIELD,
    Names,
    spec_from_site,
    transitions_payload,
    workflow_spec,
)
from teamcomms.site.jira_workflows import RemoteTransition

WORKFLOW = """\
kind: workflow
name: Fulfil
statuses:
  - {name: Picking, category: todo}
  - {name: Packing, category: in_progress}
  - {name: Shipped, category: done}
initial: Picking
transitions:
  - {name: Pack, from: Picking, to: Packing}
  - name: Ship
    from: Packing
    to: Shipped
    requires: [Tracking Number]
    groups: [warehouse]
    roles: [Developers]
  - {name: Cancel, from: any, to: Shipped}
"""
NAMES = Names(
    statuses={"Picking": "10", "Packing": "11", "Shipped": "12"},
    fields={"Tracking Number": "customfield_10050"},
    groups={"warehouse": "g-1"},
    roles={"Developers": "10001"},
    resolutions={"Done": "1"},
)


def spec_of(tmp_path: Path, text: str = WORKFLOW) -> Spec:
    (tmp_path / "teamcomms.yaml").write_text("name: T\n")
    (tmp_path / "w.yaml").write_text(text)
    return workflow_spec(load_workspace(tmp_path).project.workflows[0])


def as_read_back(spec: Spec) -> Spec:
    """Write ``spec`` as Jira's payload, read it back as the site answers it."""
    payload = transitions_payload(spec, NAMES.statuses.__getitem__, {}, NAMES)
    transitions = [
        RemoteTransition(
            id=t["id"],
            name=t["name"],
            type=t["type"],
            to=t["toStatusReference"],
            sources=tuple(link["fromStatusReference"] for link in t["links"]),
            description=t["description"],
            validators=tuple(t["validators"]),
            conditions=t.get("conditions"),
            actions=tuple(t["actions"]),
        )
        for t in payload
    ]
    statuses = [NAMES.statuses[name] for name in spec.values["statuses"]]
    return spec_from_site(spec.name, spec.values["description"], statuses, transitions, NAMES)


def test_what_is_written_reads_back_as_the_same_spec(tmp_path: Path) -> None:
    spec = spec_of(tmp_path)
    assert as_read_back(spec) == spec
    ship = spec.values["transitions"]["Ship"]
    assert ship == {
        "from": ["Packing"],
        "to": "Shipped",
        "description": "",
        "requires": ["Tracking Number"],
        "groups": ["warehouse"],
        "roles": ["Developers"],
        "resolution": "Done",
    }
    assert spec.values["transitions"]["Cancel"]["from"] == "any"
    assert "resolution" not in spec.values["transitions"]["Pack"]


def test_rules_are_written_with_jiras_own_rule_keys_and_ids(tmp_path: Path) -> None:
    payload = transitions_payload(spec_of(tmp_path), NAMES.statuses.__getitem__, {}, NAMES)
    ship = next(t for t in payload if t["name"] == "Ship")
    (validator,) = ship["validators"]
    assert validator["ruleKey"] == FIELD_REQUIRED
    assert validator["parameters"]["fieldsRequired"] == "customfield_10050"
    (condition,) = ship["conditions"]["conditions"]
    assert condition["ruleKey"] == RESTRICT
    assert condition["parameters"] == {"groupIds": "g-1", "roleIds": "10001"}
    (action,) = ship["actions"]
    assert action == {
        "ruleKey": UPDATE_FIELD,
        "parameters": {"field": "resolution", "value": "1", "mode": "replace"},
    }
    assert [t["type"] for t in payload] == ["INITIAL", "DIRECTED", "DIRECTED", "GLOBAL"]
    assert len({t["id"] for t in payload}) == len(payload)


def test_an_update_keeps_the_ids_transitions_have_on_the_site(tmp_path: Path) -> None:
    ids = {"Pack": "31", "Ship": "41", "Cancel": "51", "\0initial": "1"}
    payload = transitions_payload(spec_of(tmp_path), NAMES.statuses.__getitem__, ids, NAMES)
    assert {t["name"]: t["id"] for t in payload} == {
        "Create": "1",
        "Pack": "31",
        "Ship": "41",
        "Cancel": "51",
    }


def test_a_rule_teamcomms_does_not_model_is_kept_visible(tmp_path: Path) -> None:
    spec = spec_of(tmp_path)
    back = as_read_back(spec)
    pack = RemoteTransition(
        "31",
        "Pack",
        "DIRECTED",
        "11",
        ("10",),
        validators=({"ruleKey": "system:check-field-value"},),
    )
    other = spec_from_site(spec.name, "", ["10", "11", "12"], [pack], NAMES)
    assert other.values["transitions"]["Pack"]["other rules"] == ["system:check-field-value"]
    assert back.values["transitions"]["Pack"].get("other rules") is None


def test_a_new_source_reads_as_one_line_on_the_transition(tmp_path: Path) -> None:
    before = spec_of(tmp_path)
    text = WORKFLOW.replace("from: Packing", "from: [Picking, Packing]")
    after = spec_of(tmp_path, text)
    change = Change(
        "workflow", "workflow/Fulfil", "update", "Fulfil", before=before, after=after,
        fields=("transitions",),
    )  # fmt: skip
    assert describe(change) == ["transition 'Ship': from [Packing] -> [Packing, Picking]"]
    added = replace(
        change, after=spec_of(tmp_path, text + "  - {name: Hold, from: any, to: Picking}\n")
    )
    assert "transition 'Hold' added" in describe(added)
