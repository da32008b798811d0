"""``kind: hire``: a new team member to onboard with a checklist."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from teamcomms.definitions.common import Definition, Email, Slug


class HireDefinition(Definition):
    """A new hire; ``checklist`` names a ``checklist`` definition, ``start`` is the first day."""

    kind: Literal["hire"] = "hire"
    name: Slug
    full_name: str = Field(min_length=1)
    email: Email
    checklist: Slug
    start: date
    manager: Email | None = None
    buddy: Email | None = None
