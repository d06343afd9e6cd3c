"""Test helper: the running processes as /proc shows them (for the tests that kill a kit run and
check that no LibreOffice or pool worker outlives it)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator


def opdrachtregels() -> Iterator[tuple[int, str]]:
    """(pid, command line) of every process that can still be read."""
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        yield int(p.name), cmd


def soffice_voor(map_: Path) -> list[int]:
    """Running LibreOffice processes that write into ``map_`` (the soffice script, oosplash or
    soffice.bin: each has ``--outdir`` and the folder on its command line)."""
    return [pid for pid, cmd in opdrachtregels() if "--outdir" in cmd and str(map_) in cmd]
