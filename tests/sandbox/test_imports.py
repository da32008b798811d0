"""The sandbox stays below the definitions and the client code: starting one (with its web view,
hand edits and provisioning) loads neither, nor the Markdown and Jinja machinery."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("teamcomms.definitions", "teamcomms.site", "teamcomms.publish", "teamcomms.engine")
FORBIDDEN_LIBRARIES = ("jira", "atlassian", "requests", "markdown_it", "jinja2", "pydantic")

PROBE = """
import json, sys
from teamcomms.sandbox import start_sandbox
import teamcomms.sandbox.hand_edit, teamcomms.sandbox.provision, teamcomms.sandbox.webview
with start_sandbox() as site:
    import urllib.request
    for path in ("/", "/_sandbox/spaces/TEAM", "/_sandbox/workflows/10200"):
        urllib.request.urlopen(site.url + path).read()
print(json.dumps(sorted(sys.modules)))
"""


def test_the_sandbox_and_its_web_view_load_no_definitions_or_client_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(done.stdout)
    assert "teamcomms.sandbox.webview" in loaded  # the probe saw the imports
    assert [m for m in loaded if m.startswith(FORBIDDEN)] == []
    assert [m for m in loaded if m.split(".")[0] in FORBIDDEN_LIBRARIES] == []
