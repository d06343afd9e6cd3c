"""Make the kit's default huisstijl: ``templates/huisstijl.docx`` (a docxtpl template).

    python tools/maak_huisstijl.py [UITVOER]

The contract every huisstijl follows (README, "Huisstijl en eigen teksten"): the styles named
below, a title block / header / footer that use ``meta.*``, and exactly one paragraph
``{{p inhoud }}`` where the kit puts the body. The texts of title block, header and footer
come from ``templates/_gedeeld/huisstijl.yaml`` (no Dutch prose in Python). Fonts: Arial,
which LibreOffice renders with the metric-compatible Liberation Sans.

The output is deterministic (fixed core properties, zip entries with a fixed time), so
re-running the tool gives the same bytes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import yaml
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TEKSTEN = ROOT / "templates" / "_gedeeld" / "huisstijl.yaml"
UITVOER = ROOT / "templates" / "huisstijl.docx"

LETTER = "Arial"
KLEUR = RGBColor(0x1F, 0x3A, 0x5F)  # donkerblauw, voldoende contrast (WCAG AA) op wit
TAAL = "nl-NL"


def _stijl(doc, naam: str, soort=WD_STYLE_TYPE.PARAGRAPH, basis: str | None = "Normal"):
    try:
        s = doc.styles[naam]
    except KeyError:
        s = doc.styles.add_style(naam, soort)
    if basis and soort == WD_STYLE_TYPE.PARAGRAPH and naam != basis:
        s.base_style = doc.styles[basis]
    s.hidden = False
    s.quick_style = True
    return s


def _font(s, grootte: float | None = None, vet: bool | None = None, cursief: bool | None = None, kleur=None):
    f = s.font
    f.name = LETTER
    rpr = s.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), LETTER)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if grootte:
        f.size = Pt(grootte)
    if vet is not None:
        f.bold = vet
    if cursief is not None:
        f.italic = cursief
    if kleur is not None:
        f.color.rgb = kleur


def _outline(s, niveau: int) -> None:
    ppr = s.element.get_or_add_pPr()
    for oud in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(oud)
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(niveau))
    ppr.append(el)


def _alinea(s, voor=0, na=6, regel=None, links=None, eerste=None, samen=False, tab=None):
    pf = s.paragraph_format
    pf.space_before = Pt(voor)
    pf.space_after = Pt(na)
    if regel:
        pf.line_spacing = regel
    if links is not None:
        pf.left_indent = Cm(links)
    if eerste is not None:
        pf.first_line_indent = Cm(eerste)
    if samen:
        pf.keep_with_next = True
    if tab is not None:
        pf.tab_stops.add_tab_stop(Cm(tab))


def _veld(paragraaf, code: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result "1"."""
    def run(kind=None, tekst=None, instr=None):
        r = OxmlElement("w:r")
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r.append(fc)
        if instr:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = f" {instr} "
            r.append(it)
        if tekst:
            t = OxmlElement("w:t")
            t.text = tekst
            r.append(t)
        paragraaf._p.append(r)

    run("begin")
    run(instr=f"{code} \\* MERGEFORMAT")
    run("separate")
    run(tekst="1")
    run("end")


def _taal(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), TAAL)
    lang.set(qn("w:eastAsia"), TAAL)
    lang.set(qn("w:bidi"), "ar-SA")
    settings = doc.settings.element
    tfl = settings.find(qn("w:themeFontLang"))
    tfl.set(qn("w:val"), TAAL)
    tfl.attrib.pop(qn("w:eastAsia"), None)
    for naam in ("w:decimalSymbol", "w:listSeparator"):
        el = settings.find(qn(naam))
        if el is not None:
            el.set(qn("w:val"), "," if naam == "w:decimalSymbol" else ";")


def maak(uitvoer: Path = UITVOER) -> bytes:
    teksten = yaml.safe_load(TEKSTEN.read_text(encoding="utf-8"))
    doc = Document()

    sectie = doc.sections[0]
    sectie.page_width, sectie.page_height = Cm(21.0), Cm(29.7)
    sectie.left_margin = sectie.right_margin = Cm(2.5)
    sectie.top_margin, sectie.bottom_margin = Cm(2.5), Cm(2.2)
    sectie.header_distance = sectie.footer_distance = Cm(1.2)

    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    _alinea(normal, 0, 6, 1.15)
    # widow/orphan control explicit (Word and LibreOffice default to it, other readers need not)
    normal.paragraph_format.widow_control = True
    _taal(doc)

    _font(_stijl(doc, "Title"), 22, True, kleur=KLEUR)
    _alinea(doc.styles["Title"], 0, 6)
    t_ppr = doc.styles["Title"].element.get_or_add_pPr()
    for pbdr in t_ppr.findall(qn("w:pBdr")):
        t_ppr.remove(pbdr)
    _font(_stijl(doc, "Gemeente"), 12, True, kleur=KLEUR)
    _alinea(doc.styles["Gemeente"], 0, 2)
    _font(_stijl(doc, "Documentgegevens"), 9.5, False, kleur=RGBColor(0x40, 0x40, 0x40))
    _alinea(doc.styles["Documentgegevens"], 0, 2)
    _font(_stijl(doc, "Advies"), 10, False, True)
    _alinea(doc.styles["Advies"], 6, 12)

    for niveau, grootte in ((1, 15), (2, 12.5), (3, 11)):
        s = _stijl(doc, f"Heading {niveau}")
        _font(s, grootte, True, False, KLEUR)
        _alinea(s, 18 if niveau == 1 else 12, 6, samen=True)
        _outline(s, niveau - 1)

    _font(_stijl(doc, "Aanhef"), 10.5)
    _alinea(doc.styles["Aanhef"], 0, 6)
    _font(_stijl(doc, "Ondertekening"), 10.5)
    _alinea(doc.styles["Ondertekening"], 18, 0, samen=True)
    _font(_stijl(doc, "Citaat"), 10.5, cursief=True)
    _alinea(doc.styles["Citaat"], 0, 6, links=1)
    _font(_stijl(doc, "Lid"), 10.5)
    _alinea(doc.styles["Lid"], 0, 6, links=0.9, eerste=-0.9, tab=0.9)
    _font(_stijl(doc, "List Paragraph"), 10.5)
    # 6 pt after, like a Lid: contextualSpacing (from the default template) keeps the items of
    # one list together, and the last item gets a lid's space before the next lid
    _alinea(doc.styles["List Paragraph"], 0, 6, links=1.6, eerste=-0.7, tab=1.6)
    _font(_stijl(doc, "Opsomming"), 10.5)
    _alinea(doc.styles["Opsomming"], 0, 3, links=0.7, eerste=-0.5, tab=0.7)
    _font(_stijl(doc, "Caption"), 9, True, False, KLEUR)
    _alinea(doc.styles["Caption"], 6, 3, samen=True)
    _font(_stijl(doc, "Tabeltekst"), 9.5)
    _alinea(doc.styles["Tabeltekst"], 1, 1, 1.0)
    for naam in ("Header", "Footer"):
        _font(_stijl(doc, naam), 8.5, kleur=RGBColor(0x40, 0x40, 0x40))
    for naam in ("Header", "Footer"):
        tabs = doc.styles[naam].paragraph_format.tab_stops
        for tab in list(tabs):
            tabs._pPr.tabs.remove(tab._tab)
        tabs.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    tabel = doc.styles["Table Grid"]
    tabel.font.name = LETTER
    tabel.font.size = Pt(9.5)

    # title block, then the body paragraph
    eerste = doc.paragraphs[0] if doc.paragraphs else None
    for stijl, tekst in teksten["titelblok"]:
        p = doc.add_paragraph(tekst, style=stijl) if eerste is None else eerste
        if eerste is not None:
            p.text, p.style, eerste = tekst, doc.styles[stijl], None
    doc.add_paragraph("{{p inhoud }}")

    kop = sectie.header.paragraphs[0]
    kop.text = teksten["koptekst"]
    kop.style = doc.styles["Header"]
    voet = sectie.footer.paragraphs[0]
    voet.style = doc.styles["Footer"]
    voet.add_run(teksten["voettekst_links"] + "\t")
    for deel in teksten["voettekst_pagina"]:
        if deel in ("PAGE", "NUMPAGES"):
            _veld(voet, deel)
        else:
            voet.add_run(deel)

    cp = doc.core_properties
    cp.author = cp.last_modified_by = "inburgeringskit"
    cp.title, cp.subject, cp.comments, cp.keywords = "huisstijl", "", "", ""
    cp.revision = 1
    import datetime as dt

    cp.created = cp.modified = dt.datetime(2021, 1, 1)

    buf = io.BytesIO()
    doc.save(buf)
    return _vast(buf.getvalue())


def _vast(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry times, without the thumbnail."""
    bron = zipfile.ZipFile(io.BytesIO(data))
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED) as z:
        for info in bron.infolist():
            if info.filename == "docProps/thumbnail.jpeg":
                continue
            inhoud = bron.read(info.filename)
            if info.filename == "_rels/.rels":
                inhoud = _zonder_thumbnail(inhoud)
            if info.filename == "[Content_Types].xml":
                inhoud = inhoud.replace(b'<Default Extension="jpeg" ContentType="image/jpeg"/>', b"")
            z.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), inhoud, zipfile.ZIP_DEFLATED)
    return uit.getvalue()


def _zonder_thumbnail(rels: bytes) -> bytes:
    import re

    return re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", rels)


def main(argv: list[str]) -> int:
    uitvoer = Path(argv[0]) if argv else UITVOER
    uitvoer.write_bytes(maak(uitvoer))
    print(uitvoer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
