"""Review 6 (griffier, /work/review6/findings-kader.md), the procurement and planning findings:
M05 (publication with a reservation after the college proposal; the overbrugging spelled out), M06
(procurement per part: regional aanbesteding of the leerroutes, local purchase of MAP/PVT), M14 (the
procurement's own row and Gantt bar, not a phase of one day), M13 (advice steps named in the phase they
fall in; the amended text goes to the adviesraad), M01 (a concept reports a later college decision as
planned), M08 (Lansingerland: the MB contract from the earlier aanbesteding), K17. The rendered .docx of
the three example gemeenten are read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from docx_tekst import ROOT, VOORBEELDEN, kit, render_teksten

DRIE = tuple(VOORBEELDEN)
KADERSTUKKEN = ("startnotitie", "beleidskader")


@pytest.fixture(scope="module")
def uit(tmp_path_factory):
    return tmp_path_factory.mktemp("review6_inkoop")


@pytest.fixture(scope="module")
def docs(uit):
    return render_teksten(uit, VOORBEELDEN)


def zonder_markering(t: str) -> str:
    return re.sub(r" \[(aanname|in te vullen) \d+\]", "", t)


def rij(tekst: str, begin: str) -> str:
    return zonder_markering(next(r for r in tekst.splitlines() if r.startswith(begin)))


def alinea(tekst: str, begin: str) -> str:
    return next(r for r in tekst.splitlines() if r.startswith(begin))


# ----------------------------------------------------------------------------------------- M05


@pytest.mark.parametrize("g", ("heuvelrode", "lansingerland"))
def test_m05_publicatie_met_voorbehoud_na_het_collegevoorstel(docs, g):
    """Contracting is the college's power: the aanbesteding is published after the college proposal,
    subject to the raad decision and the budget, and awarded only after the raad decision; the contracts
    start with the law, so no overbrugging of a leerroute. The choice is an assumption: it is marked."""
    for doc in KADERSTUKKEN:
        t = docs[g][doc]
        a = alinea(t, "De aanbesteding van de leerroutes is een eigen spoor")
        assert re.search(r"De aanbesteding wordt gepubliceerd na het collegevoorstel over het beleidskader "
                         r"\(31 augustus 2021( \[aanname \d+\])?\) \[aanname \d+\], onder voorbehoud van het "
                         r"raadsbesluit over het beleidskader en van het budget\.", a), a
        assert "Het college gunt pas na dat raadsbesluit, onder de opschortende voorwaarde dat de begroting" in a
        assert re.search(r"De contracten gaan in op 1 januari 2022 \[aanname \d+\]", a)
        assert "Het sluiten van contracten is een bevoegdheid van het college" in a
        assert "overbrugging" not in t and "1 april 2022" not in t
    kant = alinea(docs[g]["raadsvoorstel-beleidskader"], "•\tDe inkoop moet op tijd rond zijn.")
    assert re.search(r"publiceert het college de aanbesteding al vóór uw besluit, onder voorbehoud van dit besluit "
                     r"en van het budget \[aanname \d+\]; het gunt pas daarna, onder de opschortende voorwaarde", kant)
    assert "overbrugging" not in docs[g]["raadsvoorstel-beleidskader"]


def test_m05_overbrugging_noemt_de_duur_van_een_leerroute(docs):
    """Huizen keeps the regional track after the raad decision (the HBEL raden decide): the text says
    what an overbrugging of a leerroute means (whole trajectories, their value, no splitting)."""
    for doc in KADERSTUKKEN:
        a = zonder_markering(alinea(docs["huizen"][doc], "De aanbesteding van de leerroutes is een eigen spoor"))
        assert ("Een leerroute duurt een tot drie jaar: wie in de overbruggingsperiode begint, volgt zijn hele "
                "traject bij de aanbieder van de overbrugging.") in a
        assert "De waarde van een tijdelijke opdracht is daarom die van de volledige trajecten" in a
        assert "Aanbestedingswet 2012 (geen opsplitsing van een opdracht)" in a
    kant = zonder_markering(alinea(docs["huizen"]["raadsvoorstel-beleidskader"], "•\tDe inkoop moet op tijd rond zijn."))
    assert "de waarde van die tijdelijke opdracht is die van de volledige trajecten" in kant


# ----------------------------------------------------------------------------------------- M06


@pytest.mark.parametrize("g, lokaal, procedure", [
    ("heuvelrode", "De MAP", "met een enkelvoudig onderhandse opdracht"),
    ("huizen", "Het PVT", "met een enkelvoudig onderhandse opdracht"),
    ("lansingerland", "De MAP", "de procedure volgt uit de geraamde opdrachtwaarde over de hele looptijd"),
])
def test_m06_inkoop_per_onderdeel(docs, g, lokaal, procedure):
    """Only the leerroutes go through the (regional) aanbesteding; the small parts are bought locally
    with their own procedure and contract date; nothing lumps them together any more."""
    for doc in (*KADERSTUKKEN, "raadsvoorstel-beleidskader"):
        t = zonder_markering(docs[g][doc])
        zin = next(r for r in t.splitlines() if f"{lokaal} koopt de gemeente zelf in" in r)
        assert f"{lokaal} koopt de gemeente zelf in, los van de aanbesteding van de leerroutes" in zin
        assert procedure in zin and "het contract gaat in op 1 januari 2022" in zin
        inkoopzinnen = [r for r in t.splitlines() if re.search(r"inkoop|aanbesteding|koopt", r, re.I)]
        for samen in ("de leerroutes en de MAP", "de leerroutes en het PVT", "de leerroutes, de MAP"):
            for r in inkoopzinnen:
                assert not re.search(re.escape(samen) + r"\b", r) or "raming" in r, (doc, samen, r)
    for doc in KADERSTUKKEN:
        assert "inkoop van de leerroutes: inkoopstrategie; " in rij(docs[g][doc], "2. Beleidskader |")
        assert rij(docs[g][doc], "Inkoop van de leerroutes |")


def test_m06_heuvelrode_rib_en_startnotitie_zeggen_hetzelfde(docs):
    rib, sn = docs["heuvelrode"]["raadsinformatiebrief"], zonder_markering(docs["heuvelrode"]["startnotitie"])
    assert "alleen de leerroutes kopen wij regionaal in" in rib
    assert "De MAP koopt de gemeente zelf in, los van de aanbesteding van de leerroutes" in sn
    assert "De aanbesteding van de leerroutes is een eigen spoor" in sn


def test_m06_procedure_buiten_de_lijst_is_een_fout(tmp_path):
    bron = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    oud = "      procedure: enkelvoudig_onderhands"
    assert oud in bron
    pad = tmp_path / "gemeente.yaml"
    pad.write_text(bron.replace(oud, "      procedure: onderhands", 1), encoding="utf-8")
    r = kit("validate", str(pad))
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    uitvoer = r.stdout + r.stderr
    regel = next(i for i, l in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("      procedure:"))
    assert f"{pad}:{regel}:" in uitvoer and "planning.inkoop.lokaal.procedure" in uitvoer
    assert "enkelvoudig_onderhands" in uitvoer


# ----------------------------------------------------------------------------------------- M14


@pytest.mark.parametrize("g, periode", [
    ("heuvelrode", "31 augustus 2021 t/m 31 december 2021"),
    ("huizen", "1 oktober 2021 t/m 31 maart 2022"),
    ("lansingerland", "31 augustus 2021 t/m 31 december 2021"),
])
def test_m14_inkoop_heeft_een_eigen_rij(docs, g, periode):
    """Award, Alcatel period and contracting stand in the procurement's own row, which runs until the
    contracts start; the one-day phase 7 holds none of it."""
    for doc in KADERSTUKKEN:
        t = docs[g][doc]
        inkoop = rij(t, "Inkoop van de leerroutes |")
        assert inkoop.startswith(f"Inkoop van de leerroutes | {periode} | publicatie na het ")
        assert "opschortingstermijn (Alcatel-termijn); contractering; de contracten gaan in op" in inkoop
        fase7 = rij(t, "7. Start Wet inburgering |")
        for stap in ("gunning", "Alcatel", "contractering", "beoordeling"):
            assert stap not in fase7
        assert "de laatste rij van de tabel toont die tot de contracten ingaan" in t


@pytest.mark.parametrize("g, eind", [("heuvelrode", "1 januari 2022"), ("huizen", "1 april 2022")])
def test_m14_gantt_toont_de_inkoop(docs, uit, g, eind):
    """The Gantt chart has an eighth bar for the procurement, running until the contracts start."""
    pad = next((uit / g).glob("*tartnotitie*.docx"))
    with zipfile.ZipFile(pad) as z:
        grafieken = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/charts/") and n.endswith(".xml")]
    tijdpad = [x for x in grafieken if "Start Wet inburgering" in x]
    assert tijdpad, "geen Gantt-diagram"
    assert "Inkoop (tot de contracten ingaan)" in tijdpad[0]
    assert re.search(r'<c:ptCount val="8"/>', tijdpad[0])
    assert f"De balk van de inkoop loopt" in docs[g]["startnotitie"] and eind in alinea(docs[g]["startnotitie"], "Voor ieder besluit")


# ----------------------------------------------------------------------------------------- M13


@pytest.mark.parametrize("g", DRIE)
def test_m13_adviesstappen_noemen_hun_fase(docs, g):
    for doc in KADERSTUKKEN:
        t = docs[g][doc]
        f3, f4 = rij(t, "3. Verordening |"), rij(t, "4. Beleidsregels |")
        assert "ontwerp naar de adviesraad 13 september 2021 (in fase 2)" in f3
        assert "adviesraad (vóór het raadsbesluit over het beleidskader) 27 september 2021 (in fase 2)" in f3
        assert "college (raadsvoorstel) 12 oktober 2021;" in f3            # within its phase: no remark
        assert "1 november 2021 (in fase 3)" in f4
        assert "Voor ieder besluit staat binnen de fase een vergadering" not in t
        assert "de toezending en het advies kunnen in een eerdere fase vallen" in t
        assert ("na dat besluit stuurt het college hem ter kennisname de tekst zoals de raad die heeft vastgesteld"
                in t)


# ----------------------------------------------------------------------------------------- M01


@pytest.mark.parametrize("g", DRIE)
def test_m01_concept_meldt_een_later_collegebesluit_als_gepland(docs, g):
    rib = zonder_markering(docs[g]["raadsinformatiebrief"])
    assert "heeft ons college de startnotitie vastgesteld" not in rib
    assert "Op 15 juni 2021 (gepland) stelt ons college de startnotitie vast, waarin wij de eerste keuzes maken" in rib
    assert "Bijlage: Startnotitie Wet inburgering 2021, vast te stellen door het college op 15 juni 2021 (gepland)" in rib
    assert "het ontwerp gaat uit van" not in rib and "wij denken aan € 150 bij een lichte overtreding" in rib
    rv = zonder_markering(docs[g]["raadsvoorstel-beleidskader"])
    assert "collegebesluit van 15 juni 2021" not in rv
    assert "Aan dit voorstel gaan de startnotitie (collegebesluit gepland op 15 juni 2021) en de" in rv


def test_m01_na_het_collegebesluit_voltooid(tmp_path):
    """A concept dated after the college decision reports it as taken (review4 M4 stays valid)."""
    bron = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    assert "  datum: 2021-06-01\n" in bron
    pad = tmp_path / "later.yaml"
    pad.write_text(bron.replace("  datum: 2021-06-01\n", "  datum: 2021-06-18\n", 1), encoding="utf-8")
    rib = render_teksten(tmp_path / "uit", {"heuvelrode": pad}, alleen="raadsinformatiebrief")["heuvelrode"]
    t = rib["raadsinformatiebrief"]
    assert "Op 15 juni 2021 heeft ons college de startnotitie vastgesteld" in t and "(gepland) stelt" not in t
    assert "vastgesteld door het college op 15 juni 2021" in t


# ----------------------------------------------------------------------------------------- M08


def test_m08_lansingerland_mb_heeft_een_lopend_contract(docs):
    """Seed 004 (footnote 1): the MB aanbesteding from 2020; the choice file assumes a contract runs.
    It is marked as an assumption and the MB leaves the procurement track."""
    sn = docs["lansingerland"]["startnotitie"]
    assert re.search(r"Voor de maatschappelijke begeleiding van asielstatushouders loopt al een contract uit een "
                     r"eerdere aanbesteding \[aanname \d+\]; de opdrachtnemer, de looptijd en de verlengingsopties", sn)
    assert "is nog niet gekozen" not in sn and "aanbieder nog te kiezen" not in sn
    tabel = alinea(sn, "Maatschappelijke begeleiding | Een goede start")
    assert re.search(r"\| aanbieden; contract uit een eerdere aanbesteding \[aanname \d+\]$", tabel), tabel
    for doc in (*KADERSTUKKEN, "raadsvoorstel-beleidskader"):
        t = docs["lansingerland"][doc]
        assert re.search(r"Voor de maatschappelijke begeleiding loopt al een contract uit een eerdere aanbesteding "
                         r"\[aanname \d+\]; dat onderdeel valt buiten dit inkoopspoor", t), doc
        assert "koopt de leerroutes, de MAP en de maatschappelijke begeleiding in" not in t


# ----------------------------------------------------------------------------------------- K17


@pytest.mark.parametrize("g", DRIE)
def test_k17_bespreking_in_de_adviesraad(docs, g):
    rv = docs[g]["raadsvoorstel-beleidskader"]
    assert "Advies adviesraad |" not in rv
    assert re.search(r"^Bespreking in de adviesraad \| 23 augustus 2021", rv, re.M)
