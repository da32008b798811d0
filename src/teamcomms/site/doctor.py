"""``teamcomms doctor``: is the site ready for this project, and if not, what to do.

Checks, in order: the site URL and credentials settings, that the site answers and what it is
(Cloud or Data Center), that the credentials sign in, that every Confluence space and Jira project
the definitions use exists and what the user may do there, that the projects have the issue types
used in them, and that the groups filters are shared with exist. Each check says what is missing
and what to do about it; a failed *required* check makes the command exit 1.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any, Literal

from teamcomms.errors import ConfigError, SiteError, TeamcommsError
from teamcomms.redaction import redact, redact_data

Status = Literal["ok", "missing", "warning"]

# Jira permissions teamcomms needs in a project it writes issues into (onboarding epics/tasks).
PROJECT_PERMISSIONS = ("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES")
# Workflows, statuses, custom fields and schemes are site configuration: Jira admin only.
ADMIN_PERMISSION = "ADMINISTER"


@dataclass(frozen=True)
class Check:
    """One finding."""

    name: str
    status: Status
    detail: str
    hint: str | None = None
    required: bool = True

    @property
    def failed(self) -> bool:
        """A required check that is not ok."""
        return self.required and self.status != "ok"


@dataclass
class DoctorReport:
    """Every check, in the order they ran."""

    site: str | None = None
    deployment: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing required is missing."""
        return not any(check.failed for check in self.checks)

    def add(self, check: Check) -> Check:
        """Record a check and return it."""
        self.checks.append(check)
        return check

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape: ``{ok, site, deployment, checks: [{name, status, ...}]}``,
        secrets masked (a check's detail may quote what the site answered)."""
        document: dict[str, Any] = redact_data(
            {
                "ok": self.ok,
                "site": self.site,
                "deployment": self.deployment,
                "checks": [asdict(check) for check in self.checks],
            }
        )
        return document


@dataclass(frozen=True)
class Targets:
    """What a project needs from the site."""

    spaces: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    """Jira groups that filters are shared with."""
    needs_jira_admin: bool = False
    project_issue_types: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per project key, the issue types the definitions create or map workflows to there."""
    field_issue_types: tuple[str, ...] = ()
    """Issue types that custom-field contexts name (they must exist on the site)."""

    def issue_types_in(self, project_key: str) -> tuple[str, ...]:
        """The issue types the project ``project_key`` must have."""
        return dict(self.project_issue_types).get(project_key, ())


def run_doctor(open_site: Callable[[], Any], targets: Targets) -> DoctorReport:
    """Run every check against the site ``open_site()`` connects to."""
    report = DoctorReport()
    try:
        site = open_site()
    except ConfigError as error:
        report.add(Check("settings", "missing", error.message, error.hint))
        return report
    except SiteError as error:  # connecting asked the site (a scoped token's cloud id)
        report.add(Check("site", "missing", error.message, error.hint))
        return report
    with site:
        settings = site.settings
        report.site = settings.site_url
        report.deployment = settings.deployment
        source = settings.credentials.source
        where = f"{settings.site_url} ({settings.deployment}, credentials from {source})"
        report.add(Check("site", "ok", where))
        jira = _check_server(report, site, settings.is_cloud, required=bool(targets.projects))
        if jira is None:
            return report
        signed_in = partial(_signed_in, site) if jira else partial(_confluence_access, site)
        if not _attempt(report, "credentials", signed_in):
            return report
        if targets.spaces:
            # One request for every space on Cloud; the space checks then read the cache (a
            # failure here is reported by the space checks themselves).
            with contextlib.suppress(SiteError):
                site.confluence.spaces(targets.spaces)
        # The remaining checks are independent reads: run them on the worker pool, report them
        # in this order.
        checks = [(f"space {key}", partial(_space, site, key)) for key in targets.spaces]
        if jira:
            checks += [
                (f"project {key}", partial(_project, site, key, targets.issue_types_in(key)))
                for key in targets.projects
            ]
            if targets.field_issue_types:
                checks.append(
                    ("issue types", partial(_issue_types, site, targets.field_issue_types))
                )
            checks += [(f"group {name}", partial(_group, site, name)) for name in targets.groups]
            if targets.needs_jira_admin:
                checks.append(("jira administration", partial(_jira_admin, site)))
        for check in site.pool.map(lambda named: _guarded(*named), checks):
            report.add(check)
    return report


def _guarded(name: str, check: Callable[[], Check]) -> Check:
    """The check's finding, or a failed check carrying the site's error."""
    try:
        return check()
    except SiteError as error:
        return Check(name, "missing", error.message, error.hint)


def _attempt(report: DoctorReport, name: str, check: Callable[[], Check]) -> bool:
    return not report.add(_guarded(name, check)).failed


def _check_server(
    report: DoctorReport, site: Any, expect_cloud: bool, required: bool
) -> bool | None:
    """True: Jira answered as expected; False: no Jira at this URL; None: stop here."""
    from teamcomms.site.errors import NotFound

    try:
        info = site.jira.server_info()
    except NotFound:
        report.add(
            Check(
                "jira",
                "missing" if required else "warning",
                f"no Jira answers at {site.settings.jira_url}",
                "check the site URL; on Data Center with separate servers set TEAMCOMMS_JIRA_URL",
                required=required,
            )
        )
        return False
    except TeamcommsError as error:
        report.add(Check("deployment", "missing", error.message, error.hint))
        return None
    told = "cloud" if expect_cloud else "datacenter"
    actual = "cloud" if info.is_cloud else "datacenter"
    if told != actual:
        report.add(
            Check(
                "deployment",
                "missing",
                f"the site says it is {info.deployment_type} {info.version}, but teamcomms "
                f"was told {told}",
                f"set `deployment: {actual}` in teamcomms.yaml and "
                + (
                    "use TEAMCOMMS_PAT"
                    if actual == "datacenter"
                    else "use TEAMCOMMS_EMAIL and TEAMCOMMS_API_TOKEN instead of TEAMCOMMS_PAT"
                ),
            )
        )
        return None
    report.add(Check("deployment", "ok", f"{info.deployment_type} {info.version}".strip()))
    return True


def _signed_in(site: Any) -> Check:
    user = site.jira.myself()
    who = f"{user.display_name} <{user.email}>" if user.email else user.display_name
    return Check("credentials", "ok", f"signed in as {who or user.account_id}")


def _confluence_access(site: Any) -> Check:
    site.confluence.check_access()
    return Check("credentials", "ok", "Confluence accepts the credentials")


def _space(site: Any, key: str) -> Check:
    from teamcomms.site.errors import NotFound

    name = f"space {key}"
    try:
        space = site.confluence.space(key)
    except NotFound as error:
        return Check(name, "missing", error.message, error.hint)
    try:
        operations = site.confluence.space_operations(key)
    except SiteError:
        operations = None
    if operations is None:
        return Check(name, "ok", f"{space.name or key} exists (permissions not checked)")
    if ("create", "page") not in operations:
        return Check(
            name,
            "missing",
            f"{space.name or key} exists but you may not create pages in it",
            f"ask a space admin of {key} for 'Add pages' permission",
        )
    if ("administer", "space") in operations:
        return Check(name, "ok", f"{space.name or key}: may create pages and templates")
    return Check(
        name,
        "warning",
        f"{space.name or key}: may create pages, but is not a space admin, so content "
        "templates cannot be published there",
        f"ask for space admin on {key} if templates should be published there",
        required=False,
    )


def _project(site: Any, key: str, issue_types: tuple[str, ...]) -> Check:
    name = f"project {key}"
    project = site.jira.project(key)
    if project is None:
        return Check(
            name,
            "missing",
            f"Jira project {key} does not exist or you cannot see it",
            f"create the project {key}, ask for Browse projects permission, or fix the key",
        )
    granted = site.jira.my_permissions(PROJECT_PERMISSIONS, project_key=key)
    lacking = sorted(p for p, ok in granted.items() if not ok)
    have = {t.lower() for t in project.issue_types}
    absent = [t for t in issue_types if t.lower() not in have]
    problems, hints = [], []
    if lacking:
        problems.append(f"missing {', '.join(lacking)}")
        hints.append(f"ask a Jira admin to grant {', '.join(lacking)} in {key}")
    if absent:
        problems.append(f"has no issue type {', '.join(absent)}")
        hints.append(
            f"add {', '.join(absent)} to the issue type scheme of {key} (Project settings > "
            "Issue types), or fix the issue types in the definitions"
        )
    if problems:
        return Check(name, "missing", f"{project.name}: {'; '.join(problems)}", "; ".join(hints))
    types = f" ({', '.join(issue_types)})" if issue_types else ""
    return Check(name, "ok", f"{project.name}: may browse, create and edit issues{types}")


def _issue_types(site: Any, names: tuple[str, ...]) -> Check:
    have = {t.lower() for t in site.jira.issue_type_names()}
    absent = [t for t in names if t.lower() not in have]
    if absent:
        return Check(
            "issue types",
            "missing",
            f"custom-field contexts name issue types the site lacks: {', '.join(absent)}",
            "create them (Jira settings > Issues > Issue types) or fix the field contexts",
        )
    return Check("issue types", "ok", f"{', '.join(names)} exist (named by field contexts)")


def _group(site: Any, name: str) -> Check:
    check = f"group {name}"
    if site.jira.group_exists(name):
        return Check(check, "ok", "exists (filters can be shared with it)")
    return Check(
        check,
        "missing",
        f"there is no Jira group {name}, and a filter is shared with it",
        f"create the group {name} (Atlassian administration, Groups) or fix the group name "
        "in the filter's share",
    )


def _jira_admin(site: Any) -> Check:
    granted = site.jira.my_permissions([ADMIN_PERMISSION])
    if granted.get(ADMIN_PERMISSION):
        return Check("jira administration", "ok", "may manage workflows, statuses and fields")
    return Check(
        "jira administration",
        "missing",
        "the definitions contain workflows or fields, which need Jira administrator rights",
        "run as a Jira administrator, or leave workflows and fields out of this project",
    )


def format_text(report: DoctorReport) -> Iterable[str]:
    """The report as lines for a terminal."""
    marks = {"ok": "ok  ", "warning": "warn", "missing": "FAIL"}
    for check in report.checks:
        yield redact(f"{marks[check.status]}  {check.name}: {check.detail}")
        if check.hint and check.status != "ok":
            yield redact(f"      hint: {check.hint}")
    failed = sum(1 for check in report.checks if check.failed)
    yield "all checks passed" if report.ok else f"{failed} required check(s) failed"
