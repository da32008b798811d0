"""The labelled pages of the peers' benchmark, shared by ``bench_publish`` and ``bench_speed``.

It imports nothing of teamcomms, so ``bench_speed --baseline-ref`` can use it with another
commit's code on the path.
"""

from __future__ import annotations

from pathlib import Path


def generate(root: Path, pages: int) -> Path:
    """A project of ``pages`` labelled pages in space TEAM, every tenth under the first."""
    root.mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {space: TEAM}\n")
    (root / "body.md").write_text(
        "# {{ title }}\n\nWhat the team needs to know about {{ title }}.\n\n"
        "| Step | Owner |\n|------|-------|\n| Prepare | ops |\n| Ship | fulfillment |\n"
    )
    documents = [
        f"kind: page\nname: page-{n}\ntitle: Page {n}\nlabels: [bench, generated]\n"
        + ("parent: Page 0\n" if n and n % 10 == 0 else "")
        + f"body: body.md\nvars: {{title: Page {n}}}\n"
        for n in range(pages)
    ]
    (root / "pages.yaml").write_text("---\n".join(documents))
    return root
