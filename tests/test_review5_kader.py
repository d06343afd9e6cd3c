"""Review 5 (kaderstukken M05, M06, M08, K01–K06; instrumenten M2, K1–K6): the rendered .docx of
the three example gemeenten carry the fixed text (/work/review5/findings-kader.md and
findings-instrumenten.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from docx_tekst import ROOT, VOORBEELDEN, render_teksten

DRIE = tuple(VOORBEELDEN)
KADER = ("startnotitie", "beleidskader", "raadsinformatiebrief", "raadsvoorstel-beleidskader")
ALLE = KADER + ("verordening", "beleidsregels", "raadsvoorstel-verordening")


@pytest.fixture(scope="module")
def uit(tmp_path_factory):
    return tmp_path_factory.mktemp("review5_kader")


@pytest.fixture(scope="module")
def docs(uit):
    return render_teksten(uit, VOORBEELDEN)


def sectie(tekst: str, begin: str, eind: str) -> str:
    """The text between the first line that is ``begin`` and the next line that is ``eind``."""
    regels = tekst.splitlines()
    i = regels.index(begin)
    j = regels.index(eind, i + 1)
    return "\n".join(regels[i + 1:j])


def artikelen(beleidsregels: str) -> str:
    """The beleidsregels without their toelichting and annex."""
    return beleidsregels.split("\nToelichting\n")[0]


# ----------------------------------------------------------------------------------------- M05

@pytest.mark.parametrize("doc", KADER + ("raadsvoorstel-verordening",))
def test_m05_marktconsultatie_met_controleerbare_bron(docs, doc):
    """M05: no "startnotitie HBEL, § 3.3" (a document the raad does not have); who held the
    consultation and when, the full title of the source, its date and who adopted it (open points:
    the startnotitie gives neither) and where the raad can see it."""
    t = docs["huizen"][doc]
    assert "startnotitie HBEL, § 3.3" not in t
    assert re.search(r"Uit de marktconsultatie die de gemeenten in de regio Gooi en Vechtstreek op 8 oktober 2020 "
                     r"\[aanname \d+\] met aanbieders van inburgeringstrajecten hielden, blijkt dat het volume te laag", t)
    assert re.search(r"De uitkomst staat in de gezamenlijke startnotitie Wet inburgering 2022 van de gemeenten Huizen, "
                     r"Blaricum, Eemnes en Laren \(HBEL\) \(§ 3\.3, onder Inkoop leerroute\), van \[in te vullen \d+\], "
                     r"vastgesteld door \[in te vullen \d+\]; dat stuk ligt voor de raad ter inzage bij de griffie "
                     r"\[aanname \d+\]\. In het kort: aanbieders hebben volume nodig", t)


def test_m05_risicotabel_verwijst_naar_het_financieel_kader(docs):
    bk = docs["huizen"]["beleidskader"]
    rij = next(r for r in bk.splitlines() if r.startswith("Het volume is te laag"))
    assert re.search(r"zo bleek uit de marktconsultatie van 8 oktober 2020 \[aanname \d+\] \(zie hoofdstuk \d+\)", rij)


@pytest.mark.parametrize("g", ("heuvelrode", "lansingerland"))
def test_m05_zonder_marktconsultatie_geen_tekst(docs, g):
    for doc in ALLE:
        assert "marktconsultatie die" not in docs[g][doc] and "De uitkomst staat in" not in docs[g][doc]


# ------------------------------------------------------------------------------------------ M2

def test_m2_tekort_met_orde_van_grootte_en_dekking_als_open_punt(docs):
    """M2 (instrumenten): the known shortfall has a size (order of magnitude per € 1.000 above the
    norm, computed from the prognose: 20 adults) and its dekking is an open point; the raad is told
    that it adopts kaders above the law before the dekking is known."""
    rv = docs["huizen"]["raadsvoorstel-verordening"]
    fin = sectie(rv, "Financiën", "Advies van de adviesraad")
    kant = sectie(rv, "Kanttekeningen en risico's", "Financiën")
    assert "het tekort en de dekking volgen uit de aanbesteding" not in rv
    assert "het college legt de dekking via de begroting aan de raad voor" not in rv
    assert re.search(r"Welk bedrag per traject aanbieders verwachten, is nog niet bekend \[in te vullen \d+\]; daarom is "
                     r"het tekort nog niet precies te bepalen\. Als orde van grootte: elke € 1\.000 per traject boven "
                     r"het normbedrag van € 10\.000 kost de gemeente bij 20 volwassen asielstatushouders € 20\.000 per "
                     r"jaar\.", fin)
    assert re.search(r"Waaruit het tekort wordt gedekt als de raad voor aanvullende middelen kiest \(algemene middelen "
                     r"of een reserve\), is nog niet bepaald \[in te vullen \d+\]\.", fin)
    assert "Kaders boven de wet vóór de dekking." in kant
    assert "terwijl de dekking van het tekort op de leerroutes nog niet vaststaat" in kant


def test_m2_begroting_2022_en_tekort_spreken_elkaar_niet_tegen(docs):
    """M2: the tekort is not in the begroting 2022 adopted on the same date: after the award a
    begrotingswijziging follows, with the dekking."""
    rv = docs["huizen"]["raadsvoorstel-verordening"]
    vervolg = sectie(rv, "Uitvoering en vervolg", "Bijlagen") if "\nBijlagen\n" in rv else rv
    assert re.search(r"Het college verwerkt de financiële gevolgen in de ontwerpbegroting 2022, zo nodig met een nota "
                     r"van wijziging; de raad stelt de begroting 2022 naar verwachting op .*? vast\. Het tekort op de "
                     r"leerroutes is dan nog niet bekend, omdat het uit de aanbesteding volgt; dat deel staat nog niet "
                     r"in de begroting 2022\. Het college legt de raad daarvoor na de gunning een voorstel tot wijziging "
                     r"van de begroting 2022 voor, met de dekking\.", vervolg)
    # no volume problem, no such sentence
    assert "Het tekort op de leerroutes is dan nog niet bekend" not in docs["heuvelrode"]["raadsvoorstel-verordening"]


def test_m2_bekend_bedrag_per_traject_geeft_het_tekort(tmp_path):
    """With the market's cost per traject and a dekking in the choice file, the documents give the
    computed shortfall ((12.500 − 10.000) × 20 = € 50.000 per year) and no open point for either."""
    hbel = tmp_path / "hbel"
    shutil.copytree(ROOT / "choices" / "hbel", hbel)
    regio = hbel / "regio.yaml"
    tekst = regio.read_text(encoding="utf-8")
    tekst = re.sub(r"(?m)^    kosten_per_traject: null .*$", "    kosten_per_traject: 12500", tekst)
    tekst = re.sub(r"(?m)^    dekking: \"\" .*$", "    dekking: de algemene middelen", tekst)
    regio.write_text(tekst, encoding="utf-8")
    docs = render_teksten(tmp_path / "uit", {"huizen": hbel / "huizen.yaml"})
    rv = docs["huizen"]["raadsvoorstel-verordening"]
    assert ("Aanbieders verwachten € 12.500 per traject, € 2.500 boven het normbedrag van € 10.000. Bij 20 volwassen "
            "asielstatushouders per jaar is het verwachte tekort op de leerroutes € 50.000 per jaar.") in rv
    assert "Kiest de raad voor aanvullende middelen, dan wordt het tekort gedekt uit de algemene middelen." in rv
    assert "financien.marktconsultatie.kosten_per_traject" not in rv
    assert "financien.marktconsultatie.dekking" not in rv


# ----------------------------------------------------------------------------------------- M06

@pytest.mark.parametrize("g", ("huizen", "lansingerland"))
def test_m06_een_moment_voor_de_raming_ook_in_de_risicotabel(docs, g):
    """M06: § 7 and the risk table name the same moment: complete before the college offers the
    kader to the raad; adjusted after the award, if need be with a begrotingswijziging."""
    bk = docs[g]["beleidskader"]
    assert "vóór de vaststelling van de begroting" not in bk
    assert "zodra de inkoop en de uitwerking van het aanbod bekend zijn" not in bk
    rij = next(r for r in bk.splitlines() if "ontbreekt een eigen raming" in r)
    assert rij.endswith("| De raming per voorziening compleet maken voordat het college besluit het beleidskader aan "
                        "de raad aan te bieden, op basis van de normbedragen" + (" en de marktconsultatie" if g == "huizen" else "")
                        + "; na de gunning de raming bijstellen, zo nodig met een begrotingswijziging.")
    assert "vóór de raad over het beleidskader besluit" not in bk
    rv = docs[g]["raadsvoorstel-beleidskader"]
    assert "vóór de raad over dit voorstel besluit" not in rv


# ----------------------------------------------------------------------------------------- M08

def test_m08_lansingerland_map_uitbesteden_is_een_verwachting(docs):
    t = docs["lansingerland"]
    assert re.search(r"De module Arbeidsmarkt en Participatie \(MAP\) wordt naar verwachting uitbesteed aan een externe "
                     r"aanbieder \[aanname \d+\]\.", t["startnotitie"])
    assert "De module Arbeidsmarkt en Participatie (MAP) wordt uitbesteed aan een externe aanbieder." not in t["startnotitie"]
    assert re.search(r"De MAP wordt naar verwachting uitbesteed aan een externe aanbieder \[aanname \d+\] en heeft een "
                     r"praktijkdeel", t["raadsinformatiebrief"])
    assert re.search(r"alleen de leerroutes kopen wij regionaal in, naar verwachting via een aanbesteding \[aanname \d+\]\.",
                     t["raadsinformatiebrief"])
    rij = next(r for r in t["beleidskader"].splitlines() if r.startswith("Module Arbeidsmarkt en Participatie (MAP) | uitbesteden | "))
    assert re.fullmatch(r"Module Arbeidsmarkt en Participatie \(MAP\) \| uitbesteden \| overheidsopdracht na "
                        r"aanbesteding \[aanname \d+\]", rij)


def test_m08_huizen_map_en_begeleiding_met_markering(docs):
    t = docs["huizen"]
    for doc in ("startnotitie", "beleidskader", "raadsvoorstel-beleidskader"):
        assert "de brede intake, de MAP en het financieel ontzorgen doet de gemeente" not in t[doc]
        assert re.search(r"Naar verwachting voert zij ook de MAP \[aanname \d+\] zelf uit; dat staat nog niet vast\.", t[doc])
    assert re.search(r"De MAP wordt naar verwachting door de gemeente zelf uitgevoerd \[aanname \d+\]",
                     t["raadsinformatiebrief"])
    rij = next(r for r in t["beleidskader"].splitlines() if r.startswith("Maatschappelijke begeleiding | uitbesteden | "))
    assert re.fullmatch(r"Maatschappelijke begeleiding \| uitbesteden \| subsidie aan een maatschappelijke organisatie "
                        r"\[aanname \d+\]", rij)


def test_m08_heuvelrode_zonder_aanname_blijft_stellig(docs):
    """Heuvelrode chose its forms: no "naar verwachting"."""
    t = docs["heuvelrode"]["startnotitie"]
    assert "De module Arbeidsmarkt en Participatie (MAP) wordt uitbesteed aan een externe aanbieder." in t
    assert "naar verwachting uitbesteed" not in t


# ------------------------------------------------------------------------------------- K01–K06

@pytest.mark.parametrize("g", DRIE)
def test_k01_kanttekeningen_elk_een_eigen_opsommingsteken(uit, docs, g):
    alineas = [p.text for p in Document(str(uit / g / "raadsvoorstel-beleidskader.docx")).paragraphs]
    assert not any(re.search(r"\.- [A-Z]", a) for a in alineas)
    i = next(n for n, a in enumerate(alineas) if "kan sterk afwijken" in a)
    assert alineas[i].startswith("•\t") and alineas[i].endswith(".")
    assert alineas[i + 1].startswith(("•\tDe eigen raming ontbreekt", "•\tKwaliteit van het aanbod"))


@pytest.mark.parametrize("g", DRIE)
def test_k02_k03_spatie_en_geen_bezwaartermijn(docs, g):
    assert re.search(r"ruimte voor eigen keuzes\. Op 15 juni 2021( \[aanname \d+\])? \(gepland\) stelt ", docs[g]["raadsinformatiebrief"])  # review6 M01
    for doc in ALLE:
        assert "bezwaartermijn" not in docs[g][doc]


@pytest.mark.parametrize("g", DRIE)
def test_k05_geen_werkaantekeningen_in_de_bijlage(docs, g):
    for doc in ALLE:
        t = docs[g][doc]
        assert "standaard uit het model" not in t and "kit minima" not in t
        assert not re.search(r"\(review\d", t)


# ----------------------------------------------------------------------------- instrumenten K1–K6

@pytest.mark.parametrize("g", DRIE)
def test_k1_een_aanhef_voor_verordening_en_ontwerp_raadsbesluit(docs, g):
    def gelet_op(t: str) -> str:
        return next(r for r in t.splitlines() if r.startswith("gelet op de artikelen 147 en 149"))
    rv, vo = docs[g]["raadsvoorstel-verordening"], docs[g]["verordening"]
    assert gelet_op(rv) == gelet_op(vo)
    assert " en artikel 4:93" not in gelet_op(rv)


@pytest.mark.parametrize("g", DRIE)
def test_k2_geen_ongebruikt_begrip_leerbaarheidstoets(docs, g):
    vo = docs[g]["verordening"]
    assert "leerbaarheidstoets: toets als bedoeld in" not in vo
    assert "leerroute: leerroute als bedoeld in" in vo


def test_k3_wie_voert_welk_gesprek(docs):
    br = docs["huizen"]["beleidsregels"]
    assert "De contactpersoon voert de gesprekken van de brede intake, op het tweede gesprek na. De gesprekken worden " \
           "individueel gevoerd." in br
    assert "met uitzondering van het tweede gesprek" not in br
    assert "Het tweede gesprek voert de participatieconsulent." in br
    assert "De contactpersoon voert de gesprekken van de brede intake individueel." in docs["heuvelrode"]["beleidsregels"]


@pytest.mark.parametrize("g", DRIE)
def test_k5_k6_geen_organisatie_en_geen_herhaalde_norm_in_de_beleidsregels(docs, g):
    br = docs[g]["beleidsregels"]
    regels = artikelen(br)
    assert "In de organisatie van de gemeente is de contactpersoon" not in regels
    assert "Het college regelt dat in zijn organisatie en in zijn mandaat- en machtigingsbesluit; bij de invoering is " \
           "de contactpersoon de " in br.split("\nToelichting\n", 1)[1]
    assert "totdat zijn inburgeringsplicht is geëindigd" not in regels
    # the norm stays in the verordening
    assert "totdat zijn inburgeringsplicht is geëindigd of een ander college" in docs[g]["verordening"]


def test_k06_huizen_een_deskundige_bij_naam(docs):
    bk = docs["huizen"]["beleidskader"]
    assert "deze deskundigen" not in bk
    assert "Zo nodig betrekt de integratieconsulent daarbij de maatschappelijk begeleider." in bk
    assert re.search(r"betrekt daarbij zo nodig de maatschappelijk begeleider en de Wmo-consulent\.",
                     docs["lansingerland"]["beleidskader"])


def test_schema_en_documentatie_kennen_de_nieuwe_sleutels():
    tekst = (ROOT / "docs" / "keuzebestand.md").read_text(encoding="utf-8")
    for k in ("document", "document_datum", "vastgesteld_door", "ter_inzage", "georganiseerd_door", "datum",
              "uitkomst", "kosten_per_traject", "dekking"):
        assert f"`financien.marktconsultatie.{k}`" in tekst
    assert Path(ROOT / "kit" / "schema" / "financien.schema.json").read_text(encoding="utf-8").count("kosten_per_traject") == 1
