"""Layout checks on a rendered PDF (LibreOffice) against its .docx: table rows and headings.

Used by tests/test_pdf_opmaak.py. The PDF is read with ``pdftotext -bbox-layout`` (poppler):
per page the body lines (between header and footer), in pdftotext's reading order (a table
cell's lines stay together) and sorted top to bottom.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from docx import Document as WordDocument

_NS = "{http://www.w3.org/1999/xhtml}"
# A4 with the huisstijl's margins (tools/maak_huisstijl.py): body between 2.5 cm and 29.7-2.2 cm
_BOVEN = 2.5 / 2.54 * 72 - 2
_ONDER = (29.7 - 2.2) / 2.54 * 72 + 2
#: a block that starts this far (pt) right of the page's leftmost line is not a heading
_KOP_INSPRINGING = 40.0
_KOPSTIJLEN = ("Heading1", "Heading2", "Heading3", "Caption", "Title")


def plat(tekst: str) -> str:
    """Text without whitespace and hyphens (line wrapping, soft hyphens and no-break spaces do not count)."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", tekst)


@dataclass
class Pagina:
    nummer: int
    leesvolgorde: str          # body text, reading order, whitespace removed
    regels: list[str]          # body lines, top to bottom (words of one height joined)
    onderste_blok: str         # the text of the lowest text block (pdftotext's grouping)
    onderste_inspringing: float = 0.0   # how far that block starts right of the page's leftmost line (pt)


def paginas(pdf: Path) -> list[Pagina]:
    uit = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    uit = re.sub(r"<!DOCTYPE[^>]*>", "", uit)
    wortel = ET.fromstring(uit)
    resultaat = []
    for n, pagina in enumerate(wortel.iter(f"{_NS}page"), start=1):
        lees: list[str] = []
        blokken: list[tuple[float, str]] = []
        lijnen: list[tuple[float, float, str]] = []
        for lijn in pagina.iter(f"{_NS}line"):
            y0, y1 = float(lijn.get("yMin")), float(lijn.get("yMax"))
            if y1 < _BOVEN or y0 > _ONDER:
                continue
            tekst = " ".join(w.text or "" for w in lijn.iter(f"{_NS}word"))
            lees.append(tekst)
            lijnen.append((round(y0), float(lijn.get("xMin")), tekst))
        for blok in pagina.iter(f"{_NS}block"):
            y0, y1 = float(blok.get("yMin")), float(blok.get("yMax"))
            if y1 < _BOVEN or y0 > _ONDER:
                continue
            blokken.append((y1, " ".join(w.text or "" for w in blok.iter(f"{_NS}word")), float(blok.get("xMin"))))
        lijnen.sort()
        regels: list[str] = []
        vorige = None
        for y, _, tekst in lijnen:
            if vorige is not None and abs(y - vorige) <= 2:
                regels[-1] += " " + tekst
            else:
                regels.append(tekst)
                vorige = y
        links = min((x for _, x, _ in lijnen), default=0.0)
        onderste = max(blokken) if blokken else (0.0, "", links)
        resultaat.append(Pagina(n, plat("".join(lees)), regels, onderste[1], onderste[2] - links))
    return resultaat


def _stijlen(doc) -> dict[str, str]:
    return {s.style_id: s.style_id for s in doc.styles}


def tabelrijen(docx: Path) -> list[list[str]]:
    """Every table row of the document: the texts of its cells."""
    doc = WordDocument(str(docx))
    return [[c.text for c in rij.cells] for tabel in doc.tables for rij in tabel.rows]


def koppen(docx: Path) -> list[str]:
    """Headings and captions of the body (they must never end a page)."""
    doc = WordDocument(str(docx))
    uit = []
    for p in doc.paragraphs:
        stijl = p.style.style_id if p.style is not None else ""
        ppr = p._p.pPr
        direct_bij_volgende = ppr is not None and ppr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}keepNext") is not None
        if (stijl in _KOPSTIJLEN or direct_bij_volgende) and p.text.strip():
            uit.append(p.text)
    return uit


def gesplitste_rijen(docx: Path, pdf: Path) -> list[str]:
    """Rows that are not whole on one page (split over a page break, or lost)."""
    bladen = paginas(pdf)
    fouten = []
    for rij in tabelrijen(docx):
        cellen = [plat(c) for c in rij if plat(c)]
        if cellen and not any(all(c in p.leesvolgorde for c in cellen) for p in bladen):
            fouten.append(" | ".join(rij))
    return fouten


def koppen_onderaan(docx: Path, pdf: Path) -> list[str]:
    """Headings that are the last thing on a page (p. N: heading)."""
    kop_teksten = {plat(k) for k in koppen(docx)} - {""}
    # a heading starts at the left margin; the same words far to the right are a table cell (the
    # annex names the headings where an open point is used), not a heading
    return [f"p. {p.nummer}: {p.onderste_blok}" for p in paginas(pdf)[:-1]
            if plat(p.onderste_blok) in kop_teksten and p.onderste_inspringing < _KOP_INSPRINGING]


def eerste_regel(pdf: Path, tekst: str) -> bool:
    """Whether ``tekst`` is the first body line of some page."""
    return any(p.regels and plat(p.regels[0]) == plat(tekst) for p in paginas(pdf))
