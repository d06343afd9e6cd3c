"""kit.docx_writer + huisstijl: a fixture template rendered to .docx and read back."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from kit.context import build_context, meta_voor
from kit.docx_writer import Huisstijl
from kit.loader import load_choices
from kit.minima import wettabel
from kit.model import parse
from kit.templating import Sjablonen

FIXTURES = Path(__file__).parent / "fixtures" / "render"
HUISSTIJL = Path(__file__).parent.parent / "templates" / "huisstijl.docx"
NASTY = (
    "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} <b>&amp; & \"quotes\" 'enkel' "
    "😀🇳🇱 @hoofdstuk x | y ⟦ref:pip⟧ **geen vet** \\n - geen lijst | geen cel"
)


def render(missie: str | None = None, status: str | None = None, sjabloon: str = "verordening") -> tuple[bytes, dict]:
    choices = load_choices(FIXTURES / "keuzes.yaml")
    if missie is not None:
        choices.data["visie"]["missie"] = missie
    if status is not None:
        choices.data["versie"]["status"] = status
    ctx = build_context(choices, wettabel().op("2022-01-01"))
    meta = meta_voor(ctx, "verordening")
    markup = Sjablonen(basis=FIXTURES / "sjablonen").render(sjabloon, dict(ctx, meta=meta))
    document = parse(markup, "verordening", titel=meta["document_titel"])
    return Huisstijl(HUISSTIJL).schrijf(document, meta, {}), meta


@pytest.fixture(scope="module")
def gerenderd() -> bytes:
    return render()[0]


def deel(data: bytes, naam: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(naam).decode("utf-8")


def test_kopstijlen_en_tekst(gerenderd):
    d = docx.Document(io.BytesIO(gerenderd))
    stijlen = {(p.style.name, p.text) for p in d.paragraphs}
    assert ("Heading 1", "Hoofdstuk 1. Algemene bepalingen") in stijlen
    assert ("Heading 2", "Artikel 2. Persoonlijk plan") in stijlen
    assert ("Heading 1", "Toelichting") in stijlen
    assert ("Title", "Verordening inburgering") in stijlen
    teksten = [p.text for p in d.paragraphs]
    assert "1.\tHet college stelt het PIP vast binnen 10 weken." in teksten
    assert "3.\tDe begrippen staan in artikel 1; dit is artikel 2." in teksten
    assert "a.\twet: de Wet inburgering 2021;" in teksten
    assert "Zie tabel 1 en hoofdstuk 2." in teksten
    lid = next(p for p in d.paragraphs if p.text.startswith("1.\t"))
    assert lid.style.name == "Lid"


def test_kopstijlen_hebben_overzichtsniveau():
    styles = deel(HUISSTIJL.read_bytes(), "word/styles.xml")
    for niveau in (1, 2, 3):
        blok = re.search(rf'w:styleId="Heading{niveau}".*?</w:style>', styles, re.S).group(0)
        assert f'<w:outlineLvl w:val="{niveau - 1}"/>' in blok


def test_bladwijzers(gerenderd):
    xml = deel(gerenderd, "word/document.xml")
    namen = re.findall(r'w:bookmarkStart w:id="(\d+)" w:name="([^"]+)"', xml)
    assert {n for _, n in namen} >= {"kit_aanhef", "kit_algemeen", "kit_begrippen", "kit_pip", "kit_citeertitel", "kit_bedragen"}
    assert len({i for i, _ in namen}) == len(namen)  # unique ids


def test_paginaveld_en_koptekst(gerenderd):
    voet = deel(gerenderd, "word/footer1.xml")
    assert "PAGE" in voet and "NUMPAGES" in voet and 'fldCharType="begin"' in voet
    assert "Versie 1.0" in voet and "1 juni 2021" in voet
    kop = deel(gerenderd, "word/header1.xml")
    assert "Proefdorp" in kop and "Verordening inburgering" in kop


def test_taal_nl(gerenderd):
    assert 'w:lang w:val="nl-NL"' in deel(gerenderd, "word/styles.xml")
    assert 'w:themeFontLang w:val="nl-NL"' in deel(gerenderd, "word/settings.xml")


def test_documenteigenschappen(gerenderd):
    cp = docx.Document(io.BytesIO(gerenderd)).core_properties
    assert cp.title == "Verordening inburgering Proefdorp"
    assert cp.author == "Proefdorp"
    assert cp.created.date().isoformat() == "2021-06-01"
    assert cp.modified.date().isoformat() == "2021-06-01"
    assert cp.language == "nl-NL"
    assert cp.version == "1.0"
    assert "Verordening inburgering" in cp.subject


def test_titelblok_ter_advisering(gerenderd):
    tekst = "\n".join(p.text for p in docx.Document(io.BytesIO(gerenderd)).paragraphs)
    assert "Adviesraad Proefdorp" in tekst and "15 juli 2021" in tekst and "per e-mail" in tekst
    concept = render(status="concept")[0]
    tekst = "\n".join(p.text for p in docx.Document(io.BytesIO(concept)).paragraphs)
    assert "Adviesraad Proefdorp" not in tekst


def test_tabel_met_herhaalde_kopregel(gerenderd):
    d = docx.Document(io.BytesIO(gerenderd))
    tabel = d.tables[0]
    assert [c.text for c in tabel.rows[0].cells] == ["Overtreding", "Bedrag"]
    assert [c.text for c in tabel.rows[1].cells] == ["Brede intake", "€\u00a0250"]  # no-break space (templating.euro)
    assert "<w:tblHeader/>" in deel(gerenderd, "word/document.xml")


def test_zelfde_invoer_zelfde_bytes(gerenderd):
    assert render()[0] == gerenderd
    z = zipfile.ZipFile(io.BytesIO(gerenderd))
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    assert z.testzip() is None


@pytest.mark.parametrize("tekst", [NASTY, "x" * 10_000, "regel 1\nregel 2\r\nregel 3\n\nregel 5"])
def test_vrije_tekst_is_letterlijk(tekst):
    data, _ = render(missie=tekst)
    d = docx.Document(io.BytesIO(data))
    lid = next(p for p in d.paragraphs if p.text.startswith("2.\tMissie: "))
    assert lid.text == "2.\tMissie: " + tekst.replace("\r\n", "\n")
    assert "49" not in lid.text


def test_figuur_als_grafiek():
    from kit import prognose
    from kit.grafieken import Grafieken

    document = parse("@hoofdstuk h | H\n@figuur prognose-fig | Prognose per leerroute | prognose\nZie ⟦ref:prognose-fig⟧.\n", "beleidskader")
    meta = {"gemeente": "Proefdorp", "document_titel": "Beleidskader", "versie": "1", "status": "concept",
            "status_label": "concept", "datum": "2021-06-01", "ter_advisering": False, "auteur": "",
            "advies_termijn": "", "adviesraad": "", "advies_wijze": ""}
    p = prognose.bereken({"prognose": {"statushouders_per_jaar": 30}})
    data = Huisstijl(HUISSTIJL).schrijf(document, meta, Grafieken(prognose=p))
    z = zipfile.ZipFile(io.BytesIO(data))
    assert {"word/charts/kit_grafiek1.xml", "word/embeddings/kit_grafiek1.xlsx"} <= set(z.namelist())
    assert "word/media/" not in " ".join(z.namelist())
    assert 'PartName="/word/charts/kit_grafiek1.xml"' in z.read("[Content_Types].xml").decode()
    assert 'Target="charts/kit_grafiek1.xml"' in z.read("word/_rels/document.xml.rels").decode()
    d = docx.Document(io.BytesIO(data))
    teksten = [p.text for p in d.paragraphs]
    assert "Figuur 1. Prognose per leerroute" in teksten and "Zie figuur 1." in teksten


def test_grafiek_in_huisstijl_zonder_documenteigenschappen(tmp_path):
    """A huisstijl without docProps/core.xml gets one added; its content type is added on top of
    the charts' content types (the charts' overrides were lost before)."""
    from kit import prognose
    from kit.grafieken import Grafieken

    pad = tmp_path / "zonder_core.docx"
    with zipfile.ZipFile(HUISSTIJL) as bron, zipfile.ZipFile(pad, "w") as doel:
        for info in bron.infolist():
            if info.filename == "docProps/core.xml":
                continue
            data = bron.read(info)
            if info.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*core-properties"[^>]*/>', b"", data)
            if info.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/docProps/core.xml"[^>]*/>', b"", data)
            doel.writestr(info, data)
    stijl = Huisstijl(pad)
    assert not stijl.heeft_core
    document = parse("@hoofdstuk h | H\n@figuur prognose-fig | Prognose per leerroute | prognose\n", "beleidskader")
    meta = {"gemeente": "Proefdorp", "document_titel": "Beleidskader", "versie": "1", "status": "concept",
            "status_label": "concept", "datum": "2021-06-01", "ter_advisering": False, "auteur": "",
            "advies_termijn": "", "adviesraad": "", "advies_wijze": ""}
    p = prognose.bereken({"prognose": {"statushouders_per_jaar": 30}})
    z = zipfile.ZipFile(io.BytesIO(stijl.schrijf(document, meta, Grafieken(prognose=p))))
    ct = z.read("[Content_Types].xml").decode()
    assert 'PartName="/word/charts/kit_grafiek1.xml"' in ct and 'Extension="xlsx"' in ct
    assert 'PartName="/docProps/core.xml"' in ct
    assert "docProps/core.xml" in z.namelist()
    assert "Proefdorp" in z.read("docProps/core.xml").decode()
    assert 'Target="docProps/core.xml"' in z.read("_rels/.rels").decode()


def test_eigen_huisstijl_zonder_inhoud_wordt_geweigerd(tmp_path):
    from kit.errors import InputError

    d = docx.Document()
    d.add_paragraph("geen plek voor de tekst")
    pad = tmp_path / "eigen.docx"
    d.save(pad)
    with pytest.raises(InputError, match="inhoud"):
        Huisstijl(pad)


def test_eigen_huisstijl_met_gesplitste_tags(tmp_path):
    """A Word-made huisstijl splits tags over runs; docxtpl's patching joins them."""
    d = docx.Document()
    p = d.add_paragraph()
    for stuk in ("{{ meta.", "gemeente", " }}"):
        p.add_run(stuk)
    d.add_paragraph("{{p inhoud }}")
    pad = tmp_path / "eigen.docx"
    d.save(pad)
    document = parse("@hoofdstuk a | A\nTekst.\n", "rib")
    meta = {"gemeente": "Proef & Dorp", "document_titel": "RIB", "versie": "1", "status_label": "concept",
            "datum": "2021-06-01"}
    uit = docx.Document(io.BytesIO(Huisstijl(pad).schrijf(document, meta)))
    assert [p.text for p in uit.paragraphs] == ["Proef & Dorp", "1. A", "Tekst."]


def test_kolom_met_bedragen_rechts_en_labels_links():
    """A column of figures is right-aligned as a whole (header too); the first column (labels,
    also years) and a column with any text stay left-aligned: no column is half one, half other."""
    markup = (
        "@hoofdstuk h1 | Kosten\n\n@tabel t1 | Kosten per jaar\n"
        "| Jaar | Bedrag | Toelichting |\n"
        "| 2020 (incidenteel) | € 41.200 | eenmalig |\n"
        "| 2021 | € 30.900 | 12 |\n"
        "| 2022 | −€ 1.920 | n.v.t. |\n"
    )
    meta = render()[1]
    data = Huisstijl(HUISSTIJL).schrijf(parse(markup, "beleidskader", titel="t"), meta, {})
    tabel = docx.Document(io.BytesIO(data)).tables[0]
    uitlijning = [[c.paragraphs[0].alignment for c in rij.cells] for rij in tabel.rows]
    RECHTS = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert all(rij[0] is None for rij in uitlijning)  # labels, years included
    assert all(rij[1] == RECHTS for rij in uitlijning)  # amounts and their header
    assert all(rij[2] is None for rij in uitlijning)  # "12" among text stays left
