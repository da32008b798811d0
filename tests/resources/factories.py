"""Small builders for desired and current state, shared by the planner tests."""

from __future__ import annotations

from dataclasses import replace

from teamcomms.engine.change import Plan
from teamcomms.engine.planner import compute_plan as engine_plan
from teamcomms.engine.resource import Observed, PlanOptions
from teamcomms.resources import RESOURCES
from teamcomms.resources.confluence_marker import Marker, content_hash
from teamcomms.resources.confluence_state import (
    CurrentPage,
    CurrentSpace,
    CurrentState,
    CurrentTemplate,
    DesiredPage,
    DesiredState,
    DesiredTemplate,
)

HOME = "1"


def want(
    name: str,
    title: str | None = None,
    *,
    body: str = "<p>hello</p>",
    parent: str | None = None,
    labels: tuple[str, ...] = (),
    space: str = "TEAM",
    adopt: bool = False,
) -> DesiredPage:
    return DesiredPage(
        address=f"page/{name}",
        space=space,
        title=title or name.title(),
        body=body,
        parent_title=parent,
        labels=labels,
        adopt=adopt,
    )


def written(page: DesiredPage, page_id: str, *, version: int = 1) -> CurrentPage:
    """The page as the site holds it right after teamcomms wrote ``page``."""
    return CurrentPage(
        id=page_id,
        space=page.space,
        title=page.title,
        version=version,
        body=page.body,
        parent_id=HOME,
        labels=page.labels,
        marker=Marker(page.address, page.hash, version),
    )


def hand_edit(page: CurrentPage, body: str, *, author: str = "grace") -> CurrentPage:
    return replace(
        page, body=body, version=page.version + 1, author=author, modified_at="2026-11-20T10:00Z"
    )


def unmanaged(page_id: str, title: str, body: str = "<p>theirs</p>") -> CurrentPage:
    return CurrentPage(id=page_id, space="TEAM", title=title, version=3, body=body, parent_id=HOME)


def site(*pages: CurrentPage, templates: tuple[CurrentTemplate, ...] = ()) -> CurrentState:
    home = CurrentPage(id=HOME, space="TEAM", title="Team home", version=1, body="")
    return CurrentState(
        spaces=(
            CurrentSpace(
                key="TEAM", id="100", homepage_id=HOME, pages=(home, *pages), templates=templates
            ),
        )
    )


def desired(*pages: DesiredPage, templates: tuple[DesiredTemplate, ...] = ()) -> DesiredState:
    return DesiredState(pages=pages, templates=templates, spaces=("TEAM",))


def template(
    name: str, *, body: str = "<p>{{release}}</p>", adopt: bool = False
) -> DesiredTemplate:
    return DesiredTemplate(
        address=f"template/{name}",
        space="TEAM",
        name=name.replace("-", " ").title(),
        body=body,
        description="Checklist before a release",
        labels=("checklist",),
        adopt=adopt,
    )


def template_written(wanted: DesiredTemplate, template_id: str) -> CurrentTemplate:
    from teamcomms.resources.confluence_marker import template_description

    marker = Marker(wanted.address, wanted.hash)
    return CurrentTemplate(
        id=template_id,
        space=wanted.space,
        name=wanted.name,
        body=wanted.body,
        description=template_description(wanted.description, marker),
        labels=wanted.labels,
        marker=marker,
    )


CONFLUENCE = [r for r in RESOURCES if r.kind in ("page", "template")]


def compute_plan(
    desired: DesiredState,
    current: CurrentState,
    options: PlanOptions | None = None,
    *,
    site: str | None = None,
) -> Plan:
    """The plan of the page and template resources for these Confluence values."""
    kinds = [r.kind for r in CONFLUENCE]
    return engine_plan(
        CONFLUENCE,
        dict.fromkeys(kinds, desired),
        dict.fromkeys(kinds, current),
        options,
        site=site,
    )


def observed(current: CurrentState) -> list[Observed]:
    """``current`` as the engine sees it (for fingerprints)."""
    return [item for resource in CONFLUENCE for item in resource.observe(current)]


__all__ = ["content_hash"]
