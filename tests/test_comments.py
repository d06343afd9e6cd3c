"""kit comments: reviewers' Word comments → reactienota (.docx + .csv).

Reviewed documents are built the way a reviewer makes them: open a document, select runs
inside an article, add a comment (python-docx ``add_comment``), answer it (a reply: the
commentsExtended part, which python-docx cannot write, is written by ``_draden``), save a
copy per reviewer. Then ``kit comments`` runs as a user runs it and its output is read back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kit import comments as kc
from kit.docx_lezen import RT_COMMENTS_EXT, W14, W15, Grenzen, lees_docx
from kit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- helpers


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kit", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, timeout=120,
    )


def _bookmark(paragraaf, naam: str, bid: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), naam)
    einde = OxmlElement("w:bookmarkEnd")
    einde.set(qn("w:id"), str(bid))
    ppr = paragraaf._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraaf._p.insert(0, start)
    paragraaf._p.append(einde)


# (id, kop, tekst van het artikel)
ARTIKELEN = [
    ("begripsbepalingen", "Artikel 1. Begripsbepalingen", "In deze verordening wordt verstaan onder wet: de Wet inburgering 2021."),
    ("brede-intake", "Artikel 2. Brede intake", "Het college neemt de brede intake af binnen tien weken."),
    ("pip", "Artikel 3. Persoonlijk plan inburgering en participatie",
     "Het college stelt het persoonlijk plan vast binnen tien weken na de brede intake."),
    ("maatschappelijke-begeleiding", "Artikel 4. Maatschappelijke begeleiding",
     "Asielstatushouders krijgen achttien maanden maatschappelijke begeleiding."),
]


def maak_kitdocument(pad: Path, *, bookmarks: bool = True, kenmerken: bool = True) -> Path:
    """A verordening as the kit writes it: headings with kit_ bookmarks, core properties."""
    d = docx.Document()
    d.add_heading("Verordening inburgering Heuvelrode 2022", level=0)
    d.add_paragraph("Versie 0.3, concept")
    for i, (id_, kop, tekst) in enumerate(ARTIKELEN):
        h = d.add_heading(kop, level=2)
        if bookmarks:
            _bookmark(h, kc.bookmark_naam(id_), i + 1)
        p = d.add_paragraph()
        for zin in tekst.split(" binnen "):
            p.add_run(zin + " ")
    if kenmerken:
        kp = d.core_properties
        kp.title = "Verordening inburgering Heuvelrode 2022"
        kp.category = "verordening"
        kp.version = "0.3"
        kp.identifier = "heuvelrode"
        kp.author = "Heuvelrode"
        kp.content_status = "concept"
    d.save(pad)
    return pad


def _alinea_van(d, id_: str):
    """The first body paragraph of article ``id_`` (by its kit_ bookmark)."""
    naam = kc.bookmark_naam(id_)
    alineas = d.paragraphs
    for i, p in enumerate(alineas):
        if any(b.get(qn("w:name")) == naam for b in p._p.iter(qn("w:bookmarkStart"))):
            return alineas[i + 1]
    raise AssertionError(id_)


def _alinea_na_kop(d, kop: str):
    alineas = d.paragraphs
    for i, p in enumerate(alineas):
        if p.text == kop:
            return alineas[i + 1]
    raise AssertionError(kop)


def opmerking(d, runs, tekst: str, auteur: str, datum: str):
    c = d.add_comment(runs, text=tekst, author=auteur, initials="".join(w[0] for w in auteur.split()))
    c._comment_elm.date = dt.datetime.fromisoformat(datum)
    return c


def draden(d, paren: list[tuple]) -> None:
    """Write word/commentsExtended.xml: every comment gets a paraId; replies point to their parent."""
    ids = {}
    for c in d.comments:
        pid = f"{0x10000000 + c.comment_id:08X}"
        c.paragraphs[-1]._p.set(f"{{{W14}}}paraId", pid)
        ids[c.comment_id] = pid
    ouder = {kind.comment_id: ouder.comment_id for kind, ouder in paren}
    regels = []
    for cid, pid in ids.items():
        extra = f' w15:paraIdParent="{ids[ouder[cid]]}"' if cid in ouder else ""
        regels.append(f'<w15:commentEx w15:paraId="{pid}"{extra} w15:done="0"/>')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w15:commentsEx xmlns:w15="{W15}">' + "".join(regels) + "</w15:commentsEx>"
    ).encode()
    part = Part(
        PackURI("/word/commentsExtended.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
        xml,
        d.part.package,
    )
    d.part.relate_to(part, RT_COMMENTS_EXT)


def twee_reviewers(bron: Path, map_: Path, *, alinea=_alinea_van, naam: str = "verordening") -> tuple[Path, Path]:
    """Reviewer A comments on the PIP article (with a reply) and forwards the copy to B, who adds
    a comment on maatschappelijke begeleiding. Both copies hold A's comment and reply."""
    d = docx.Document(bron)
    p = alinea(d, "pip")
    a = opmerking(d, p.runs, "Tien weken is lang; kan het sneller?", "Fatima El Amrani", "2021-06-10T09:00:00")
    antwoord = opmerking(d, p.runs, "Eens, graag acht weken.", "Jan de Boer", "2021-06-11T10:00:00")
    draden(d, [(antwoord, a)])
    kopie_a = map_ / f"{naam} - adviesraad A.docx"
    d.save(kopie_a)

    d = docx.Document(kopie_a)
    p = alinea(d, "maatschappelijke-begeleiding")
    opmerking(d, p.runs[0], "Ook voor gezinsmigranten?", "Jan de Boer", "2021-06-12T11:00:00")
    # commentsExtended is already there (from A); python-docx keeps it; extend it for the new one
    kopie_b = map_ / f"{naam} - adviesraad B.docx"
    d.save(kopie_b)
    return kopie_a, kopie_b


def lees_csv(pad: Path) -> list[dict[str, str]]:
    data = pad.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV moet met een BOM beginnen"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def tabelrijen(pad: Path) -> list[list[str]]:
    d = docx.Document(pad)
    rijen = []
    for t in d.tables:
        for r in t.rows[1:]:
            rijen.append([c.text for c in r.cells])
    return rijen


# --------------------------------------------------------------------------- mapping


def test_bookmark_naam_en_terug():
    assert kc.bookmark_naam("maatschappelijke-begeleiding") == "kit_maatschappelijke_begeleiding"
    assert kc.id_uit_bookmark("kit_maatschappelijke_begeleiding") == "maatschappelijke-begeleiding"
    assert kc.id_uit_bookmark("_Toc123") is None
    assert kc.id_uit_bookmark("kit_") is None


def test_opmerkingen_per_artikel_met_antwoord(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, b = twee_reviewers(bron, tmp_path)
    gelezen = kc.lees_opmerkingen(b)
    assert gelezen.naam == "verordening" and gelezen.door_kit and gelezen.versie == "0.3"
    assert [o.sectie.id for o in gelezen.opmerkingen] == ["pip", "maatschappelijke-begeleiding"]
    pip = gelezen.opmerkingen[0]
    assert pip.sectie.kop == "Artikel 3. Persoonlijk plan inburgering en participatie"
    assert pip.citaat == "Het college stelt het persoonlijk plan vast tien weken na de brede intake."
    assert [x.tekst for x in pip.antwoorden] == ["Eens, graag acht weken."]
    assert gelezen.opmerkingen[1].citaat == "Asielstatushouders krijgen achttien maanden maatschappelijke begeleiding."


def test_keuzes_uit_de_sjablonen():
    keuzes = kc.keuzes_per_sectie("verordening")
    assert "pip" in keuzes and keuzes["pip"], keuzes.get("pip")
    # precise keys (issue 10): the provider is not behind the article
    assert "maatschappelijke_begeleiding.duur_maanden" in keuzes["maatschappelijke-begeleiding"]
    assert "maatschappelijke_begeleiding.aanbieder" not in keuzes["maatschappelijke-begeleiding"]


def test_cli_twee_reviewers_samengevoegd(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, b = twee_reviewers(bron, tmp_path)
    uit = tmp_path / "reactienota.docx"
    r = _run("comments", a, b, "-o", uit)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    rijen = tabelrijen(uit)
    assert len(rijen) == 2, rijen  # A's comment in both copies appears once
    nr, sectie, citaat, opm, indiener, datum, reactie, gevolg = rijen[0]
    assert nr == "1"
    assert sectie.startswith("Artikel 3. Persoonlijk plan inburgering en participatie")
    assert "persoonlijk plan vast tien weken" in citaat
    assert opm.startswith("Tien weken is lang; kan het sneller?")
    assert "Jan de Boer (11-06-2021): Eens, graag acht weken." in opm  # reply under its parent
    assert indiener == "Fatima El Amrani" and datum == "10-06-2021"
    assert reactie == "" and gevolg == ""
    assert rijen[1][1].startswith("Artikel 4. Maatschappelijke begeleiding")

    nota = docx.Document(uit)
    tekst = "\n".join(p.text for p in nota.paragraphs)
    assert "Fatima El Amrani" in tekst and "Jan de Boer" in tekst
    assert "versie 0.3" in tekst and "Verordening inburgering Heuvelrode 2022" in tekst
    sectie = nota.sections[0]
    assert sectie.page_width > sectie.page_height  # landscape
    # the kit's huisstijl: title block and header from the writer, gemeente from the documents
    if (ROOT / "templates" / "huisstijl.docx").is_file():
        assert nota.paragraphs[0].text == "Heuvelrode"
        assert any(p.style.name == "Title" and p.text == "Reactienota" for p in nota.paragraphs)
        assert "Heuvelrode" in "".join(p.text for p in sectie.header.paragraphs)

    regels = lees_csv(uit.with_suffix(".csv"))
    assert len(regels) == 2
    assert regels[0]["Sectie-id"] == "pip"
    assert regels[0]["Document"] == "verordening"
    assert "pip.vorm" in regels[0]["Keuzes"].split(", ")
    assert regels[1]["Keuzes"].startswith("maatschappelijke_begeleiding.duur_maanden")
    assert regels[0]["Antwoorden"] == "Jan de Boer (2021-06-11): Eens, graag acht weken."
    assert regels[0]["Geciteerde tekst"] == rijen[0][2]
    assert set(regels[0]["Bestand(en)"].split("; ")) == {a.name, b.name}


def test_niet_door_kit_gemaakt_toewijzing_op_kop(tmp_path):
    bron = maak_kitdocument(tmp_path / "notitie.docx", bookmarks=False, kenmerken=False)
    d = docx.Document(bron)
    p = _alinea_na_kop(d, "Artikel 2. Brede intake")
    opmerking(d, p.runs, "Wie neemt de intake af?", "Piet", "2021-06-10T09:00:00")
    d.save(bron)
    uit = tmp_path / "nota.docx"
    r = _run("comments", bron, "-o", uit)
    assert r.returncode == 0, r.stderr
    assert "niet door de kit gemaakt" in r.stderr and "notitie.docx" in r.stderr
    regels = lees_csv(uit.with_suffix(".csv"))
    assert regels[0]["Artikel / paragraaf"] == "Artikel 2. Brede intake"
    assert regels[0]["Sectie-id"] == "" and regels[0]["Keuzes"] == ""


def test_weigert_overschrijven(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, _ = twee_reviewers(bron, tmp_path)
    uit = tmp_path / "reactienota.docx"
    assert _run("comments", a, "-o", uit).returncode == 0
    uit.write_bytes(b"ingevuld door de beleidsmedewerker")
    r = _run("comments", a, "-o", uit)
    assert r.returncode == 3
    assert "bestaat al" in r.stderr and "reactienota.docx" in r.stderr
    assert uit.read_bytes() == b"ingevuld door de beleidsmedewerker"
    # the .csv alone also blocks
    uit2 = tmp_path / "nota2.docx"
    (tmp_path / "nota2.csv").write_text("x")
    assert _run("comments", a, "-o", uit2).returncode == 3
    assert not uit2.exists()


def test_reproduceerbaar(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, b = twee_reviewers(bron, tmp_path)
    assert _run("comments", a, b, "-o", tmp_path / "x.docx").returncode == 0
    assert _run("comments", a, b, "-o", tmp_path / "y.docx").returncode == 0
    assert (tmp_path / "x.docx").read_bytes() == (tmp_path / "y.docx").read_bytes()


def test_geen_opmerkingen(tmp_path):
    leeg = maak_kitdocument(tmp_path / "verordening.docx")
    uit = tmp_path / "nota.docx"
    r = _run("comments", leeg, "-o", uit)
    assert r.returncode == 0
    assert "geen opmerkingen" in r.stderr.lower() and not uit.exists()
    # with another file that does have comments: a note, and the nota is written
    a, _ = twee_reviewers(leeg, tmp_path)
    r = _run("comments", leeg, a, "-o", uit)
    assert r.returncode == 0 and uit.exists()
    assert "verordening.docx: let op: dit document bevat geen opmerkingen" in r.stderr


def test_csv_formule_wordt_tekst(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    d = docx.Document(bron)
    opmerking(d, _alinea_van(d, "pip").runs, '=HYPERLINK("http://x";"klik")', "X", "2021-06-10T09:00:00")
    d.save(bron)
    uit = tmp_path / "nota.docx"
    assert _run("comments", bron, "-o", uit).returncode == 0
    regels = lees_csv(uit.with_suffix(".csv"))
    assert regels[0]["Opmerking"] == "'=HYPERLINK(\"http://x\";\"klik\")"
    assert tabelrijen(uit)[0][3] == '=HYPERLINK("http://x";"klik")'


# --------------------------------------------------------------------------- bad input


def _bom_zip(pad: Path) -> Path:
    with zipfile.ZipFile(pad, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (60 * 1024 * 1024) + b"/>")
    return pad


def _entiteiten(pad: Path, bron: Path) -> Path:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(bron) as zin, zipfile.ZipFile(pad, "w") as zuit:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = lol.encode() + data.split(b"?>", 1)[1]
            zuit.writestr(info, data)
    return pad


def _xxe(pad: Path, bron: Path) -> Path:
    with zipfile.ZipFile(bron) as zin, zipfile.ZipFile(pad, "w") as zuit:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data.split(b"?>", 1)[1]
            zuit.writestr(info, data)
    return pad


SLECHT = {
    "tekst": lambda p, bron: (p.write_text("dit is gewoon tekst"), p)[1],
    "pdf": lambda p, bron: (p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"), p)[1],
    "wachtwoord": lambda p, bron: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), p)[1],
    "kapot": lambda p, bron: (p.write_bytes(bron.read_bytes()[:2000]), p)[1],
    "leeg": lambda p, bron: (p.write_bytes(b""), p)[1],
    "zip_zonder_word": lambda p, bron: (zipfile.ZipFile(p, "w").writestr("a.txt", "x"), p)[1],
    "zipbom": lambda p, bron: _bom_zip(p),
    "entiteiten": _entiteiten,
    "xxe": _xxe,
    "ontbreekt": lambda p, bron: p,
}


@pytest.mark.parametrize("soort", sorted(SLECHT))
def test_slechte_invoer_exit_2(tmp_path, soort):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    goed, _ = twee_reviewers(bron, tmp_path)
    slecht = SLECHT[soort](tmp_path / f"slecht-{soort}.docx", goed)
    uit = tmp_path / "nota.docx"
    r = _run("comments", goed, slecht, "-o", uit)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    assert f"slecht-{soort}.docx" in r.stderr
    assert "geen reactienota geschreven" in r.stderr
    assert not uit.exists() and not uit.with_suffix(".csv").exists()


def test_zipbom_met_gelogen_grootte(tmp_path):
    """A part whose declared size is small (1 kB, passes every check on declared sizes) but whose
    data inflates to 100 MB: the reader stops at the declared size and refuses the file, without
    ever holding the inflated data in memory."""
    import struct
    import tracemalloc

    pad = tmp_path / "bom.docx"
    with zipfile.ZipFile(pad, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"))
        with z.open("word/document.xml", "w") as f:
            f.write(b"<a>")
            blok = b" " * (1024 * 1024)
            for _ in range(100):
                f.write(blok)
            f.write(b"</a>")
    data = bytearray(pad.read_bytes())
    naam = b"word/document.xml"
    gelogen = 0
    for handtekening, veld in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # local header, central directory
        i = data.find(handtekening)
        while i != -1:
            lengte_naam = struct.unpack_from("<H", data, i + (26 if veld == 22 else 28))[0]
            begin_naam = i + (30 if veld == 22 else 46)
            if bytes(data[begin_naam:begin_naam + lengte_naam]) == naam:
                struct.pack_into("<I", data, i + veld, 1000)
                gelogen += 1
            i = data.find(handtekening, i + 4)
    assert gelogen == 2
    pad.write_bytes(bytes(data))
    assert zipfile.ZipFile(pad).getinfo("word/document.xml").file_size == 1000

    tracemalloc.start()
    try:
        with pytest.raises(InputError) as e:
            lees_docx(pad)
        piek = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "bom.docx" in str(e.value)
    assert "zipbom" in str(e.value) or "beschadigd" in str(e.value)
    assert piek < 20 * 1024 * 1024, piek


def test_te_veel_bestanden(tmp_path, monkeypatch):
    monkeypatch.setattr(kc, "MAX_BESTANDEN", 2)
    meldingen = []
    with pytest.raises(kc.UsageError) as e:
        kc.comments_cli([tmp_path / f"{i}.docx" for i in range(3)], tmp_path / "n.docx", lambda *a, **k: meldingen.append(a))
    assert "2.docx" in str(e.value) and e.value.exit_code == 2


def test_uitvoer_moet_docx_zijn(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    r = _run("comments", bron, "-o", tmp_path / "nota.txt")
    assert r.returncode == 2 and "nota.txt" in r.stderr


def test_alle_berichten_bestaan():
    import yaml

    sleutels = yaml.safe_load((ROOT / "kit/data/berichten/comments.yaml").read_text(encoding="utf-8"))
    bron = (ROOT / "kit/comments.py").read_text() + (ROOT / "kit/docx_lezen.py").read_text()
    import re

    gebruikt = set(re.findall(r'bericht\("comments\.([a-z_]+)"', bron)) | set(re.findall(r'_fout\(\s*"([a-z_]+)"', bron))
    assert gebruikt <= set(sleutels), gebruikt - set(sleutels)


def test_zelfde_bladwijzernaam_als_het_model():
    from kit import model

    for id_ in ("pip", "maatschappelijke-begeleiding", "onderwijsroute-28-plus"):
        assert kc.bookmark_naam(id_) == model.bookmark_naam(id_)
        assert kc.id_uit_bookmark(model.bookmark_naam(id_)) == id_


def test_opmerking_op_titelpagina_en_op_kop(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    d = docx.Document(bron)
    opmerking(d, d.paragraphs[1].runs, "Welke versie is dit?", "A", "2021-06-10T09:00:00")
    kop = next(p for p in d.paragraphs if p.text.startswith("Artikel 2."))
    opmerking(d, kop.runs, "Titel te kort.", "B", "2021-06-10T10:00:00")
    d.save(bron)
    gelezen = kc.lees_opmerkingen(bron)
    titel, opkop = gelezen.opmerkingen
    assert titel.sectie is None and titel.citaat == "Versie 0.3, concept"
    assert opkop.sectie.id == "brede-intake" and opkop.citaat == "Artikel 2. Brede intake"
    uit = tmp_path / "nota.docx"
    assert _run("comments", bron, "-o", uit).returncode == 0
    regels = lees_csv(uit.with_suffix(".csv"))
    assert regels[0]["Artikel / paragraaf"] == "(vóór de eerste kop)"
    assert regels[1]["Sectie-id"] == "brede-intake"


def test_opmerking_over_twee_alineas_en_in_tabel(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    d = docx.Document(bron)
    a = _alinea_van(d, "pip")
    b = _alinea_van(d, "maatschappelijke-begeleiding")
    opmerking(d, [a.runs[0], b.runs[-1]], "Over twee artikelen.", "A", "2021-06-10T09:00:00")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).paragraphs[0].add_run("cel een")
    opmerking(d, t.cell(0, 0).paragraphs[0].runs, "In een tabel.", "A", "2021-06-10T09:30:00")
    d.save(bron)
    gelezen = kc.lees_opmerkingen(bron)
    twee, tabel = gelezen.opmerkingen
    assert twee.sectie.id == "pip"  # where the selection starts
    assert twee.citaat.startswith("Het college stelt") and twee.citaat.endswith("maatschappelijke begeleiding.")
    assert "Artikel 4. Maatschappelijke begeleiding" in twee.citaat
    assert tabel.sectie.id == "maatschappelijke-begeleiding" and tabel.citaat == "cel een"


# --------------------------------------------------------------------------- on a rendered document

def _gerenderd(tmp_path: Path) -> Path:
    import importlib.util

    if importlib.util.find_spec("kit.render") is None:
        pytest.skip("kit render bestaat nog niet")
    r = _run("render", ROOT / "choices" / "voorbeeld.yaml", "-o", tmp_path / "build", "--only", "verordening", "--no-pdf")
    assert r.returncode == 0, r.stderr
    (pad,) = (tmp_path / "build").glob("*/verordening.docx")
    return pad


def _kop_van(d, id_: str):
    naam = kc.bookmark_naam(id_)
    for p in d.paragraphs:
        if any(b.get(qn("w:name")) == naam for b in p._p.iter(qn("w:bookmarkStart"))):
            return p
    raise AssertionError(id_)


def _eerste_tekst_na(d, kop):
    alineas = d.paragraphs
    i = next(i for i, p in enumerate(alineas) if p._p is kop._p)
    return next(p for p in alineas[i + 1:] if p.runs and p.text.strip())


def test_gerenderde_verordening_twee_reviewers(tmp_path):
    bron = _gerenderd(tmp_path)
    a, b = twee_reviewers(bron, tmp_path, alinea=lambda d, id_: _eerste_tekst_na(d, _kop_van(d, id_)))
    uit = tmp_path / "reactienota.docx"
    r = _run("comments", a, b, "-o", uit)
    assert r.returncode == 0, r.stderr
    assert "niet door de kit gemaakt" not in r.stderr
    d = docx.Document(bron)
    kop_pip = _kop_van(d, "pip").text
    kop_mb = _kop_van(d, "maatschappelijke-begeleiding").text
    assert kop_pip.startswith("Artikel ")
    regels = lees_csv(uit.with_suffix(".csv"))
    assert [r["Sectie-id"] for r in regels] == ["pip", "maatschappelijke-begeleiding"]
    assert [r["Artikel / paragraaf"] for r in regels] == [kop_pip, kop_mb]
    assert regels[0]["Document"] == "verordening"
    assert regels[0]["Keuzes"] == "pip.termijn_weken, pip.vorm"   # fixed text: the section's keys
    assert regels[1]["Keuzes"].startswith("maatschappelijke_begeleiding.duur_maanden")
    assert regels[0]["Geciteerde tekst"] == " ".join(_eerste_tekst_na(d, _kop_van(d, "pip")).text.split())
    assert regels[0]["Antwoorden"].startswith("Jan de Boer (2021-06-11): Eens")
    assert regels[0]["Versie"] == "0.3"
    rijen = tabelrijen(uit)
    assert len(rijen) == 2 and rijen[0][1].startswith(kop_pip)


def test_beschadigde_bytes_geven_nooit_een_traceback(tmp_path):
    """Flip bytes anywhere in a reviewed copy: either it still reads, or an InputError."""
    import random

    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, _ = twee_reviewers(bron, tmp_path)
    data = bytearray(a.read_bytes())
    rnd = random.Random(6)
    for i in range(60):
        kapot = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            kapot[rnd.randrange(len(kapot))] = rnd.randrange(256)
        pad = tmp_path / f"kapot{i}.docx"
        pad.write_bytes(bytes(kapot))
        try:
            kc.lees_opmerkingen(pad)
        except InputError as e:
            assert pad.name in str(e)


def test_twee_versies_en_dubbel_opgegeven(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, _ = twee_reviewers(bron, tmp_path)
    d = docx.Document(bron)
    d.core_properties.version = "0.4"
    opmerking(d, _alinea_van(d, "brede-intake").runs, "Nieuw in 0.4.", "C", "2021-07-01T09:00:00")
    nieuw = tmp_path / "verordening 0.4.docx"
    d.save(nieuw)
    uit = tmp_path / "nota.docx"
    r = _run("comments", a, nieuw, a, "-o", uit)
    assert r.returncode == 0, r.stderr
    assert "twee keer opgegeven" in r.stderr
    regels = lees_csv(uit.with_suffix(".csv"))
    assert [(x["Sectie-id"], x["Versie"]) for x in regels] == [("brede-intake", "0.4"), ("pip", "0.3")]
    tekst = "\n".join(p.text for p in docx.Document(uit).paragraphs)
    assert "versie 0.3, 0.4" in tekst
    assert "In versie 0.4" in tabelrijen(uit)[0][1]


def test_vrije_tekst_blijft_letterlijk(tmp_path):
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    d = docx.Document(bron)
    runs = _alinea_van(d, "pip").runs
    lastig = "{{ 7*7 }} {% raise %} <b>&amp; 'x'; \"y\" 🙂 a|b\\n"
    ouder = opmerking(d, runs, lastig, "Ö. Şahin", "2021-06-10T09:00:00")
    kind = opmerking(d, runs, "antwoord {{ meta }}", "Ö. Şahin", "2021-06-10T10:00:00")
    draden(d, [(kind, ouder)])
    d.save(bron)
    uit = tmp_path / "nota.docx"
    r = _run("comments", bron, "-o", uit)
    assert r.returncode == 0, r.stderr
    regels = lees_csv(uit.with_suffix(".csv"))
    assert regels[0]["Opmerking"] == lastig
    assert regels[0]["Antwoorden"] == "Ö. Şahin (2021-06-10): antwoord {{ meta }}"
    cel = tabelrijen(uit)[0][3]
    assert cel.startswith(lastig) and "antwoord {{ meta }}" in cel


def test_liggende_voettekst_en_rijen_niet_gesplitst(tmp_path):
    """Landscape nota: the footer's right tab sits at the landscape margin (the huisstijl's
    portrait stop is cleared, otherwise "pagina x van y" lands mid-page), and no comment row is
    cut over two pages."""
    bron = maak_kitdocument(tmp_path / "verordening.docx")
    a, b = twee_reviewers(bron, tmp_path)
    uit = tmp_path / "nota.docx"
    assert _run("comments", a, b, "-o", uit).returncode == 0
    nota = docx.Document(uit)
    sectie = nota.sections[0]
    breedte = sectie.page_width - sectie.left_margin - sectie.right_margin
    voet = [p for p in sectie.footer.paragraphs if p._p.xpath(".//w:r/w:tab")]
    assert voet, "de huisstijl heeft een voettekst met een tab"
    for p in voet:
        eigen = {t.position: t.alignment for t in p.paragraph_format.tab_stops}
        geerfd, stijl = set(), p.style
        while stijl is not None:
            geerfd |= {t.position for t in stijl.paragraph_format.tab_stops}
            stijl = stijl.base_style
        # the first tab stop that is in force, left to right, is the one at the landscape margin
        in_kracht = sorted({*geerfd, *eigen} - {pos for pos, al in eigen.items() if al == docx.enum.text.WD_TAB_ALIGNMENT.CLEAR})
        assert in_kracht and abs(in_kracht[0] - breedte) < 600, (in_kracht, breedte)   # 600 EMU ≈ 0 cm
    for tabel in nota.tables:
        for rij in tabel.rows[1:]:
            assert rij._tr.trPr is not None and rij._tr.trPr.find(qn("w:cantSplit")) is not None
