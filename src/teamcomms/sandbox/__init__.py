"""A local sandbox Atlassian site: Jira and Confluence, Cloud or Data Center, emulated on loopback.

Start one in-process with :func:`start_sandbox` (or ``teamcomms sandbox serve``); a Cloud site
accepts Basic auth with :data:`SANDBOX_EMAIL` and :data:`SANDBOX_TOKEN`, a Data Center one
(``deployment="datacenter"``) the personal access token :data:`SANDBOX_PAT` as Bearer. See
``docs/sandbox.md``.
"""

from __future__ import annotations

from teamcomms.sandbox.datacenter import SANDBOX_PAT
from teamcomms.sandbox.faults import FaultController, FaultSpec
from teamcomms.sandbox.rate_limits import RateLimiter, RateLimitSpec
from teamcomms.sandbox.seed import SANDBOX_ACCOUNT_ID, SANDBOX_EMAIL, SANDBOX_TOKEN
from teamcomms.sandbox.server import Exchange, SandboxSite, check_loopback, start_sandbox
from teamcomms.sandbox.state import SiteState

__all__ = [
    "SANDBOX_ACCOUNT_ID",
    "SANDBOX_EMAIL",
    "SANDBOX_PAT",
    "SANDBOX_TOKEN",
    "Exchange",
    "FaultController",
    "FaultSpec",
    "RateLimitSpec",
    "RateLimiter",
    "SandboxSite",
    "SiteState",
    "check_loopback",
    "start_sandbox",
]
