"""Review 6 (kaderstukken, financial findings E01–E03, M02, M03, M04, M10, M15): the rendered .docx
of the three example gemeenten carry the fixed text (/work/review6/findings-kader.md)."""

from __future__ import annotations

import re

import pytest

from docx_tekst import VOORBEELDEN, render_teksten

DRIE = tuple(VOORBEELDEN)
KADER = ("startnotitie", "beleidskader", "raadsinformatiebrief", "raadsvoorstel-beleidskader")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return render_teksten(tmp_path_factory.mktemp("review6_fin"), VOORBEELDEN)


def beslispunten(rv: str) -> str:
    """The proposed decision of a raadsvoorstel (from the heading to "Aanleiding")."""
    return rv.split("\nVoorgesteld besluit\n", 1)[1].split("\nAanleiding\n", 1)[0]


def ontwerpbesluit(rv: str) -> str:
    return rv.split("\nbesluit:\n", 1)[1].split("\nAldus besloten", 1)[0]


# ----------------------------------------------------------------------------------------- E01

@pytest.mark.parametrize("doc", KADER)
def test_e01_geen_keuze_tussen_twee_alternatieven(docs, doc):
    """E01: no beslispunt (or announcement of one) that lets the raad pick one of two alternatives."""
    t = docs["huizen"][doc]
    assert "de raad kiest één van beide" not in t
    assert "óf het aanbod soberder" not in t
    assert "De raad kiest daarom bij het besluit over het beleidskader tussen" not in t
    assert "de keuze voor tussen aanvullende middelen en een soberder aanbod" not in t


def test_e01_beslispunt_3_is_een_plafond(docs):
    """E01: beslispunt 3 is one proposal, a ceiling per traject set beforehand (open point while the
    college has not chosen), in the voorstel and in the ontwerpbesluit alike; the soberder variant is
    an amendment in the kanttekeningen, with the legal floor and the regional tender."""
    rv = docs["huizen"]["raadsvoorstel-beleidskader"]
    for deel in (beslispunten(rv), ontwerpbesluit(rv)):
        assert re.search(r"3\. voor de inkoop van de leerroutes een plafond per traject vast te stellen van "
                         r"\[in te vullen \d+\] en de dekking van het deel boven het normbedrag aan te wijzen "
                         r"\[in te vullen \d+\]; het college neemt dit plafond op in het bestek en gunt niet "
                         r"daarboven\.", deel), deel
    assert "Het alternatief is een soberder aanbod binnen het normbedrag; de raad kan beslispunt 3 daartoe amenderen." in rv
    assert "moet voldoen aan de wettelijke eisen aan de leerroutes" in rv
    assert ("het plafond kan pas in het bestek komen als ook de raden van Blaricum, Eemnes en Laren erover "
            "hebben besloten") in rv


# ----------------------------------------------------------------------------------------- E02

@pytest.mark.parametrize("g", ("huizen", "lansingerland"))
def test_e02_open_bedragen_geen_autorisatie(docs, g):
    """E02: with open amounts beslispunt 2 is a kennisname that authorises nothing, and the concept says
    it cannot be offered for decision yet; "nog te ramen" is no longer part of a beslispunt."""
    rv = docs[g]["raadsvoorstel-beleidskader"]
    for deel in (beslispunten(rv), ontwerpbesluit(rv)):
        assert "nog te ramen" not in deel
        assert "het college op te dragen de financiële gevolgen" not in deel
        assert ("2. kennis te nemen van het financieel kader in het beleidskader; de raad autoriseert hiermee "
                "nog geen lasten, omdat de raming nog niet compleet is;") in deel
        assert "ter autorisatie voor" in deel and "voordat het een opdracht definitief gunt" in deel
    b = beslispunten(rv)
    assert b.startswith("Nog niet ter besluitvorming. Hiervoor ontbreken nog de eigen raming ")
    assert re.search(r"de raming van de uitvoeringskosten \[in te vullen \d+\]", b)
    if g == "huizen":   # E01: the college's one proposal for the leerroutes is itself an open point
        assert re.search(r"het voorstel van het college voor de leerroutes \(het plafond per traject\) "
                         r"\[in te vullen \d+\]\.", b), b


def test_e02_lansingerland_noemt_ontbrekende_integratie_uitkering(docs):
    b = beslispunten(docs["lansingerland"]["raadsvoorstel-beleidskader"])
    assert re.search(r"het bedrag van de integratie-uitkering uit de circulaire gemeentefonds \[in te vullen \d+\]", b)


def test_e02_volledige_raming_blijft_een_autorisatie(docs):
    """E02: with filled-in amounts (Heuvelrode) beslispunt 2 still authorises them, without the notice."""
    rv = docs["heuvelrode"]["raadsvoorstel-beleidskader"]
    b = beslispunten(rv)
    assert "Nog niet ter besluitvorming" not in b
    assert re.search(r"2\. het college op te dragen de financiële gevolgen van het beleidskader \(lasten "
                     r"inburgeringsvoorzieningen € 260\.448 \[aanname \d+\];", b)


# ----------------------------------------------------------------------------------------- E03

@pytest.mark.parametrize("g", DRIE)
@pytest.mark.parametrize("doc", KADER)
def test_e03_geen_begrotingswijziging_na_de_gunning(docs, g, doc):
    """E03: no budget asked after the award; award above the raad's budget only under the suspensive
    condition of a begrotingswijziging that the raad adopts before the definitive award."""
    t = docs[g][doc]
    assert "na de gunning een voorstel tot wijziging" not in t
    assert "Na de gunning stelt het college de raming bij" not in t
    assert "Na de gunning stellen wij de raming bij" not in t
    assert "na de gunning de raming bijstellen" not in t
    assert "bepalen of de gemeente aanvullende middelen wil inzetten" not in t


@pytest.mark.parametrize("g", ("huizen", "lansingerland"))
def test_e03_opschortende_voorwaarde(docs, g):
    d = docs[g]
    zin = ("Valt een inschrijving hoger uit dan het budget dat de raad heeft vastgesteld, dan gunt het college "
           "alleen onder de opschortende voorwaarde dat de raad de begroting wijzigt, en legt het die wijziging "
           "vóór de definitieve gunning aan de raad voor.")
    for doc in ("startnotitie", "beleidskader", "raadsvoorstel-beleidskader"):
        assert zin in d[doc], doc
    assert d["raadsinformatiebrief"].count(
        "dan gunnen wij alleen onder de opschortende voorwaarde dat u de begroting wijzigt, en leggen wij u "
        "die wijziging vóór de definitieve gunning voor.") == 1


def test_e03_huizen_vervolg_plafond(docs):
    rv = docs["huizen"]["raadsvoorstel-beleidskader"]
    assert ("Het college gunt de leerroutes niet boven het plafond dat de raad vaststelt; valt een inschrijving "
            "hoger uit, dan gunt het alleen onder de opschortende voorwaarde dat de raad de begroting 2022 wijzigt, "
            "en legt het die wijziging met de dekking vóór de definitieve gunning aan de raad voor.") in rv


# ----------------------------------------------------------------------------------------- M02

@pytest.mark.parametrize("doc", ("startnotitie", "beleidskader"))
def test_m02_heuvelrode_aannames_gemarkeerd(docs, doc):
    t = docs["heuvelrode"][doc]
    assert "Het verschil is € 3.500." not in t
    assert re.search(r"De gemeente raamt haar uitvoeringskosten voor 2022 op € 95\.000 \[aanname \d+\]; dat is een "
                     r"eerste schatting", t)
    assert re.search(r"Klopt die schatting, dan is het verschil in dat jaar € 3\.500 \[aanname \d+\]\.", t)
    assert re.search(r"en 8 \[aanname \d+\] gezins- en overige migranten\) is dat 28 ÷ 40 = 0,7 \[aanname \d+\] fte", t)
    # tables: the gezin column and the totals carry the marker of the assumed number
    assert re.search(r"^Module Arbeidsmarkt en Participatie \(MAP\) \| 20 × € 150 = € 3\.000 \| "
                     r"8 × € 215 = € 1\.720 \[aanname \d+\] \| € 4\.720 \[aanname \d+\]$", t, re.M)
    assert re.search(r"^Totaal \| 20 × € 13\.154 \| 8 × € 681 \[aanname \d+\] \| € 268\.528 \[aanname \d+\]$", t, re.M)
    assert re.search(r"^Totaal voorzieningen \| € 268\.528 \[aanname \d+\] \| € 260\.448 \[aanname \d+\] \| "
                     r"€ 8\.080 \[aanname \d+\]$", t, re.M)


def test_m02_heuvelrode_risicotabel_prognose_gemarkeerd(docs):
    assert re.search(r"De instroom wijkt af van de prognose van 28 \[aanname \d+\] inburgeraars per jaar",
                     docs["heuvelrode"]["beleidskader"])


def test_m02_lansingerland_uitvoeringskosten_formule_gemarkeerd(docs):
    t = docs["lansingerland"]["startnotitie"]
    assert re.search(r"^Totaal \| 27 × € 13\.154 \[aanname \d+\] \| nog niet geraamd \| € 355\.158 \[aanname \d+\]$", t, re.M)
    assert re.search(r"is dat 27 ÷ 40 = 0,7 \[aanname \d+\] fte", t)


# ----------------------------------------------------------------------------------------- M15

@pytest.mark.parametrize("g", ("huizen", "lansingerland"))
@pytest.mark.parametrize("doc", ("startnotitie", "beleidskader"))
def test_m15_gezinsmigranten_nergens_nul(docs, g, doc):
    """M15: a gezinsmigranten count of 0 is "nog niet geraamd" in every table, never "0"."""
    t = docs[g][doc]
    rij = [r for r in t.splitlines() if r.startswith("Gezins- en overige migranten per jaar |")]
    assert rij, "rij gezinsmigranten ontbreekt"
    assert re.fullmatch(r"Gezins- en overige migranten per jaar \| nog niet geraamd \[aanname \d+\] \| nog niet geraamd",
                        rij[0]), rij[0]
    # no table cell "0" outside the annex of open points (which shows the key's value in the choice file)
    cijfers = "\n".join(r for r in t.splitlines() if not r.startswith("financien."))
    assert not re.search(r"\| 0( \[aanname \d+\])? \|", cijfers)


def test_m15_k08_prognose_zonder_marker_van_gezinsmigranten(docs):
    """K08 (with M15): the 20 adults of Huizen do not carry the marker of the (uncounted) gezinsmigranten."""
    rv = docs["huizen"]["raadsvoorstel-beleidskader"]
    assert "De prognose van 20 inburgeraars per jaar (alleen asielstatushouders)" in rv
    assert not re.search(r"€ 263\.080 \[aanname \d+\]", rv)


# ----------------------------------------------------------------------------------------- M03

def test_m03_meerjarige_formatie(docs):
    """M03: the formatie stacks up over the inburgeringstermijn; a multi-year table next to the
    integratie-uitkering, a risk row, and the RV says the one-year raming does not cover later years."""
    bk = docs["heuvelrode"]["beleidskader"]
    assert "Jaar | Jaargangen in begeleiding | Formatie regie (fte) | Integratie-uitkering | Eigen raming uitvoeringskosten" in bk.replace("\u00ad", "")
    assert re.search(r"^2022 \| 1 \| 0,7 \[aanname \d+\] \| € 98\.500 \| € 95\.000 \[aanname \d+\]$", bk, re.M)
    assert re.search(r"^2024 \| 3 \| 2,1 \[aanname \d+\] \| € 108\.400 \| nog te ramen$", bk, re.M)
    assert "stapelt de formatie de eerste jaren op; hoeveel precies" not in bk
    assert re.search(r"De formatie voor de regie loopt op van 0,7 \[aanname \d+\] fte in 2022 tot 2,1 \[aanname \d+\] "
                     r"fte in 2024", bk)
    rv = docs["heuvelrode"]["raadsvoorstel-beleidskader"]
    assert re.search(r"loopt de formatie op tot ongeveer 2,1 \[aanname \d+\] fte in 2024, bij een integratie-uitkering "
                     r"van € 108\.400 in dat jaar\. De eigen raming van de uitvoeringskosten geldt alleen voor 2022", rv)


# ----------------------------------------------------------------------------------------- M04

def test_m04_invoeringsmiddelen_en_voorbereiding(docs):
    """M04: no conditional future about the resultaatbestemming 2020 in the RV (the reserve's state is
    filled in before the RV is offered); the integratie-uitkering 2021 is named; the SN refers to the
    voorjaarsnota for the voorbereidingskosten."""
    d = docs["heuvelrode"]
    rv = d["raadsvoorstel-beleidskader"]
    assert "als de raad het niet bestede deel bij de bestemming" not in rv
    assert re.search(r"dit voorstel gaat ervan uit dat de raad het niet bestede deel bij de bestemming van het "
                     r"rekeningresultaat 2020 in een reserve voor de invoering heeft gestort en dat daarvan "
                     r"€ 41\.200 \[aanname \d+\] voor de voorbereiding beschikbaar is", rv)
    assert "In 2021 ontvangt de gemeente € 30.900 via de integratie-uitkering" in rv
    sn = d["startnotitie"]
    assert "Stort de raad bij de bestemming" not in sn
    assert "In 2021, het jaar vóór de start, ontvangt de gemeente daarnaast € 30.900 via de integratie-uitkering" in sn
    assert "Het college raamt de voorbereidingskosten en legt ze de raad voor bij de voorjaarsnota (8 juli 2021)." in sn
    assert not re.search(r"\[aanname \d+\] \[aanname \d+\]", sn + rv)


# ----------------------------------------------------------------------------------------- M10

@pytest.mark.parametrize("g", DRIE)
def test_m10_aanvullend_aanbod_in_het_financieel_kader(docs, g):
    for doc in ("startnotitie", "beleidskader"):
        assert ("Aanvullend aanbod. De raming en het budget hierboven gaan over de wettelijke "
                "inburgeringsvoorzieningen. Het aanvullende aanbod dat de gemeente daarnaast wil bieden, staat "
                "daarin niet als eigen post: de kosten en de dekking per onderdeel zijn nog niet geraamd.") in docs[g][doc]
