"""Helper for the tests: run tests/uno_lo.py (LibreOffice through UNO) with Debian's Python.

The venv's Python has no ``uno`` module; ``/usr/bin/python3`` with python3-uno has. Tests that
use it are marked ``libreoffice``; without UNO they skip locally and fail in CI
(``KIT_REQUIRE_LIBREOFFICE=1``), the same contract as for soffice itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "uno_lo.py"
PYTHON = os.environ.get("KIT_UNO_PYTHON", "/usr/bin/python3")


def uno_beschikbaar() -> bool:
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or not Path(PYTHON).exists():
        return False
    r = subprocess.run([PYTHON, "-c", "import uno"], capture_output=True, timeout=60)
    return r.returncode == 0


def vereis_uno() -> None:
    if uno_beschikbaar():
        return
    if os.environ.get("KIT_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("KIT_REQUIRE_LIBREOFFICE=1, maar LibreOffice met UNO (python3-uno) is niet gevonden", pytrace=False)
    pytest.skip("LibreOffice met UNO (python3-uno) niet gevonden")


def uno(opdrachten: list[dict], tijd: int = 600) -> list[dict]:
    """Run the jobs (see tests/uno_lo.py) in one LibreOffice; returns one result per job."""
    with tempfile.TemporaryDirectory(prefix="kit-uno-") as tmp:
        invoer, uitvoer = Path(tmp) / "in.json", Path(tmp) / "uit.json"
        invoer.write_text(json.dumps(opdrachten), encoding="utf-8")
        r = subprocess.run([PYTHON, str(SCRIPT), str(invoer), str(uitvoer)], capture_output=True,
                           timeout=tijd + 30, env=dict(os.environ, KIT_UNO_TIJD=str(tijd)))
        assert r.returncode == 0, r.stderr.decode("utf-8", "replace")[-3000:]
        return json.loads(uitvoer.read_text(encoding="utf-8"))


def wijzigingen(telling: dict) -> int:
    """Tracked insertions and deletions (what a reader accepts or rejects one by one)."""
    return sum(n for soort, n in telling.items() if soort in ("Insert", "Delete"))
