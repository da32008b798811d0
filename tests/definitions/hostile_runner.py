"""Run ``validate`` and ``render`` on every case of ``tests/data/hostile``, in one process.

``python -m tests.definitions.hostile_runner WORK_DIR [CASE ...]`` prints one JSON line per case
and command: exit code, stderr, stdout, seconds and the process's peak resident memory so far.
The corpus test starts it with a hard address-space limit (so a bomb that got past the bounds
ends in MemoryError, which shows as a failure, not as a machine out of memory); the benchmark
``bench/bench_hostile.py`` prints its figures.

Each case folder holds a small project, ``expects.txt`` (the first line is the location the
first error must start with, the others are texts the output must contain) and optionally
``links.txt`` (``NAME -> TARGET`` symlinks made in the copy; ``{outside}`` is a folder beside the
project holding ``secret.md``, ``secret.png`` and ``other.yaml``, whose text must never show).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from teamcomms.cli import app

CASES = Path(__file__).resolve().parents[1] / "data" / "hostile"
CONTROL_FILES = ("expects.txt", "links.txt")
SECRET = "HOSTILE-SECRET-5b1e"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def case_names() -> list[str]:
    """Every case, sorted."""
    return sorted(path.name for path in CASES.iterdir() if path.is_dir())


def prepare(name: str, work: Path) -> Path:
    """Copy case ``name`` to ``work/name/project``, beside its ``outside`` folder."""
    base = work / name
    outside = base / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.md").write_text(f"# {SECRET}\n")
    (outside / "secret.png").write_bytes(PNG)
    (outside / "other.yaml").write_text(
        f"kind: page\nname: stolen\ntitle: {SECRET}\nbody: secret.md\n"
    )
    project = base / "project"
    shutil.copytree(CASES / name, project, ignore=shutil.ignore_patterns(*CONTROL_FILES))
    links = CASES / name / "links.txt"
    for line in links.read_text().splitlines() if links.exists() else []:
        link, _, target = line.partition(" -> ")
        path = project / link
        if path.is_file() and not path.is_symlink():
            path.unlink()
        path.symlink_to(target.format(outside=outside))
    return project


def expectations(name: str) -> list[str]:
    """The location the first error starts with, then texts the output must contain."""
    return (CASES / name / "expects.txt").read_text(encoding="utf-8").splitlines()


def run(name: str, work: Path) -> list[dict[str, object]]:
    """Validate and render one case (from inside its folder, as a user would)."""
    project = prepare(name, work)
    results = []
    previous = Path.cwd()
    os.chdir(project)
    try:
        for command in (["validate", "."], ["render", ".", "--out", "preview"]):
            started = time.perf_counter()
            result = CliRunner().invoke(app, command)
            results.append(
                {
                    "case": name,
                    "command": command[0],
                    "exit_code": result.exit_code,
                    "stderr": result.stderr,
                    "stdout": result.stdout,
                    "exception": repr(result.exception),
                    "seconds": round(time.perf_counter() - started, 3),
                    "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    "wrote": (project / "preview").exists(),
                }
            )
    finally:
        os.chdir(previous)
    return results


def main(arguments: list[str]) -> None:
    """Run the named cases (all by default) in ``arguments[0]``; print JSON lines."""
    work = Path(arguments[0])
    for name in arguments[1:] or case_names():
        for line in run(name, work):
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
