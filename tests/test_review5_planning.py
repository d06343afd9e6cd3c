"""Review 5 (griffier/gemeentejurist, /work/review5/findings-kader.md), the planning findings:
M01 (inkoop as its own track), M02 (the adviesraad one working day after the raad decision),
K07 (RIB moments), K08 (no date of toezending). The rendered .docx of the three example gemeenten
are read; the new `kit validate` warnings are run through the CLI."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from docx_tekst import ROOT, VOORBEELDEN, kit, render_teksten

DRIE = tuple(VOORBEELDEN)
MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]
DATUM = r"(\d{1,2}) (" + "|".join(MAANDEN) + r") (\d{4})"


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return render_teksten(tmp_path_factory.mktemp("review5_planning"), VOORBEELDEN)


def zonder_markering(t: str) -> str:
    return re.sub(r" \[(aanname|in te vullen) \d+\]", "", t)


def rij(tekst: str, begin: str) -> str:
    return zonder_markering(next(r for r in tekst.splitlines() if r.startswith(begin)))


def datum_na(tekst: str, label: str) -> dt.date:
    """The date right after `label` (a label may carry a remark in brackets)."""
    m = re.search(re.escape(label) + r"(?: \([^)]*\))? " + DATUM, tekst)
    assert m, (label, tekst)
    return dt.date(int(m.group(3)), MAANDEN.index(m.group(2)) + 1, int(m.group(1)))


def stappen(tekst: str, fase: str) -> str:
    return rij(tekst, fase).split(" | ")[3]


# ------------------------------------------------------------------------------------ M02, K08


@pytest.mark.parametrize("g", DRIE)
@pytest.mark.parametrize("doc", ["startnotitie", "beleidskader"])
def test_m02_k08_toezending_en_voorbereidingstijd(docs, g, doc):
    """Every advice row names the date the draft goes to the adviesraad, at least 14 days before the
    meeting; the adviesraad never meets within 14 days after the raad decision its draft depends on."""
    t = docs[g][doc]
    b2, b3, b4 = (stappen(t, f) for f in ("2. Beleidskader |", "3. Verordening |", "4. Beleidsregels |"))
    # K08: the beleidskader advice: draft on 9 August, meeting on 23 August (was 16 August, no toezending)
    assert b2.startswith("ontwerp naar de adviesraad 9 augustus 2021; adviesraad 23 augustus 2021; "), b2
    raad_kader, raad_verordening = datum_na(b2, "gemeenteraad"), datum_na(b3, "gemeenteraad")
    for s, kader in ((b2, None), (b3, raad_kader), (b4, raad_verordening)):
        toezending, advies = datum_na(s, "ontwerp naar de adviesraad"), datum_na(s, "; adviesraad")
        assert advies - toezending >= dt.timedelta(days=14), s
        if kader is not None:
            # M02: before the raad decision (amendments processed afterwards), or well after it
            assert advies < kader or advies - kader >= dt.timedelta(days=14), s
    # the reviewer's dates (one working day after the raad decision) are gone
    assert "4 oktober 2021" not in b3 and "15 november 2021" not in b4 and "16 augustus" not in b2
    assert "adviesraad (vóór het raadsbesluit over het beleidskader) 27 september 2021" in b3
    assert "adviesraad (over het ontwerp, vóór het raadsbesluit over de verordening) 1 november 2021" in b4
    uitleg = next(r for r in zonder_markering(t).splitlines() if r.startswith("De adviesraad krijgt elk ontwerp"))
    assert "ten minste 14 dagen vóór de vergadering" in uitleg
    assert "verwerkt het college de amendementen van de raad daarna" in uitleg


@pytest.mark.parametrize("g", DRIE)
def test_m02_raadsvoorstellen_en_rib_noemen_toezending_en_volgorde(docs, g):
    rv_b = zonder_markering(docs[g]["raadsvoorstel-beleidskader"])
    assert "de adviesraad ontvangt het op 9 augustus 2021 en bespreekt het op 23 augustus 2021." in rv_b
    rv_v = zonder_markering(docs[g]["raadsvoorstel-verordening"])
    assert ("de adviesraad ontvangt het op 13 september 2021 en bespreekt het op 27 september 2021, vóór het "
            "raadsbesluit over het beleidskader (30 september 2021). Amendementen van de raad op het beleidskader "
            "verwerkt het college daarna in dit voorstel; wijzigen die amendementen het voorstel wezenlijk, dan legt "
            "het college de gewijzigde onderdelen vóór zijn besluit opnieuw aan de adviesraad voor.") in rv_v
    for rv in (rv_b, rv_v):
        assert ("De adviesraad ontvangt het ontwerp op 18 oktober 2021 en adviseert erover, naar verwachting op "
                "1 november 2021; dat is vóór het raadsbesluit over de verordening") in rv
        assert "nadat de raad de verordening heeft vastgesteld" not in rv
    rib = zonder_markering(docs[g]["raadsinformatiebrief"])
    assert "Nadat u de verordening heeft vastgesteld, adviseert de adviesraad" not in rib
    assert "toezending van het ontwerp aan de adviesraad op 9 augustus 2021, advies van de adviesraad op 23 augustus" in rib


def test_m02_aanname_blijft_gemarkeerd(docs):
    """Huizen and Lansingerland: the adviesraad dates are assumptions, so the toezending is marked too."""
    for g in ("huizen", "lansingerland"):
        b2 = next(r for r in docs[g]["beleidskader"].splitlines() if r.startswith("2. Beleidskader |"))
        assert re.search(r"ontwerp naar de adviesraad 9 augustus 2021 \[aanname \d+\]; adviesraad 23 augustus 2021 "
                         r"\[aanname \d+\]", b2), b2
        assert re.search(r"ten minste 14 \[aanname \d+\] dagen", docs[g]["beleidskader"])


# ----------------------------------------------------------------------------------------- K07


@pytest.mark.parametrize("g", DRIE)
def test_k07_rib_momenten_volgen_de_planning(docs, g):
    t = docs[g]["beleidskader"]
    gemeenteraad = rij(t, "Gemeenteraad | Voortgang")
    assert "bij iedere fase" not in gemeenteraad
    assert "Raadsinformatiebrief bij de startnotitie en bij de vaststelling van de beleidsregels" in gemeenteraad
    # and the planning holds exactly those two RIB moments
    assert "raadsinformatiebrief" in stappen(t, "1. Startnotitie |")
    assert "raadsinformatiebrief aan de gemeenteraad (met de beleidsregels), vóór de raadsvergadering van " \
           "16 december 2021" in stappen(t, "4. Beleidsregels |")
    planning = [r for r in t.splitlines() if re.match(r"\d\. ", r) and " | " in r]
    assert sum("raadsinformatiebrief" in r for r in planning) == 2


# ----------------------------------------------------------------------------------------- M01


def test_m01_inkoop_is_een_haalbaar_spoor(docs):
    """Track overbrugging (Huizen): publication after the raad decision; award and contract in the
    procurement's own row (review6 M14), contracts per 1 April 2022 with an overbrugging per onderdeel;
    the planning tables, the risk table and the raadsvoorstel say the same; the dienst has a date."""
    g = "huizen"
    for doc in ("startnotitie", "beleidskader"):
        t = docs[g][doc]
        f3, f5, f7 = (rij(t, f) for f in ("3. Verordening |", "5. Instructie", "7. Start"))
        assert "gunning" not in f3 and "contractering" not in f3 and "gunning" not in f7
        assert "per onderdeel een overbrugging regelen" in f5
        assert "tot de contracten ingaan (1 april 2022), geldt de overbrugging per onderdeel" in f7
        inkoop = rij(t, "Inkoop van de leerroutes |")
        assert inkoop.startswith("Inkoop van de leerroutes | 1 oktober 2021 t/m 31 maart 2022 | publicatie na het "
                                 "raadsbesluit over het beleidskader (30 september 2021); ")
        assert "opschortingstermijn (Alcatel-termijn); contractering; de contracten gaan in op 1 april 2022" in inkoop
        assert "de aanbestedende dienst wordt uiterlijk op 31 augustus 2021 aangewezen" in rij(t, "2. Beleidskader |")
        alinea = next(r for r in zonder_markering(t).splitlines() if r.startswith("De aanbesteding van de leerroutes is een eigen spoor"))
        assert "past niet vóór 1 januari 2022" in alinea and "contracten per 1 april 2022" in alinea
        assert "Aanbestedingswet 2012 (geen opsplitsing van een opdracht)" in alinea
    risico = next(r for r in zonder_markering(docs[g]["beleidskader"]).splitlines() if r.startswith("De aanbesteding van "))
    assert "contracten per 1 april 2022" in risico and "gunnen en contracteren in fase 3" not in risico
    kant = next(r for r in zonder_markering(docs[g]["raadsvoorstel-beleidskader"]).splitlines()
                if "De inkoop moet op tijd rond zijn." in r)
    assert "De aanbestedende dienst wordt uiterlijk op 31 augustus 2021 aangewezen." in kant
    assert "publiceert de aanbesteding pas na uw besluit" in kant and "contracten per 1 april 2022" in kant


def test_m01_aanname_staat_niet_als_feit(docs):
    """Huizen and Lansingerland mark the contract date and the designation date as assumptions: every
    place that prints them carries the marker."""
    for g, datum in (("huizen", "1 april 2022"), ("lansingerland", "1 januari 2022")):
        for doc in ("startnotitie", "beleidskader", "raadsvoorstel-beleidskader"):
            # the annex "Open punten en aannames" lists the value itself (rows that start with the key)
            t = "\n".join(r for r in docs[g][doc].splitlines() if not r.startswith("planning.inkoop."))
            assert f"contracten gaan in op {datum}" in t or f"contracten per {datum}" in t
            assert not re.search(rf"(contracten gaan in op|contracten per) {datum}(?! \[aanname \d+\])", t), (g, doc)
            assert not re.search(r"31 augustus 2021 aangewezen", t), (g, doc)


def test_m01_spoor_overbrugging_voor_heuvelrode(tmp_path):
    """The other track on Heuvelrode: publication after the raad decision, contracts after the
    inwerkingtreding, with the duration of a leerroute and the splitting rule named (review6 M05)."""
    bron = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    bron = re.sub(r"(?m)^    spoor: voorbehoud.*$", "    spoor: overbrugging", bron)
    bron = re.sub(r"(?m)^    contracten: 2022-01-01.*$", "    contracten: 2022-04-01", bron)
    pad = tmp_path / "overbrugging.yaml"
    pad.write_text(bron, encoding="utf-8")
    docs = render_teksten(tmp_path / "uit", {"heuvelrode": pad}, alleen="beleidskader")["heuvelrode"]
    t = docs["beleidskader"]
    assert "(publicatie pas na het raadsbesluit over het beleidskader)" in rij(t, "2. Beleidskader |")
    assert "tot de contracten ingaan (1 april 2022), geldt de overbrugging per onderdeel" in rij(t, "7. Start")
    assert rij(t, "Inkoop van de leerroutes |").startswith("Inkoop van de leerroutes | 1 oktober 2021 t/m 31 maart 2022 |")
    assert "per onderdeel een overbrugging regelen" in rij(t, "5. Instructie")
    assert "Een leerroute duurt een tot drie jaar: wie in de overbruggingsperiode begint, volgt zijn hele traject" in t


# ------------------------------------------------------------------------------ kit validate


def _variant(tmp_path: Path, oud: str, nieuw: str) -> Path:
    bron = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    assert oud in bron
    pad = tmp_path / "gemeente.yaml"
    pad.write_text(bron.replace(oud, nieuw, 1), encoding="utf-8")
    return pad


def _regel(pad: Path, begin: str) -> int:
    return next(i for i, r in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1) if r.startswith(begin))


def test_validate_waarschuwt_bij_te_korte_toezending(tmp_path):
    pad = _variant(tmp_path, "    verordening: {kenmerk: RV-2021-114}",
                   "    verordening: {kenmerk: RV-2021-114}\n    beleidskader: {toezending: 2021-08-16}")
    r = kit("validate", str(pad))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    regels = [l for l in r.stdout.splitlines() if "planning.besluiten.beleidskader.toezending" in l]
    assert len(regels) == 1, r.stdout
    assert regels[0].startswith(f"{pad}:{_regel(pad, '    beleidskader: {toezending')}: waarschuwing: "
                                "planning.besluiten.beleidskader.toezending: ")
    for stuk in ("Fase 2 (Beleidskader)", "16 augustus 2021", "23 augustus 2021", "ten minste 14 dagen",
                 "planning.toezending_dagen", "adviesraad"):
        assert stuk in regels[0], regels[0]


def test_validate_waarschuwt_bij_advies_kort_na_het_raadsbesluit(tmp_path):
    # the reviewer's plan: the adviesraad on 4 October, two working days after the raad (30 September)
    pad = _variant(tmp_path, "    verordening: {kenmerk: RV-2021-114}",
                   "    verordening: {kenmerk: RV-2021-114, adviesraad: 2021-10-04}")
    r = kit("validate", str(pad))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    regels = [l for l in r.stdout.splitlines() if "planning.besluiten.verordening.adviesraad" in l]
    assert len(regels) == 1, r.stdout
    assert regels[0].startswith(f"{pad}:{_regel(pad, '    verordening: {kenmerk')}: waarschuwing: ")
    for stuk in ("4 oktober 2021", "30 september 2021", "het beleidskader", "minder dan 14 dagen",
                 "planning.toezending_dagen", "zo tijdig dat het van invloed kan zijn"):
        assert stuk in regels[0], regels[0]
    # the minimum is a local choice: with 3 days the same plan passes
    pad2 = _variant(tmp_path, "  toezending_dagen: 14 ", "  toezending_dagen: 3 ")
    pad2.write_text(pad2.read_text(encoding="utf-8").replace(
        "    verordening: {kenmerk: RV-2021-114}", "    verordening: {kenmerk: RV-2021-114, adviesraad: 2021-10-04}", 1),
        encoding="utf-8")
    r = kit("validate", str(pad2))
    assert "planning.besluiten.verordening.adviesraad" not in r.stdout, r.stdout


def test_validate_standaard_uit_het_schema(tmp_path):
    """Without planning.toezending_dagen the schema's default (14) applies."""
    import json

    schema = json.loads((ROOT / "kit" / "schema" / "planning.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["toezending_dagen"]["default"] == 14
    pad = _variant(tmp_path, "  toezending_dagen: 14 ", "  # geen toezending_dagen ")
    pad.write_text(pad.read_text(encoding="utf-8").replace(
        "    verordening: {kenmerk: RV-2021-114}", "    verordening: {kenmerk: RV-2021-114, adviesraad: 2021-10-04}", 1),
        encoding="utf-8")
    r = kit("validate", str(pad))
    assert "minder dan 14 dagen" in r.stdout, r.stdout


def test_validate_toezending_voor_het_ontwerp(tmp_path):
    """A toezending before the phase in which the draft is written (phase 2 begins 26 June) is warned."""
    pad = _variant(tmp_path, "    verordening: {kenmerk: RV-2021-114}",
                   "    verordening: {kenmerk: RV-2021-114, toezending: 2021-06-01}")
    r = kit("validate", str(pad))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    regels = [l for l in r.stdout.splitlines() if "planning.besluiten.verordening.toezending" in l]
    assert len(regels) == 1, r.stdout
    assert "waarschuwing" in regels[0] and "1 juni 2021" in regels[0] and "26 juni 2021" in regels[0]


@pytest.mark.parametrize("spoor, contracten, stukken", [
    ("overbrugging", "2021-12-01", ["1 december 2021", "1 januari 2022", "planning.inkoop.spoor"]),
    ("voorbehoud", "2021-09-01", ["1 september 2021", "30 september 2021", "Gunnen en contracteren"]),
])
def test_validate_contractdatum_past_bij_het_inkoopspoor(tmp_path, spoor, contracten, stukken):
    bron = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    bron = re.sub(r"(?m)^    spoor: \w+", f"    spoor: {spoor}", bron)
    bron = re.sub(r"(?m)^    contracten: 2022-0[14]-01", f"    contracten: {contracten}", bron)
    pad = tmp_path / "gemeente.yaml"
    pad.write_text(bron, encoding="utf-8")
    r = kit("validate", str(pad))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    regels = [l for l in r.stdout.splitlines() if "planning.inkoop.contracten" in l]
    assert len(regels) == 1, r.stdout
    assert regels[0].startswith(f"{pad}:{_regel(pad, '    contracten:')}: waarschuwing: planning.inkoop.contracten: ")
    for stuk in stukken:
        assert stuk in regels[0], regels[0]
