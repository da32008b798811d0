"""Copy the e-commerce starter kit into ``examples/ecommerce`` so the example never drifts from it.

The example is the kit plus example-only files (the ``hires/*.yaml`` definitions). Run it after
editing ``templates/ecommerce``; ``--check`` only reports differences and exits 1 if there are any,
which is what the starter-kit tests and CI use.

    python scripts/sync_example.py          # copy the kit over the example
    python scripts/sync_example.py --check  # exit 1 if the example is out of date
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KIT = REPO / "templates" / "ecommerce"
EXAMPLE = REPO / "examples" / "ecommerce"
# Files that exist only in the example, relative to its root.
EXAMPLE_ONLY_GLOBS = ("hires/*.yaml",)


def kit_files(kit: Path) -> list[Path]:
    """Every file of the kit, relative to its root, in a stable order."""
    return sorted(p.relative_to(kit) for p in kit.rglob("*") if p.is_file())


def is_example_only(relative: Path) -> bool:
    """Whether a file of the example is one of its own additions rather than a kit copy."""
    return any(relative.match(pattern) for pattern in EXAMPLE_ONLY_GLOBS)


def differences(kit: Path, example: Path) -> list[str]:
    """Describe every way the example differs from the kit (ignoring example-only files)."""
    found: list[str] = []
    wanted = set(kit_files(kit))
    for relative in sorted(wanted):
        copy = example / relative
        if not copy.is_file():
            found.append(f"missing: {relative}")
        elif copy.read_bytes() != (kit / relative).read_bytes():
            found.append(f"differs: {relative}")
    if example.is_dir():
        for path in sorted(example.rglob("*")):
            relative = path.relative_to(example)
            if path.is_file() and relative not in wanted and not is_example_only(relative):
                found.append(f"not in the kit: {relative}")
    return found


def sync(kit: Path, example: Path) -> list[str]:
    """Copy every kit file into the example; return the relative paths that changed."""
    changed: list[str] = []
    for relative in kit_files(kit):
        source, target = kit / relative, example / relative
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        changed.append(str(relative))
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    if args.check:
        found = differences(KIT, EXAMPLE)
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(
                "examples/ecommerce is out of date: run python scripts/sync_example.py",
                file=sys.stderr,
            )
            return 1
        return 0
    for relative in sync(KIT, EXAMPLE):
        print(f"copied {relative}")
    for line in differences(KIT, EXAMPLE):
        print(f"left alone, remove it by hand if it is stale: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
