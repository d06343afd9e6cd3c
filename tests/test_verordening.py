"""The verordening, read back from the .docx the real pipeline writes.

Every choice the verordening covers must show up in its text; changing a choice changes the
text; optional articles appear only when chosen and the numbering (with every ⟦ref⟧ and
⟦nr⟧) follows; every statutory figure in the toelichting stands next to its source.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
LANSINGERLAND = ROOT / "choices" / "lansingerland.yaml"
SJABLONEN = ROOT / "templates" / "verordening"


# ------------------------------------------------------------------------------ helpers

def render(keuzebestand: Path, uitvoer: Path) -> Path:
    """`kit render FILE -o DIR --no-pdf --only verordening`; returns the .docx path."""
    proc = subprocess.run(
        [sys.executable, "-m", "kit", "render", str(keuzebestand), "-o", str(uitvoer), "--no-pdf", "--only", "verordening"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    gevonden = list(uitvoer.glob("*/verordening.docx"))
    assert len(gevonden) == 1, (gevonden, proc.stdout, proc.stderr)
    return gevonden[0]


def alineas(pad: Path) -> list[str]:
    """The text of every paragraph of the body, tables included, in order."""
    d = docx.Document(str(pad))
    uit: list[str] = []
    for blok in d.element.body.iter():
        if blok.tag.endswith("}p"):
            tekst = "".join(
                (n.text or "") if n.tag.endswith("}t") else ("\n" if n.tag.endswith(("}br", "}cr")) else "\t" if n.tag.endswith("}tab") else "")
                for n in blok.iter()
            )
            if tekst.strip():
                uit.append(tekst)
    return uit


def tekst(pad: Path) -> str:
    return "\n".join(alineas(pad))


def plat(s: str) -> str:
    """Whitespace (incl. line breaks and non-breaking spaces) collapsed to one space."""
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def artikelen(pad: Path) -> dict[str, int]:
    """Article title -> number, from the headings "Artikel N. Titel" of the regeling (not the toelichting)."""
    uit: dict[str, int] = {}
    for a in alineas(pad):
        if a.strip() == "Algemene toelichting":
            break
        m = re.match(r"\s*Artikel (\d+)\.?\s+(.+)$", a)
        if m and len(a) < 120:
            uit[m.group(2).strip()] = int(m.group(1))
    return uit


def regeling(pad: Path) -> str:
    """The text before the toelichting: aanhef, articles, ondertekening."""
    delen = alineas(pad)
    return "\n".join(delen[: delen.index("Algemene toelichting")])


def toelichting(pad: Path) -> str:
    t = tekst(pad)
    i = t.find("\nAlgemene toelichting")
    assert i > 0, "geen toelichting gevonden"
    return t[i:]


def variant(tmp_path: Path, naam: str, wijzig) -> Path:
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    wijzig(data)
    pad = tmp_path / f"{naam}.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pad


def wet(datum: str = "2022-01-01"):
    from kit.minima import wettabel

    return wettabel().op(datum)


# ------------------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def voorbeeld(tmp_path_factory) -> Path:
    return render(VOORBEELD, tmp_path_factory.mktemp("voorbeeld"))


@pytest.fixture(scope="module")
def keuzes() -> dict:
    return yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ aanhef, slot

def test_aanhef_en_besluit(voorbeeld, keuzes):
    t = plat(tekst(voorbeeld))
    assert "De raad van de gemeente Heuvelrode;" in t
    assert "gelezen het voorstel van burgemeester en wethouders van Heuvelrode van 1 juni 2021;" in t
    assert "gelet op" in t and "Wet inburgering 2021" in t and "Participatiewet" in t
    assert "besluit vast te stellen de volgende verordening: Verordening inburgering Heuvelrode 2022." in t


def test_slotbepalingen_en_ondertekening(voorbeeld, keuzes):
    t = plat(tekst(voorbeeld))
    assert "Deze verordening treedt in werking op 1 januari 2022." in t
    assert "Deze verordening wordt aangehaald als: Verordening inburgering Heuvelrode 2022." in t
    assert "Aldus vastgesteld in de openbare raadsvergadering van [datum vaststelling]." in t
    assert keuzes["gemeente"]["burgemeester"] in t and keuzes["gemeente"]["griffier"] in t
    assert "binnen 3 jaar na de inwerkingtreding" in t


def test_alle_artikelen_in_volgorde(voorbeeld):
    nrs = artikelen(voorbeeld)
    assert list(nrs.values()) == list(range(1, len(nrs) + 1)), nrs
    for titel in ("Begripsbepalingen", "Brede intake", "Persoonlijk plan inburgering en participatie",
                  "Module Arbeidsmarkt en Participatie", "Participatieverklaringstraject",
                  "Maatschappelijke begeleiding", "Financieel ontzorgen", "Begeleiding naar financiële zelfredzaamheid",
                  "Contactpersoon en voortgang", "Boete bij de brede intake", "Boete bij het niet nakomen van het PIP",
                  "Horen van de inburgeringsplichtige", "Verrekening van de boete met de bijstand",
                  "Hardheidsclausule", "Evaluatie", "Inwerkingtreding", "Citeertitel"):
        assert titel in nrs, (titel, nrs)


# ------------------------------------------------------------------------------ every choice

def test_elke_keuze_staat_in_de_tekst(voorbeeld, keuzes):
    t = plat(tekst(voorbeeld))
    k = keuzes
    verwacht = [
        # brede intake
        "zo mogelijk al in het azc", "tijdens de brede intake", "ten minste 3 gesprekken", "gesprekken individueel",
        *k["brede_intake"]["deelnemers"], *k["brede_intake"]["extra_levensdomeinen"],
        "zet bij de brede intake een tolk in", "in een taal die hij begrijpt",
        # PIP
        "binnen 10 weken na de kennisgeving", "binnen 4 weken na de afronding van de brede intake",
        "in beeld", "een mondelinge toelichting op het PIP", *k["pip"]["delen_met"],
        # leerroutes
        "in regionaal verband in (Regio Heuvelland), door middel van een overheidsopdracht",
        "bij de gemeente waar de inburgeringsplichtige woont", "ten minste 4 keer per jaar",
        "vergelijkbaar leertempo", "duaal traject", "taalmaatje", "een taalstage", "integratieworkshops",
        "adviseert een gezins- of overige migrant",
        "beoordeelt per geval of het de onderwijsroute aanbiedt",
        # MAP, PVT, kwaliteit
        "ten minste 40 uur aan praktische activiteiten", "laat de MAP uitvoeren door een aanbieder",
        "werkgevers uit de gemeente", "afzonderlijk onderdeel naast de leerroute",
        "Het PVT omvat ten minste 12 uur.", k["pvt"]["praktijkdeel"], "aan het begin van de inburgeringstermijn",
        *k["pvt"]["extra_themas"], "voert het PVT zelf uit",
        *k["leerroutes"]["extra_kwaliteitseisen"], k["kwaliteit"]["monitoring"], "tevredenheid",
        # maatschappelijke begeleiding, ontzorgen, zelfredzaamheid
        "duurt 18 maanden", "individueel en in groepsverband gegeven", k["maatschappelijke_begeleiding"]["intensiteit"],
        "uitvoeren door VluchtelingenWerk", "signaleren van problemen met welzijn",
        "financieel gedurende 6 maanden", "met ten hoogste 6 maanden verlengen", *k["financieel_ontzorgen"]["verlenging_gronden"],
        "budgetbeheer", "budgetcoaching", "een training in groepsverband of individueel", *k["financieel_ontzorgen"]["partners"],
        "maakt deel uit van de maatschappelijke begeleiding",
        # voortgang, tolk
        "een integratieconsulent aan als vaste contactpersoon", "ten minste 4 voortgangsgesprekken",
        "ten minste 2 voortgangsgesprekken per jaar", "eenmaal per twee weken", *k["voortgang"]["kanalen"],
        *k["tolk"]["wanneer"],
        # handhaving
        "eerst met de inburgeringsplichtige", "De boete bedraagt € 250.", "De boete bedraagt € 400.", "dan bedraagt die boete € 800",
        "zijn zienswijze naar voren te brengen", "geen boete op grond van deze verordening op voor een gedraging",
        "met zijn participatieconsulent", "verrekenen met de bijstand",
        # participatie, advies, slot
        k["participatie"]["vorm"], "Het college vraagt de Adviesraad Sociaal Domein Heuvelrode om advies",
        "klachtenregeling van de gemeente Heuvelrode", "onbillijkheid van overwegende aard",
    ]
    ontbreekt = [v for v in verwacht if plat(v) not in t]
    assert not ontbreekt, ontbreekt


def test_artikelen_noemen_hun_keuzes():
    """Every article declares the choice keys behind it, and every key exists in the schema."""
    from kit.schema import schema

    s = schema()

    def bestaat(pad: str) -> bool:
        knoop = s
        for deel in pad.split("."):
            props = knoop.get("properties") or {}
            if deel not in props:
                return False
            knoop = props[deel]
        return True

    for bestand in sorted((SJABLONEN / "artikelen").glob("*.md.j2")):
        regel = next(r for r in bestand.read_text(encoding="utf-8").splitlines() if r.startswith("@artikel "))
        id_ = regel.split()[1]
        assert id_ == bestand.name.removesuffix(".md.j2")
        if id_ == "begripsbepalingen":
            continue
        m = re.search(r"\|\s*keuzes:\s*(.+)$", regel)
        assert m, f"{bestand.name}: geen keuzes"
        for k in (x.strip() for x in m.group(1).split(",")):
            assert bestaat(k), f"{bestand.name}: onbekende keuze {k}"


def test_geen_wettelijk_cijfer_getypt():
    """Statutory numbers come from `wet.*`; the only digits typed are article numbers of the aanhef and references."""
    toegestaan = {"14", "15", "22", "23", "26", "5.3", "56a", "57", "2021", "5:46", "8"}
    for bestand in SJABLONEN.rglob("*.md.j2"):
        bron = bestand.read_text(encoding="utf-8")
        bron = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", bron, flags=re.S)
        bron = "\n".join(r for r in bron.splitlines() if not r.startswith("@"))
        for getal in re.findall(r"(?<![A-Za-z])\d+(?:[.:]\d+)?[a-z]?", bron):
            assert getal in toegestaan, f"{bestand.relative_to(SJABLONEN)}: getypt getal {getal}"


# ------------------------------------------------------------------------------ toelichting

def test_toelichting_cijfers_met_bron(voorbeeld):
    from kit.templating import euro, getal

    t = plat(toelichting(voorbeeld))
    figuren = wet()
    namen = ["pip_termijn_weken_max", "pip_verlenging_weken_na_informatie", "inburgeringstermijn_jaren",
             "pvt_uren_min", "map_uren_praktijk_min", "ontzorgen_maanden_min", "zroute_uren_cursus_min",
             "zroute_uren_participatie_min", "afschalen_uren_min", "leerroute_wissel_maanden_max",
             "onderwijsroute_leeftijd", "examens_vergoed", "boete_brede_intake", "boete_pip_max",
             "boete_duo_examen_max", "boete_duo_pvt_max", "boete_duo_map_max"]
    for naam in namen:
        f = figuren[naam]
        waarde = plat(euro(f.waarde) if f.eenheid == "euro" else getal(f.waarde))
        bron = str(f.bron_kort) if f.artikel else f.wet
        # the value and, within the same sentence, its source
        patroon = re.escape(waarde) + r"[^.]*?(?:\.\d[^.]*?)*?" + re.escape(bron)
        assert re.search(patroon, t), f"{naam}: {waarde} zonder bron {bron}"
        if f.zekerheid != "A" or not f.artikel:
            assert "te verifiëren" in t


def test_toelichting_per_artikel_met_verwijzing(voorbeeld):
    nrs = artikelen(voorbeeld)
    t = toelichting(voorbeeld)
    for titel, nr in nrs.items():
        assert f"Artikel {nr}. {titel}" in t, titel
    assert f"(artikel {nrs['Evaluatie']})" in t
    assert f"mogelijk in artikel {nrs['Verrekening van de boete met de bijstand']}" in t
    assert "⟦" not in tekst(voorbeeld)


# ------------------------------------------------------------------------------ changing choices

@pytest.fixture(scope="module")
def gewijzigd(tmp_path_factory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("gewijzigd")
    vrij = 'Bezoek aan {{ 7*7 }} & <raad> "zaal" @kantoor *ster* ⟦ref:pip⟧ | pijp'

    def wijzig(d):
        d["maatschappelijke_begeleiding"]["duur_maanden"] = 24
        d["maatschappelijke_begeleiding"]["gezinsmigranten"] = True
        d["pvt"]["uren"] = 16
        d["pvt"]["moment"] = "einde"
        d["pvt"]["praktijkdeel"] = vrij
        d["leerroutes"]["onderwijsroute_28_plus"] = "nee"
        d["leerroutes"]["inkoop"] = "lokaal"
        d["pip"]["termijn_weken"] = 8
        d["pip"]["termijn_na_intake_weken"] = None
        d["financieel_ontzorgen"]["duur_maanden"] = 9
        d["financieel_ontzorgen"]["verlenging"] = "nee"
        d["handhaving"]["boete_pip"] = 300
        d["handhaving"]["boete_pip_herhaling"] = None
        d["handhaving"]["verrekening_bijstand"] = False
        d["handhaving"]["samenloop_participatiewet"] = "beide_mogelijk"
        d["tolk"]["inzet"] = False
        d["verordening"]["klachtenregeling"] = False
        d["verordening"]["evaluatie_jaren"] = 4

    return render(variant(tmp, "gewijzigd", wijzig), tmp / "uit"), vrij


def test_gewijzigde_keuzes_veranderen_de_tekst(gewijzigd, voorbeeld):
    pad, vrij = gewijzigd
    t = plat(regeling(pad))
    oud = plat(regeling(voorbeeld))
    paren = [
        ("duurt 18 maanden", "duurt 24 maanden"),
        ("Het PVT omvat ten minste 12 uur.", "Het PVT omvat ten minste 16 uur."),
        ("aan het begin van de inburgeringstermijn", "in het laatste deel van de inburgeringstermijn"),
        ("beoordeelt per geval", "biedt de onderwijsroute niet aan een asielstatushouder van 28 jaar of ouder"),
        ("in regionaal verband in", "koopt de leerroutes zelf in"),
        ("binnen 10 weken na de kennisgeving", "binnen 8 weken na de kennisgeving"),
        ("financieel gedurende 6 maanden", "financieel gedurende 9 maanden"),
        ("met ten hoogste 6 maanden verlengen", "Het financieel ontzorgen eindigt na afloop van de periode"),
        ("De boete bedraagt € 400.", "De boete bedraagt € 300."),
        ("Het college legt geen maatregel op grond van de Participatiewet op", "staat niet in de weg aan een boete"),
        ("De kosten van de tolk komen voor rekening van de gemeente.", "kan op eigen gelegenheid een tolk meebrengen"),
        ("binnen 3 jaar na de inwerkingtreding", "binnen 4 jaar na de inwerkingtreding"),
    ]
    for voor, na in paren:
        assert voor in oud and voor not in t, voor
        assert na in t and na not in oud, na
    # optional lid: maatschappelijke begeleiding for gezinsmigranten only when chosen
    lid = "biedt ook een gezins- of overige migrant maatschappelijke begeleiding"
    assert lid in t and lid not in oud
    # no local PIP norm, no repeat fine, no verrekening
    assert "na de afronding van de brede intake" not in t
    assert "bij herhaling" not in t and "opnieuw een boete" not in t
    assert "verrekenen" not in t and "verrekening" not in t.lower()
    # free text appears literally, never executed or turned into markup
    assert plat(vrij) in t
    assert "49" not in t


def test_optionele_artikelen_en_hernummering(tmp_path, voorbeeld):
    oud = artikelen(voorbeeld)
    pad = render(variant(tmp_path, "zonder", lambda d: d["verordening"].update(hardheidsclausule=False)), tmp_path / "uit")
    nieuw = artikelen(pad)
    t = tekst(pad)
    assert "Hardheidsclausule" not in nieuw and "onbillijkheid van overwegende aard" not in t
    h = oud["Hardheidsclausule"]
    for titel, nr in oud.items():
        if titel == "Hardheidsclausule":
            continue
        assert nieuw[titel] == (nr - 1 if nr > h else nr), titel
    # ⟦nr⟧ in the toelichting headings and ⟦ref⟧ in the text follow the new numbers
    tl = toelichting(pad)
    assert f"Artikel {nieuw['Evaluatie']}. Evaluatie" in tl
    assert f"(artikel {nieuw['Evaluatie']})" in tl
    assert f"Artikel {oud['Citeertitel']}. Citeertitel" not in tl


def test_verrekening_alleen_als_gekozen(tmp_path, voorbeeld):
    pad = render(variant(tmp_path, "zonder-verrekening", lambda d: d["handhaving"].update(verrekening_bijstand=False)), tmp_path / "uit")
    nieuw, oud = artikelen(pad), artikelen(voorbeeld)
    assert "Verrekening van de boete met de bijstand" not in nieuw
    assert nieuw["Evaluatie"] == oud["Evaluatie"] - 1
    assert "verrekeningsbepalingen" in plat(tekst(voorbeeld)) and "verrekeningsbepalingen" not in plat(tekst(pad))


# ------------------------------------------------------------------------------ Lansingerland

@pytest.mark.skipif(not LANSINGERLAND.exists(), reason="choices/lansingerland.yaml ontbreekt")
def test_lansingerland(tmp_path):
    pad = render(LANSINGERLAND, tmp_path)
    data = yaml.safe_load(LANSINGERLAND.read_text(encoding="utf-8"))
    t = plat(tekst(pad))
    assert "De raad van de gemeente Lansingerland;" in t
    assert f"Deze verordening wordt aangehaald als: {data['verordening']['citeertitel']}." in t
    assert f"duurt {data['maatschappelijke_begeleiding']['duur_maanden']} maanden" in t
    assert f"Het PVT omvat ten minste {data['pvt']['uren']} uur." in t
    assert plat(data["pvt"]["praktijkdeel"]) in t
    if not data["gemeente"].get("griffier"):
        assert re.search(r"\[in te vullen \d+\]", t) and "[naam griffier]" not in t  # issue 11: marked open point
    assert "⟦" not in t
