"""Time to render every page of a generated project of 500 pages (storage XHTML and previews).

Run: python bench/bench_render.py [--pages 500] [--keep DIR]

Prints the time to load the project, to render all pages to storage XHTML, and to write the
HTML previews, plus pages per second. Each page uses the features a team's docs use (variables,
headings, tables, task lists, code, panels, status lozenges, Jira macros, links to other pages).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from teamcomms.definitions import load_project
from teamcomms.render.output import write_preview
from teamcomms.render.project import render_project

BODY = """\
# {{{{ team }}}} runbook {number}

[[toc]]

{{{{ team }}}} owns this page. Status: {{status:green|Current}}. Escalate via [[jira:OPS-{number}]].

## Checklist

- [ ] Read the [previous runbook](page:{previous})
- [x] Join the on-call rotation for **{{{{ team }}}}**
- [ ] Review the open issues

| Step | Owner | State |
|------|-------|-------|
| Prepare | {{{{ owner }}}} | {{status:blue\\|In progress}} |
| Release | {{{{ owner }}}} | {{status:grey\\|To do}} |

:::warning Before you start
Check the [[jql:project = OPS AND labels = runbook-{number}]] list.
:::

```bash
teamcomms render examples/ecommerce --out preview/
```

{{% for step in ["Pick", "Pack", "Ship"] %}}
- {{{{ loop.index }}}}: {{{{ step }}}}
{{% endfor %}}
"""


def generate(root: Path, pages: int) -> None:
    """A project folder with ``pages`` page definitions, each with its own Markdown body."""
    (root / "docs").mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {space: TEAM, project: OPS}\n")
    documents = []
    for number in range(pages):
        previous = f"runbook-{(number - 1) % pages}"
        (root / "docs" / f"runbook-{number}.md").write_text(
            BODY.format(number=number, previous=previous), encoding="utf-8"
        )
        documents.append(
            f"kind: page\nname: runbook-{number}\ntitle: Runbook {number}\n"
            f"body: docs/runbook-{number}.md\nlabels: [runbook]\n"
            f"vars: {{team: Fulfillment, owner: ada@example.com}}\n"
        )
    (root / "pages.yaml").write_text("---\n".join(documents), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "project"
        generate(root, args.pages)
        started = time.perf_counter()
        project = load_project(root)
        loaded = time.perf_counter()
        rendered = render_project(project)
        storage_done = time.perf_counter()
        write_preview(rendered, Path(scratch) / "preview")
        written = time.perf_counter()
    render_seconds = storage_done - loaded
    print(f"pages:                         {len(rendered)}")
    print(f"load project:                  {loaded - started:.2f} s")
    print(
        f"render all pages to storage:   {render_seconds:.2f} s "
        f"({len(rendered) / render_seconds:.0f} pages/s)"
    )
    print(f"write .xml + HTML previews:    {written - storage_done:.2f} s")
    print(f"total:                         {written - started:.2f} s")


if __name__ == "__main__":
    main()
