"""Time to lint a generated project of 500 pages (every rule, readability included).

Run: python bench/bench_lint.py [--pages 500] [--repeat 3]

Prints the time to load the project and to lint it (median of the repeats, the first run apart:
it loads textstat and its pronouncing dictionary once per process), findings and pages per
second. Each page has about 330 words: headings, paragraphs, a list, a table, a link, Jinja, code
and text that trips each rule now and then.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from teamcomms.definitions import load_project
from teamcomms.lint import lint_project

GLOSSARY = """\
kind: glossary
name: bench-terms
terms:
  - {term: AOV, plain: average order value}
  - {term: SKU, plain: stock keeping unit}
  - {term: WMS, plain: warehouse management system}
  - {term: SLA, plain: service level agreement}
  - {term: 3PL, plain: third-party logistics company}
  - {term: PDP, plain: product page, allowed_once_spelled_out: false}
known: [UPS, URL]
"""

PARAGRAPH = (
    "The warehouse team picks every order before noon and packs it at the bench by the door. "
    "When a parcel is late, the customer service team writes to the customer the same day and "
    "tells them when it will arrive. {extra} Keep the note short and say what happens next. "
)
EXTRAS = (
    "Check the SKU in the {{ system }} before you ship.",
    "The order was approved by the store manager on Monday morning.",
    "Read the returns guide [here](page:runbook-0) before you answer a question about refunds.",
    "The stock keeping unit (SKU) tells you which colour and size the customer bought.",
    "Our 3PL ships the large tents from Reno, and the warehouse management system (WMS) shows "
    "where each tent is, which shelf it sits on, who counted it last, how many are left, "
    "when the next delivery comes and which orders wait for it.",
)

BODY = """\
# {{{{ team }}}} runbook {number}

{p1}

## Before you start

- Open the `orders` dashboard and the WMS (warehouse management system) screen.
- Read the [previous runbook](page:{previous}).
- Ask the team lead if the SLA (service level agreement) changed this week.

{p2}

| Step | Owner | When |
|------|-------|------|
| Pick | {{{{ owner }}}} | Before noon |
| Pack | The packing team | After lunch |

{p3}

```bash
teamcomms lint . --strict
```

{{% if owner %}}{p4}{{% endif %}}
"""


def generate(root: Path, pages: int) -> None:
    """A project folder with a glossary and ``pages`` page definitions with their bodies."""
    (root / "docs").mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {space: TEAM, project: OPS}\n")
    (root / "glossary.yaml").write_text(GLOSSARY)
    documents = []
    for number in range(pages):
        paragraphs = {
            f"p{i}": PARAGRAPH.format(extra=EXTRAS[(number + i) % len(EXTRAS)]) for i in range(1, 5)
        }
        body = BODY.format(number=number, previous=f"runbook-{(number + 1) % pages}", **paragraphs)
        (root / "docs" / f"runbook-{number}.md").write_text(body, encoding="utf-8")
        documents.append(
            f"kind: page\nname: runbook-{number}\ntitle: Runbook {number}\n"
            f"body: docs/runbook-{number}.md\n"
            f"vars: {{team: Fulfillment, owner: ada@example.com, system: WMS}}\n"
        )
    (root / "pages.yaml").write_text("---\n".join(documents), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        generate(root, args.pages)
        started = time.perf_counter()
        project = load_project(root)
        loaded = time.perf_counter()
        first = lint_project(project)
        first_done = time.perf_counter()
        times = []
        for _ in range(args.repeat):
            begin = time.perf_counter()
            report = lint_project(project)
            times.append(time.perf_counter() - begin)
    median = statistics.median(times)
    words = sum(score.words for score in report.scores)
    print(f"pages:                         {report.checked} ({words:,} words)")
    print(f"findings:                      {len(report.problems)}")
    print(f"load project:                  {loaded - started:.2f} s")
    print(f"lint, first run in process:    {first_done - loaded:.2f} s (loads textstat)")
    rate = report.checked / median
    print(f"lint, median of {args.repeat}:            {median:.2f} s ({rate:.0f} pages/s)")
    assert first.problems == report.problems


if __name__ == "__main__":
    main()
