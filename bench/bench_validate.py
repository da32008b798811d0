"""How fast is `teamcomms validate`, and how much memory does it take?

Generates a project of 1,000 definitions (every kind, with Markdown bodies) in a temporary
folder, then prints:
  - in-process wall time of validate_project (median of --repeat runs) and peak traced memory;
  - `teamcomms validate` on it as a subprocess: median wall time and peak RSS of the child;
  - median wall time of `teamcomms --help` beside that of `python -c "import typer, pydantic,
    yaml"` (run alternately, with the ratio), and of `teamcomms validate examples/ecommerce`.

Run: python bench/bench_validate.py [--definitions 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PER_FILE = 10
# Share of each kind in the generated project; sums to 1.
MIX = {
    "workflow": 0.2,
    "field": 0.1,
    "filter": 0.15,
    "board": 0.15,
    "checklist": 0.1,
    "template": 0.1,
    "page": 0.1,
    "standup": 0.1,
}


def _workflow(i: int) -> str:
    statuses = ["Open", "Picking", "Packing", "Shipped", "Delivered", "Returned"]
    lines = [f"kind: workflow\nname: Workflow {i}\ndescription: Generated workflow {i}.\nstatuses:"]
    lines += [
        f"  - {{name: {s}, category: {'done' if s in ('Delivered', 'Returned') else 'todo'}}}"
        for s in statuses
    ]
    lines.append("initial: Open\ntransitions:")
    lines += [f"  - {{name: To {b}, from: {a}, to: {b}}}" for a, b in itertools.pairwise(statuses)]
    lines.append("  - {name: Reopen, from: any, to: Open}")
    lines.append("used_by: [{project: OPS, issue_types: [Task, Order]}]")
    return "\n".join(lines) + "\n"


def _checklist(i: int) -> str:
    owners = ("hire", "manager", "buddy", "it")
    items = "\n".join(
        f"  - {{title: Step {n} of onboarding {i}, owner: {owners[n % 4]}, "
        f"due: {n - 2}{('d', 'bd', 'w')[n % 3]}, link: 'template:template-{i % 50}'}}"
        for n in range(15)
    )
    return (
        f"kind: checklist\nname: checklist-{i}\nrole: Role {i}\nteam: product\n"
        f"jira: {{project: PEOPLE, epic: 'Onboarding: {{{{ hire.name }}}}'}}\n"
        f"welcome_page: {{template: template-{i % 50}}}\nitems:\n{items}\n"
    )


def _definition(kind: str, i: int) -> str:
    if kind == "workflow":
        return _workflow(i)
    if kind == "field":
        return f"kind: field\nname: Field {i}\ntype: select\noptions: [Web, App, Phone]\n"
    if kind == "filter":
        return f"kind: filter\nname: Filter {i}\njql: project = OPS AND labels = f{i}\n"
    if kind == "board":
        return f"kind: board\nname: Board {i}\ntype: kanban\nfilter: Filter {i}\nproject: OPS\n"
    if kind == "checklist":
        return _checklist(i)
    if kind == "template":
        return (
            f"kind: template\nname: template-{i}\ntitle: 'Release {{{{ release }}}} ({i})'\n"
            f"body: bodies/template-{i}.md\nlabels: [generated]\n"
            "variables: {release: {default: next}, hire: {required: false}}\n"
        )
    if kind == "page":
        return (
            f"kind: page\nname: page-{i}\ntitle: Page {i}\nbody: bodies/page-{i}.md\n"
            "vars: {store: Northwind}\n"
        )
    return (
        f"kind: standup\nname: standup-{i}\nteam: Team {i}\njql: project = OPS\n"
        f"template: template-{i % 50}\n"
    )


def generate(root: Path, total: int) -> None:
    """Write a project of ``total`` definitions (ten per file) under ``root``."""
    (root / "bodies").mkdir(parents=True)
    (root / "teamcomms.yaml").write_text("name: Bench\ndefaults: {space: TEAM, project: OPS}\n")
    documents: list[str] = []
    for kind, share in MIX.items():
        count = round(total * share)
        for i in range(count):
            documents.append(_definition(kind, i))
            if kind == "template":
                body = "# Release {{ release }}\n\n{% if hire %}Hi {{ hire.name }}{% endif %}\n"
                (root / "bodies" / f"template-{i}.md").write_text(body + "- item\n" * 40)
            elif kind == "page":
                (root / "bodies" / f"page-{i}.md").write_text("Welcome to {{ store }}.\n" * 20)
    documents = documents[:total]
    for start in range(0, len(documents), PER_FILE):
        chunk = documents[start : start + PER_FILE]
        (root / f"defs-{start // PER_FILE:04d}.yaml").write_text("---\n".join(chunk))


def _median_run(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall seconds of ``command`` and the largest child peak RSS (MiB) seen."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), peak_kib / 1024


BASELINE = "import typer, pydantic, yaml"


def _help_against_its_imports(repeat: int) -> tuple[float, float]:
    """Median wall seconds of ``teamcomms --help`` and of importing typer, pydantic and yaml,
    run alternately so that both see the same machine load."""
    script = Path(sys.executable).with_name("teamcomms")
    teamcomms = [str(script)] if script.is_file() else [sys.executable, "-m", "teamcomms"]
    runs: dict[str, list[float]] = {"help": [], "base": []}
    for _ in range(repeat):
        for name, command in (
            ("help", [*teamcomms, "--help"]),
            ("base", [sys.executable, "-c", BASELINE]),
        ):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            runs[name].append(time.perf_counter() - started)
    return statistics.median(runs["help"]), statistics.median(runs["base"])


def main() -> None:
    """Generate the project, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--definitions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from teamcomms.definitions import validate_project

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        generate(root, args.definitions)
        files = len(list(root.rglob("*.yaml")))
        print(f"generated {args.definitions} definitions in {files} YAML files")

        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            validation = validate_project(root)
            times.append(time.perf_counter() - started)
        assert not validation.errors, validation.errors[:3]
        print(
            f"in-process validate: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, {args.repeat} runs); "
            f"{len(validation.project.all())} definitions, {len(validation.problems)} problems"
        )

        tracemalloc.start()
        validate_project(root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"in-process validate: peak traced memory {peak / 2**20:.1f} MiB")

        cli = [sys.executable, "-m", "teamcomms"]
        wall, rss = _median_run([*cli, "validate", str(root)], args.repeat)
        print(
            f"`teamcomms validate <1,000 definitions>`: median {wall:.3f} s, "
            f"peak RSS {rss:.1f} MiB (subprocess)"
        )

    help_wall, base_wall = _help_against_its_imports(max(args.repeat, 15))
    print(
        f'`teamcomms --help`: median {help_wall:.3f} s; `python -c "{BASELINE}"`: median '
        f"{base_wall:.3f} s; ratio {help_wall / base_wall:.2f} (measured side by side)"
    )
    example = REPO / "examples" / "ecommerce"
    wall, _ = _median_run([*cli, "validate", str(example)], args.repeat)
    print(f"`teamcomms validate examples/ecommerce`: median {wall:.3f} s")


if __name__ == "__main__":
    main()
