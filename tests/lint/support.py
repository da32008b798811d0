"""A project written in code for lint tests: a glossary, pages with the given bodies, YAML texts."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "lint"

PROJECT_FILE = "name: Lint test\ndefaults: {space: TEAM, project: OPS}\n"


def make_project(
    root: Path,
    pages: Mapping[str, str] = {},
    *,
    project_file: str = PROJECT_FILE,
    extra: Mapping[str, str] = {},
    page_keys: Mapping[str, str] = {},
) -> Path:
    """A project in ``root``: ``pages`` maps a page name to its Markdown body; ``extra`` adds
    YAML files; ``page_keys`` adds YAML lines to a page's definition."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "teamcomms.yaml").write_text(project_file, encoding="utf-8")
    shutil.copy(DATA / "glossary.yaml", root / "glossary.yaml")
    documents = [
        "kind: page\nname: returns-policy\ntitle: Returns policy\nbody: bodies/returns-policy.md\n"
    ]
    (root / "bodies").mkdir(exist_ok=True)
    (root / "bodies" / "returns-policy.md").write_text("Send it back.\n", encoding="utf-8")
    for name, body in pages.items():
        (root / "bodies" / f"{name}.md").write_text(body, encoding="utf-8")
        keys = page_keys.get(name, "")
        for variable in ("owner", "release"):
            if "{" in body and variable in body:
                keys += f"vars: {{{variable}: value}}\n"
        documents.append(
            f"kind: page\nname: {name}\ntitle: Page {name}\nbody: bodies/{name}.md\n{keys}"
        )
    (root / "pages.yaml").write_text("---\n".join(documents), encoding="utf-8")
    for name, text in extra.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def position(text: str, needle: str, line: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text`` (on ``line`` when given)."""
    lines = text.split("\n")
    if line:
        return line, lines[line - 1].index(needle) + 1
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
