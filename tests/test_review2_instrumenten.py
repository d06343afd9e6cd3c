"""Review 2 (griffier + gemeentejurist, /work/review2/findings.md), the findings about the legal
instruments: each test opens the rendered .docx of the three example gemeenten and reads the fixed
text; each one fails on the text the review quoted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from docx_tekst import VOORBEELDEN, kit, render_teksten, tekst, plat

ROOT = Path(__file__).resolve().parent.parent
BESTANDEN = VOORBEELDEN
GEMEENTEN = list(BESTANDEN)


_kit = kit


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict:
    return render_teksten(tmp_path_factory.mktemp("review2"), BESTANDEN)



def zonder_markering(s: str) -> str:
    return re.sub(r" \[(aanname|in te vullen) \d+\]", "", s)


def artikel(t: str, titel: str) -> str:
    """The text of the article with this title (up to the next article or chapter heading)."""
    m = re.search(r"\nArtikel \d+\. " + re.escape(titel) + r"\n", t)
    assert m, titel
    rest = t[m.end():]
    eind = re.search(r"\n(Artikel \d+\. |\d+\. [A-Z]|Hoofdstuk \d+\.|Aldus vastgesteld)", rest)
    return rest[: eind.start()] if eind else rest


# ------------------------------------------------------------------------------------ verordening

@pytest.mark.parametrize("g", GEMEENTEN)
def test_m4_geen_contactfrequentie_en_geen_mandaat_in_de_verordening(docs, g):
    vo = plat(artikel(docs[g]["verordening"], "Contactpersoon en voortgang"))
    assert "draagt hem op namens het college" not in vo                      # mandaat: college, Awb 10:3
    assert "voortgangsgesprekken met de inburgeringsplichtige" not in vo and "ten minste" not in vo
    assert "Het college wijst voor iedere inburgeringsplichtige een vaste contactpersoon aan." in vo
    assert "biedt hem daarvoor regelmatig een voortgangsgesprek aan" in vo
    toel = plat(docs[g]["verordening"].split("Artikelsgewijze toelichting")[1])
    assert "mandaat- en machtigingsbesluit (titel 10.1 van de Algemene wet bestuursrecht)" in toel   # review3 K4
    # the number is the college's aim, in the beleidsregels
    br = plat(zonder_markering(docs[g]["beleidsregels"]))
    data = yaml.safe_load(Path(BESTANDEN[g]).read_text(encoding="utf-8"))
    assert re.search(r"Het college streeft ernaar de inburgeringsplichtige in de eerste twaalf maanden na de "
                     r"vaststelling van het PIP ten minste \d+ voortgangsgesprekken aan te bieden", br), g
    assert "Naast de voortgangsgesprekken die de verordening voorschrijft" not in br
    del data


@pytest.mark.parametrize("g", GEMEENTEN)
def test_k5_begrippen_verwijzen_naar_het_wetsartikel_in_een_vorm(docs, g):
    vo = docs[g]["verordening"]
    assert "inburgeringsplichtige: inburgeringsplichtige als bedoeld in artikel 3 van de wet;" in vo
    assert "maatschappelijke begeleiding: maatschappelijke begeleiding als bedoeld in artikel 13 van de wet;" in vo
    assert "persoon die op grond van de wet inburgeringsplichtig is" not in vo
    assert "de begeleiding van asielstatushouders bij het regelen van praktische zaken" not in vo
    # one form: no article before the definition ("college: college van …", "besluit: Besluit …")
    begrippen = vo.split("In deze verordening wordt verstaan onder:")[1].split("Begrippen die in deze")[0]
    regels = [r for r in begrippen.strip().splitlines() if ": " in r]
    assert len(regels) >= 15, regels
    for regel in regels:
        omschrijving = regel.split(": ", 1)[1]
        assert not re.match(r"(de|het) ", omschrijving), regel
    # the articles of confidence B say so honestly in the toelichting
    assert "is nog niet in de wettekst nagegaan" in vo.split("Artikelsgewijze toelichting")[1]


@pytest.mark.parametrize("g", GEMEENTEN)
def test_k11_dictum_en_k2_k22_aanhef(docs, g):
    vo = docs[g]["verordening"]
    aanhef = plat(vo.split("Hoofdstuk 1.")[0])
    assert "besluit: vast te stellen de Verordening inburgering" in aanhef
    assert "volgende verordening" not in aanhef
    assert re.search(r"van \[in te vullen \d+\];", aanhef)       # review3 M2: numbered open point
    br = plat(docs[g]["beleidsregels"].split("1. Algemene bepalingen")[0])
    assert "besluit: vast te stellen de Beleidsregels inburgering" in br and "volgende beleidsregels" not in br


@pytest.mark.parametrize("g", GEMEENTEN)
def test_m10_k13_toelichting_eerlijk_over_de_bronnen(docs, g):
    vo = plat(docs[g]["verordening"])
    assert "De keuzes in deze verordening zijn getoetst aan" not in vo
    assert 'Staat bij een bron "te verifiëren", dan is dat artikel nog niet in de wettekst nagegaan' in vo
    assert "als het PVT (Wet inburgering 2021; artikel te verifiëren) en" not in vo
    assert ("ten hoogste € 340 per onderdeel als het PVT of de MAP niet binnen die termijn is afgerond "
            "(Wet inburgering 2021; artikelen nog te verifiëren).") in vo


def test_m9_huizen_geen_wettelijke_stof_of_voorlichting_als_intakeonderwerp(docs):
    art = plat(artikel(docs["huizen"]["verordening"], "Brede intake"))
    assert "taalniveau" not in art and "rechten en plichten" not in art
    assert "mentale gezondheid" not in art   # review6 E1: health is not an extra topic


# ----------------------------------------------------------------------------------- beleidsregels

@pytest.mark.parametrize("g", GEMEENTEN)
def test_m5_b2_k6_boeteschaal_en_matiging(docs, g):
    br = zonder_markering(docs[g]["beleidsregels"])
    data = yaml.safe_load(Path(BESTANDEN[g]).read_text(encoding="utf-8"))
    boete = plat(artikel(br, "Boete bij het niet nakomen van het PIP"))
    assert "artikel 5:46, tweede lid, van de Algemene wet bestuursrecht" in boete
    assert "bij een lichte overtreding: de inburgeringsplichtige verschijnt eenmalig niet bij een voortgangsgesprek" in boete
    assert "bij een andere overtreding, zoals verzuim van meer dan één les of bijeenkomst, of langdurig verzuim" in boete  # review3 K6
    assert "Bij een eerste overtreding bedraagt de boete € 400." not in boete         # the flat amount of the review
    bedragen = [int(b.replace(".", "")) for b in re.findall(r"€ ([\d.]+)", boete)]
    assert bedragen[0] < bedragen[1] and max(bedragen) <= 800, bedragen          # climbs, within the maximum
    matiging = plat(artikel(br, "Matiging"))
    assert re.search(r"stelt het college de boete in de regel vast op \d+ procent van het bedrag", matiging)
    assert "dan stelt het college de boete lager vast" in matiging
    # review3 M8: 5:46 lid 3 Awb as the duty it is (supersedes review2 K6)
    assert "als het van oordeel is" not in matiging and "aannemelijk maakt" in matiging
    assert "ambtshalve" in matiging
    del data


def test_m5_zonder_lichte_categorie_is_geringe_ernst_een_matigingsgrond(tmp_path):
    data = yaml.safe_load(BESTANDEN["heuvelrode"].read_text(encoding="utf-8"))
    data["handhaving"]["boete_pip_licht"] = None
    (tmp_path / "k.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = _kit("render", str(tmp_path / "k.yaml"), "-o", str(tmp_path / "uit"), "--no-pdf")
    assert r.returncode == 0, r.stderr
    br = tekst(next((tmp_path / "uit").rglob("beleidsregels.docx")))
    assert "de overtreding, gelet op haar aard en duur, van geringe ernst is." in br
    assert "bij een lichte overtreding" not in br


def test_m5_lichte_boete_hoger_dan_eerste_is_een_fout(tmp_path):
    data = yaml.safe_load(BESTANDEN["heuvelrode"].read_text(encoding="utf-8"))
    data["handhaving"]["boete_pip_licht"] = 500
    (tmp_path / "k.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = _kit("validate", str(tmp_path / "k.yaml"))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "handhaving.boete_pip_licht" in r.stdout + r.stderr
    assert "De boeteschaal moet oplopen" in r.stdout + r.stderr


@pytest.mark.parametrize("g", GEMEENTEN)
def test_m6_m7_k7_ontzorgen_voor_de_persoon_van_56a(docs, g):
    br = docs[g]["beleidsregels"]
    assert "ontzorgde: de persoon, bedoeld in artikel 56a van de Participatiewet" in br
    for titel in ("Einde van de periode van ontzorgen", "Voortzetting van het ontzorgen"):
        art = artikel(br, titel)
        assert "asielstatushouder" not in art, (g, titel)
        assert "ontzorgde" in art
    voortzetting = plat(artikel(br, "Voortzetting van het ontzorgen"))
    assert "als afspraak op in het PIP" not in voortzetting
    assert " als:" not in voortzetting                                   # M6: no main clause after "als"
    assert "Het college beslist tijdig vóór het einde van die periode" in br


def test_m6_heuvelrode_gronden_eenduidig(docs):
    art = plat(artikel(docs["heuvelrode"]["beleidsregels"], "Voortzetting van het ontzorgen"))
    assert "voort als zich ten minste een van de volgende omstandigheden voordoet: a. de ontzorgde kan" in art


@pytest.mark.parametrize("g", GEMEENTEN)
def test_m8_k21_gezondheidsdeel_brede_intake_zonder_derden(docs, g):
    art = plat(zonder_markering(artikel(docs[g]["beleidsregels"], "Vorm van de brede intake")))
    assert "deelnemen: maatschappelijk begeleider" not in art
    assert "zo nodig de maatschappelijk begeleider" in art                           # articles written out
    assert ("Het deel van de brede intake dat gaat over de gezondheid van de inburgeringsplichtige, bedoeld in "
            "artikel 14, derde lid, van de wet, voert de contactpersoon zonder de personen") in art
    assert "Brede intake en gegevens over de gezondheid" in docs[g]["beleidsregels"]
    pip = plat(artikel(docs[g]["beleidsregels"], "Verstrekken van gegevens uit het PIP"))
    assert "in de regel aan de maatschappelijk begeleider en de taalaanbieder" in pip or \
        "in de regel aan de taalaanbieder en de maatschappelijk begeleider" in pip


def test_k21_huizen_participatieconsulent_alleen_bij_het_tweede_gesprek(docs):
    art = plat(zonder_markering(artikel(docs["huizen"]["beleidsregels"], "Vorm van de brede intake")))
    # review4 M5 replaces this: "alleen bij het tweede gesprek" was ambiguous and put the talk about the
    # uitkering inside the brede intake; gesprek 2 is now its own member (brede_intake.gesprek_bijstand)
    assert "alleen bij het tweede gesprek over de uitkering" not in art
    assert "Het tweede gesprek voert de participatieconsulent." in art


@pytest.mark.parametrize("g", GEMEENTEN)
def test_k8_k9_k10_taal(docs, g):
    br = plat(zonder_markering(docs[g]["beleidsregels"]))
    assert "de Participatiewet het geven" not in br                                       # K9
    assert "de Participatiewet aan het college toekennen" in br
    assert "van zo veel mogelijk" not in br                                               # K10
    assert re.search(r"Daarnaast streeft de contactpersoon ernaar ten minste eenmaal per \w+( \w+)? contact te "
                     r"hebben met de inburgeringsplichtige\.", br)
    assert "Voor de duur en de intensiteit van de begeleiding streeft het college naar:" not in br   # K8
    assert "Voor de intensiteit van de begeleiding geldt als streven:" in br        # review4 M7


def test_k12_lansingerland_contactpersoon_herkenbaar(docs):
    t = docs["lansingerland"]["beleidsregels"]
    assert "bedoeld in de verordening, de consulent." not in t
    # review5 K5: who the contactpersoon is, is organisation and mandate: it moved to the toelichting
    assert re.search(r"bij de invoering is de contactpersoon de consulent inburgering \[aanname \d+\]", t)


@pytest.mark.parametrize("g", GEMEENTEN)
def test_k14_leerroutes_toelichting(docs, g):
    br = plat(docs[g]["beleidsregels"])
    assert br.count("geen wettelijke grens") == 1
    assert "binnen 18 maanden (artikel nog niet bevestigd) na de start" not in br
    assert "na de start van de inburgeringstermijn (artikel nog niet bevestigd)" in br


@pytest.mark.parametrize("g", GEMEENTEN)
def test_rib_noemt_de_boeteschaal_van_de_beleidsregels(docs, g):
    """The RIB reports the ladder the beleidsregels draft holds (light, other, repeat), not only
    one amount (lead, after M5)."""
    rib = zonder_markering(plat(docs[g]["raadsinformatiebrief"]))
    assert re.search(r"€ 150 bij een lichte overtreding, € \d+ bij een andere overtreding en ten hoogste € \d+ bij herhaling, "
                     r"met matiging naar de omstandigheden", rib), rib[rib.find("Handhaving"):][:600]
