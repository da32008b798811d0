"""Keep ``examples/ecommerce`` exactly what ``teamcomms init --preset ecommerce`` writes + hires.

The example is the starter kit in ``templates/ecommerce`` as ``init`` scaffolds it (schema
modelines and ``.teamcomms/schema.json`` included) plus example-only files (``hires/*.yaml``).
Run it after editing the kit or the definition models; ``--check`` only reports differences and
exits 1 if there are any, which is what the starter-kit tests use.

    python scripts/sync_example.py          # bring the example up to date
    python scripts/sync_example.py --check  # exit 1 if the example is out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from teamcomms.definitions.scaffold import planned_files

REPO = Path(__file__).resolve().parent.parent
PRESET = "ecommerce"
EXAMPLE = REPO / "examples" / PRESET
# Files that exist only in the example, relative to its root: its own additions, and what running
# it leaves behind (the README's quick start applies it to `--site sandbox`, whose state lives in
# `.teamcomms/`; git ignores those files).
EXAMPLE_ONLY_GLOBS = ("hires/*.yaml", ".teamcomms/sandbox-state.json*")


def is_example_only(relative: PurePosixPath) -> bool:
    """Whether a file of the example is one of its own additions rather than a kit file."""
    return any(relative.match(pattern) for pattern in EXAMPLE_ONLY_GLOBS)


def differences(expected: Mapping[PurePosixPath, bytes], example: Path) -> list[str]:
    """Describe every way ``example`` differs from ``expected`` (ignoring example-only files)."""
    found: list[str] = []
    for relative in sorted(expected):
        copy = example / relative
        if not copy.is_file():
            found.append(f"missing: {relative}")
        elif copy.read_bytes() != expected[relative]:
            found.append(f"differs: {relative}")
    if example.is_dir():
        for path in sorted(example.rglob("*")):
            relative = PurePosixPath(path.relative_to(example).as_posix())
            if path.is_file() and relative not in expected and not is_example_only(relative):
                found.append(f"not in the kit: {relative}")
    return found


def sync(expected: Mapping[PurePosixPath, bytes], example: Path) -> list[str]:
    """Write every expected file that is missing or different; return their relative paths."""
    changed: list[str] = []
    for relative in sorted(expected):
        target = example / relative
        if target.is_file() and target.read_bytes() == expected[relative]:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(expected[relative])
        changed.append(str(relative))
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args(argv)
    expected = planned_files(PRESET)
    if args.check:
        found = differences(expected, EXAMPLE)
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(
                "examples/ecommerce is out of date: run python scripts/sync_example.py",
                file=sys.stderr,
            )
            return 1
        return 0
    for relative in sync(expected, EXAMPLE):
        print(f"wrote {relative}")
    for line in differences(expected, EXAMPLE):
        print(f"left alone, remove it by hand if it is stale: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
