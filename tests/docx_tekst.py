"""Test helper: the text of a rendered .docx as a reader sees it (paragraphs, then table rows)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from docx import Document


def plat(s: str) -> str:
    """Whitespace (line breaks, tabs, no-break spaces) collapsed to one space."""
    return re.sub(r"\s+", " ", s).strip()


def tekst(pad: Path) -> str:
    d = Document(str(pad))
    delen = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            delen.append(" | ".join(c.text for c in r.cells))
    return "\n".join(delen).replace("\xa0", " ")


ROOT = Path(__file__).resolve().parent.parent
#: the three example gemeenten the review tests read
VOORBEELDEN = {
    "lansingerland": ROOT / "choices" / "lansingerland.yaml",
    "huizen": ROOT / "choices" / "hbel" / "huizen.yaml",
    "heuvelrode": ROOT / "choices" / "voorbeeld.yaml",
}


def kit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The CLI in a new process, with KIT_DEBUG=1 (so a traceback cannot pass as a message)."""
    env = dict(os.environ, KIT_DEBUG="1")
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, env=env, cwd=cwd)


def render_teksten(uit: Path, bestanden: dict[str, Path], alleen: str | None = None) -> dict[str, dict[str, str]]:
    """``kit render`` of ``bestanden`` (name → choice file) into ``uit``; name → document → text."""
    r = kit("render", *map(str, bestanden.values()), "-o", str(uit), "--no-pdf", *(["--only", alleen] if alleen else []))
    assert r.returncode == 0, r.stderr
    return {g: {p.stem: tekst(p) for p in (uit / g).glob("*.docx")} for g in bestanden}
