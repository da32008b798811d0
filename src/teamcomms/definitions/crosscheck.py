"""Checks across definitions: references resolve, names are unique, workflows hang together,
and template and page bodies use exactly the variables they declare."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from teamcomms.definitions.common import Definition
from teamcomms.definitions.confine import OUTSIDE_HINT, outside_reason
from teamcomms.definitions.jinja_check import variables_used
from teamcomms.definitions.kinds.board import BoardDefinition
from teamcomms.definitions.kinds.checklist import ChecklistDefinition
from teamcomms.definitions.kinds.hire import HireDefinition
from teamcomms.definitions.kinds.page import PageDefinition
from teamcomms.definitions.kinds.report import ReportDefinition
from teamcomms.definitions.kinds.standup import StandupDefinition
from teamcomms.definitions.kinds.template import TemplateDefinition
from teamcomms.definitions.kinds.workflow import WorkflowDefinition
from teamcomms.definitions.loader import Loaded
from teamcomms.definitions.messages import suggest
from teamcomms.definitions.yaml_source import PathKey, display_name, read_text
from teamcomms.errors import Problem

HIRE_VARIABLES = frozenset({"hire"})
STANDUP_VARIABLES = frozenset({"date", "team"})
REPORT_VARIABLES = frozenset({"period", "label"})
_BODY_LINK = re.compile(r"\]\(\s*<?(page|template):([^)#\s>]*)")
# Code is shown, not linked: fenced blocks and inline code spans are blanked (keeping the line
# breaks, so positions stay right) before links are looked for.
_BODY_CODE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)|`[^`\n]+`", re.M | re.S)


class _Index:
    """Definitions by kind and name, for resolving references."""

    def __init__(
        self, loaded: list[Loaded], invalid: set[tuple[str, str]], root: Path | None
    ) -> None:
        self.names: dict[str, dict[str, Loaded]] = defaultdict(dict)
        self.invalid = invalid
        self.root = root
        for item in loaded:
            self.names[item.definition.kind].setdefault(item.definition.name, item)

    def missing(
        self, item: Loaded, path: PathKey, kind: str, name: str, what: str | None = None
    ) -> Iterator[Problem]:
        """A problem if no ``kind`` definition is called ``name``."""
        if name in self.names[kind] or (kind, name) in self.invalid:
            return
        guess = suggest(name, list(self.names[kind]))
        yield item.document.problem(
            path,
            f"{what or kind} '{name}' is not defined"
            + (f": did you mean '{guess}'?" if guess else ""),
            definition=item.definition.label,
            hint=f"add a '{kind}' definition named '{name}', or fix the name",
        )


def _duplicates(loaded: list[Loaded]) -> Iterator[Problem]:
    by_identity: dict[str, list[Loaded]] = defaultdict(list)
    for item in loaded:
        by_identity[item.definition.identity].append(item)
    for items in by_identity.values():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(
                f"{other.document.display}:{other.document.position(('name',)).line}"
                for other in items
                if other is not item
            )
            yield item.document.problem(
                ("name",),
                f"{item.definition.kind} name '{item.definition.name}' is used more than once "
                f"(also at {others})",
                definition=item.definition.label,
                hint=f"names are unique per kind; rename one of the {item.definition.kind}s",
            )


def _workflow(item: Loaded, workflow: WorkflowDefinition) -> Iterator[Problem]:
    document, label = item.document, workflow.label
    names = [status.name for status in workflow.statuses]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            yield document.problem(
                ("statuses", index, "name"),
                f"status '{name}' is listed twice",
                definition=label,
                hint="list each status once; transitions refer to it by name",
            )
        seen.add(name)

    def unknown(path: PathKey, name: str) -> Iterator[Problem]:
        if name not in seen:
            guess = suggest(name, names)
            yield document.problem(
                path,
                f"status '{name}' is not one of this workflow's statuses"
                + (f": did you mean '{guess}'?" if guess else ""),
                definition=label,
                hint=f"statuses: {', '.join(names)}",
            )

    yield from unknown(("initial",), workflow.initial)
    for old, new in workflow.status_mapping.items():
        yield from unknown(("status_mapping", old), new)
        if old in seen:
            yield document.problem(
                ("status_mapping", old),
                f"status '{old}' is still one of this workflow's statuses; only a removed status "
                "needs a mapping",
                definition=label,
                hint=f"remove '{old}' from status_mapping, or remove the status",
            )
    edges: dict[str, set[str]] = defaultdict(set)
    global_targets: set[str] = set()
    for index, transition in enumerate(workflow.transitions):
        yield from unknown(("transitions", index, "to"), transition.to)
        if transition.sources is None:
            global_targets.add(transition.to)
            continue
        for number, source in enumerate(transition.sources):
            path: PathKey = ("transitions", index, "from")
            yield from unknown(
                (*path, number) if (*path, number) in document.values else path, source
            )
            edges[source].add(transition.to)
    reachable = {workflow.initial, *global_targets}
    pending = list(reachable)
    while pending:
        for target in edges[pending.pop()] - reachable:
            reachable.add(target)
            pending.append(target)
    for index, status in enumerate(workflow.statuses):
        path = ("statuses", index)
        if status.name not in reachable:
            yield document.problem(
                path,
                f"status '{status.name}' cannot be reached from '{workflow.initial}'",
                definition=label,
                hint="add a transition into it, or remove it",
                severity="warning",
            )
        exits = (edges[status.name] | global_targets) - {status.name}
        if status.category != "done" and not exits:
            yield document.problem(
                path,
                f"status '{status.name}' is a dead end: no transition leaves it",
                definition=label,
                hint="add a transition out of it, or make its category 'done'",
                severity="warning",
            )


def _jinja_text(
    item: Loaded, path: PathKey, text: str, allowed: frozenset[str], what: str
) -> Iterator[Problem]:
    uses, syntax = variables_used(text)
    if syntax is not None:
        yield item.document.problem(
            path, syntax.message, definition=item.definition.label, hint=syntax.hint
        )
    for use in uses:
        if use.name not in allowed:
            yield item.document.problem(
                path,
                f"{what} uses the variable '{use.name}', which is not available here",
                definition=item.definition.label,
                hint=f"available: {', '.join(sorted(allowed)) or 'none'}",
            )


def _body_links(item: Loaded, display: str, text: str, index: _Index) -> Iterator[Problem]:
    """``[text](page:NAME)`` links of a body whose NAME is not a definition of that kind."""
    blanked = _BODY_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for match in _BODY_LINK.finditer(blanked):
        kind, name = match.group(1), match.group(2)
        if "{" in name or name in index.names[kind] or (kind, name) in index.invalid:
            continue
        line = blanked.count("\n", 0, match.start(1)) + 1
        column = match.start(1) - (blanked.rfind("\n", 0, match.start(1)) + 1) + 1
        guess = suggest(name, list(index.names[kind]))
        yield Problem(
            display,
            line,
            column,
            f"link to unknown {kind} '{name}'" + (f": did you mean '{guess}'?" if guess else ""),
            item.definition.label,
            None,
            f"define a '{kind}' named '{name}', or fix the name after '{kind}:'",
        )


def _body(
    item: Loaded, body: Path, declared: set[str], what: str, index: _Index
) -> tuple[set[str] | None, list[Problem]]:
    """Variables the body uses (None if it could not be read or parsed), and its problems."""
    display = display_name(body)
    label = item.definition.label
    outside = outside_reason(body, index.root) if index.root is not None else None
    if outside is not None:
        return None, [
            item.document.problem(
                ("body",),
                f"body '{item.document.data.get('body')}' {outside}",
                definition=label,
                hint=OUTSIDE_HINT,
                key=True,
            )
        ]
    if not body.is_file():
        return None, [
            item.document.problem(
                ("body",),
                f"body '{display}' is a folder, not a Markdown file"
                if body.is_dir()
                else f"body file '{display}' not found",
                definition=label,
                hint="create the Markdown file, or fix the path (relative to this YAML file)",
            )
        ]
    text, problems = read_text(body, display, "body file")
    if text is None:
        return None, [
            Problem(p.file, p.line, p.column, p.message, label, None, p.hint) for p in problems
        ]
    uses, syntax = variables_used(text)
    if syntax is not None:
        return None, [
            Problem(display, syntax.line, syntax.column, syntax.message, label, None, syntax.hint)
        ]
    found = [
        Problem(
            display,
            use.line,
            use.column,
            f"the body uses the variable '{use.name}', which is not declared",
            label,
            None,
            f"declare it under '{what}' in {item.document.display}",
        )
        for use in uses
        if use.name not in declared
    ]
    found.extend(_body_links(item, display, text, index))
    return {use.name for use in uses}, found


def _template(item: Loaded, template: TemplateDefinition, index: _Index) -> Iterator[Problem]:
    declared = set(template.variables)
    yield from _jinja_text(item, ("title",), template.title, frozenset(declared), "the title")
    title_uses, _ = variables_used(template.title)
    used, problems = _body(item, template.body, declared, "variables", index)
    yield from problems
    if used is not None:
        used |= {use.name for use in title_uses}
        for name, spec in template.variables.items():
            if name not in used:
                yield item.document.problem(
                    ("variables", name),
                    f"variable '{name}' is declared"
                    + (" required" if spec.required else "")
                    + " but neither the title nor the body uses it",
                    definition=template.label,
                    hint="use it in the body as {{ " + name + " }}, or remove it",
                    key=True,
                    severity="error" if spec.required else "warning",
                )


def _page(item: Loaded, page: PageDefinition, index: _Index) -> Iterator[Problem]:
    declared = set(page.vars)
    yield from _jinja_text(item, ("title",), page.title, frozenset(declared), "the title")
    used, problems = _body(item, page.body, declared, "vars", index)
    yield from problems
    if used is not None:
        used |= {use.name for use in variables_used(page.title)[0]}
        for name in page.vars:
            if name not in used:
                yield item.document.problem(
                    ("vars", name),
                    f"'{name}' is given in vars but the page does not use it",
                    definition=page.label,
                    hint="remove it, or use it in the body as {{ " + name + " }}",
                    key=True,
                    severity="warning",
                )


def _checklist(item: Loaded, checklist: ChecklistDefinition, index: _Index) -> Iterator[Problem]:
    yield from _jinja_text(item, ("jira", "epic"), checklist.jira.epic, HIRE_VARIABLES, "the epic")
    if checklist.welcome_page is not None:
        name = checklist.welcome_page.template
        yield from index.missing(item, ("welcome_page", "template"), "template", name)
        found = index.names["template"].get(name)
        template = found.definition if found else None
        if isinstance(template, TemplateDefinition):
            needed = sorted(
                variable
                for variable, spec in template.variables.items()
                if spec.required and variable not in HIRE_VARIABLES
            )
            if needed:
                yield item.document.problem(
                    ("welcome_page", "template"),
                    f"template '{name}' requires {', '.join(needed)}, but a welcome page "
                    "only gets the variable 'hire'",
                    definition=checklist.label,
                    hint=f"make those variables optional in template '{name}', or use another "
                    "template",
                )
    for number, entry in enumerate(checklist.items):
        if entry.link and not entry.link.startswith("https://"):
            kind, _, name = entry.link.partition(":")
            yield from index.missing(item, ("items", number, "link"), kind, name)


def cross_check(
    loaded: list[Loaded], invalid: set[tuple[str, str]] | None = None, root: Path | None = None
) -> list[Problem]:
    """Every problem found across the definitions (errors and warnings).

    ``invalid`` names definitions that exist but failed validation: references to them count
    as resolved, so one mistake is not reported again at every place that uses it. With
    ``root`` (the project folder), a body outside it is an error.
    """
    index = _Index(loaded, invalid or set(), root)
    problems = list(_duplicates(loaded))
    for item in loaded:
        definition: Definition = item.definition
        if isinstance(definition, WorkflowDefinition):
            problems.extend(_workflow(item, definition))
        elif isinstance(definition, BoardDefinition):
            problems.extend(index.missing(item, ("filter",), "filter", definition.filter))
        elif isinstance(definition, ChecklistDefinition):
            problems.extend(_checklist(item, definition, index))
        elif isinstance(definition, HireDefinition):
            problems.extend(index.missing(item, ("checklist",), "checklist", definition.checklist))
        elif isinstance(definition, StandupDefinition):
            problems.extend(
                _jinja_text(item, ("title",), definition.title, STANDUP_VARIABLES, "the title")
            )
            if definition.template is not None:
                problems.extend(index.missing(item, ("template",), "template", definition.template))
        elif isinstance(definition, ReportDefinition):
            problems.extend(
                _jinja_text(item, ("title",), definition.title, REPORT_VARIABLES, "the title")
            )
            if definition.template is not None:
                problems.extend(index.missing(item, ("template",), "template", definition.template))
        elif isinstance(definition, TemplateDefinition):
            problems.extend(_template(item, definition, index))
        elif isinstance(definition, PageDefinition):
            problems.extend(_page(item, definition, index))
    return problems
