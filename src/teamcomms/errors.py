"""Error types and the exit codes they map to.

Every failure a user can cause or meet is one of these types. The CLI has a single handler
(:func:`teamcomms.cli.ErrorHandlingGroup.invoke`) that prints the message and exits with
:attr:`TeamcommsError.exit_code`; nothing else decides exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal


class ExitCode(IntEnum):
    """Process exit codes, as documented in the README. No two meanings share a code, so a CI
    step can tell "there are changes" from a typo in its own command line."""

    OK = 0
    FAILED = 1
    """A user or configuration error, or an operation that failed."""
    CHANGES = 2
    """``plan --detailed-exitcode`` only: the plan has changes (Terraform's convention)."""
    INTERNAL = 3
    """A bug in teamcomms: a crash log was written."""
    USAGE = 64
    """The command line itself was wrong (unknown option, bad value): ``EX_USAGE`` of
    sysexits.h, far from the small codes a command decides."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT, as shells report it)."""


Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the definitions, located as precisely as we can.

    Sorting orders problems by file, then line, then column, which is how ``validate`` prints them.
    """

    file: str
    line: int = 0
    column: int = 0
    message: str = field(default="", compare=False)
    definition: str | None = field(default=None, compare=False)
    """Which definition, for example ``workflow 'Order Fulfillment'``."""
    path: str | None = field(default=None, compare=False)
    """Where inside the definition, for example ``transitions[2].to``."""
    hint: str | None = field(default=None, compare=False)
    """What to do about it."""
    severity: Severity = field(default="error", compare=False)
    rule: str | None = field(default=None, compare=False)
    """The plain-language rule that found it (``teamcomms lint``), for example ``jargon``."""
    suggestion: str | None = field(default=None, compare=False)
    """A suggested rewrite of the text (``teamcomms lint``)."""

    @property
    def location(self) -> str:
        """``file:line:col``, or as much of it as is known."""
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def format(self) -> str:
        """The problem as the lines ``validate`` prints."""
        where = " ".join(part for part in (self.definition, self.path) if part)
        head = f"{self.location}: {self.severity}: "
        head += f"{where}: {self.message}" if where else self.message
        if self.rule:
            head += f" [{self.rule}]"
        if self.suggestion:
            head += f"\n  suggestion: {self.suggestion}"
        return f"{head}\n  hint: {self.hint}" if self.hint else head


class TeamcommsError(Exception):
    """Base of every error teamcomms reports to the user without a traceback."""

    exit_code: int = ExitCode.FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        """The message and, when there is one, what to do next."""
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class DefinitionError(TeamcommsError):
    """The definitions have errors; nothing was sent to the site."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(sorted(problems))
        errors = [p for p in self.problems if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        super().__init__(
            f"{len(errors)} {noun} in the definitions; nothing was sent to the site",
            hint="fix the problems above and run `teamcomms validate` again",
        )

    def format(self) -> str:
        return "\n".join([*(p.format() for p in self.problems), super().format()])


class UsageError(TeamcommsError):
    """The command was called in a way that cannot work (bad option combination, bad value)."""

    exit_code = ExitCode.USAGE


class ConfigError(TeamcommsError):
    """Settings are missing or wrong: site URL, credentials, project file."""


class SiteError(TeamcommsError):
    """The Jira or Confluence site answered with an error.

    Carries the HTTP status and Atlassian's own message so the user sees what the site said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        atlassian_message: str | None = None,
        method: str | None = None,
        url: str | None = None,
        hint: str | None = None,
    ) -> None:
        detail = f"{message} (HTTP {status})" if status else message
        if atlassian_message:
            detail += f": {atlassian_message}"
        super().__init__(detail, hint=hint)
        self.status = status
        self.atlassian_message = atlassian_message
        self.method = method
        self.url = url


class OperationFailed(TeamcommsError):
    """An operation ran but did not reach its goal (for example some changes of a plan failed)."""
