"""Driving the machine's headless Chromium, for tests of what a person sees in a browser."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no headless browser: install Debian's `chromium` package (.ci/run does)",
    ),
]


def run_chromium(url: str, profile: Path, *extra: str) -> str:
    """Chromium's stdout after loading ``url`` headless with ``extra`` flags."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(url: str, out: Path, profile: Path, size: tuple[int, int] = (1200, 1600)) -> Path:
    """A PNG screenshot of ``url`` at ``size``."""
    run_chromium(url, profile, f"--window-size={size[0]},{size[1]}", f"--screenshot={out}")
    return out


def png_size_and_colours(png: bytes) -> tuple[tuple[int, int], int]:
    """A PNG's width and height, and how many different byte values its pixel data holds (a
    blank page has two or three; a page of text and images, many)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    data, position = b"", 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    return (width, height), len(set(zlib.decompress(data)))
