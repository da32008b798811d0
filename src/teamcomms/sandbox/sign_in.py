"""Who may talk to the sandbox: Basic auth with the sandbox's email and API token on Cloud, the
personal access token on Data Center (:mod:`teamcomms.sandbox.datacenter`)."""

from __future__ import annotations

import base64
import binascii

from teamcomms.sandbox import datacenter
from teamcomms.sandbox.api import ApiError, Request
from teamcomms.sandbox.own_paths import is_own
from teamcomms.sandbox.seed import SANDBOX_TOKEN


def sign_in_error(deployment: str, email: str, token: str, request: Request) -> ApiError | None:
    """Why the request's credentials are refused, or None. The sandbox's own API (``sandbox
    edit``) takes the Cloud credentials on either kind of site."""
    header = request.headers.get("authorization")
    if deployment == "datacenter":
        cloud = base64.b64encode(f"{email}:{SANDBOX_TOKEN}".encode()).decode()
        if is_own(request.method, request.path) and header == f"Basic {cloud}":
            return None
        return datacenter.authorisation_error(header)
    if _authorised(email, token, header):
        return None
    return ApiError(401, "Client must be authenticated to access this resource.")


def _authorised(email: str, token: str, header: str | None) -> bool:
    """Whether ``header`` is Basic auth with the sandbox's Cloud email and API token."""
    if not header or not header.startswith("Basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    return decoded == f"{email}:{token}"
