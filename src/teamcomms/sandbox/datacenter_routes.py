"""Every endpoint the Data Center sandbox serves: Confluence at the root of the host
(``/rest/api/...``, its own base URL on Data Center) and Jira beside it (``/rest/api/2``,
``/rest/agile/1.0``), as one reverse proxy in front of both would.

Confluence's content, properties and spaces are Data Center's own (``confluence_dc``); labels,
attachment uploads (no create-or-update PUT: a new version goes to ``/{attachmentId}/data``),
CQL search and content templates are the Cloud v1 handlers at Data Center's paths.
Jira is the Cloud sandbox's API 2 less what only Cloud has (:data:`CLOUD_ONLY_JIRA`), with Data
Center's search, people and body checks (``jira_dc``) in their place. Nothing answers under
``/wiki``, ``/rest/api/3`` or for Jira's newer configuration APIs (statuses, workflows, schemes),
as on Data Center.
"""

from __future__ import annotations

from teamcomms.sandbox import (
    confluence_attachments,
    confluence_dc,
    confluence_search,
    confluence_v1,
    hand_edit,
    jira_dc,
)
from teamcomms.sandbox.api import Router, RouteTable
from teamcomms.sandbox.datacenter import CONFLUENCE_API, JIRA_API

TEMPLATES = "/rest/experimental/template"
"""Data Center's content templates (see ``confluence_v1.template_path``)."""
CLOUD_ONLY_JIRA = frozenset(
    JIRA_API + path
    for path in (
        "/search/jql",
        "/search/approximate-count",
        "/changelog/bulkfetch",
        "/field/search",
        "/field/{id}/trash",
        "/group/bulk",
        "/project/search",
        "/issuetype/project",
    )
)
CLOUD_ONLY_PREFIXES = (JIRA_API + "/field/{fieldId}/context",)
"""Jira Cloud operations Data Center lacks (Cloud's platform reference marks them new, and the
Data Center reference has none of them), with custom field contexts and their options
(:data:`CLOUD_ONLY_PREFIXES`)."""

SHARED = RouteTable()
"""The Cloud v1 handlers Data Center serves too, at its own paths."""
SHARED.post(CONFLUENCE_API + "/content/{id}/label")(confluence_v1.add_labels)
SHARED.delete(CONFLUENCE_API + "/content/{id}/label/{label}")(confluence_v1.remove_label)
SHARED.delete(CONFLUENCE_API + "/content/{id}/label")(confluence_v1.remove_label_by_query)
SHARED.post(CONFLUENCE_API + "/content/{id}/child/attachment")(
    confluence_attachments.add_attachment
)
SHARED.get(CONFLUENCE_API + "/content/{id}/child/attachment")(
    confluence_attachments.list_attachments
)
SHARED.post(CONFLUENCE_API + "/content/{id}/child/attachment/{attachmentId}/data")(
    confluence_attachments.update_attachment_data
)
SHARED.get(CONFLUENCE_API + "/content/search")(confluence_search.cql_search)
SHARED.post(TEMPLATES)(confluence_v1.create_template)
SHARED.put(TEMPLATES)(confluence_v1.update_template)
SHARED.get(TEMPLATES + "/page")(confluence_v1.list_templates)
SHARED.get(TEMPLATES + "/{contentTemplateId}")(confluence_v1.get_template)
SHARED.delete(TEMPLATES + "/{contentTemplateId}")(confluence_v1.delete_template)


def _jira_routes() -> RouteTable:
    """Jira's API 2 and agile routes of the Cloud sandbox that Data Center has as well."""
    from teamcomms.sandbox.routes import TABLES

    own = {(route.method, route.template) for route in jira_dc.ROUTES.routes}
    table = RouteTable()
    for route in (route for cloud in TABLES for route in cloud.routes):
        template = route.template
        if not template.startswith((JIRA_API + "/", "/rest/agile/1.0/")):
            continue
        # Data Center's own search replaces Cloud's removed one (410), and so on.
        if template in CLOUD_ONLY_JIRA or template.startswith(CLOUD_ONLY_PREFIXES):
            continue
        if (route.method, template) not in own:
            table.routes.append(route)
    return table


# The sandbox's own API (hand edits, ``sandbox edit``) is the same on either kind of site.
DATACENTER_ROUTER = Router(
    [confluence_dc.ROUTES, SHARED, jira_dc.ROUTES, _jira_routes(), hand_edit.ROUTES]
)
