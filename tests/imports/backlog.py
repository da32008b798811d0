"""A generated backlog in the shape the backlog mapping reads (``conftest.BACKLOG_MAPPING``):
epics, stories and bugs under them, sub-tasks under stories, links, custom fields and statuses;
with what each row should become in Jira."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tests.imports.conftest import HEADER

PEOPLE = ("alice@teamcomms.invalid", "bob@teamcomms.invalid", "carol@teamcomms.invalid")
STATES = {"Open": "To Do", "WIP": "In Progress", "Closed": "Done"}


@dataclass
class Expected:
    """What a row's issue should hold."""

    summary: str
    type: str
    priority: str = "Medium"
    labels: set[str] = field(default_factory=set)
    components: set[str] = field(default_factory=set)
    due: str | None = None
    assignee: str | None = None
    points: float | None = None
    channel: str | None = None
    launch: str | None = None
    parent: str | None = None
    blocks: set[str] = field(default_factory=set)
    status: str = "To Do"
    text: str = ""


def backlog(count: int) -> tuple[str, dict[str, Expected]]:
    """A ``;``-separated CSV of ``count`` rows (with a BOM and quoted newlines) and what each
    row (by its key) should become."""
    rows: list[list[str]] = []
    expected: dict[str, Expected] = {}
    epics = max(1, count // 25)
    stories: list[str] = []
    for n in range(count):
        cells = dict.fromkeys(HEADER.split(";"), "")
        if n < epics:
            key = f"E-{n + 1:03d}"
            cells.update(
                Key=key,
                Title=f"Epic {n + 1}: storefront area {n + 1}",
                Type="Epic",
                Launch=f"2027-{n % 12 + 1:02d}-15",
                Priority="Urgent" if n % 3 == 0 else "",
            )
            want = Expected(cells["Title"], "Epic", launch=cells["Launch"])
            want.priority = "Highest" if n % 3 == 0 else "Medium"
        elif n % 16 == 5 and stories:
            key = f"T-{n:04d}"
            parent = stories[-1]
            cells.update(Key=key, Title=f"Sub-task {n} of {parent}", Type="Subtask", Epic=parent)
            want = Expected(cells["Title"], "Subtask", parent=parent)
        else:
            key = f"S-{n:04d}"
            kind = ("Feature", "Defect", "")[n % 3]
            epic = f"E-{n % epics + 1:03d}" if n % 5 else ""
            cells.update(
                Key=key,
                Title=f"Story {n}; make checkout step {n % 7} faster",
                Details=f"As a shopper I want **step {n % 7}** to be quick.\n\n- measure\n- fix",
                Type=kind,
                Priority=("Normal", "High", "Low", "")[n % 4],
                Tags="checkout, quick win" if n % 4 == 0 else "",
                Area=("Checkout", "Search", "")[n % 3],
                Due=f"{n % 28 + 1:02d}/0{n % 9 + 1}/2027" if n % 6 == 0 else "",
                Owner=PEOPLE[n % 3] if n % 2 else "",
                Points=str((n % 8) + 0.5 if n % 10 == 0 else n % 13) if n % 3 != 2 else "",
                Channel=("web", "mkt", "Retail store", "")[n % 4],
                Epic=epic,
                State=("Open", "WIP", "Closed", "")[n % 4],
            )
            want = Expected(
                cells["Title"],
                {"Feature": "Story", "Defect": "Bug", "": "Task"}[kind],
                priority={"Normal": "Medium", "High": "High", "Low": "Low", "": "Medium"}[
                    cells["Priority"]
                ],
                labels={"checkout", "quick-win"} if cells["Tags"] else set(),
                components={cells["Area"]} - {""},
                assignee=cells["Owner"] or None,
                points=float(cells["Points"]) if cells["Points"] else None,
                channel={"web": "Web shop", "mkt": "Marketplace"}.get(
                    cells["Channel"], cells["Channel"] or None
                ),
                parent=epic or None,
                status=STATES.get(cells["State"], "To Do"),
                text="quick",
            )
            if cells["Due"]:
                day, month, year = cells["Due"].split("/")
                want.due = f"{year}-{month}-{day}"
            if stories and n % 7 == 0:
                cells["Blocks"] = stories[-1]
                want.blocks = {stories[-1]}
            stories.append(key)
        want.labels |= {"imported", "import-backlog"}
        rows.append(list(cells.values()))
        expected[key] = want
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER.split(";"))
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue(), expected
