"""Startup cost: the CLI loads the Atlassian clients (and requests) only to talk to a site.

Importing jira and atlassian-python-api costs about half a second; `--help`, `validate` and
`schema` are run in editors and pre-commit hooks and must stay fast.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("jira", "atlassian", "requests", "urllib3", "openapi_core")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ecommerce"

PROBE = """
import json, sys
from teamcomms.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads({heavy!r})))
sys.stderr.write('\\nHEAVY=' + json.dumps(heavy) + '\\n')
"""


def _heavy_modules_after(*args: str) -> list[str]:
    code = PROBE.replace("{heavy!r}", repr(json.dumps(HEAVY)))
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stderr
    loaded: list[str] = json.loads(marker[-1].removeprefix("HEAVY="))
    return loaded


def test_help_does_not_import_the_atlassian_clients() -> None:
    assert _heavy_modules_after("--help") == []


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(EXAMPLE)],
        ["schema"],
    ],
    ids=["validate", "schema"],
)
def test_offline_commands_do_not_import_the_atlassian_clients(args: list[str]) -> None:
    assert _heavy_modules_after(*args) == []
