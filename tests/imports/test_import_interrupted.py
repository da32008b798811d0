"""An import killed at a random point (the real command in its own process) and run again
creates the rest only: every row ends up as one issue, as it should be, nothing twice."""

from __future__ import annotations

import os
import random
import subprocess
import threading
from pathlib import Path
from typing import Any

from tests.conftest import SandboxHandle
from tests.imports.backlog import backlog
from tests.imports.conftest import issues_of, run
from tests.imports.test_import_backlog import assert_matches, site_issues
from tests.resources.conftest import UNPACED_TEAMCOMMS

ROWS = 300


def test_an_import_killed_midway_and_run_again_creates_the_rest_only(
    project: Path, fields: dict[str, str], on_site: str, sandbox_site: SandboxHandle
) -> None:
    text, expected = backlog(ROWS)
    source = project / "backlog.csv"
    source.write_text(text, encoding="utf-8")
    mapping = str(project / "backlog-import.yaml")
    # Somewhere in the creates: while one of the first five of the bulk creates (there are more)
    # is held. Counting the creates themselves, not every write: whether a chunk's moves come
    # before the next chunk is the runner's choice among independent changes.
    point = random.Random().randrange(1, 6)
    reached, release, finished = threading.Event(), threading.Event(), threading.Event()
    start = len(sandbox_site.requests)

    def hold_after_some_writes(seconds: float) -> None:
        done = sum(1 for m, p, _ in sandbox_site.requests[start:]
                   if m == "POST" and p.endswith("/issue/bulk"))  # fmt: skip
        if done >= point and not reached.is_set():
            reached.set()
            release.wait(timeout=30)

    checker = sandbox_site.running.observer
    assert checker is not None

    def observe(exchange: Any) -> None:
        checker(exchange)
        if release.is_set():
            finished.set()  # the held request is answered: its write is on the site

    sandbox_site.running.sleeper = hold_after_some_writes
    sandbox_site.running.observer = observe
    sandbox_site.running.latency_ms = 1
    env = {
        **os.environ,
        "TEAMCOMMS_EMAIL": sandbox_site.email,
        "TEAMCOMMS_API_TOKEN": sandbox_site.token,
    }
    # One request at a time: the one held is whole when the process dies, so the write it asks
    # for lands although nobody reads the answer (an answer lost, as when a laptop sleeps).
    command = [*UNPACED_TEAMCOMMS, "import", str(source), "-m", mapping, "--site",
               sandbox_site.url, "--yes", "--workers", "1"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert reached.wait(timeout=120), process.stderr.read() if process.stderr else ""
        process.kill()
        process.wait(timeout=30)
    finally:
        sandbox_site.running.latency_ms = 0
        release.set()
        process.kill()
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()
    assert finished.wait(timeout=30), "the held request never finished"
    partial = len(issues_of(sandbox_site.state))
    assert partial < ROWS, f"killed at bulk create {point}, yet every row was created"

    code, out, err = run("import", str(source), "-m", mapping, "--site", on_site, "--yes")
    assert code == 0, err
    made_now = f"{ROWS - partial} created" if partial < ROWS else ""
    assert f"Import: {made_now}" in out and (not partial or f"{partial} already there" in out), (
        point,
        out,
    )
    found = site_issues(sandbox_site.state, fields)  # raises on any row imported twice
    assert found.keys() == expected.keys()
    for key, want in expected.items():
        assert_matches(found[key], want, key)
