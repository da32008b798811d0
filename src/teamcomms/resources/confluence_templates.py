"""The content-template resource: Confluence space templates from ``template`` definitions
with ``confluence_template: true``.

Templates have no properties: their marker is a tag at the end of the description (see
:mod:`teamcomms.resources.confluence_marker`), and Confluence cannot archive them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from teamcomms.engine.change import Change
from teamcomms.engine.resource import Applied, DiffView, Observed, PlanOptions
from teamcomms.resources import confluence_describe, confluence_writes
from teamcomms.resources.confluence_desired import desired_templates
from teamcomms.resources.confluence_marker import template_description, template_hash
from teamcomms.resources.confluence_pages import checked_marker, marker_problem
from teamcomms.resources.confluence_read import read_templates, space_observed
from teamcomms.resources.confluence_state import Content, CurrentState, DesiredState, TemplateDetail
from teamcomms.resources.confluence_template_plan import RESOURCE, plan_templates

if TYPE_CHECKING:
    from teamcomms.engine.workspace import Workspace
    from teamcomms.site.connection import Site


class ConfluenceTemplates:
    """Content templates: create, update, rename, relabel, adopt and delete."""

    kind = RESOURCE
    after: tuple[str, ...] = ()
    title = "Confluence content templates"
    before_type = Content
    detail_type = TemplateDetail

    def desired(self, workspace: Workspace) -> DesiredState:
        """Every template definition with ``confluence_template: true``, rendered."""
        return desired_templates(workspace)

    def scope(self, desired: DesiredState) -> tuple[str, ...]:
        """The spaces to read: every space a template goes to, and the default space."""
        return desired.all_spaces

    def read(self, site: Site, scope: Sequence[str], *, workers: int) -> CurrentState:
        """Every content template of the spaces."""
        return read_templates(site.confluence, scope, workers=workers)

    def observe(self, current: CurrentState) -> Iterable[Observed]:
        """Each space (as a container) and each template."""
        for space in current.spaces:
            yield space_observed(RESOURCE, space)
            for template in space.templates:
                yield Observed(
                    resource=RESOURCE,
                    id=template.id,
                    scope=template.space,
                    name=template.name,
                    owner=template.marker.definition if template.marker else None,
                    state=[
                        template.name,
                        template.hash,
                        sorted(template.labels),
                        template.description,
                    ],
                )

    def diff(
        self, desired: DesiredState, current: CurrentState, options: PlanOptions
    ) -> list[Change]:
        """See :func:`teamcomms.resources.confluence_template_plan.plan_templates`."""
        return plan_templates(desired, current, options.prune)

    def preflight(self, changes: list[Change], site: Any) -> list[Change]:
        """Nothing to ask the site beforehand."""
        return changes

    def check_change(self, change: Change) -> str | None:
        """A template write must carry the marker of its own definition and content."""
        if change.action == "delete":
            return None
        if not isinstance(change.after, Content) or not isinstance(change.detail, TemplateDetail):
            return "it has no content to write"
        after = change.after
        expected = template_hash(after.title, after.body, after.labels)
        return marker_problem(change, change.detail.marker, expected)

    def carry_out(self, change: Change, site: Site, applied: Applied) -> str | None:
        """Create, update or delete one content template."""
        confluence = site.confluence
        if change.action == "delete":
            confluence_writes.delete_template(confluence, change)
            return change.target_id
        after, detail = change.after, change.detail
        assert isinstance(after, Content) and isinstance(detail, TemplateDetail)
        expected = template_hash(after.title, after.body, after.labels)
        marker = checked_marker(change, detail.marker, expected)
        description = template_description(detail.description, marker)
        if change.action == "create":
            return confluence_writes.create_template(confluence, change, description).id
        updated = confluence.update_template(
            change.target_id or "", change.scope, after.title, after.body,
            description=description, labels=after.labels,
        )  # fmt: skip
        return updated.id

    def describe(self, change: Change) -> list[str]:
        """Field lines: name and labels."""
        return confluence_describe.describe(change)

    def text_diff(self, change: Change, view: DiffView) -> list[str]:
        """The body diff."""
        return confluence_describe.text_diff(change, view)

    def summary_json(self, change: Change) -> dict[str, Any]:
        """``space``, ``before``, ``after`` (no bodies) and ``attachments``."""
        return confluence_describe.summary_json(change)
