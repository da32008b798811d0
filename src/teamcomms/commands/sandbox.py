"""``teamcomms sandbox serve``: a local emulated Jira + Confluence site on 127.0.0.1."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from teamcomms import console
from teamcomms.commands.options import OutputFormat

DEFAULT_STATE = Path(".teamcomms/sandbox-state.json")
DATACENTER_STATE = Path(".teamcomms/sandbox-datacenter-state.json")


class Deployment(StrEnum):
    """Which Atlassian product line the sandbox emulates."""

    cloud = "cloud"
    datacenter = "datacenter"


sandbox_app = typer.Typer(
    name="sandbox",
    help="A local sandbox Atlassian site to try teamcomms without an account.",
    epilog="Example: teamcomms sandbox serve --state .teamcomms/sandbox-state.json",
    no_args_is_help=True,
)


@sandbox_app.command(
    "serve",
    epilog="Example: teamcomms sandbox serve --port 8990 --faults '429:0.1,search-lag:2'",
)
def serve(
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1; 0 picks a free one.")
    ] = 8990,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            help="JSON file holding the site's state across restarts "
            f"[default: {DEFAULT_STATE}, or {DATACENTER_STATE} for Data Center].",
            show_default=False,
        ),
    ] = None,
    deployment: Annotated[
        Deployment,
        typer.Option(
            "--deployment",
            help="cloud: Jira and Confluence Cloud (Basic auth); datacenter: Jira and Confluence "
            "Data Center (REST v1 and API 2 only, personal access token).",
        ),
    ] = Deployment.cloud,
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

    It prints the URL and the credentials it accepts. State is kept in --state.
    """
    from teamcomms.sandbox import start_sandbox

    datacenter = deployment is Deployment.datacenter
    state = state or (DATACENTER_STATE if datacenter else DEFAULT_STATE)
    site = start_sandbox(
        state,
        port,
        latency_ms,
        faults,
        seed,
        host=host,
        rate_limits=rate_limits,
        deployment=deployment.value,
    )
    info = {
        "url": site.url,
        "deployment": site.deployment,
        "confluence_url": site.confluence_url,
        **({} if datacenter else {"email": site.email}),
        "token": site.token,
        "state": str(state),
    }
    if output is OutputFormat.json:
        console.stdout().out(json.dumps(info), highlight=False)
    elif datacenter:
        console.stdout().out(
            f"sandbox site: {site.url}  (Data Center: Confluence at {site.url}/rest/api, "
            f"Jira at {site.url}/rest/api/2)\n"
            f"token:        {site.token}  (personal access token: Authorization: Bearer)\n"
            f"state:        {state}",
            highlight=False,
        )
    else:
        console.stdout().out(
            f"sandbox site: {site.url}  (Confluence: {site.url}/wiki)\n"
            f"email:        {site.email}\n"
            f"token:        {site.token}\n"
            f"state:        {state}",
            highlight=False,
        )
    console.stderr().print("serving; press Ctrl-C to stop", markup=False)
    site.wait()


def register(app: typer.Typer) -> None:
    """Add ``sandbox serve`` to the CLI."""
    app.add_typer(sandbox_app, name="sandbox")
