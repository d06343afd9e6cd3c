"""Charts: native Word charts (chart part + embedded workbook) with the computed numbers.

The rendered .docx is opened as a zip: every chart part, its relationship to the embedded
workbook, the numbers in the chart's cache and in the workbook's sheet (the numbers the
prognosis, budget and planning computed), the title and the alternative text. One test
converts to PDF with LibreOffice and reads the chart's labels back.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kit import begroting, grafieken, prognose, tijdpad
from kit.grafiek_xml import grafiekstijl
from kit.grafieken import EXCEL_NUL
from kit.loader import load_choices
from kit.minima import wettabel
from kit.notatie import euro, getal

ROOT = Path(__file__).resolve().parents[1]
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def kit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, "KIT_DEBUG": "1"})


@pytest.fixture(scope="module")
def bronnen():
    data = load_choices(VOORBEELD).data
    wet = wettabel().op(dt.date(2022, 1, 1))
    p = prognose.bereken(data["financien"])
    return p, begroting.bereken(data["financien"], p, wet), tijdpad.bereken(data)


@pytest.fixture(scope="module")
def gerenderd(tmp_path_factory):
    uit = tmp_path_factory.mktemp("grafieken")
    r = kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf")
    assert r.returncode == 0, r.stderr
    return uit / "heuvelrode"


# --------------------------------------------------------------------------- reading a chart back


class Gelezen:
    """One chart read back from a .docx: its XML, its workbook's sheet and its alt text."""

    def __init__(self, z: zipfile.ZipFile, rid: str, docpr: etree._Element):
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        doel = rels.xpath(f"rel:Relationship[@Id='{rid}']/@Target", namespaces=NS)[0]
        self.pad = "word/" + doel
        self.xml = etree.fromstring(z.read(self.pad))
        map_, naam = self.pad.rsplit("/", 1)
        crels = etree.fromstring(z.read(f"{map_}/_rels/{naam}.rels"))
        (rel,) = crels.xpath("rel:Relationship", namespaces=NS)
        assert rel.get("Type").endswith("/package")
        self.werkmap_pad = os.path.normpath(f"{map_}/{rel.get('Target')}")
        self.werkmap = zipfile.ZipFile(io.BytesIO(z.read(self.werkmap_pad)))
        self.alt = docpr.get("descr")
        self.docpr = docpr

    @property
    def titel(self) -> str:
        return "".join(self.xml.xpath("c:chart/c:title//a:t/text()", namespaces=NS))

    def reeksen(self) -> dict[str, list[float]]:
        uit = {}
        for ser in self.xml.xpath("//c:ser", namespaces=NS):
            naam = ser.xpath("string(c:tx//c:v)", namespaces=NS)
            uit[naam] = [float(v) for v in ser.xpath("c:val//c:pt/c:v/text()", namespaces=NS)]
        return uit

    def categorieen(self) -> list[str]:
        ser = self.xml.xpath("//c:ser", namespaces=NS)[0]
        return ser.xpath("c:cat//c:pt/c:v/text()", namespaces=NS)

    def blad(self) -> dict[str, str]:
        """Cell reference -> value as text (shared strings resolved)."""
        sst = etree.fromstring(self.werkmap.read("xl/sharedStrings.xml"))
        teksten = ["".join(si.xpath(".//s:t/text()", namespaces=NS)) for si in sst.xpath("s:si", namespaces=NS)]
        blad = etree.fromstring(self.werkmap.read("xl/worksheets/sheet1.xml"))
        cellen = {}
        for c in blad.xpath("//s:c", namespaces=NS):
            v = c.xpath("string(s:v)", namespaces=NS)
            cellen[c.get("r")] = teksten[int(v)] if c.get("t") == "s" else v
        return cellen


def lees_grafieken(docx: Path) -> list[Gelezen]:
    z = zipfile.ZipFile(docx)
    doc = etree.fromstring(z.read("word/document.xml"))
    uit = []
    for inline in doc.xpath("//wp:inline[a:graphic/a:graphicData/c:chart]", namespaces=NS):
        rid = inline.xpath("string(a:graphic/a:graphicData/c:chart/@r:id)", namespaces=NS)
        uit.append(Gelezen(z, rid, inline.xpath("wp:docPr", namespaces=NS)[0]))
    return uit


def per_naam(docx: Path) -> dict[str, Gelezen]:
    uit = {}
    for g in lees_grafieken(docx):
        if "leerroute" in g.titel:
            uit["prognose"] = g
        elif "SPUK" in g.titel:
            uit["begroting"] = g
        elif "Planning" in g.titel:
            uit["tijdpad"] = g
    return uit


# --------------------------------------------------------------------------- the rendered documents


@pytest.mark.parametrize("document", ["startnotitie", "beleidskader"])
def test_drie_native_grafieken(gerenderd, document):
    pad = gerenderd / f"{document}.docx"
    z = zipfile.ZipFile(pad)
    assert not [n for n in z.namelist() if n.startswith("word/media/")], "geen plaatjes meer"
    gelezen = lees_grafieken(pad)
    assert len(gelezen) == 3
    ct = z.read("[Content_Types].xml").decode()
    assert 'Extension="xlsx"' in ct
    for g in gelezen:
        assert f'PartName="/{g.pad}"' in ct and "drawingml.chart+xml" in ct
        assert g.titel, "elke grafiek heeft een titel"
        assert g.xml.xpath("string(c:externalData/@r:id)", namespaces=NS) == "rId1"
        assert g.werkmap.testzip() is None
        assert {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"} <= set(g.werkmap.namelist())
        # every reference of the chart points at cells that exist in the workbook, with the cached value
        blad = g.blad()
        for ref in g.xml.xpath("//c:f/text()", namespaces=NS):
            assert ref.startswith("Blad1!")
            cellen = re.findall(r"\$([A-Z]+)\$(\d+)", ref)
            assert all(f"{k}{r}" in blad for k, r in cellen), ref
    # docPr ids are unique in the document
    doc = z.read("word/document.xml").decode()
    ids = re.findall(r'<wp:docPr id="(\d+)"', doc)
    assert len(ids) == len(set(ids))


def test_prognose_getallen_en_alt_tekst(gerenderd, bronnen):
    p, _, _ = bronnen
    g = per_naam(gerenderd / "startnotitie.docx")["prognose"]
    assert g.categorieen() == ["Onderwijsroute", "B1-route", "Z-route"]
    ((naam, waarden),) = g.reeksen().items()
    assert waarden == [p.onderwijsroute, p.b1, p.z] == [8, 8, 4]
    blad = g.blad()
    assert [blad["A2"], blad["A3"], blad["A4"]] == g.categorieen()
    assert [float(blad[c]) for c in ("B2", "B3", "B4")] == waarden
    assert blad["B1"] == naam
    assert g.titel in g.alt
    for cat, n in zip(g.categorieen(), waarden):
        assert f"{cat}: {getal(n)}" in g.alt
    # data labels on, value axis from 0
    assert g.xml.xpath("string(//c:ser/c:dLbls/c:showVal/@val)", namespaces=NS) == "1"
    assert g.xml.xpath("string(//c:valAx/c:scaling/c:min/@val)", namespaces=NS) == "0"


def test_begroting_getallen_en_alt_tekst(gerenderd, bronnen):
    _, b, _ = bronnen
    g = per_naam(gerenderd / "beleidskader.docx")["begroting"]
    reeksen = g.reeksen()
    assert reeksen["SPUK (normbedragen)"] == [p.spuk for p in b.posten]
    assert reeksen["Eigen raming"] == [p.raming for p in b.posten]
    assert sum(reeksen["SPUK (normbedragen)"]) == b.spuk_totaal
    assert sum(reeksen["Eigen raming"]) == b.raming_totaal
    assert len(g.categorieen()) == len(b.posten)
    blad = g.blad()
    assert [float(blad[f"B{i + 2}"]) for i in range(len(b.posten))] == reeksen["SPUK (normbedragen)"]
    assert [float(blad[f"C{i + 2}"]) for i in range(len(b.posten))] == reeksen["Eigen raming"]
    for post in b.posten:
        assert euro(post.spuk) in g.alt and euro(post.raming) in g.alt
    # horizontal bars, first voorziening on top, euro format on labels and axis
    assert g.xml.xpath("string(//c:barDir/@val)", namespaces=NS) == "bar"
    assert g.xml.xpath("string(//c:catAx/c:scaling/c:orientation/@val)", namespaces=NS) == "maxMin"
    assert "€" in g.xml.xpath("string(//c:valAx/c:numFmt/@formatCode)", namespaces=NS)


def test_tijdpad_als_gantt(gerenderd, bronnen):
    from kit.tijdpad import datum_tekst

    _, _, t = bronnen
    g = per_naam(gerenderd / "startnotitie.docx")["tijdpad"]
    assert g.xml.xpath("string(//c:grouping/@val)", namespaces=NS) == "stacked"
    begin, duur = g.xml.xpath("//c:ser", namespaces=NS)
    # the first series carries the start date and is invisible
    assert begin.xpath("c:spPr/a:noFill", namespaces=NS) and begin.xpath("c:spPr/a:ln/a:noFill", namespaces=NS)
    assert duur.xpath("c:spPr/a:solidFill", namespaces=NS)
    reeksen = g.reeksen()
    begins = [EXCEL_NUL + dt.timedelta(days=int(v)) for v in reeksen["Begin"]]
    # review6 M14: after the seven phases a bar for the procurement, until the contracts start
    assert t.inkoop is not None
    balken = [*t.fasen, t.inkoop]
    assert begins == [f.begin for f in balken]
    assert reeksen["Duur (dagen)"] == [f.dagen for f in balken]
    assert [b + dt.timedelta(days=int(d) - 1) for b, d in zip(begins, reeksen["Duur (dagen)"])] == [f.eind for f in balken]
    assert len(g.categorieen()) == 8 and g.categorieen()[0].startswith("1. ")
    assert g.categorieen()[-1].startswith("Inkoop") and t.inkoop.eind == t.inkoop.contracten - dt.timedelta(days=1)
    assert datum_tekst(t.inwerkingtreding) in g.titel
    for f in t.fasen:
        assert datum_tekst(f.begin) in g.alt
    # the date axis: a date format, and the invisible series hidden from the legend (no legend at all)
    assert "mmm" in g.xml.xpath("string(//c:valAx/c:numFmt/@formatCode)", namespaces=NS)
    assert not g.xml.xpath("//c:legend", namespaces=NS)
    # workbook: dates as dates
    blad = g.blad()
    assert int(blad["B2"]) == (t.fasen[0].begin - EXCEL_NUL).days


def test_alt_tekst_en_bijschrift(gerenderd):
    z = zipfile.ZipFile(gerenderd / "startnotitie.docx")
    doc = z.read("word/document.xml").decode()
    for g in lees_grafieken(gerenderd / "startnotitie.docx"):
        assert g.docpr.get("title", "").startswith("Figuur ")
        assert len(g.alt) > len(g.titel) + 20
    assert "Figuur 1. Verwachte asielstatushouders per leerroute" in re.sub(r"<[^>]+>", "", doc)


def test_byte_identiek(gerenderd, tmp_path):
    r = kit("render", str(VOORBEELD), "-o", str(tmp_path), "--no-pdf", "--only", "startnotitie,beleidskader")
    assert r.returncode == 0, r.stderr
    for naam in ("startnotitie", "beleidskader"):
        assert (tmp_path / "heuvelrode" / f"{naam}.docx").read_bytes() == (gerenderd / f"{naam}.docx").read_bytes()
    werkmap = lees_grafieken(gerenderd / "startnotitie.docx")[0].werkmap
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in werkmap.infolist())
    assert not [n for n in werkmap.namelist() if n.startswith("docProps/")], "geen aanmaakdatum in de werkmap"


def test_geen_zware_import(tmp_path):
    """A render with charts imports no drawing or chart library."""
    code = (
        "import sys\nfrom kit.render import Renderer\n"
        f"Renderer().render({str(VOORBEELD)!r}, {str(tmp_path)!r}, alleen=['startnotitie'], pdf=False)\n"
        "zwaar = [m for m in ('matplotlib', 'PIL', 'numpy', 'pptx', 'xlsxwriter') if m in sys.modules]\n"
        "print(zwaar)\n"
    )
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert uit.stdout.strip() == "[]", uit.stderr


# --------------------------------------------------------------------------- huisstijl


def _huisstijl(tmp_path: Path, kleur: str, letter: str) -> Path:
    import docx
    from docx.shared import RGBColor

    d = docx.Document()
    d.styles["Heading 1"].font.color.rgb = RGBColor.from_string(kleur)
    d.styles["Normal"].font.name = letter
    d.add_paragraph("Huisstijl van {{ meta.gemeente }}")
    d.add_paragraph("{{p inhoud }}")
    pad = tmp_path / "stijl.docx"
    d.save(pad)
    return pad


def test_eigen_huisstijl_kleur_en_letter(tmp_path):
    _huisstijl(tmp_path, "8B0000", "Georgia")
    tekst = VOORBEELD.read_text(encoding="utf-8")
    tekst = tekst.replace("gemeente:\n", "gemeente:\n  huisstijl: stijl.docx\n", 1)
    (tmp_path / "gemeente.yaml").write_text(tekst, encoding="utf-8")
    r = kit("render", str(tmp_path / "gemeente.yaml"), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "startnotitie")
    assert r.returncode == 0, r.stderr
    gelezen = lees_grafieken(tmp_path / "uit" / "heuvelrode" / "startnotitie.docx")
    assert len(gelezen) == 3
    for g in gelezen:
        kleuren = g.xml.xpath("//c:ser/c:spPr/a:solidFill/a:srgbClr/@val", namespaces=NS)
        assert kleuren[0] == "8B0000"
        assert set(g.xml.xpath("//a:latin/@typeface", namespaces=NS)) == {"Georgia"}
        assert g.xml.xpath("string(c:chart/c:title//a:rPr/a:solidFill/a:srgbClr/@val)", namespaces=NS) == "8B0000"


def test_standaard_huisstijl_kleur_en_letter(gerenderd):
    g = per_naam(gerenderd / "beleidskader.docx")["begroting"]
    kleuren = g.xml.xpath("//c:ser/c:spPr/a:solidFill/a:srgbClr/@val", namespaces=NS)
    assert kleuren[0] == "1F3A5F" and kleuren[1] != kleuren[0]
    assert set(g.xml.xpath("//a:latin/@typeface", namespaces=NS)) == {"Arial"}


def test_grafiekstijl_uit_thema():
    styles = ('<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/></w:rPr>'
              '</w:rPrDefault></w:docDefaults></w:styles>')
    thema = ('<a:theme><a:clrScheme><a:accent1><a:srgbClr val="00FF00"/></a:accent1>'
             '<a:accent2><a:srgbClr val="FFFFF0"/></a:accent2><a:accent3><a:srgbClr val="123456"/></a:accent3>'
             '</a:clrScheme><a:fontScheme><a:majorFont><a:latin typeface="Kop"/></a:majorFont>'
             '<a:minorFont><a:latin typeface="Tekst"/></a:minorFont></a:fontScheme></a:theme>')
    s = grafiekstijl(styles, thema)
    assert s.lettertype == "Tekst"
    assert s.kleuren[:2] == ("00FF00", "123456")  # the near-white accent2 is left out


# --------------------------------------------------------------------------- the chart model


def test_regio_gestapeld_met_legenda():
    delen = [prognose.bereken({"jaar": 2022, "prognose": {"statushouders_per_jaar": s, "volwassenen": v}}, n)
             for n, s, v in [("Huizen", 29, 20), ("Blaricum", 9, 6), ("Eemnes", 7, 4), ("Laren", 9, 6)]]
    regio = prognose.regio_totaal(delen, "HBEL")
    g = grafieken.maak_grafiek("prognose", regio)
    assert g.gestapeld and g.legenda
    assert [r.naam for r in g.reeksen] == ["Huizen", "Blaricum", "Eemnes", "Laren"]
    for r, d in zip(g.reeksen, delen):
        assert list(r.waarden) == [d.onderwijsroute, d.b1, d.z]
    totalen = [sum(r.waarden[i] for r in g.reeksen) for i in range(3)]
    assert totalen == [regio.onderwijsroute, regio.b1, regio.z]
    assert "Huizen" in g.beschrijving and "Laren" in g.beschrijving


def test_lege_prognose():
    g = grafieken.maak_grafiek("prognose", prognose.bereken({}))
    assert g.as_max and g.as_max > 0 and g.reeksen[0].waarden == (0, 0, 0)


def test_lui_en_hashbaar(bronnen):
    p, b, t = bronnen
    g = grafieken.Grafieken(p, b, t)
    assert list(g) == ["prognose", "begroting", "tijdpad"] and len(g) == 3
    assert g["tijdpad"] is g["tijdpad"]
    assert g["begroting"] == grafieken.maak_grafiek("begroting", b)
    assert hash(g["begroting"]) == hash(grafieken.maak_grafiek("begroting", b))
    with pytest.raises(KeyError):
        g["onbekend"]
    assert "prognose" not in grafieken.Grafieken(begroting=b)


# --------------------------------------------------------------------------- PDF


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_toont_grafieklabels(tmp_path, bronnen):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) ontbreekt")
    from kit.tijdpad import datum_tekst

    _, b, t = bronnen
    r = kit("render", str(VOORBEELD), "-o", str(tmp_path), "--pdf", "--only", "startnotitie")
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "heuvelrode" / "startnotitie.pdf"
    tekst = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    tekst = tekst.replace("\u00a0", " ")
    import docx

    documenttekst = "\n".join(p.text for p in docx.Document(str(pdf.with_suffix(".docx"))).paragraphs)
    documenttekst += "\n".join(c.text for tbl in docx.Document(str(pdf.with_suffix(".docx"))).tables
                               for row in tbl.rows for c in row.cells)
    documenttekst = documenttekst.replace("\u00a0", " ")
    g = grafieken.maak_grafiek("begroting", b)
    assen = [euro(i * g.as_stap).replace("\u00a0", " ") for i in range(1, int(g.as_max // g.as_stap) + 1)]
    # only in the charts, not in the text: titles, axis ticks in Dutch notation, the date label
    alleen_grafiek = [
        "Verwachte inburgeraars per leerroute in 2022",
        "Rijksbijdrage (SPUK) en eigen raming per voorziening in 2022",
        f"Planning tot de inwerkingtreding op {datum_tekst(t.inwerkingtreding)}",
        "1 jan 2022",
        *[a for a in assen if a not in documenttekst],
    ]
    assert len(alleen_grafiek) >= 6
    for label in alleen_grafiek:
        assert label not in documenttekst, label
        assert label in tekst, label
    assert "Eigen raming" in tekst and "Onderwijsroute" in tekst


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_toont_elk_label_van_de_planning(tmp_path):
    """LibreOffice skips every other category label when the labels do not fit (two-line labels
    at 0,8 cm per bar): the PNG showed only phases 1, 3, 5 and 7. Each bar has its label now."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) ontbreekt")
    r = kit("render", str(VOORBEELD), "-o", str(tmp_path), "--pdf", "--only", "startnotitie")
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "heuvelrode" / "startnotitie.pdf"
    tekst = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                     .stdout.replace("\u00a0", " ").split())
    import docx

    d = docx.Document(str(pdf.with_suffix(".docx")))
    documenttekst = " ".join(" ".join([p.text for p in d.paragraphs]
                                      + [c.text for t in d.tables for row in t.rows for c in row.cells]).split())
    labels = ("1. Startnotitie", "2. Beleidskader", "3. Verordening", "4. Beleidsregels", "5. Instructie en testen",
              "6. Optimaliseren en voorlichting", "7. Start Wet inburgering", "Inkoop (tot de contracten ingaan)")
    for label in labels:  # the phases also stand in the planning table: the chart adds one more each
        assert tekst.count(label) == documenttekst.count(label) + 1, label
