"""``teamcomms sandbox serve`` and ``sandbox edit``: a local emulated Jira + Confluence site on
127.0.0.1, and hand edits on it to try drift."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from teamcomms import console
from teamcomms.commands.options import OutputFormat
from teamcomms.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from teamcomms.definitions import Project
    from teamcomms.sandbox.hand_edit import HandEdit
    from teamcomms.sandbox.provision import Provisioned
    from teamcomms.site.settings import Deployment as SiteDeployment

DEFAULT_STATE = Path(".teamcomms/sandbox-state.json")
DATACENTER_STATE = Path(".teamcomms/sandbox-datacenter-state.json")
SERVE_FORMAT_VERSION = 1
"""Version of ``sandbox serve --format json``'s line (docs/sandbox.md); raised on a change that
breaks its readers."""


class Deployment(StrEnum):
    """Which Atlassian product line the sandbox emulates."""

    cloud = "cloud"
    datacenter = "datacenter"


sandbox_app = typer.Typer(
    name="sandbox",
    help="A local sandbox Atlassian site to try teamcomms without an account.",
    epilog="Example: teamcomms sandbox serve examples/ecommerce",
    no_args_is_help=True,
)
StateOption = Annotated[
    Path | None,
    typer.Option(
        "--state",
        help="JSON file holding the site's state across restarts "
        "(default: PROJECT/.teamcomms/sandbox-state.json, else .teamcomms/sandbox-state.json).",
        show_default=False,
    ),
]


@sandbox_app.command(
    "serve",
    epilog="Example: teamcomms sandbox serve examples/ecommerce --faults '429:0.1,search-lag:2'",
)
def serve(
    project_dir: Annotated[
        Path | None,
        typer.Argument(
            metavar="PROJECT",
            help="A project whose spaces, Jira projects, issue types and groups the sandbox "
            "creates if missing (and whose sandbox state it serves).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1; 0 picks a free one.")
    ] = 8990,
    state: StateOption = None,
    deployment: Annotated[
        Deployment | None,
        typer.Option(
            "--deployment",
            help="cloud: Jira and Confluence Cloud (Basic auth); datacenter: Jira and Confluence "
            "Data Center (REST v1 and API 2 only, personal access token). Default: "
            "TEAMCOMMS_DEPLOYMENT, else the PROJECT's deployment, else cloud.",
            show_default=False,
        ),
    ] = None,
    latency_ms: Annotated[
        int, typer.Option("--latency-ms", min=0, help="Delay every answer by this many ms.")
    ] = 0,
    faults: Annotated[
        str | None,
        typer.Option(
            "--faults",
            help="Faults to inject, e.g. '429:0.2,503:0.1,reset:0.05' (docs/sandbox.md).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the random faults.")] = 0,
    rate_limits: Annotated[
        str | None,
        typer.Option(
            "--rate-limits",
            metavar="on|RULES",
            help="Emulate Atlassian's burst limits: 'on' for the defaults, or rules such as "
            "'GET=20/40;POST /wiki/api/v2/pages=5/5' (docs/sandbox.md).",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Only 127.0.0.1 (or localhost) is accepted.")
    ] = "127.0.0.1",
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text (for people) or json (for tools).")
    ] = OutputFormat.text,
) -> None:
    """Serve an emulated Jira + Confluence site (Cloud, or Data Center) until Ctrl-C.

    It prints the URL, the credentials it accepts and the address of a read-only web view of
    everything on the site. With a PROJECT, it first creates what the project's definitions
    need and says so.
    """
    from teamcomms.api import provision_sandbox
    from teamcomms.sandbox import start_sandbox

    project = _load(project_dir) if project_dir is not None else None
    chosen = _deployment(deployment, project)
    if state is None and project is not None:
        from teamcomms.engine.connect import sandbox_state_file

        state = sandbox_state_file(project.root, chosen)
    state = state or (DATACENTER_STATE if chosen == "datacenter" else DEFAULT_STATE)
    site = start_sandbox(
        state,
        port,
        latency_ms,
        faults,
        seed,
        host=host,
        rate_limits=rate_limits,
        deployment=chosen,
    )
    try:
        made = provision_sandbox(site.state, project) if project is not None else None
    except BaseException:
        site.stop()
        raise
    info: dict[str, Any] = {
        "format_version": SERVE_FORMAT_VERSION,
        "url": site.url,
        "deployment": site.deployment,
        "confluence_url": site.confluence_url,
        "email": site.email,
        "token": site.token,
        "state": str(state),
        "web_view": site.url + "/",
        "provisioned": made.as_json() if made is not None else None,
    }
    if output is OutputFormat.json:
        console.stdout().out(json.dumps(info), highlight=False)
    else:
        console.stdout().out("\n".join(_serve_lines(info, made)), highlight=False)
    console.stderr().print("serving; press Ctrl-C to stop", markup=False)
    site.wait()


def _deployment(flag: Deployment | None, project: Project | None) -> SiteDeployment:
    """``--deployment``, else ``TEAMCOMMS_DEPLOYMENT``, else the project's, else Cloud (as
    ``--site sandbox`` decides it, so both use the same state file)."""
    if flag is not None:
        return "datacenter" if flag is Deployment.datacenter else "cloud"
    import os

    from teamcomms.engine.connect import sandbox_deployment

    return sandbox_deployment(project.config.deployment if project else None, os.environ)


def _serve_lines(info: dict[str, Any], made: Provisioned | None) -> list[str]:
    url = info["url"]
    if info["deployment"] == "datacenter":
        lines = [
            f"sandbox site: {url}  (Data Center: Confluence at {url}/rest/api, "
            f"Jira at {url}/rest/api/2)",
            f"token:        {info['token']}  (personal access token: Authorization: Bearer)",
        ]
    else:
        lines = [
            f"sandbox site: {url}  (Confluence: {url}/wiki)",
            f"email:        {info['email']}",
            f"token:        {info['token']}",
        ]
    lines += [
        f"state:        {info['state']}",
        f"web view:     {info['web_view']}  (read-only; open it in a browser)",
    ]
    if made is not None:
        created = made.describe() or ["nothing: the site has everything the definitions need"]
        lines.append(f"created:      {created[0]}")
        lines.extend(f"              {line}" for line in created[1:])
        if made:
            lines.append("              (only the sandbox does this; on a real site an admin does)")
    return lines


def _load(project_dir: Path) -> Project:
    from teamcomms.definitions import load_project

    return load_project(project_dir)


@sandbox_app.command(
    "edit",
    epilog='Example: teamcomms sandbox edit "Onboarding" --append "Ask Ada about the VPN."',
)
def edit(
    page: Annotated[
        str, typer.Argument(help="The page's id, or its title (exact, else ignoring case).")
    ],
    space: Annotated[
        str | None,
        typer.Option("--space", help="The page's space, when the title is not unique."),
    ] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Replace the page's text with this paragraph.")
    ] = None,
    append: Annotated[
        str | None,
        typer.Option(
            "--append",
            help="Add this paragraph at the end (the default: 'Edited by hand in the sandbox.').",
        ),
    ] = None,
    state: Annotated[
        Path,
        typer.Option(
            "--state",
            help="The sandbox's state file (--site sandbox keeps it in the project's "
            ".teamcomms/ folder); a running `sandbox serve` on it gets the edit.",
        ),
    ] = DEFAULT_STATE,
) -> None:
    """Edit a page by hand, as a colleague would in Confluence, to see how drift looks.

    Makes a new version by Alice Example; `teamcomms plan` then shows the page as drifted and
    `apply` refuses to overwrite it without --force.
    """
    from teamcomms.sandbox.hand_edit import SandboxRunning, edit_state_file

    if body is not None and append is not None:
        raise UsageError("give --body or --append, not both")
    if not state.exists():
        raise ConfigError(
            f"there is no sandbox state file {state}",
            hint="give --state the file `sandbox serve` printed, or PROJECT/.teamcomms/"
            "sandbox-state.json after `teamcomms apply PROJECT --site sandbox`",
        )
    try:
        done = edit_state_file(state, page, space=space, body=body, append=append)
    except SandboxRunning as running:
        done = _edit_on_running_sandbox(running.url, page, space=space, body=body, append=append)
    console.stdout().print(
        f"edited {done.title!r} ({done.space}, page {done.page_id}) as {done.author}: now "
        f"version {done.version}; `teamcomms plan` shows it as drifted",
        markup=False,
    )


def _edit_on_running_sandbox(
    url: str, page: str, *, space: str | None, body: str | None, append: str | None
) -> HandEdit:
    import base64
    import urllib.error
    import urllib.request

    from teamcomms.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN
    from teamcomms.sandbox.hand_edit import HAND_EDIT_PATH, HandEdit

    payload = {"page": page, "space": space, "body": body, "append": append}
    credentials = base64.b64encode(f"{SANDBOX_EMAIL}:{SANDBOX_TOKEN}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (the loopback URL of our own sandbox)
        url + HAND_EDIT_PATH,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {credentials}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (as above)
            done = json.load(answer)
    except urllib.error.HTTPError as error:
        refused = json.loads(error.read() or b"{}")
        message = "; ".join(refused.get("errorMessages") or []) or f"HTTP {error.code}"
        raise UsageError(message, hint=(refused.get("errors") or {}).get("hint")) from None
    except urllib.error.URLError as error:
        raise ConfigError(
            f"the sandbox serving this state file at {url} does not answer: {error.reason}",
            hint="is `teamcomms sandbox serve` still running? Stop it and run this again",
        ) from None
    return HandEdit(done["id"], done["title"], done["space"], done["version"], done["author"])


def register(app: typer.Typer) -> None:
    """Add ``sandbox serve`` and ``sandbox edit`` to the CLI."""
    app.add_typer(sandbox_app, name="sandbox")
