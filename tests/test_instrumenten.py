"""Issue 10: every choice in its own instrument (shared/domain/juridisch.md).

1. The schema names the instrument(s) of every key (``x-instrument``) and a walk over every
   template under templates/ fails when a key is used in a document its instrument does not
   allow (so a future template cannot put a provider back into the verordening).
2. The rendered verordening and beleidsregels of Heuvelrode, Lansingerland and Huizen, read
   back from the .docx, follow each rule of the issue.
3. kit validate warns about a provider named while the uitvoering is tendered, and about
   contradicting keys.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import jinja2
import pytest
import yaml
from jinja2 import nodes

docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
SJABLONEN = ROOT / "templates"
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
LANSINGERLAND = ROOT / "choices" / "lansingerland.yaml"
HUIZEN = ROOT / "choices" / "hbel" / "huizen.yaml"
INSTRUMENTEN = {"verordening", "beleidsregels", "uitvoering"}
# document -> instrument; every other document (startnotitie, beleidskader, RIB, raadsvoorstel,
# griffie pack, reactienota) is uitvoering.
DOCUMENT_INSTRUMENT = {"verordening": "verordening", "beleidsregels": "beleidsregels"}
NUMMERING = "verordening/nummering.md.j2"


# ------------------------------------------------------------------------------ the schema

def test_elke_sleutel_heeft_een_instrument():
    from kit.schema import deelschema, iter_keys

    for pad in iter_keys():
        x = (deelschema(pad) or {}).get("x-instrument")
        assert isinstance(x, list) and x, f"{pad}: geen x-instrument"
        assert set(x) <= INSTRUMENTEN, f"{pad}: {x}"


def test_plaatsing_volgens_design():
    """DESIGN.md: a provider is uitvoering only; boete amounts are the college's (beleidsregels)."""
    from kit.schema import deelschema

    assert deelschema("maatschappelijke_begeleiding.aanbieder")["x-instrument"] == ["uitvoering"]
    for pad in ("handhaving.boete_brede_intake", "handhaving.boete_pip", "handhaving.boete_pip_herhaling"):
        assert "verordening" not in deelschema(pad)["x-instrument"], pad
        assert "beleidsregels" in deelschema(pad)["x-instrument"], pad
    for pad in ("leerroutes.inkoopvorm", "leerroutes.facturatie", "leerroutes.instroommomenten_per_jaar",
                "leerroutes.homogene_groepen", "voortgang.kanalen", "organisatie.partners", "pvt.uitvoering",
                "map.uitvoering", "financieel_ontzorgen.partners"):
        assert deelschema(pad)["x-instrument"] == ["uitvoering"], pad
    assert "verordening" not in deelschema("financieel_ontzorgen.verlenging_max_maanden")["x-instrument"]
    assert "verordening" not in deelschema("voortgang.contactfrequentie")["x-instrument"]


# ------------------------------------------------------------------------------ the template walk

def _secties() -> set[str]:
    from kit.schema import schema

    return set(schema()["properties"])


def _instrumenten(pad: str) -> set[str]:
    """The instruments a key (or every key under a prefix) may land in."""
    from kit.schema import deelschema, iter_keys

    node = deelschema(pad)
    if node is None:
        return set(INSTRUMENTEN)       # not a choice key (a derived attribute): no rule
    if "x-instrument" in node:
        return set(node["x-instrument"])
    bladeren = [k for k in iter_keys() if k.startswith(pad + ".")]
    uit = set(INSTRUMENTEN)
    for k in bladeren:
        uit &= set(deelschema(k).get("x-instrument") or INSTRUMENTEN)
    return uit


def _pad(node, aliassen: dict[str, str], secties: set[str]) -> str | None:
    """``a.b.c`` for a Getattr/Getitem chain rooted at a choice section or an alias of one."""
    delen = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            delen.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            delen.append(node.arg.value)
        else:
            delen = []
        node = node.node
    if not isinstance(node, nodes.Name):
        return None
    if node.name in aliassen:
        wortel = aliassen[node.name]
    elif node.name in secties:
        wortel = node.name
    else:
        return None
    return ".".join([wortel, *reversed(delen)])


def _sleutel(pad: str) -> str:
    """The deepest prefix of ``pad`` that is a key of the schema (``pip.vorm.visueel.x`` -> ``pip.vorm.visueel``)."""
    from kit.schema import deelschema

    delen = pad.split(".")
    while len(delen) > 1 and deelschema(".".join(delen)) is None:
        delen.pop()
    return ".".join(delen)


def gebruikte_sleutels(bron: str) -> set[str]:
    """Choice keys a template uses: Jinja expressions (aliases like ``{% set mb = ... %}``
    followed) and the ``| keuzes:`` lists of its headings."""
    secties = _secties()
    boom = jinja2.Environment().parse(bron)
    aliassen: dict[str, str] = {}
    for toewijzing in boom.find_all(nodes.Assign):
        if isinstance(toewijzing.target, nodes.Name):
            doel = _pad(toewijzing.node, aliassen, secties)
            if doel is None and isinstance(toewijzing.node, nodes.Name) and toewijzing.node.name in secties:
                doel = toewijzing.node.name
            if doel is not None:
                aliassen[toewijzing.target.name] = doel
    gebruikt: set[str] = set()
    kinderen = {id(n.node) for n in boom.find_all((nodes.Getattr, nodes.Getitem))}
    for n in boom.find_all((nodes.Getattr, nodes.Getitem)):
        if id(n) in kinderen:
            continue                   # only the outermost node of a chain
        pad = _pad(n, aliassen, secties)
        if pad is not None:
            gebruikt.add(_sleutel(pad))
    for regel in bron.splitlines():
        m = re.match(r"@\w+ .*\|\s*keuzes:\s*(.+)$", regel)
        if m:
            gebruikt |= {k.strip() for k in m.group(1).split(",") if k.strip()}
    return gebruikt


def _verwijzingen(bron: str) -> list[str]:
    """Template names a template includes or imports; a computed name gives its constant prefix."""
    uit = []
    for n in jinja2.Environment().parse(bron).find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        t = n.template
        while isinstance(t, (nodes.Concat, nodes.Add)):
            t = t.nodes[0] if isinstance(t, nodes.Concat) else t.left
        if isinstance(t, nodes.Const) and isinstance(t.value, str):
            uit.append(t.value)
    return uit


@lru_cache(maxsize=1)
def instrument_per_sjabloon() -> dict[str, set[str]]:
    """Template name -> the instruments of the documents that reach it (include/import)."""
    alle = {p.relative_to(SJABLONEN).as_posix(): p.read_text(encoding="utf-8") for p in SJABLONEN.rglob("*.j2")}
    uit: dict[str, set[str]] = {naam: set() for naam in alle}
    for naam in alle:
        delen = naam.split("/")
        if len(delen) == 2 and delen[1] == f"{delen[0]}.md.j2":       # a document's entry template
            instrument = DOCUMENT_INSTRUMENT.get(delen[0], "uitvoering")
            te_doen, gezien = [naam], set()
            while te_doen:
                huidig = te_doen.pop()
                if huidig in gezien:
                    continue
                # review4 M4/K9: another document imports the verordening's numbering only to cite
                # an article by its number; that uses no choice as content of that document
                if huidig == NUMMERING and instrument != "verordening":
                    continue
                gezien.add(huidig)
                uit[huidig].add(instrument)
                for v in _verwijzingen(alle[huidig]):
                    te_doen += [n for n in alle if n == v or (not v.endswith(".j2") and n.startswith(v))]
    for naam, inst in uit.items():
        if not inst:   # rendered by a module directly (griffie pack): by folder
            inst.add("verordening" if "wijzigingsverordening" in naam else "uitvoering")
    return uit


def schendingen(naam: str, bron: str, instrumenten: set[str]) -> list[str]:
    return [
        f"{naam}: {k} hoort niet in {i} (x-instrument: {sorted(_instrumenten(k))})"
        for k in sorted(gebruikte_sleutels(bron)) for i in sorted(instrumenten) if i not in _instrumenten(k)
    ]


def test_sjablonen_gebruiken_alleen_sleutels_van_hun_instrument():
    fouten = []
    for naam, instrumenten in sorted(instrument_per_sjabloon().items()):
        fouten += schendingen(naam, (SJABLONEN / naam).read_text(encoding="utf-8"), instrumenten)
    assert not fouten, "\n".join(fouten)


def test_de_wandeling_ziet_de_verordening_en_haar_artikelen():
    per = instrument_per_sjabloon()
    assert per["verordening/artikelen/pip.md.j2"] == {"verordening"}
    assert per["verordening/toelichting/artikelen/pip.md.j2"] == {"verordening"}
    assert per["beleidsregels/beleidsregels.md.j2"] == {"beleidsregels"}
    assert "uitvoering" in per["beleidskader/beleidskader.md.j2"]


@pytest.mark.parametrize("bron", [
    "{{ maatschappelijke_begeleiding.aanbieder }}",
    "{% set mb = maatschappelijke_begeleiding %}Uitgevoerd door {{ mb.aanbieder }}.",
    "{% if leerroutes['inkoopvorm'] == 'subsidie' %}x{% endif %}",
    "@artikel x | Titel | keuzes: handhaving.boete_pip",
    "De boete bedraagt {{ handhaving.boete_pip|euro }}.",
])
def test_een_aanbieder_of_boetebedrag_in_de_verordening_valt_op(bron):
    """The walk cannot pass vacuously: a provider, inkoop or an amount in a verordening template fails."""
    assert schendingen("verordening/artikelen/nieuw.md.j2", bron, {"verordening"})


def test_een_toegestane_sleutel_valt_niet_op():
    assert not schendingen("verordening/artikelen/nieuw.md.j2", "{% set mb = maatschappelijke_begeleiding %}{{ mb.duur_maanden }}",
                           {"verordening"})


# ------------------------------------------------------------------------------ rendered text

def _render(keuzebestand: Path, uitvoer: Path) -> dict[str, Path]:
    proc = subprocess.run(
        [sys.executable, "-m", "kit", "render", str(keuzebestand), "-o", str(uitvoer), "--no-pdf",
         "--only", "verordening,beleidsregels", "--force"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**__import__("os").environ, "KIT_DEBUG": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {d: next(uitvoer.glob(f"*/{d}.docx")) for d in ("verordening", "beleidsregels")}


class Doc:
    def __init__(self, pad: Path):
        d = docx.Document(str(pad))
        self.alineas = [p.text.replace("\u00a0", " ") for p in d.paragraphs if p.text.strip()]
        self.koppen = [p.text for p in d.paragraphs if (p.style.name or "").lower().startswith(("heading", "kop"))]
        self.lijst = [p.text for p in d.paragraphs if p.text.strip() and (p.style.name or "").lower().startswith("list")]
        self.tekst = "\n".join(self.alineas)
        eind = next((i for i, a in enumerate(self.alineas) if a.strip() in ("Algemene toelichting", "Toelichting")), len(self.alineas))
        self.regeling = "\n".join(self.alineas[:eind])
        self.toelichting = "\n".join(self.alineas[eind:])
        eerste = next(i for i, a in enumerate(self.alineas) if re.match(r"Artikel 1\.", a))
        slot = next((i for i, a in enumerate(self.alineas) if a.startswith("Aldus vastgesteld") or a == "Ondertekening"), eind)
        self.artikelen = "\n".join(self.alineas[eerste:slot])
        self.aanhef = "\n".join(self.alineas[:eerste])


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, dict[str, Doc]]:
    uit = {}
    for naam, pad in (("heuvelrode", VOORBEELD), ("lansingerland", LANSINGERLAND), ("huizen", HUIZEN)):
        paden = _render(pad, tmp_path_factory.mktemp(naam))
        uit[naam] = {d: Doc(p) for d, p in paden.items()}
    return uit


GEMEENTEN = ("heuvelrode", "lansingerland", "huizen")
BESTANDEN = {"heuvelrode": VOORBEELD, "lansingerland": LANSINGERLAND, "huizen": HUIZEN}


def _data(naam: str) -> dict:
    from kit.loader import load_choices

    return load_choices(BESTANDEN[naam]).data


def _namen_van_aanbieders(data: dict) -> list[str]:
    """Provider and partner names (proper nouns) from the choice file."""
    namen = [data["maatschappelijke_begeleiding"].get("aanbieder") or ""]
    namen += data["organisatie"].get("partners") or []
    namen += data["financieel_ontzorgen"].get("partners") or []
    uit = []
    for n in namen:
        n = re.split(r"[(,]", n)[0].strip()
        if n and n[0].isupper():
            uit.append(n)
    return uit


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_geen_aanbieder_in_verordening_of_beleidsregels(docs, gemeente):
    namen = _namen_van_aanbieders(_data(gemeente))
    assert namen, gemeente
    for doc in ("verordening", "beleidsregels"):
        for naam in namen:
            assert naam not in docs[gemeente][doc].tekst, f"{gemeente} {doc}: {naam}"
    for woord in ("WhatsApp", "sms", "instroommoment", "facturatie", "overheidsopdracht", "aanbesteding"):
        assert woord not in docs[gemeente]["verordening"].tekst, woord
        assert woord not in docs[gemeente]["beleidsregels"].artikelen, woord


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_aanhef_verordening(docs, gemeente):
    from kit.templating import datum
    from kit.tijdpad import bereken

    d = docs[gemeente]["verordening"]
    data = _data(gemeente)
    assert "gelet op de artikelen 147 en 149 van de Gemeentewet" in d.aanhef
    if data["handhaving"]["verrekening_bijstand"]:
        assert "artikel 4:93 van de Algemene wet bestuursrecht" in d.aanhef
    assert "verrekeningsbepalingen" not in d.tekst and "en de Gemeentewet;" not in d.aanhef
    college = bereken(data).fase(3).besluit.college
    voorstel = f"gelezen het voorstel van {data['gemeente'].get('college') or 'burgemeester en wethouders van ' + data['gemeente']['naam']} van "
    if data["versie"].get("status", "concept") in ("concept", "ter_advisering") and str(college) > str(data["versie"]["datum"]):
        # review6 M2: the college has not decided yet: a numbered open point, not "(gepland)"
        assert re.search(re.escape(voorstel) + r"\[in te vullen \d+\][,;]", d.aanhef)
        assert "(gepland)" not in d.aanhef
    else:
        assert voorstel + datum(college) in d.aanhef
    assert f"van {datum(data['versie']['datum'])};" not in d.aanhef       # never the version date
    assert "Aanhef" not in d.koppen and "Aanhef" not in d.tekst


def test_aanhef_zonder_collegedatum_toont_invulplaats(tmp_path):
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    data["planning"]["college"] = []
    pad = tmp_path / "zonder.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    d = Doc(_render(pad, tmp_path / "uit")["verordening"])
    # the open point shows as the kit's placeholder marker (issue 11), never as the version date
    # the kenmerk of the raadsbesluit follows (review V2: one aanhef in verordening and raadsbesluit)
    assert re.search(r"gelezen het voorstel van burgemeester en wethouders van Heuvelrode van \[in te vullen \d+\]"
                     r"(, nr\. RV-2021-114)?;", d.aanhef), d.aanhef


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_geen_boetebedrag_en_geen_kan_in_de_verordening(docs, gemeente):
    d = docs[gemeente]["verordening"]
    assert "€" not in d.artikelen
    for regel in d.regeling.splitlines():
        assert not re.search(r"boete[^.]*€|€[^.]*boete", regel), regel
    for fout in ("kan een boete opleggen", "kan een inburgeringsplichtige een boete", "legt pas een boete op",
                 "boete op grond van deze verordening", "pas als", "legt geen maatregel"):
        assert fout not in d.tekst, fout
    assert "bestuurlijke boete als bedoeld in artikel 22 of 23 van de wet" in d.artikelen


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_begrippen_verwijzen_naar_de_wet(docs, gemeente):
    a = docs[gemeente]["verordening"].artikelen
    assert "asielstatushouder: asielstatushouder als bedoeld in artikel 13, eerste lid, van de wet;" in a
    assert "verblijfsvergunning asiel" not in a
    assert "de persoon, bedoeld in artikel 56a van de Participatiewet" in a
    for begrip, artikel in (("leerroute", "artikel 7"), ("MAP", "artikel 8"), ("PVT", "artikel 8"),
                            ("PIP", "artikel 15"), ("brede intake", "artikel 14")):
        assert re.search(rf"(?:^|\t){re.escape(begrip)}: [^\n]*bedoeld in {artikel} van de wet;$", a, re.M), begrip


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_overige_verordeningsregels(docs, gemeente):
    d = docs[gemeente]["verordening"]
    a = d.artikelen
    # samenloop via the afstemmingsverordening; Pw-maatregelen are not switched off
    assert "artikel 18 van de Participatiewet" in a and "artikel 8 van de Participatiewet" in a
    # PIP data: only as far as the law allows and necessary; toelichting on health data
    assert "voor zover de wet dat toestaat en voor zover die gegevens voor de uitvoering van dat onderdeel noodzakelijk zijn" in a
    assert "Gegevensverwerking" in d.toelichting and "artikel 14, derde lid, van de wet" in d.toelichting
    # klachten about providers through the contracts
    assert "klachtenregeling van de gemeente" not in a and "overeenkomst met een aanbieder" in a
    # new articles
    for titel in ("Toepassingsbereik en overgangsrecht", "Verhuizing", "Inwerkingtreding"):
        assert any(titel in k for k in d.koppen), titel
    assert "overgangsrecht van de wet de Wet inburgering van toepassing blijft" in a
    # no ambition as a hard duty, no cap on ontzorgen, no restated PIP term
    assert "eenmaal per week" not in a and "ten hoogste" not in a
    assert "na de ontvangst van die informatie" not in a
    # one terminology, no parenthetical remarks in norms, list items in lower case
    assert "inburgeraar" not in d.tekst and "deelnemer" not in a
    assert "(" not in a, [r for r in a.splitlines() if "(" in r]
    for item in d.lijst:
        if item in d.artikelen:
            assert item[:1].islower() or item[:2].isupper(), item
    assert "Ondertekening" not in a and "[datum vaststelling]" in d.regeling


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_beleidsregels(docs, gemeente):
    b = docs[gemeente]["beleidsregels"]
    assert "gelet op artikel 4:81 van de Algemene wet bestuursrecht" in b.aanhef
    assert "56a" in b.aanhef and "van de Participatiewet" in b.aanhef
    assert "artikel 5:10a van de Algemene wet bestuursrecht" in b.artikelen                    # cautie
    assert "artikel 10:3, vierde lid, van de Algemene wet bestuursrecht" in b.artikelen       # functiescheiding
    assert "artikel 5:53 van de Algemene wet bestuursrecht" in b.artikelen and "€ 340" in b.artikelen
    assert "binnen 13 weken na de dagtekening van het rapport" in b.artikelen
    assert "artikel 5:46, tweede lid" in b.artikelen and "artikel 5:46, derde lid" in b.artikelen
    assert "Toelichting" in b.koppen
    assert "Aanhef" not in b.koppen and "Ondertekening" not in b.koppen
    assert "[datum vaststelling]" in b.tekst                                                  # concept: no date
    assert "inburgeraar" not in b.tekst and "deelnemer" not in b.tekst
    assert "streeft" in b.artikelen
    assert "(" not in b.artikelen, [r for r in b.artikelen.splitlines() if "(" in r]   # sources woven in or in the toelichting
    # no norm the verordening already sets, no restated statutory term; the number of
    # voortgangsgesprekken is the college's aim here, not a hard duty in the verordening (review2 M4)
    assert "streeft ernaar de inburgeringsplichtige in de eerste twaalf maanden" in b.artikelen
    assert "voortgangsgesprek" in docs[gemeente]["verordening"].artikelen
    assert "in de eerste twaalf maanden" not in docs[gemeente]["verordening"].artikelen
    assert "tot uiterlijk 2 weken" not in b.artikelen and "binnen 10 weken" not in b.artikelen


def test_beleidsregels_huizen_streven_geen_plicht(docs):
    b = docs["huizen"]["beleidsregels"].artikelen
    assert "Daarnaast streeft de contactpersoon ernaar ten minste eenmaal per week contact te hebben met de inburgeringsplichtige." in b


def test_boeteschaal_in_beleidsregels(docs):
    b = docs["heuvelrode"]["beleidsregels"].artikelen
    data = _data("heuvelrode")
    from kit.templating import euro

    def ns(s):
        return s.replace("\u00a0", " ")

    h = data["handhaving"]
    # review2 M5: a scale by seriousness within the statutory maximum, not one amount for every breach
    assert ns(f"{euro(h['boete_pip_licht'])} bij een lichte overtreding") in ns(b)
    assert ns(f"{euro(h['boete_pip'])} bij een andere overtreding") in ns(b)
    # review3 M7: only the repeat amount the choice file holds, no invented light-repeat amount
    assert ns(f"tot ten hoogste {euro(h['boete_pip_herhaling'])}.") in ns(b)   # review4 M2: upper limit
    assert "als de nieuwe overtreding licht is" not in b
    assert "artikel 5:46, tweede lid" in b.split("Artikel 20.")[1].split("Artikel 21.")[0]
    assert "€ 400" not in docs["heuvelrode"]["verordening"].tekst


@pytest.mark.parametrize("wijze,zin", [
    ("vaste_datum", "Deze verordening treedt in werking op 1 januari 2022."),
    ("datum_of_later", "Deze verordening treedt in werking met ingang van 1 januari 2022, of zo veel later als de dag na die van de bekendmaking."),
    ("dag_na_bekendmaking", "Deze verordening treedt in werking op de dag na die van de bekendmaking."),
    ("terugwerkend", "Deze verordening treedt in werking op de dag na die van de bekendmaking en werkt terug tot en met 1 januari 2022."),
])
def test_inwerkingtreding_als_keuze(tmp_path, wijze, zin):
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    data["verordening"]["inwerkingtreding_wijze"] = wijze
    data["verordening"]["wet_verwijzing"] = "statisch"
    pad = tmp_path / f"{wijze}.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    d = Doc(_render(pad, tmp_path / "uit")["verordening"])
    assert zin in d.artikelen
    assert "wet: Wet inburgering 2021, zoals die luidt op 1 januari 2022." in d.artikelen


def test_ontzorgen_langer_dan_de_wet_zonder_plafond(tmp_path):
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    data["financieel_ontzorgen"]["duur_maanden"] = 9
    pad = tmp_path / "ontzorgen.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    paden = _render(pad, tmp_path / "uit")
    d, b = Doc(paden["verordening"]), Doc(paden["beleidsregels"])
    assert "artikel 56a van de Participatiewet en de Wet inburgering 2021;" in d.aanhef
    assert "gedurende ten minste 9 maanden" in d.artikelen
    assert "laat de bevoegdheid van het college onverlet" in d.artikelen and "artikel 57 van de Participatiewet" in d.artikelen
    assert "verlengen" not in d.artikelen and "ten hoogste" not in d.artikelen
    for grond in data["financieel_ontzorgen"]["verlenging_gronden"]:
        assert grond in b.artikelen and grond not in d.tekst


# ------------------------------------------------------------------------------ kit validate

def _valideer(tmp_path: Path, wijzig) -> str:
    data = yaml.safe_load(VOORBEELD.read_text(encoding="utf-8"))
    wijzig(data)
    pad = tmp_path / "k.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kit", "validate", str(pad)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "KIT_DEBUG": "1"})
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def test_waarschuwing_aanbieder_bij_aanbesteding(tmp_path):
    def wijzig(d):
        d["organisatie"]["uitvoering"]["maatschappelijke_begeleiding"] = "overheidsopdracht"
        d["maatschappelijke_begeleiding"]["aanbieder"] = "Stichting Voorbeeld"

    uit = _valideer(tmp_path, wijzig)
    assert re.search(r"k\.yaml:\d+: waarschuwing: maatschappelijke_begeleiding\.aanbieder: .*overheidsopdracht.*Stichting Voorbeeld", uit)
    # subsidie with a named partner is fine
    assert "maatschappelijke_begeleiding.aanbieder" not in _valideer(
        tmp_path, lambda d: d["maatschappelijke_begeleiding"].update(aanbieder="Stichting Voorbeeld"))


@pytest.mark.parametrize("deel,waarde,vorm", [("pvt", "lokaal", "overheidsopdracht"), ("map", "uitbesteed", "inbesteden"),
                                              ("pvt", "lokaal", "subsidie")])
def test_waarschuwing_tegenstrijdige_uitvoering(tmp_path, deel, waarde, vorm):
    def wijzig(d):
        d[deel]["uitvoering"] = waarde
        d["organisatie"]["uitvoering"][deel] = vorm

    uit = _valideer(tmp_path, wijzig)
    assert re.search(rf"waarschuwing: {deel}\.uitvoering: .*organisatie\.uitvoering\.{deel}.*'{vorm}'", uit), uit


def test_geen_waarschuwing_bij_samenhangende_uitvoering(tmp_path):
    def wijzig(d):
        d["pvt"]["uitvoering"] = "uitbesteed"
        d["organisatie"]["uitvoering"]["pvt"] = "overheidsopdracht"

    assert "pvt.uitvoering" not in _valideer(tmp_path, wijzig)


def test_voorbeeldbestanden_valideren_schoon():
    paden = sorted(str(p) for p in (ROOT / "choices").glob("*.yaml")) + sorted(str(p) for p in (ROOT / "choices" / "hbel").glob("*.yaml"))
    proc = subprocess.run([sys.executable, "-m", "kit", "validate", *paden], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "waarschuwing:" not in proc.stdout + proc.stderr, proc.stdout


# ------------------------------------------------------------------------------ law table

def test_wettabel_verwijzingen_en_awb_drempel():
    from kit.minima import wettabel

    wet = wettabel().op("2022-01-01")
    assert wet["art_wi_asielstatushouder"].waarde == "artikel 13, eerste lid" and wet["art_wi_asielstatushouder"].zekerheid == "A"
    assert wet["art_gemw_verordening"].waarde == "artikelen 147 en 149"
    assert wet["awb_boete_rapport_drempel"].waarde == 340 and wet["awb_boete_rapport_drempel"].artikel == "art. 5:53 lid 1"
    assert wet["awb_boete_rapport_drempel"].zekerheid == "A"
    for naam, f in wet.items():
        if f.eenheid == "artikel":
            assert f.soort == "verwijzing" and isinstance(f.waarde, str) and f.artikel, naam


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_advies_in_de_aanhef_gaat_voor_het_voorstel(docs, gemeente):
    """The adviesraad advises before the college decides (juridisch.md): the aanhef names the advice
    with its date; a planned advice date after the college's date is a kit validate error (kit/tijdpad.py)."""
    from kit.templating import datum
    from kit.tijdpad import bereken

    data = _data(gemeente)
    b = bereken(data).fase(3).besluit
    # assumed values carry their marker (issue 11): "… Lansingerland [aanname 8] van …"; compare without
    aanhef = re.sub(r" \[aanname \d+\]", "", docs[gemeente]["verordening"].aanhef)
    if not data["participatie"]["adviesraad"]:
        assert "gelet op het advies" not in aanhef
    else:
        # review2 K2: the meeting date is not the date of the advice letter; a concept dated before
        # the meeting leaves the letter's date open (all three examples are such concepts)
        assert data["versie"]["status"] == "concept" and str(data["versie"]["datum"]) < str(b.adviesraad)
        assert re.search(re.escape(f"gelet op het advies van de {data['advies']['adviesraad']} van ") + r"\[in te vullen \d+\];", aanhef)
        assert datum(b.adviesraad) not in aanhef


def test_wijzigingsverordening_houdt_de_grondslag(tmp_path):
    """kit diff: the wijzigingsverordening takes the legal basis from the aanhef, not the line with
    the advice on the original verordening."""
    from kit.diff import diff_cli
    from kit.redline import alinea_teksten
    import zipfile

    basis = VOORBEELD.read_text(encoding="utf-8")
    (tmp_path / "oud.yaml").write_text(basis, encoding="utf-8")
    (tmp_path / "nieuw.yaml").write_text(basis.replace('nummer: "0.3"', 'nummer: "0.4"').replace("duur_maanden: 18", "duur_maanden: 24"),
                                         encoding="utf-8")
    assert diff_cli(str(tmp_path / "oud.yaml"), str(tmp_path / "nieuw.yaml"), tmp_path / "uit", echo=lambda *a, **k: None) == 0
    xml = zipfile.ZipFile(tmp_path / "uit" / "wijzigingsverordening.docx").read("word/document.xml")
    tekst = "\n".join(alinea_teksten(xml, vanaf_bookmark=False))
    assert "gelet op de artikelen 147 en 149 van de Gemeentewet" in tekst
    assert "gelet op het advies" not in tekst
