"""``teamcomms export``: read a site through the resources and write a project that plans as
"no change" against it.

Each resource turns its own current objects into definitions (:meth:`Resource.export`); this
module only chooses which resources to read, reads them side by side (the same bulk reads a plan
makes, every object instead of only teamcomms'), merges what they give, and writes files. It
knows no kind of object. Nothing is written to the site: reading is all it does there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from teamcomms.engine.resource import (
    Exported,
    ExportedDefinition,
    ExportNote,
    ExportSelection,
    Resource,
)
from teamcomms.errors import OperationFailed, Problem, UsageError

if TYPE_CHECKING:
    from teamcomms.site.connection import Site

Progress = Callable[[str], None]
PROJECT_FILE = "teamcomms.yaml"
REPORT_FILE = "export-report.md"


@dataclass(frozen=True)
class ExportResult:
    """What an export read and made: the definitions, the notes, and what was read."""

    definitions: tuple[ExportedDefinition, ...]
    notes: tuple[ExportNote, ...]
    kinds: tuple[str, ...]
    """The definition kinds exported (what was asked, plus what those refer to)."""
    read: tuple[str, ...] = ()
    """The resources read, by title."""

    def counts(self) -> dict[str, int]:
        """How many definitions of each kind, in the order of :attr:`kinds`."""
        found = dict.fromkeys(self.kinds, 0)
        for definition in self.definitions:
            found[definition.kind] = found.get(definition.kind, 0) + 1
        return found


@dataclass(frozen=True)
class ExportReport:
    """What ``teamcomms export`` did: what it exported, the files it wrote, and what checking
    the written project found (it should find no errors)."""

    result: ExportResult
    written: tuple[Path, ...]
    problems: tuple[Problem, ...] = ()
    """What validating the written project found (warnings, such as lint's, are expected)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that are errors."""
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass
class _Merged:
    definitions: dict[tuple[str, str], ExportedDefinition] = field(default_factory=dict)
    notes: list[ExportNote] = field(default_factory=list)


def exportable_kinds(resources: Iterable[Resource]) -> tuple[str, ...]:
    """Every definition kind some resource exports, in registry order."""
    return tuple(dict.fromkeys(kind for r in resources for kind in r.exports))


def chosen_kinds(resources: Sequence[Resource], asked: Collection[str] | None) -> tuple[str, ...]:
    """``asked`` (all exportable kinds when ``None``) plus the kinds those refer to."""
    known = exportable_kinds(resources)
    if asked is None:
        return known
    unknown = sorted(set(asked) - set(known))
    if unknown:
        raise UsageError(
            f"--kinds: {', '.join(unknown)} cannot be exported",
            hint=f"choose from {', '.join(known)}",
        )
    chosen = set(asked)
    pending = list(chosen)
    while pending:
        kind = pending.pop()
        for resource in resources:
            if kind in resource.exports:
                for needed in set(resource.export_needs) - chosen:
                    chosen.add(needed)
                    pending.append(needed)
    return tuple(k for k in known if k in chosen)


def export_site(
    resources: Sequence[Resource],
    site: Site,
    selection: ExportSelection,
    kinds: Collection[str] | None = None,
    *,
    workers: int,
    progress: Progress | None = None,
) -> ExportResult:
    """Read what ``selection`` and ``kinds`` choose and turn it into definitions (see the module
    docstring). Only reads the site."""
    say = progress or (lambda line: None)
    wanted = chosen_kinds(resources, kinds)
    chosen = [r for r in resources if set(r.exports) & set(wanted)]
    scopes = {r.kind: r.export_scope(selection) for r in chosen}
    reading = [r for r in chosen if scopes[r.kind]]
    for resource in chosen:
        scope = ", ".join(s for s in scopes[resource.kind] if "*" not in s)
        if resource in reading:
            say(f"reading {resource.title}" + (f" ({scope})" if scope else ""))
        else:
            say(f"{resource.title}: nothing chosen to read (see --space and --project)")

    def read_and_export(resource: Resource) -> Exported:
        current = resource.read(site, scopes[resource.kind], workers=workers)
        return resource.export(current, selection)

    results: list[Exported] = []
    if reading:
        with ThreadPoolExecutor(max_workers=len(reading)) as pool:
            for resource, exported in zip(reading, pool.map(read_and_export, reading), strict=True):
                whole = [d for d in exported.definitions if not d.part and d.kind in wanted]
                say(f"{resource.title}: {len(whole)} definitions, {len(exported.notes)} notes")
                results.append(exported)
    merged = merge_exports(results, wanted)
    return ExportResult(
        definitions=tuple(sorted(merged.definitions.values(), key=_order)),
        notes=tuple(merged.notes),
        kinds=wanted,
        read=tuple(r.title for r in reading),
    )


def merge_exports(results: Iterable[Exported], kinds: Collection[str]) -> _Merged:
    """The definitions of ``kinds`` from every resource's export, each part merged into its
    definition; a second definition of one kind and name is left out with a note."""
    merged = _Merged()
    results = list(results)
    for exported in results:
        merged.notes.extend(exported.notes)
        for definition in exported.definitions:
            if definition.part or definition.kind not in kinds:
                continue
            key = (definition.kind, definition.name)
            if key in merged.definitions:
                merged.notes.append(
                    ExportNote(
                        f"{definition.kind} {definition.name!r}",
                        "two objects on the site would be definitions of this one name; only "
                        "the first is exported (rename one of them on the site)",
                    )
                )
                continue
            merged.definitions[key] = definition
    for exported in results:
        for part in (d for d in exported.definitions if d.part):
            key = (part.kind, part.name)
            whole = merged.definitions.get(key)
            if whole is not None:
                merged.definitions[key] = replace(whole, document=_with_part(whole.document, part))
    return merged


def _with_part(document: Mapping[str, Any], part: ExportedDefinition) -> dict[str, Any]:
    combined = dict(document)
    for key, value in part.document.items():
        if isinstance(value, list) and isinstance(combined.get(key), list):
            combined[key] = [*combined[key], *value]
        else:
            combined[key] = value
    if "adopt" in combined:
        # Keys added by a part go before the closing adopt, where a reader expects it.
        combined["adopt"] = combined.pop("adopt")
    return combined


def _order(definition: ExportedDefinition) -> tuple[str, str, str]:
    return (definition.file, definition.kind, definition.name)


def planned_files(result: ExportResult, settings: Mapping[str, Any]) -> dict[str, str]:
    """Every file the export writes, relative path -> text."""
    files: dict[str, str] = {PROJECT_FILE: _dump(settings)}
    by_file: dict[str, list[ExportedDefinition]] = {}
    for definition in result.definitions:
        by_file.setdefault(definition.file, []).append(definition)
        for path, text in definition.files.items():
            files[path] = text
    for path, definitions in by_file.items():
        files[path] = "---\n".join(_document(d) for d in definitions)
    files[REPORT_FILE] = report_markdown(result)
    return files


def write_files(directory: Path, files: Mapping[str, str], *, force: bool) -> list[Path]:
    """Write ``files`` under ``directory``; without ``force`` nothing is written when any of
    them exists already."""
    root = directory.resolve()
    targets = {path: root / path for path in files}
    for path, target in targets.items():
        if not target.resolve().is_relative_to(root):
            raise OperationFailed(f"{path}: would be written outside {directory}")
    existing = sorted(p for p, target in targets.items() if target.exists())
    if existing and not force:
        shown = ", ".join(existing[:5]) + (
            f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        )
        raise OperationFailed(
            f"{directory} already holds {shown}; nothing was written",
            hint="use --force to overwrite them, or export into an empty folder",
        )
    written = []
    for path, text in sorted(files.items()):
        target = targets[path]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def report_markdown(result: ExportResult) -> str:
    """The report: what was exported, and every note with where it is."""
    lines = ["# Export report", ""]
    lines += [f"- {kind}: {count}" for kind, count in result.counts().items()]
    lines += ["", "## What the definitions do not carry exactly", ""]
    if not result.notes:
        lines.append("Nothing: every object was exported as it is.")
    for note in result.notes:
        place = f" ({note.file})" if note.file else ""
        lines.append(f"- {note.where}{place}: {note.what}")
    return "\n".join(lines) + "\n"


class _Top(dict[str, Any]):
    """A document's top level, always written in block style."""


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, no anchors: a file people read and edit."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_dict(dumper: yaml.SafeDumper, data: Mapping[str, Any]) -> yaml.Node:
    # Small mappings of plain values read best on one line: {name: Picking, category: todo}.
    flow = 0 < len(data) <= 4 and all(
        isinstance(v, (str, bool, int)) and len(str(v)) <= 40 and "\n" not in str(v)
        for v in data.values()
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(v, str) and len(v) <= 40 for v in data) and len(data) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(
    _Top, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(), False)
)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def _dump(value: Mapping[str, Any]) -> str:
    text = yaml.dump(_Top(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return str(text)


def _document(definition: ExportedDefinition) -> str:
    comment = "".join(f"# {line}\n" for line in definition.comment.splitlines())
    body = {"kind": definition.kind, "name": definition.name, **definition.document}
    return comment + _dump(body)
