"""Test helper: the text of a rendered .docx as a reader sees it (paragraphs, then table rows)."""

from __future__ import annotations

from pathlib import Path

from docx import Document


def tekst(pad: Path) -> str:
    d = Document(str(pad))
    delen = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            delen.append(" | ".join(c.text for c in r.cells))
    return "\n".join(delen).replace("\xa0", " ")
