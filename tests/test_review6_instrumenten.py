"""Review 6 (instrumenten: verordening, beleidsregels, raadsvoorstel-verordening;
/work/review6/findings-instrumenten.md): the rendered .docx of the three example gemeenten carry
the fixed text, and `kit validate` guards an extra brede-intake topic about health (E1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docx_tekst import ROOT, VOORBEELDEN, kit, render_teksten, plat

DRIE = tuple(VOORBEELDEN)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return render_teksten(tmp_path_factory.mktemp("review6_instr"), VOORBEELDEN,
                          alleen="verordening,beleidsregels,raadsvoorstel-verordening")



def artikel(t: str, titel: str) -> str:
    """The first article with this title (the regeling), up to the next article or chapter heading."""
    kop = re.search(r"^Artikel \d+\. " + re.escape(titel) + r"$", t, re.M)
    assert kop, titel
    rest = t[kop.end():]
    einde = re.search(r"^(Artikel \d+\.|Hoofdstuk \d+\.|Algemene toelichting$|Ondertekening$)", rest, re.M)
    return rest[:einde.start()] if einde else rest


def toelichting(t: str) -> str:
    return t.split("\nAlgemene toelichting\n", 1)[1]


def regeling(t: str) -> str:
    return t.split("\nAlgemene toelichting\n", 1)[0]


# ------------------------------------------------------------------------------------------ E1

GEZONDHEID = re.compile(r"gezondheid|vitaliteit|psych", re.I)


@pytest.mark.parametrize("g", DRIE)
def test_e1_geen_gezondheid_als_extra_intake_onderwerp(docs, g):
    """E1: no health topic "naast" art. 14 of the law, in the verordening or in the raadsvoorstel."""
    vo = docs[g]["verordening"]
    art = plat(artikel(vo, "Brede intake"))
    assert not GEZONDHEID.search(art), art
    rv = plat(docs[g]["raadsvoorstel-verordening"])
    punt = re.search(r"met aandacht voor ([^(]*) naast de wettelijke onderwerpen", rv)
    assert punt and not GEZONDHEID.search(punt.group(1))


@pytest.mark.parametrize("g", DRIE)
def test_e1_toelichting_psychische_gezondheid_valt_onder_de_wet(docs, g):
    t = plat(toelichting(docs[g]["verordening"]))
    assert ("Onder de gezondheid, bedoeld in artikel 14, derde lid, van de wet, valt ook de psychische gezondheid; "
            "de raad voegt daaraan niets toe. Gegevens over de gezondheid zijn bijzondere persoonsgegevens in de zin "
            "van de Algemene verordening gegevensbescherming. De grondslag om ze te verwerken is de wet; een "
            "verordening kan die grondslag niet scheppen.") in t


def _met_onderwerp(tmp_path: Path, onderwerp: str) -> Path:
    tekst = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    oud = "  extra_levensdomeinen:\n    - digitale vaardigheden\n"
    assert oud in tekst
    tekst = tekst.replace(oud, oud + f"    - {onderwerp}\n", 1)
    pad = tmp_path / "k.yaml"
    pad.write_text(tekst, encoding="utf-8")
    regel = tekst.splitlines().index(f"    - {onderwerp}") + 1
    return pad, regel


@pytest.mark.parametrize("onderwerp", ["mentale gezondheid", "Psychische klachten", "verslaving"])
def test_e1_validate_fout_bij_gezondheid(tmp_path, onderwerp):
    pad, regel = _met_onderwerp(tmp_path, onderwerp)
    r = kit("validate", str(pad))
    uit = r.stdout + r.stderr
    assert r.returncode != 0 and "Traceback" not in uit
    assert f"k.yaml:{regel}: fout: brede_intake.extra_levensdomeinen[1]: '{onderwerp}' gaat over de gezondheid" in uit
    assert "bijzondere persoonsgegevens (artikel 9 AVG)" in uit
    assert "(Wet inburgering 2021, artikel 14, derde lid)" in uit
    assert "(bron: artikel 9 Algemene verordening gegevensbescherming; art. 14 lid 3 Wet inburgering 2021)" in uit
    # render refuses too: no verordening with the topic
    uitmap = tmp_path / "uit"
    r = kit("render", str(pad), "-o", str(uitmap), "--no-pdf", "--only", "verordening")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert not list(uitmap.rglob("*.docx"))


def test_e1_validate_waarschuwing_bij_vitaliteit(tmp_path):
    pad, regel = _met_onderwerp(tmp_path, "vitaliteit")
    r = kit("validate", str(pad))
    uit = r.stdout + r.stderr
    assert "Traceback" not in uit
    assert f"k.yaml:{regel}: waarschuwing: brede_intake.extra_levensdomeinen[1]: 'vitaliteit' kan over de gezondheid gaan." in uit
    assert "Omschrijf het onderwerp zo dat het niet over de gezondheid gaat, of schrap het." in uit


def test_e1_gewone_onderwerpen_geen_melding(tmp_path):
    pad, _ = _met_onderwerp(tmp_path, "zelfstandig reizen")
    r = kit("validate", str(pad))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "extra_levensdomeinen" not in r.stdout + r.stderr


def test_e1_voorbeeldbestanden_zonder_melding():
    r = kit("validate", *map(str, VOORBEELDEN.values()))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "extra_levensdomeinen" not in r.stdout + r.stderr


# ------------------------------------------------------------------------------------- M3, M4

@pytest.mark.parametrize("g", ("huizen", "lansingerland"))
def test_m3_verrekening_als_aanname_in_aanhef_besluit_en_toelichting(docs, g):
    vo, rv = docs[g]["verordening"], docs[g]["raadsvoorstel-verordening"]
    gelet = r"artikel 4:93 van de Algemene wet bestuursrecht \[aanname (\d+)\] en de Wet inburgering 2021;"
    n = re.search(gelet, vo).group(1)
    assert re.search(gelet, rv).group(1) == n
    t = plat(toelichting(vo))
    assert f"Kiest de raad voor verrekening, dan geeft dit artikel die grondslag [aanname {n}]." in t
    assert "Dit artikel geeft die grondslag." not in t
    assert re.search(r"Kiest de raad voor een hardheidsclausule, dan geeft die het college de ruimte om in een bijzonder "
                     r"geval af te wijken van deze verordening, als toepassing ervan leidt tot een onbillijkheid van "
                     r"overwegende aard \[aanname \d+\]\.", t)


def test_m3_heuvelrode_zonder_aanname_feitelijk(docs):
    vo = docs["heuvelrode"]["verordening"]
    assert "artikel 4:93 van de Algemene wet bestuursrecht en de Wet inburgering 2021;" in vo
    assert "Dit artikel geeft die grondslag." in plat(toelichting(vo))
    # K3: one standard in article and toelichting
    assert "onredelijk uitpakt" not in vo


def test_m4_lansingerland_samenloop_en_preventie_gemarkeerd(docs):
    vo, rv, br = (docs["lansingerland"][d] for d in ("verordening", "raadsvoorstel-verordening", "beleidsregels"))
    # the numbers the beleidsregels use for the same choices
    samenloop = re.search(r"Artikel \d+\. Samenloop met de Participatiewet\n(?:.*\n)*?Open punten in dit onderdeel: "
                          r"(\[aanname \d+\])", br).group(1)
    preventie = re.search(r"Artikel \d+\. Voorkomen van verzuim\n(?:.*\n)*?Open punten in dit onderdeel: "
                          r"(\[aanname \d+\])", br).group(1)
    r = regeling(vo)
    assert f"Open punten in dit onderdeel: {samenloop}" in artikel(r, "Samenloop met de Participatiewet")
    assert f"Open punten in dit onderdeel: {preventie}" in artikel(r, "Voorlichting over verplichtingen")
    t = plat(toelichting(vo))
    assert f"De gemeente zet eerst in op voorlichting en begeleiding {preventie}." in t
    assert f"de samenloop met de Participatiewet (artikel 13) {samenloop}" in plat(rv)
    # the annex says where they are used
    bijlage = vo.split("Open punten en aannames")[-1]
    assert re.search(r"^handhaving\.preventie_eerst \(regel \d+\) \|.*\| Artikel 12\. Voorlichting over verplichtingen; "
                     r"Handhaving$", bijlage, re.M)
    assert re.search(r"^handhaving\.samenloop_participatiewet \(regel \d+\) \|.*\| Artikel 13\. Samenloop met de "
                     r"Participatiewet", bijlage, re.M)


# ------------------------------------------------------------------------------------------ M8

@pytest.mark.parametrize("g", DRIE)
def test_m8_pip_termijn_na_kennisgeving_of_inschrijving(docs, g):
    rv = plat(docs[g]["raadsvoorstel-verordening"])
    assert ("het PIP binnen 10 weken na de kennisgeving van DUO of, als de inburgeringsplichtige dan nog niet in de "
            "basisregistratie personen is ingeschreven, na de inschrijving, met de mogelijkheid van verlenging tot "
            "2 weken na ontvangst van gegevens van derden (Besluit inburgering 2021),") in rv
    assert "art. 5.3 Besluit inburgering 2021) na de kennisgeving" not in rv


# ----------------------------------------------------------------------------------------- M11

@pytest.mark.parametrize("g", DRIE)
def test_m11_ondertekening_door_het_college_en_adviesmoment(docs, g):
    rv = docs[g]["raadsvoorstel-verordening"]
    voor_besluit = rv.split("\nOntwerp-raadsbesluit\n")[0]
    regels = voor_besluit.splitlines()
    i = regels.index(next(r for r in regels if r.startswith("Burgemeester en wethouders van ")))
    assert regels[i + 1] == "de secretaris,"
    assert regels[i + 3] == "de burgemeester,"
    assert regels[i + 2] and regels[i + 4]
    assert "Advies adviesraad |" not in rv
    assert re.search(r"^Bespreking in de adviesraad \| 27 september 2021( \[aanname \d+\])? \(gepland\)$", rv, re.M)
    assert ("wijzigen die amendementen het voorstel wezenlijk, dan legt het college de gewijzigde onderdelen vóór "
            "zijn besluit opnieuw aan de adviesraad voor") in plat(rv)


# ------------------------------------------------------------------------------------------ M2

@pytest.mark.parametrize("g", DRIE)
def test_m2_geen_gepland_in_aanhef_maar_een_genummerd_open_punt(docs, g):
    """M2: the college has not decided yet (concept, its date after the version date): the aanhef of
    the verordening and the ontwerp-raadsbesluit carry the same numbered placeholder, listed in the
    annex with its reason; "(gepland)" stays in the running text of the raadsvoorstel only."""
    vo, rv = docs[g]["verordening"], docs[g]["raadsvoorstel-verordening"]
    aanhef = re.search(r"^gelezen het voorstel van burgemeester en wethouders van \w+ van \[in te vullen (\d+)\], nr\. ",
                       vo, re.M)
    assert aanhef, vo[:600]
    n = aanhef.group(1)
    besluit = rv.split("\nOntwerp-raadsbesluit\n")[1]
    assert re.search(rf"^gelezen het voorstel van burgemeester en wethouders van \w+ van \[in te vullen {n}\], nr\. ",
                     besluit, re.M)
    for t in (vo, besluit):
        assert not re.search(r"^gelezen het voorstel.*\(gepland\)", t, re.M)
    rij = re.search(rf"^\[in te vullen {n}\] \| Collegebesluit\n(.*)$", vo, re.M)
    assert rij and rij.group(1).startswith("planning.besluiten.verordening.college (")
    assert "het college heeft het voorstel nog niet vastgesteld; de datum van het collegebesluit komt in de aanhef" in rij.group(1)
    # the running text keeps the planned dates
    assert "(gepland) de beleidsregels vast" in rv


def test_m2_na_het_collegebesluit_de_datum(tmp_path):
    """Once the version date is on or after the college date, the aanhef has the date itself."""
    tekst = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    assert "  datum: 2021-06-01" in tekst
    tekst = tekst.replace("  datum: 2021-06-01", "  datum: 2021-10-13", 1)
    (tmp_path / "k.yaml").write_text(tekst, encoding="utf-8")
    from docx_tekst import tekst as lees
    r = kit("render", str(tmp_path / "k.yaml"), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "verordening")
    assert r.returncode == 0, r.stderr
    vo = lees(next((tmp_path / "uit").rglob("verordening.docx")))
    assert "gelezen het voorstel van burgemeester en wethouders van Heuvelrode van 12 oktober 2021, nr. RV-2021-114;" in vo
    assert "planning.besluiten.verordening.college" not in vo


# ------------------------------------------------------------------------------------------ M9

def test_m9_open_punt_keuze_wijst_naar_een_bestaande_sleutel(docs):
    """M9: the open point on the choice at too low a volume points at a line of regio.yaml that holds
    that key, and gives a reason that fits a choice (not "bedrag nog niet bekend")."""
    rv = docs["huizen"]["raadsvoorstel-verordening"]
    rij = re.search(r"^financien\.marktconsultatie\.keuze \(regio\.yaml, regel (\d+)\) \| in te vullen \| (.*?) \|", rv, re.M)
    assert rij, "geen rij voor financien.marktconsultatie.keuze"
    regel = (ROOT / "choices" / "hbel" / "regio.yaml").read_text(encoding="utf-8").splitlines()[int(rij.group(1)) - 1]
    assert regel.strip().startswith("keuze:")
    assert rij.group(2) == "de raad kiest nog tussen aanvullende middelen en een soberder aanbod van de leerroutes"
