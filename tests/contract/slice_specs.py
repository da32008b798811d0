"""Cut the operations teamcomms and the sandbox use out of Atlassian's full OpenAPI documents.

The full documents live outside the repository (``../shared/atlassian-openapi`` next to the
repository root, 4 MB); tests must run from a fresh clone, so the slices are vendored in
``tests/contract/specs/`` together with a ``SOURCES.md`` recording each source file, its SHA-256
and the date. A slice holds the listed operations verbatim, their path-level parameters and every
component they reference (transitively), nothing else.

Run ``python tests/contract/slice_specs.py [SOURCE_DIR]`` after adding an operation to OPERATIONS.
``tests/contract/test_spec_slices.py`` re-slices and compares whenever the source is present.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "atlassian-openapi"
SPEC_DIR = Path(__file__).resolve().parent / "specs"

# spec file -> (prefix the site adds in front of the spec's paths, operations as "METHOD /path")
OPERATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "confluence-v2.json": (
        "/wiki/api/v2",
        (
            "GET /spaces",
            "GET /spaces/{id}",
            "GET /spaces/{id}/operations",
            "GET /pages",
            "POST /pages",
            "GET /pages/{id}",
            "PUT /pages/{id}",
            "DELETE /pages/{id}",
            "GET /pages/{id}/direct-children",
            "GET /pages/{id}/ancestors",
            "GET /pages/{id}/versions",
            "GET /pages/{id}/labels",
            "GET /pages/{id}/attachments",
            "GET /pages/{page-id}/properties",
            "POST /pages/{page-id}/properties",
            "GET /pages/{page-id}/properties/{property-id}",
            "PUT /pages/{page-id}/properties/{property-id}",
            "DELETE /pages/{page-id}/properties/{property-id}",
        ),
    ),
    "confluence-v1.json": (
        "",
        (
            "POST /wiki/rest/api/content/{id}/label",
            "DELETE /wiki/rest/api/content/{id}/label",
            "DELETE /wiki/rest/api/content/{id}/label/{label}",
            "POST /wiki/rest/api/template",
            "PUT /wiki/rest/api/template",
            "GET /wiki/rest/api/template/page",
            "GET /wiki/rest/api/template/{contentTemplateId}",
            "DELETE /wiki/rest/api/template/{contentTemplateId}",
            "POST /wiki/rest/api/content/{id}/child/attachment",
            "PUT /wiki/rest/api/content/{id}/child/attachment",
            "POST /wiki/rest/api/content/archive",
            "GET /wiki/rest/api/longtask/{id}",
            "GET /wiki/rest/api/content/search",
        ),
    ),
    "jira-platform-v3.json": (
        "",
        (
            "GET /rest/api/3/serverInfo",
            "GET /rest/api/3/myself",
            "GET /rest/api/3/mypermissions",
            "GET /rest/api/3/groups/picker",
            "GET /rest/api/3/group/bulk",
            "GET /rest/api/3/role",
            "GET /rest/api/3/user/search",
            "GET /rest/api/3/user",
            "GET /rest/api/3/project",
            "GET /rest/api/3/project/{projectIdOrKey}",
            "GET /rest/api/3/project/{projectIdOrKey}/components",
            "POST /rest/api/3/component",
            "GET /rest/api/3/priority",
            "GET /rest/api/3/resolution",
            "GET /rest/api/3/project/search",
            "POST /rest/api/3/project",
            "GET /rest/api/3/issuetype",
            "POST /rest/api/3/issuetype",
            "GET /rest/api/3/issuetype/project",
            "GET /rest/api/3/statuses",
            "POST /rest/api/3/statuses",
            "PUT /rest/api/3/statuses",
            "GET /rest/api/3/statuses/search",
            "GET /rest/api/3/statuses/byNames",
            "DELETE /rest/api/3/statuses",
            "DELETE /rest/api/3/workflow/{entityId}",
            "GET /rest/api/3/workflowscheme",
            "DELETE /rest/api/3/workflowscheme/{id}",
            "PUT /rest/api/3/workflowscheme/project",
            "POST /rest/api/3/workflowscheme/update/mappings",
            "POST /rest/api/3/workflows",
            "GET /rest/api/3/workflows/search",
            "POST /rest/api/3/workflows/create",
            "POST /rest/api/3/workflows/create/validation",
            "POST /rest/api/3/workflows/update",
            "POST /rest/api/3/workflows/update/validation",
            "POST /rest/api/3/workflowscheme",
            "GET /rest/api/3/workflowscheme/{id}",
            "POST /rest/api/3/workflowscheme/read",
            "POST /rest/api/3/workflowscheme/update",
            "GET /rest/api/3/workflowscheme/project",
            "POST /rest/api/3/workflowscheme/project/switch",
            "GET /rest/api/3/task/{taskId}",
            "GET /rest/api/3/field",
            "POST /rest/api/3/field",
            "GET /rest/api/3/field/search",
            "GET /rest/api/3/field/{fieldId}/context",
            "POST /rest/api/3/field/{fieldId}/context",
            "GET /rest/api/3/field/{fieldId}/context/{contextId}/option",
            "POST /rest/api/3/field/{fieldId}/context/{contextId}/option",
            "PUT /rest/api/3/field/{fieldId}/context/{contextId}/option",
            "PUT /rest/api/3/field/{fieldId}",
            "GET /rest/api/3/field/{fieldId}/context/projectmapping",
            "GET /rest/api/3/field/{fieldId}/context/issuetypemapping",
            "GET /rest/api/3/group/bulk",
            "GET /rest/api/3/role",
            "DELETE /rest/api/3/field/{id}",
            "POST /rest/api/3/field/{id}/trash",
            "PUT /rest/api/3/field/{fieldId}/context/{contextId}",
            "DELETE /rest/api/3/field/{fieldId}/context/{contextId}",
            "PUT /rest/api/3/field/{fieldId}/context/{contextId}/project",
            "POST /rest/api/3/field/{fieldId}/context/{contextId}/project/remove",
            "PUT /rest/api/3/field/{fieldId}/context/{contextId}/issuetype",
            "POST /rest/api/3/field/{fieldId}/context/{contextId}/issuetype/remove",
            "PUT /rest/api/3/field/{fieldId}/context/{contextId}/option/move",
            "DELETE /rest/api/3/field/{fieldId}/context/{contextId}/option/{optionId}",
            "DELETE /rest/api/3/field/{fieldId}/context/{contextId}/option/{optionId}/issue",
            "GET /rest/api/3/field/{fieldId}/context/projectmapping",
            "GET /rest/api/3/field/{fieldId}/context/issuetypemapping",
            "POST /rest/api/3/filter",
            "GET /rest/api/3/filter/favourite",
            "GET /rest/api/3/filter/search",
            "GET /rest/api/3/filter/{id}",
            "PUT /rest/api/3/filter/{id}",
            "DELETE /rest/api/3/filter/{id}",
            "PUT /rest/api/3/filter/{id}/favourite",
            "DELETE /rest/api/3/filter/{id}/favourite",
            "POST /rest/api/3/issue",
            "POST /rest/api/3/issue/bulk",
            "GET /rest/api/3/issue/{issueIdOrKey}",
            "PUT /rest/api/3/issue/{issueIdOrKey}",
            "GET /rest/api/3/issue/{issueIdOrKey}/changelog",
            "POST /rest/api/3/changelog/bulkfetch",
            "GET /rest/api/3/issue/{issueIdOrKey}/transitions",
            "POST /rest/api/3/issue/{issueIdOrKey}/transitions",
            "GET /rest/api/3/issue/{issueIdOrKey}/properties",
            "GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
            "PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
            "DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
            "GET /rest/api/3/issue/{issueIdOrKey}/comment",
            "POST /rest/api/3/issue/{issueIdOrKey}/comment",
            "GET /rest/api/3/project/{projectIdOrKey}/properties",
            "GET /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}",
            "PUT /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}",
            "DELETE /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}",
            "POST /rest/api/3/issueLink",
            "GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes",
            "GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}",
            "GET /rest/api/3/project/{projectIdOrKey}/statuses",
            "GET /rest/api/3/issueLinkType",
            "GET /rest/api/3/search/jql",
            "POST /rest/api/3/search/jql",
            "POST /rest/api/3/search/approximate-count",
            "GET /rest/api/3/search",
            "POST /rest/api/3/search",
        ),
    ),
    "jira-software-agile.json": (
        "",
        (
            "POST /rest/agile/1.0/board",
            "GET /rest/agile/1.0/board",
            "GET /rest/agile/1.0/board/{boardId}",
            "DELETE /rest/agile/1.0/board/{boardId}",
            "GET /rest/agile/1.0/board/filter/{filterId}",
            "GET /rest/agile/1.0/board/{boardId}/configuration",
            "GET /rest/agile/1.0/board/{boardId}/properties",
            "GET /rest/agile/1.0/board/{boardId}/properties/{propertyKey}",
            "PUT /rest/agile/1.0/board/{boardId}/properties/{propertyKey}",
            "DELETE /rest/agile/1.0/board/{boardId}/properties/{propertyKey}",
            "GET /rest/agile/1.0/board/{boardId}/quickfilter",
        ),
    ),
}


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def slice_spec(document: dict[str, Any], operations: tuple[str, ...]) -> dict[str, Any]:
    """The part of ``document`` that ``operations`` need."""
    paths: dict[str, Any] = {}
    for operation in operations:
        method, path = operation.split(" ", 1)
        item = document["paths"][path]
        target = paths.setdefault(path, {})
        target[method.lower()] = item[method.lower()]
        if "parameters" in item:
            target["parameters"] = item["parameters"]
    components: dict[str, dict[str, Any]] = {}
    pending = _refs(paths)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)
        value = _resolve(document, ref)
        components.setdefault(kind, {})[name] = value
        pending |= _refs(value) - seen
    return {
        "openapi": document["openapi"],
        "info": document["info"],
        "servers": document.get("servers", []),
        "paths": paths,
        "components": components,
    }


def render(document: dict[str, Any]) -> str:
    """The vendored text of a slice (stable: sorted keys)."""
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def build(source_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Slices as ``{file name: text}`` and the sources' SHA-256 as ``{file name: hex}``."""
    slices: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for name, (_, operations) in OPERATIONS.items():
        raw = (source_dir / name).read_bytes()
        hashes[name] = hashlib.sha256(raw).hexdigest()
        slices[name] = render(slice_spec(json.loads(raw), operations))
    return slices, hashes


def sources_markdown(source_dir: Path, hashes: dict[str, str], date: str) -> str:
    """The ``SOURCES.md`` written beside the slices."""
    lines = [
        "# Vendored slices of Atlassian's OpenAPI documents",
        "",
        "Generated by `tests/contract/slice_specs.py`; do not edit by hand. Each slice holds only",
        "the operations listed in `OPERATIONS` there, verbatim, plus the components they",
        "reference.",
        "",
        f"Sliced on {date} from `{os.path.relpath(source_dir, REPO_ROOT)}/` (its `SOURCES.md` says",
        "where the full documents came from).",
        "",
        "| Slice | Source file | Source SHA-256 | Operations |",
        "|---|---|---|---|",
    ]
    for name, (_, operations) in OPERATIONS.items():
        lines.append(f"| `specs/{name}` | `{name}` | `{hashes[name]}` | {len(operations)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Regenerate the slices and SOURCES.md."""
    source_dir = Path(argv[0]) if argv else DEFAULT_SOURCE
    slices, hashes = build(source_dir)
    SPEC_DIR.mkdir(exist_ok=True)
    for name, text in slices.items():
        (SPEC_DIR / name).write_text(text, encoding="utf-8")
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    (SPEC_DIR / "SOURCES.md").write_text(
        sources_markdown(source_dir, hashes, today), encoding="utf-8"
    )
    for name, text in slices.items():
        print(f"{name}: {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
