"""The README's quick start, as a newcomer runs it: a fresh virtual environment, ``pip install .``
and ``apply`` of the example to the sandbox, on a PATH with no Graphviz program. Every workflow
page must get its diagram as a PNG attachment (the pygraphviz wheel brings Graphviz).

It installs teamcomms and its dependencies as the README says, through pip and whatever package
index and cache pip is configured with (on a warm cache it takes about half a minute).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from teamcomms.definitions import load_project
from teamcomms.sandbox import SiteState

ROOT = Path(__file__).resolve().parents[1]
LOCAL_FILES = shutil.ignore_patterns(
    ".git", ".venv*", "__pycache__", "*.egg-info", "build", "dist", ".mypy_cache",
    ".ruff_cache", ".pytest_cache", "preview", ".teamcomms",
)  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.slow


def readme_first_apply_figure() -> str:
    """What the README says the example's first apply costs, ``N requests (R reads, W writes)``."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"example project's first apply is (\d+ requests \(\d+ reads, \d+ writes\))", readme
    )
    assert found is not None, "the README no longer gives the example's first-apply figure"
    return found.group(1)


def quick_start_command() -> str:
    """The first command of the README's "Quick start" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```bash\n(.*?)\n```", section, re.S)
    assert found is not None, "the quick start has no bash block"
    return found.group(1).strip()


def test_the_quick_start_draws_every_workflow_diagram_without_system_graphviz(
    tmp_path: Path,
) -> None:
    command = quick_start_command()
    assert "pip install ." in command and "apply examples/ecommerce --site sandbox" in command
    checkout = tmp_path / "teamcomms"
    shutil.copytree(ROOT, checkout, symlinks=True, ignore=LOCAL_FILES)
    # Only Python on the PATH: no `dot`, whatever this machine has installed.
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)
    environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    environ["PATH"] = str(tools)

    done = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=checkout,
        env=environ,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert shutil.which("dot", path=environ["PATH"]) is None
    assert re.search(r"Apply: \d+ done, 0 failed, 0 skipped", done.stdout), done.stdout[-2000:]
    # The README's figure for this first apply holds on a machine without Graphviz.
    assert f"; {readme_first_apply_figure()} in " in done.stdout
    assert "Graphviz" not in done.stdout + done.stderr  # no diagram left undrawn
    state = SiteState(checkout / "examples" / "ecommerce" / ".teamcomms" / "sandbox-state.json")
    pages = [p for p in state.table("pages").values() if p["title"].endswith(" workflow works")]
    assert len(pages) == len(load_project(checkout / "examples" / "ecommerce").workflows)
    for page in pages:
        [attachment] = page["attachments"]
        assert attachment["mediaType"] == "image/png"
        assert bytes.fromhex(attachment["data"]).startswith(PNG), page["title"]
        assert f'ri:filename="{attachment["title"]}"' in page["body"]
