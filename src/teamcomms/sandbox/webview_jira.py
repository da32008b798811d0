"""The Jira side of the sandbox web view: projects, workflows (with their diagram), statuses,
fields, filters, boards, groups and issues."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html import escape
from typing import Any

from teamcomms.sandbox.own_paths import PREFIX
from teamcomms.sandbox.state import SiteState
from teamcomms.sandbox.webview_parts import (
    CATEGORY_LOZENGES,
    View,
    href,
    labels,
    link,
    lozenge,
    not_found,
    status_lozenge,
    table,
)

_DIAGRAM_CATEGORIES = {"TODO": "todo", "IN_PROGRESS": "in_progress", "DONE": "done"}
_JIRA_CATEGORIES = {short: jira for jira, short in _DIAGRAM_CATEGORIES.items()}


def jira_section(state: SiteState) -> str:
    """The home page's Jira part: projects, workflows, filters and boards."""
    issues = list(state.table("issues").values())
    projects = [
        [
            link(href("projects", p["key"]), p["key"]),
            escape(p.get("name", "")),
            escape(", ".join(_type_names(state, p))),
            " ".join(link(href("workflows", w["id"]), w["name"]) for w in _workflows_of(state, p)),
            str(sum(1 for i in issues if i.get("projectId") == p["id"])),
        ]
        for p in sorted(state.table("projects").values(), key=lambda p: p["key"])
    ]
    workflows = [
        [
            link(href("workflows", w["id"]), w["name"]),
            str(len(w.get("statuses", []))),
            str(len(w.get("transitions", []))),
            escape(", ".join(p["key"] for p in _projects_using(state, w))),
        ]
        for w in sorted(state.table("workflows").values(), key=lambda w: w["name"].lower())
    ]
    return (
        "<h2>Jira projects</h2>"
        + table(["Key", "Name", "Issue types", "Workflows", "Issues"], projects)
        + "<h2>Workflows</h2>"
        + table(["Name", "Statuses", "Transitions", "Used by"], workflows)
        + _filters(state)
        + _boards(state)
        + f"<p>{link(PREFIX + '/jira', 'Statuses, fields, issue types and groups')}</p>"
    )


def _type_names(state: SiteState, project: dict[str, Any]) -> list[str]:
    types = state.table("issuetypes")
    return [types[t]["name"] for t in project.get("issueTypeIds", []) if t in types]


def _scheme(state: SiteState, project: dict[str, Any]) -> dict[str, Any]:
    schemes = state.table("workflowschemes")
    found: dict[str, Any] = schemes.get(str(project.get("workflowSchemeId")), {})
    return found


def _workflow_named(state: SiteState, name: str) -> dict[str, Any] | None:
    return next((w for w in state.table("workflows").values() if w["name"] == name), None)


def _workflows_of(state: SiteState, project: dict[str, Any]) -> list[dict[str, Any]]:
    scheme = _scheme(state, project)
    names = {scheme.get("defaultWorkflow", ""), *scheme.get("issueTypeMappings", {}).values()}
    found = (_workflow_named(state, name) for name in sorted(names) if name)
    return [w for w in found if w is not None]


def _projects_using(state: SiteState, workflow: dict[str, Any]) -> list[dict[str, Any]]:
    projects = sorted(state.table("projects").values(), key=lambda p: p["key"])
    return [p for p in projects if workflow in _workflows_of(state, p)]


def _filters(state: SiteState) -> str:
    rows = [
        [
            escape(f["name"]),
            f"<code>{escape(f.get('jql', ''))}</code>",
            escape(", ".join(_share(s) for s in f.get("sharePermissions", []))),
        ]
        for f in sorted(state.table("filters").values(), key=lambda f: f["name"].lower())
    ]
    return "<h2>Filters</h2>" + table(["Name", "JQL", "Shared with"], rows)


def _share(share: dict[str, Any]) -> str:
    kind = str(share.get("type", ""))
    target = share.get("project") or share.get("group") or {}
    name = target.get("key") or target.get("name") or target.get("id") or ""
    return f"{kind} {name}".strip()


def _boards(state: SiteState) -> str:
    filters = state.table("filters")
    rows = [
        [
            escape(b["name"]),
            escape(b.get("type", "")),
            escape(filters.get(b.get("filterId"), {}).get("name", b.get("filterId", ""))),
            escape((b.get("location") or {}).get("projectKey", "")),
        ]
        for b in sorted(state.table("boards").values(), key=lambda b: b["name"].lower())
    ]
    return "<h2>Boards</h2>" + table(["Name", "Type", "Filter", "Project"], rows)


def catalogue_view(state: SiteState, _: str) -> View:
    """Statuses, custom fields, issue types and groups."""
    statuses = [
        [lozenge(s.get("statusCategory", ""), s["name"]), escape(s["id"])]
        for s in sorted(state.table("statuses").values(), key=lambda s: s["name"].lower())
    ]
    fields = [
        [
            escape(f["name"]),
            f"<code>{escape(f['id'])}</code>",
            escape(str((f.get("schema") or {}).get("custom") or "")),
            escape(f.get("description", "")),
        ]
        for f in sorted(state.table("fields").values(), key=lambda f: f["name"].lower())
        if f.get("custom")
    ]
    types = [
        [escape(t["name"]), escape(t.get("description", ""))]
        for t in sorted(state.table("issuetypes").values(), key=lambda t: t["name"].lower())
    ]
    groups = [[escape(g["name"])] for g in state.table("groups").values()]
    body = (
        f'<p>{link("/", "Home")}</p><h1 class="tc-title">Jira catalogue</h1>'
        + "<h2>Statuses</h2>"
        + table(["Status", "Id"], statuses)
        + "<h2>Custom fields</h2>"
        + table(["Name", "Id", "Type", "Description"], fields)
        + "<h2>Issue types</h2>"
        + table(["Name", "Description"], types)
        + "<h2>Groups</h2>"
        + table(["Name"], sorted(groups))
    )
    return View("Jira catalogue", body)


def project_view(state: SiteState, key: str) -> View:
    """A Jira project: issue types, the workflows its scheme maps them to, boards and issues."""
    project = state.project_by_key(key)
    if project is None:
        return not_found(f"The sandbox has no Jira project {key}.")
    scheme = _scheme(state, project)
    mappings = scheme.get("issueTypeMappings", {})
    default = scheme.get("defaultWorkflow", "")
    types = state.table("issuetypes")
    rows = []
    for type_id in project.get("issueTypeIds", []):
        name = mappings.get(type_id, default)
        workflow = _workflow_named(state, name)
        shown = link(href("workflows", workflow["id"]), name) if workflow else escape(name)
        rows.append([escape(types.get(type_id, {}).get("name", type_id)), shown])
    issues = sorted(
        (i for i in state.table("issues").values() if i.get("projectId") == project["id"]),
        key=lambda i: int(i["id"]),
    )
    body = (
        f"<p>{link('/', 'Home')}</p>"
        f'<h1 class="tc-title">{escape(project.get("name", key))} ({escape(key)})</h1>'
        f"<p>Workflow scheme: {escape(scheme.get('name', ''))}</p>"
        + "<h2>Issue types and their workflows</h2>"
        + table(["Issue type", "Workflow"], rows)
        + f"<h2>Issues ({len(issues)})</h2>"
        + _issue_table(state, issues)
    )
    return View(f"Project {key}", body)


def _issue_table(state: SiteState, issues: list[dict[str, Any]]) -> str:
    types = state.table("issuetypes")
    rows = []
    for issue in issues:
        fields = issue.get("fields", {})
        rows.append(
            [
                link(href("issues", issue["key"]), issue["key"]),
                escape(types.get(fields.get("issuetype"), {}).get("name", "")),
                escape(fields.get("summary", "")),
                status_lozenge(state, fields.get("status")),
                labels(fields.get("labels") or []),
            ]
        )
    return table(["Key", "Type", "Summary", "Status", "Labels"], rows)


def issue_view(state: SiteState, key: str) -> View:
    """An issue: its fields, description as text and properties (the teamcomms marker)."""
    issue = state.issue_by_key(key)
    if issue is None:
        return not_found(f"The sandbox has no issue {key}.")
    fields = issue.get("fields", {})
    project = state.table("projects").get(str(issue.get("projectId")), {})
    project_link = link(href("projects", project.get("key", "")), project.get("key", "?"))
    parent = state.issue_by_key(str(fields.get("parent") or ""))
    issue_type = state.table("issuetypes").get(fields.get("issuetype"), {}).get("name", "")
    meta = [
        ("Project", project_link),
        ("Type", escape(issue_type)),
        ("Status", status_lozenge(state, fields.get("status"))),
        ("Parent", link(href("issues", parent["key"]), parent["key"]) if parent else "none"),
        ("Labels", labels(fields.get("labels") or []) or "none"),
        ("Created", escape(issue.get("created", ""))),
        ("Updated", escape(issue.get("updated", ""))),
    ]  # fmt: skip
    meta += [
        (name, escape(json.dumps(value, ensure_ascii=False)))
        for name, value in sorted(fields.items())
        if name.startswith("customfield_")
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in meta)
    properties = issue.get("properties") or {}
    shown = escape(json.dumps(properties, indent=2, sort_keys=True))
    body = (
        f"<p>{link('/', 'Home')} / {project_link}</p>"
        f'<h1 class="tc-title">{escape(issue["key"])}: {escape(fields.get("summary", ""))}</h1>'
        f'<table class="sb-meta"><tbody>{rows}</tbody></table>'
        f"<h2>Description</h2><p>{escape(_adf_text(fields.get('description')))}</p>"
        f"<h2>Properties</h2>"
        + (
            f'<pre class="sb-marker">{shown}</pre>'
            if properties
            else '<p class="sb-muted">none</p>'
        )
    )
    return View(issue["key"], body)


def _adf_text(document: Any) -> str:
    """The text of an ADF document (or a plain string), paragraphs joined by spaces."""
    if isinstance(document, str):
        return document
    if isinstance(document, dict):
        if document.get("type") == "text":
            return str(document.get("text", ""))
        return " ".join(t for t in map(_adf_text, document.get("content") or []) if t)
    return ""


@dataclass(frozen=True)
class _Status:
    name: str
    category: str
    description: str = ""


@dataclass(frozen=True)
class _Transition:
    name: str
    sources: tuple[str, ...] | None
    to: str
    description: str = ""


@dataclass(frozen=True)
class _Workflow:
    name: str
    description: str
    statuses: tuple[_Status, ...]
    initial: str
    transitions: tuple[_Transition, ...]


def workflow_view(state: SiteState, workflow_id: str) -> View:
    """A workflow: its diagram, statuses and transitions, and the projects that use it."""
    stored = state.table("workflows").get(workflow_id)
    if stored is None:
        return not_found(f"The sandbox has no workflow {workflow_id}.")
    workflow = _as_workflow(state, stored)
    categories = (_JIRA_CATEGORIES[s.category] for s in workflow.statuses)
    statuses = [
        [escape(s.name), lozenge(category, CATEGORY_LOZENGES[category][1])]
        for s, category in zip(workflow.statuses, categories, strict=True)
    ]
    transitions = [
        [
            escape(t.name),
            escape("any status" if t.sources is None else ", ".join(t.sources)),
            escape(t.to),
        ]
        for t in workflow.transitions
    ]
    users = ", ".join(
        link(href("projects", p["key"]), p["key"]) for p in _projects_using(state, stored)
    )
    body = (
        f'<p>{link("/", "Home")}</p><h1 class="tc-title">{escape(workflow.name)}</h1>'
        f"<p>{escape(workflow.description)}</p><p>Used by: {users or 'no project'}. "
        f"New issues start in <strong>{escape(workflow.initial)}</strong>.</p>"
        + "<h2>Diagram</h2>"
        + _diagram(workflow)
        + "<h2>Statuses</h2>"
        + table(["Status", "Category"], statuses)
        + "<h2>Transitions</h2>"
        + table(["Transition", "From", "To"], transitions)
    )
    return View(workflow.name, body)


def _as_workflow(state: SiteState, stored: dict[str, Any]) -> _Workflow:
    statuses = state.table("statuses")

    def name(reference: Any) -> str:
        return str(statuses.get(str(reference), {}).get("name", reference))

    shown = tuple(
        _Status(
            name(s.get("statusReference")),
            _DIAGRAM_CATEGORIES.get(
                statuses.get(str(s.get("statusReference")), {}).get("statusCategory", ""), "todo"
            ),
        )
        for s in stored.get("statuses", [])
    )
    transitions = []
    initial = shown[0].name if shown else ""
    for t in stored.get("transitions", []):
        if t.get("type") == "INITIAL":
            initial = name(t.get("toStatusReference"))
            continue
        sources = None
        if t.get("type") != "GLOBAL":
            sources = tuple(name(link.get("fromStatusReference")) for link in t.get("links", []))
        transitions.append(
            _Transition(t.get("name", ""), sources, name(t.get("toStatusReference")))
        )
    return _Workflow(
        stored["name"], stored.get("description", ""), shown, initial, tuple(transitions)
    )


def _diagram(workflow: _Workflow) -> str:
    from teamcomms.errors import TeamcommsError
    from teamcomms.render.diagram import to_dot
    from teamcomms.render.graphviz import draw

    try:
        svg = draw(to_dot(workflow), "svg")
    except TeamcommsError as error:
        return f'<p class="sb-muted">No diagram: {escape(error.message)}</p>'
    data = base64.b64encode(svg).decode()
    alt = escape(f"Diagram of the {workflow.name} workflow")
    return f'<img alt="{alt}" src="data:image/svg+xml;base64,{data}">'
