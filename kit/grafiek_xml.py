"""A :class:`~kit.grafieken.Grafiek` as a native Word chart: DrawingML chart XML + workbook.

Word shows a chart part (``word/charts/chartN.xml``) and keeps its data in an embedded
workbook (``word/embeddings/…xlsx``, related to the chart as a ``package``): "Gegevens
bewerken" opens that workbook, and the chart's own caches (``c:strCache`` / ``c:numCache``)
let Word and LibreOffice draw it without opening the workbook. The layout follows what
python-pptx's ``pptx.chart.xmlwriter`` and XlsxWriter write (same elements, same order as
the schema), but as small string templates: importing those two costs ~180 ms per process,
generating the XML here takes well under a millisecond per chart.

Everything is deterministic: no timestamps, no random axis ids, the workbook has no
``docProps`` at all (so no creation date), and the zip is written by the kit's own writer
with fixed entry times (:func:`kit.docx_writer._zip`).

Colours and fonts come from the huisstijl (:func:`grafiekstijl`): the colour of Heading 1
first (the house colour), then the theme's accent colours; the font of the Normal style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kit.docx_writer import xml_tekst

if TYPE_CHECKING:  # pragma: no cover
    from kit.grafieken import Grafiek, Reeks

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_GRAFIEK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
REL_PAKKET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CT_GRAFIEK = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLAD = "Blad1"                  # the sheet name Dutch Excel gives a new workbook
EMU_PER_CM = 360000

# neutral greys for axes and gridlines; the palette itself comes from the huisstijl
LIJN_AS = "A6A6A6"
LIJN_RASTER = "E3E3E3"
STANDAARD_KLEUREN = ("1F3A5F", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646")


# ------------------------------------------------------------------------------- huisstijl

@dataclass(frozen=True)
class GrafiekStijl:
    kleuren: tuple[str, ...] = STANDAARD_KLEUREN   # RRGGBB, series colours in order
    lettertype: str = "Arial"
    tekstkleur: str = "262626"
    titelkleur: str = "1F3A5F"
    grootte: int = 900                              # hundredths of a point (9 pt)

    def kleur(self, i: int) -> str:
        return self.kleuren[i % len(self.kleuren)]


_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def _stijlblok(styles: str, stijl_id: str) -> str:
    m = re.search(rf'<w:style\b[^>]*w:styleId="{re.escape(stijl_id)}"[^>]*>(.*?)</w:style>', styles, re.S)
    return m.group(1) if m else ""


def _kleur_in(blok: str) -> str | None:
    m = re.search(r'<w:color\b[^>]*w:val="([0-9A-Fa-f]{6})"', blok)
    return m.group(1).upper() if m else None


def _licht(kleur: str) -> bool:
    """Too light to see against white (relative luminance above ~0.8)."""
    r, g, b = (int(kleur[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.8


def grafiekstijl(styles: str, thema: str = "", kop_id: str | None = None, normaal_id: str | None = None) -> GrafiekStijl:
    """Chart colours and font from a huisstijl's ``styles.xml`` and theme (both as text).

    Colours: the colour of the Heading 1 style (the house colour), then the theme's
    ``accent1``–``accent6``; light colours (invisible on white) and duplicates left out.
    Font: the Normal style's (or the document default's) ``w:ascii`` font, or the theme's
    minor/major font it refers to. Whatever is missing keeps the kit's default.
    """
    standaard = GrafiekStijl()
    kop = _stijlblok(styles, kop_id) if kop_id else ""
    normaal = _stijlblok(styles, normaal_id) if normaal_id else ""
    standaarden = re.search(r"<w:rPrDefault>(.*?)</w:rPrDefault>", styles, re.S)
    standaarden_xml = standaarden.group(1) if standaarden else ""

    accenten: list[str] = []
    for i in range(1, 7):
        m = re.search(rf"<a:accent{i}>\s*<a:(?:srgbClr val|sysClr [^>]*lastClr)=\"([0-9A-Fa-f]{{6}})\"", thema)
        if m:
            accenten.append(m.group(1).upper())
    huiskleur = _kleur_in(kop)
    kleuren: list[str] = []
    for k in ([huiskleur] if huiskleur else []) + accenten:
        if k and _HEX.match(k) and not _licht(k) and k not in kleuren:
            kleuren.append(k)
    if len(kleuren) < 2:
        kleuren += [k for k in standaard.kleuren if k not in kleuren]

    lettertype = None
    for blok in (normaal, standaarden_xml):
        m = re.search(r"<w:rFonts\b([^>]*)/?>", blok)
        if not m:
            continue
        attrs = dict(re.findall(r'w:(\w+)="([^"]*)"', m.group(1)))
        if attrs.get("ascii"):
            lettertype = attrs["ascii"]
            break
        thema_font = attrs.get("asciiTheme", "")
        if thema_font:
            soort = "major" if thema_font.startswith("major") else "minor"
            f = re.search(rf"<a:{soort}Font>\s*<a:latin typeface=\"([^\"]+)\"", thema)
            if f:
                lettertype = f.group(1)
                break
    tekstkleur = _kleur_in(normaal)
    return GrafiekStijl(
        kleuren=tuple(kleuren),
        lettertype=lettertype or standaard.lettertype,
        tekstkleur=tekstkleur if tekstkleur and not _licht(tekstkleur) else standaard.tekstkleur,
        titelkleur=huiskleur if huiskleur and not _licht(huiskleur) else kleuren[0],
    )


# ------------------------------------------------------------------------------- cells and refs

def kolom(i: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    naam = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        naam = chr(65 + rest) + naam
    return naam


def _ref(kol: int, van: int, tot: int | None = None) -> str:
    if tot is None:
        return f"{BLAD}!${kolom(kol)}${van}"
    return f"{BLAD}!${kolom(kol)}${van}:${kolom(kol)}${tot}"


def _getal(x: float) -> str:
    """A number as the workbook and the cache hold it: ints without ".0"."""
    if isinstance(x, bool):
        raise TypeError(x)
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x))


# ------------------------------------------------------------------------------- chart XML

def _fill(kleur: str | None) -> str:
    if kleur is None:
        return "<a:noFill/>"
    return f'<a:solidFill><a:srgbClr val="{kleur}"/></a:solidFill>'


def _lijn(kleur: str | None, breedte: int = 9525) -> str:
    if kleur is None:
        return "<a:ln><a:noFill/></a:ln>"
    return f'<a:ln w="{breedte}">{_fill(kleur)}</a:ln>'


def _rpr(stijl: GrafiekStijl, grootte: int | None = None, vet: bool = False, kleur: str | None = None,
         tag: str = "a:defRPr") -> str:
    f = xml_tekst(stijl.lettertype)
    return (
        f'<{tag} lang="nl-NL" sz="{grootte or stijl.grootte}" b="{int(vet)}">'
        f"{_fill(kleur or stijl.tekstkleur)}"
        f'<a:latin typeface="{f}"/><a:cs typeface="{f}"/></{tag}>'
    )


def _txpr(stijl: GrafiekStijl, grootte: int | None = None, vet: bool = False, kleur: str | None = None) -> str:
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/>"
        f'<a:p><a:pPr>{_rpr(stijl, grootte, vet, kleur)}</a:pPr><a:endParaRPr lang="nl-NL"/></a:p></c:txPr>'
    )


def _rijke_tekst(tekst: str, stijl: GrafiekStijl, grootte: int, vet: bool, kleur: str | None) -> str:
    return (
        "<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p>"
        f"<a:pPr>{_rpr(stijl, grootte, vet, kleur)}</a:pPr>"
        f"<a:r>{_rpr(stijl, grootte, vet, kleur, tag='a:rPr')}<a:t>{xml_tekst(tekst)}</a:t></a:r>"
        "</a:p></c:rich></c:tx>"
    )


def _titel(tekst: str, stijl: GrafiekStijl, grootte: int, vet: bool = True, kleur: str | None = None) -> str:
    return f"<c:title>{_rijke_tekst(tekst, stijl, grootte, vet, kleur)}<c:overlay val=\"0\"/></c:title>"


def _str_cache(waarden: tuple[str, ...] | list[str]) -> str:
    punten = "".join(f'<c:pt idx="{i}"><c:v>{xml_tekst(w)}</c:v></c:pt>' for i, w in enumerate(waarden))
    return f'<c:strCache><c:ptCount val="{len(waarden)}"/>{punten}</c:strCache>'


def _num_cache(waarden: tuple[float, ...], notatie: str) -> str:
    # a missing value (None) is an empty point: no bar, no label, no zero
    punten = "".join(f'<c:pt idx="{i}"><c:v>{_getal(w)}</c:v></c:pt>' for i, w in enumerate(waarden) if w is not None)
    return (f"<c:numCache><c:formatCode>{xml_tekst(notatie)}</c:formatCode>"
            f'<c:ptCount val="{len(waarden)}"/>{punten}</c:numCache>')


def _label_xml(g: "Grafiek", r: "Reeks", stijl: GrafiekStijl, kleur: str | None) -> str:
    """numFmt … dLblPos of a data label (the shared part of ``c:dLbl`` and ``c:dLbls``)."""
    binnen = g.gestapeld and kleur is not None
    if kleur is None:  # the invisible series of a Gantt: the label sits at its end, left of the bar
        positie, tekstkleur = "inEnd", stijl.tekstkleur
    elif binnen:
        positie, tekstkleur = "ctr", ("FFFFFF" if not _licht(kleur) else stijl.tekstkleur)
    else:
        positie, tekstkleur = "outEnd", stijl.tekstkleur
    return (
        f'<c:numFmt formatCode="{xml_tekst(r.notatie or g.notatie)}" sourceLinked="0"/>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        f"{_txpr(stijl, stijl.grootte, vet=not binnen and g.richting == 'kolom', kleur=tekstkleur)}"
        f'<c:dLblPos val="{positie}"/>'
    )


def _toon(waarde: bool) -> str:
    v = int(waarde)
    return (f'<c:showLegendKey val="0"/><c:showVal val="{v}"/><c:showCatName val="0"/><c:showSerName val="0"/>'
            '<c:showPercent val="0"/><c:showBubbleSize val="0"/>')


def _dlbls(g: "Grafiek", r: "Reeks", stijl: GrafiekStijl, kleur: str | None) -> str:
    if r.labels:
        return f"<c:dLbls>{_label_xml(g, r, stijl, kleur)}{_toon(True)}</c:dLbls>"
    if r.label_punten:
        punten = "".join(
            f'<c:dLbl><c:idx val="{i}"/>{_label_xml(g, r, stijl, kleur)}{_toon(True)}</c:dLbl>'
            for i in r.label_punten
        )
        return f"<c:dLbls>{punten}{_toon(False)}</c:dLbls>"
    return ""


def _reeks(g: "Grafiek", i: int, r: "Reeks", stijl: GrafiekStijl, rijen: int) -> str:
    kleur = None if r.onzichtbaar else stijl.kleur(r.kleur if r.kleur is not None else i)
    return (
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
        f"<c:tx><c:strRef><c:f>{_ref(i + 1, 1)}</c:f>{_str_cache([r.naam])}</c:strRef></c:tx>"
        f"<c:spPr>{_fill(kleur)}{_lijn(None)}</c:spPr>"
        '<c:invertIfNegative val="0"/>'
        f"{_dlbls(g, r, stijl, kleur)}"
        f"<c:cat><c:strRef><c:f>{_ref(0, 2, rijen + 1)}</c:f>{_str_cache(g.categorieen)}</c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{_ref(i + 1, 2, rijen + 1)}</c:f>"
        f"{_num_cache(r.waarden, r.notatie or g.notatie)}</c:numRef></c:val>"
        "</c:ser>"
    )


def chart_xml(g: "Grafiek", stijl: GrafiekStijl) -> str:
    """``word/charts/chartN.xml`` for ``g``; the workbook is related as ``rId1``."""
    rijen = len(g.categorieen)
    kolom_ = g.richting == "kolom"
    cat_pos, val_pos = ("b", "l") if kolom_ else ("l", "b")
    reeksen = "".join(_reeks(g, i, r, stijl, rijen) for i, r in enumerate(g.reeksen))
    schaal = "".join(
        f"<c:{tag} val=\"{_getal(w)}\"/>" for tag, w in (("max", g.as_max), ("min", g.as_min)) if w is not None
    )
    as_titel = (_titel(g.as_titel, stijl, stijl.grootte, vet=False) if g.as_titel else "")
    stap = f'<c:majorUnit val="{_getal(g.as_stap)}"/>' if g.as_stap else ""
    legenda = (
        '<c:legend><c:legendPos val="b"/>'
        + "".join(f'<c:legendEntry><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>'
                  for i, r in enumerate(g.reeksen) if r.onzichtbaar)
        + f'<c:overlay val="0"/>{_txpr(stijl)}</c:legend>'
        if g.legenda else ""
    )
    # a horizontal chart reads top-down: categories from max to min, value axis at the bottom
    omgekeerd = g.van_boven and not kolom_
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:date1904 val="0"/><c:lang val="nl-NL"/><c:roundedCorners val="0"/>'
        "<c:chart>"
        f"{_titel(g.titel, stijl, stijl.grootte + 200, kleur=stijl.titelkleur)}"
        '<c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/>"
        f'<c:barChart><c:barDir val="{"col" if kolom_ else "bar"}"/>'
        f'<c:grouping val="{"stacked" if g.gestapeld else "clustered"}"/><c:varyColors val="0"/>'
        f"{reeksen}"
        f'<c:gapWidth val="{g.tussenruimte}"/>'
        + ('<c:overlap val="100"/>' if g.gestapeld else '<c:overlap val="0"/>')
        + '<c:axId val="10"/><c:axId val="20"/></c:barChart>'
        '<c:catAx><c:axId val="10"/>'
        f'<c:scaling><c:orientation val="{"maxMin" if omgekeerd else "minMax"}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{cat_pos}"/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f"<c:spPr>{_lijn(LIJN_AS)}</c:spPr>{_txpr(stijl)}"
        '<c:crossAx val="20"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        # every category labelled (Word; LibreOffice ignores it and needs the room: grafieken.tijdpad)
        '<c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="20"/>'
        f'<c:scaling><c:orientation val="minMax"/>{schaal}</c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{val_pos}"/>'
        f"<c:majorGridlines><c:spPr>{_lijn(LIJN_RASTER)}</c:spPr></c:majorGridlines>"
        f"{as_titel}"
        f'<c:numFmt formatCode="{xml_tekst(g.as_notatie or g.notatie)}" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f"<c:spPr>{_lijn(None)}</c:spPr>{_txpr(stijl)}"
        f'<c:crossAx val="10"/><c:crosses val="{"max" if omgekeerd else "autoZero"}"/>'
        f'<c:crossBetween val="between"/>{stap}</c:valAx>'
        f"<c:spPr>{_fill(None)}{_lijn(None)}</c:spPr>"
        "</c:plotArea>"
        f"{legenda}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>'
        "</c:chart>"
        f"<c:spPr>{_fill('FFFFFF')}{_lijn(None)}</c:spPr>"
        f"{_txpr(stijl)}"
        '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )


def chart_rels(werkmap: str) -> str:
    """``word/charts/_rels/chartN.xml.rels``: the embedded workbook (``werkmap``: its file name)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_PAKKET}" Target="../embeddings/{xml_tekst(werkmap)}"/>'
        "</Relationships>"
    )


def inline_xml(rid: str, nummer: int, naam: str, beschrijving: str, titel: str, cx: int, cy: int) -> str:
    """The ``w:r`` that places the chart inline, with alternative text (``wp:docPr descr``)."""
    return (
        "<w:r><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{nummer}" name="{xml_tekst(naam)}" descr="{xml_tekst(beschrijving)}" title="{xml_tekst(titel)}"/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{C_NS}">'
        f'<c:chart xmlns:c="{C_NS}" xmlns:r="{R_NS}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


# ------------------------------------------------------------------------------- workbook

_XLSX_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_XLSX_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_XLSX_WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}">'
    f'<bookViews><workbookView/></bookViews><sheets><sheet name="{BLAD}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)


def _xlsx_styles(notaties: list[str], stijl: GrafiekStijl) -> str:
    """Cell formats: 0 = general, 1 = bold (header), 2.. = one per number format."""
    eigen = "".join(f'<numFmt numFmtId="{164 + i}" formatCode="{xml_tekst(n)}"/>' for i, n in enumerate(notaties))
    xfs = "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in range(len(notaties))
    )
    f = xml_tekst(stijl.lettertype)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{S_NS}">'
        f'<numFmts count="{len(notaties)}">{eigen}</numFmts>'
        f'<fonts count="2"><font><sz val="10"/><name val="{f}"/></font>'
        f'<font><b/><sz val="10"/><name val="{f}"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{2 + len(notaties)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f"{xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def werkmap(g: "Grafiek", stijl: GrafiekStijl) -> list[tuple[str, bytes]]:
    """The parts of the embedded workbook (zip them in this order): the chart's data in
    ``Blad1`` — categories in column A, one column per series, headers in row 1."""
    reeksen = list(g.reeksen)
    notaties: list[str] = []
    for r in reeksen:
        n = r.notatie or g.notatie
        if n not in notaties:
            notaties.append(n)
    teksten: list[str] = []
    index: dict[str, int] = {}
    verwijzingen = [0]  # cells that refer to a shared string (sst count; uniqueCount = len(teksten))

    def s(tekst: str) -> int:
        verwijzingen[0] += 1
        if tekst not in index:
            index[tekst] = len(teksten)
            teksten.append(tekst)
        return index[tekst]

    def cel_tekst(ref: str, tekst: str, vet: bool = False) -> str:
        vet_xml = ' s="1"' if vet else ""
        return f'<c r="{ref}"{vet_xml} t="s"><v>{s(tekst)}</v></c>'

    rijen = [
        '<row r="1">' + cel_tekst("A1", g.categorie_kop, True)
        + "".join(cel_tekst(f"{kolom(j + 1)}1", r.naam, True) for j, r in enumerate(reeksen)) + "</row>"
    ]
    for i, cat in enumerate(g.categorieen):
        rij = i + 2
        cellen = [cel_tekst(f"A{rij}", cat)]
        for j, r in enumerate(reeksen):
            stijl_nr = 2 + notaties.index(r.notatie or g.notatie)
            if r.waarden[i] is None:          # no value: an empty, formatted cell
                cellen.append(f'<c r="{kolom(j + 1)}{rij}" s="{stijl_nr}"/>')
            else:
                cellen.append(f'<c r="{kolom(j + 1)}{rij}" s="{stijl_nr}"><v>{_getal(r.waarden[i])}</v></c>')
        rijen.append(f'<row r="{rij}">' + "".join(cellen) + "</row>")
    laatste = f"{kolom(len(reeksen))}{len(g.categorieen) + 1}"
    breedte_a = max([len(g.categorie_kop)] + [len(c) for c in g.categorieen]) + 2
    breedte_rest = max([12] + [len(r.naam) + 2 for r in reeksen])
    blad = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}">'
        f'<dimension ref="A1:{laatste}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f'<cols><col min="1" max="1" width="{breedte_a}" customWidth="1"/>'
        f'<col min="2" max="{1 + len(reeksen)}" width="{breedte_rest}" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rijen)}</sheetData></worksheet>"
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{S_NS}" count="{verwijzingen[0]}" uniqueCount="{len(teksten)}">'
        + "".join(f'<si><t xml:space="preserve">{xml_tekst(t)}</t></si>' for t in teksten)
        + "</sst>"
    )
    return [
        ("[Content_Types].xml", _XLSX_CT.encode()),
        ("_rels/.rels", _XLSX_RELS.encode()),
        ("xl/workbook.xml", _XLSX_WB.encode()),
        ("xl/_rels/workbook.xml.rels", _XLSX_WB_RELS.encode()),
        ("xl/worksheets/sheet1.xml", blad.encode("utf-8")),
        ("xl/styles.xml", _xlsx_styles(notaties, stijl).encode("utf-8")),
        ("xl/sharedStrings.xml", sst.encode("utf-8")),
    ]
