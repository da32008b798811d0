"""The state file and its journal: every answered write is on disk, without rewriting the site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SiteState, start_sandbox
from teamcomms.sandbox.journal import journal_path

AUTH = (SANDBOX_EMAIL, SANDBOX_TOKEN)


def _create_pages(url: str, space_id: str, count: int) -> list[str]:
    ids = []
    with requests.Session() as session:
        for n in range(count):
            answer = session.post(
                f"{url}/wiki/api/v2/pages",
                auth=AUTH,
                json={
                    "spaceId": space_id,
                    "status": "current",
                    "title": f"Page {n}",
                    "body": {"representation": "storage", "value": f"<p>{n}</p>"},
                },
                timeout=10,
            )
            assert answer.status_code == 200, answer.text
            ids.append(answer.json()["id"])
        labelled = session.post(
            f"{url}/wiki/rest/api/content/{ids[0]}/label",
            auth=AUTH,
            json=[{"prefix": "global", "name": "kept"}],
            timeout=10,
        )
        assert labelled.status_code == 200, labelled.text
    return ids


def _without_generation(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "generation"}


def test_answered_writes_are_on_disk_without_rewriting_the_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    site = start_sandbox(state_file)
    try:
        space = site.state.space_by_key("TEAM")
        assert space is not None
        saved_after_start = state_file.read_text()
        ids = _create_pages(site.url, space["id"], 5)
        # The state file was written once at start; the six writes went to the journal.
        assert state_file.read_text() == saved_after_start
        lines = journal_path(state_file).read_text().splitlines()
        assert len(lines) == 1 + 6
        assert SANDBOX_TOKEN not in "".join(lines)
        # What a process killed now leaves behind loads to exactly the site that answered.
        reloaded = SiteState(state_file)
        assert _without_generation(reloaded.data) == _without_generation(site.state.data)
        assert [reloaded.table("pages")[i]["title"] for i in ids] == [f"Page {n}" for n in range(5)]
        assert reloaded.table("pages")[ids[0]]["labels"][0]["name"] == "kept"
    finally:
        site.stop()
    assert SiteState(state_file).table("pages")[ids[4]]["title"] == "Page 4"


def test_the_journal_is_folded_into_the_state_file_once_it_grows_as_big(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    site = start_sandbox(state_file)
    try:
        space = site.state.space_by_key("TEAM")
        assert space is not None
        size = state_file.stat().st_size
        body = "x" * (size // 20)
        with requests.Session() as session:
            for n in range(30):
                answer = session.post(
                    f"{site.url}/wiki/api/v2/pages",
                    auth=AUTH,
                    json={
                        "spaceId": space["id"],
                        "title": f"Big {n}",
                        "body": {"representation": "storage", "value": f"<p>{body}</p>"},
                    },
                    timeout=10,
                )
                assert answer.status_code == 200
        assert journal_path(state_file).stat().st_size <= 2 * state_file.stat().st_size
        assert json.loads(state_file.read_text())["generation"] > 1
        assert (
            len([p for p in SiteState(state_file).table("pages").values() if "Big" in p["title"]])
            == 30
        )
    finally:
        site.stop()


def test_a_journal_older_than_the_state_file_or_cut_short_is_not_replayed(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    site = start_sandbox(state_file)
    try:
        space = site.state.space_by_key("TEAM")
        assert space is not None
        _create_pages(site.url, space["id"], 2)
        journal = journal_path(state_file)
        text = journal.read_text()
    finally:
        site.stop()
    # Killed between writing the state file and starting the new journal: the old journal's
    # writes are already in the state file, and replaying them would create the pages twice.
    journal.write_text(text)
    titles = [p["title"] for p in SiteState(state_file).table("pages").values()]
    assert titles.count("Page 0") == 1
    # Killed in the middle of appending a line: that write was never answered.
    generation = json.loads(state_file.read_text())["generation"]
    _, first, *_ = text.splitlines()
    journal.write_text(json.dumps({"generation": generation}) + "\n" + first[: len(first) // 2])
    assert [p["title"] for p in SiteState(state_file).table("pages").values()] == titles


def test_a_site_set_up_by_helpers_is_saved_before_writes_that_need_it(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    site = start_sandbox(state_file)
    try:
        docs = site.state.add_space("DOCS")  # a test or script setting the site up directly
        (page_id,) = _create_pages(site.url, docs["id"], 1)
        reloaded = SiteState(state_file)  # the process killed here
        assert reloaded.table("pages")[page_id]["spaceId"] == docs["id"]
    finally:
        site.stop()


def test_the_journal_is_readable_by_its_owner_only_like_the_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    start_sandbox(state_file).stop()
    assert journal_path(state_file).stat().st_mode & 0o777 == 0o600
    assert state_file.stat().st_mode & 0o777 == 0o600
