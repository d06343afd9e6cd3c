"""Planning: seven phases backwards from the inwerkingtreding, decisions on meeting dates, warnings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kit import tijdpad
from kit.findings import WAARSCHUWING
from kit.loader import load_choices

ROOT = Path(__file__).resolve().parents[1]
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
D = dt.date


@pytest.fixture(scope="module")
def voorbeeld():
    return load_choices(VOORBEELD)


def test_fasen_voorbeeld(voorbeeld):
    tp = tijdpad.bereken(voorbeeld.data)
    assert tp.inwerkingtreding == D(2022, 1, 1)
    assert [(f.begin, f.eind) for f in tp.fasen] == [
        (D(2021, 5, 1), D(2021, 6, 25)),
        (D(2021, 6, 26), D(2021, 10, 1)),
        (D(2021, 10, 2), D(2021, 11, 12)),
        (D(2021, 11, 13), D(2021, 11, 26)),
        (D(2021, 11, 27), D(2021, 12, 17)),
        (D(2021, 12, 18), D(2021, 12, 31)),
        (D(2022, 1, 1), D(2022, 1, 1)),
    ]
    assert [f.weken * 7 for f in tp.fasen[:6]] == [f.dagen for f in tp.fasen[:6]]
    assert tp.begin == D(2021, 5, 1)
    assert tp.fase(1).naam and tp.fase(7).onderdelen


def test_besluiten_voorbeeld(voorbeeld):
    tp = tijdpad.bereken(voorbeeld.data)
    s, b, v, r = (tp.fase(n).besluit for n in (1, 2, 3, 4))
    assert (s.document, s.orgaan, s.datum, s.rib, s.rib_raad) == ("startnotitie", "college", D(2021, 6, 15), True,
                                                                  D(2021, 7, 8))
    assert (b.document, b.orgaan, b.datum, b.college) == ("beleidskader", "raad", D(2021, 9, 30), D(2021, 8, 31))
    assert (v.document, v.orgaan, v.datum, v.college, v.adviesraad) == (
        "verordening", "raad", D(2021, 11, 11), D(2021, 10, 12), D(2021, 9, 27))
    # review5 M02 (replaces review3 M4's "advice only after the raad decision", which left one working
    # day: raad 30 September -> adviesraad 4 October, 11 -> 15 November): the draft goes to the
    # adviesraad before the raad decides on what it works out, the adviesraad advises before that
    # decision and the college processes the amendments afterwards; the toezending is 14 days before
    assert v.adviesraad < b.datum and r.adviesraad == D(2021, 11, 1) < v.datum
    assert (v.toezending, r.toezending, b.toezending) == (D(2021, 9, 13), D(2021, 10, 18), D(2021, 8, 9))
    assert (v.kader, r.kader, b.kader) == (b.datum, v.datum, None)
    assert v.advies_voor_kader and r.advies_voor_kader and not b.advies_voor_kader
    # review5 K07: the raad receives the beleidsregels by a raadsinformatiebrief
    assert (r.rib, r.rib_raad) == (True, D(2021, 12, 16))
    # the procedure in order: adviesraad, college, commissie, raad
    assert v.adviesraad < v.college < v.commissie < v.datum and v.adviesraad_verplicht
    assert (b.adviesraad, b.commissie) == (D(2021, 8, 23), D(2021, 9, 21))   # review5 K08: was 16 August
    # review M2: lead times (advice -> college, college -> commissie) are kept
    for x in (b, v):
        assert x.college - x.adviesraad >= dt.timedelta(weeks=tp.advies_weken)
        assert x.commissie - x.college >= dt.timedelta(weeks=3)
    assert (r.document, r.orgaan, r.datum) == ("beleidsregels", "college", D(2021, 11, 23))
    # review S3/B9, review2 M1: the adviesraad advises on the draft beleidsregels after the phase in
    # which the drafts are written has begun (review5 M02: before the raad decision on the verordening)
    assert r.adviesraad == D(2021, 11, 1) < r.datum
    assert r.adviesraad >= tp.fase(2).begin and "ontwerpen van de verordening en de beleidsregels" in \
        tp.fase(2).onderdelen
    assert all(x.past for x in tp.besluiten)
    assert tp.fase(5).besluit is None and tp.fase(7).besluit is None
    assert tp.problemen == ()
    for f in tp.fasen:
        if f.besluit and f.besluit.datum:
            assert f.begin <= f.besluit.datum <= f.eind


def test_voorbeeld_zonder_waarschuwingen(voorbeeld):
    assert tijdpad.controleer(voorbeeld) == []


def test_fase_7_met_duur():
    data = {"verordening": {"inwerkingtreding": "2022-01-01"}, "planning": {"fasen_weken": [1, 1, 1, 1, 1, 1, 2]}}
    tp = tijdpad.bereken(data)
    assert (tp.fase(7).begin, tp.fase(7).eind) == (D(2022, 1, 1), D(2022, 1, 14))
    assert tp.fase(6).eind == D(2021, 12, 31) and tp.begin == D(2021, 11, 20)


def _schrijf(tmp_path: Path, planning: str, versie: str = "2021-06-01", status: str = "concept") -> Path:
    tekst = VOORBEELD.read_text(encoding="utf-8")
    tekst = tekst[: tekst.index("planning:\n")] + planning
    tekst = re.sub(r"(?m)^  datum: 2021-06-01$", f"  datum: {versie}", tekst, count=1)
    tekst = re.sub(r"(?m)^  status: concept\b", f"  status: {status}", tekst, count=1)
    # these plannings test the procedure; the adviestermijn of the version (review3 M4) is not at issue
    tekst = re.sub(r"(?m)^  termijn: 2021-08-\d\d", "  termijn: 2021-12-31", tekst, count=1)
    pad = tmp_path / "gemeente.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def _regel(pad: Path, prefix: str) -> int:
    return next(i for i, r in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1) if r.startswith(prefix))


def test_geen_raadsvergadering_in_fase(tmp_path):
    # no raad meeting between 24 July and 1 October: the beleidskader cannot be adopted
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [7, 10, 6, 2, 3, 2, 0]
  raad: [2021-07-08, 2021-10-14, 2021-11-11]
  college: [2021-06-15, 2021-09-07, 2021-10-19, 2021-11-23]
  adviesraad: [2021-10-04]
""", versie="2021-06-07")
    bevindingen = tijdpad.controleer(load_choices(pad))
    assert len(bevindingen) == 1
    f = bevindingen[0]
    assert (f.niveau, f.sleutel, f.bestand, f.regel) == (WAARSCHUWING, "planning.raad", pad, _regel(pad, "  raad:"))
    assert "Fase 2" in f.bericht and "24 juli 2021" in f.bericht and "1 oktober 2021" in f.bericht
    assert f.als_tekst().startswith(f"{pad}:{_regel(pad, '  raad:')}: waarschuwing: planning.raad: ")


def test_adviesraad_en_collegevoorstel_voor_de_raad(tmp_path):
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [7, 10, 6, 2, 3, 2, 0]
  raad: [2021-07-08, 2021-09-30, 2021-11-11]
  college: [2021-06-15, 2021-09-07, 2021-11-23]
  adviesraad: [2021-11-11]
""", versie="2021-06-07")
    bevindingen = tijdpad.controleer(load_choices(pad))
    assert [f.sleutel for f in bevindingen] == ["planning.college", "planning.adviesraad"]
    assert all("Fase 3" in f.bericht and "11 november 2021" in f.bericht for f in bevindingen)


def test_fase_voor_versiedatum(tmp_path):
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [8, 10, 8, 8, 6, 4, 0]
""")
    bevindingen = tijdpad.controleer(load_choices(pad))
    assert [f.sleutel for f in bevindingen] == ["planning.fasen_weken"]
    assert "27 februari 2021" in bevindingen[0].bericht and "1 juni 2021" in bevindingen[0].bericht
    # a vastgesteld version is past its first phases: no warning
    pad = _schrijf(tmp_path, "planning:\n  fasen_weken: [8, 10, 8, 8, 6, 4, 0]\n", status="vastgesteld")
    assert tijdpad.controleer(load_choices(pad)) == []


def test_vergaderdata_niet_oplopend(tmp_path):
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [7, 10, 6, 2, 3, 2, 0]
  raad:
    - 2021-07-08
    - 2021-11-11
    - 2021-09-30
  college: [2021-06-15, 2021-09-07, 2021-10-19, 2021-11-23]
  adviesraad: [2021-09-13, 2021-10-04]
""", versie="2021-06-07")
    choices = load_choices(pad)
    bevindingen = tijdpad.controleer(choices)
    assert [f.sleutel for f in bevindingen] == ["planning.raad"]
    assert bevindingen[0].regel == _regel(pad, "    - 2021-09-30")
    assert "30 september 2021" in bevindingen[0].bericht
    # sorted for the computation: the decisions still fit
    tp = tijdpad.bereken(choices.data)
    assert tp.raad == (D(2021, 7, 8), D(2021, 9, 30), D(2021, 11, 11))
    assert tp.fase(2).besluit.datum == D(2021, 9, 30)


def test_in_validate(tmp_path):
    from kit import validate

    assert tijdpad.controleer in validate.REGELS
    pad = _schrijf(tmp_path, "planning:\n  fasen_weken: [8, 10, 8, 8, 6, 4, 0]\n")
    assert any(f.sleutel == "planning.fasen_weken" for f in validate.validate(load_choices(pad)))


def test_zonder_planning_geen_waarschuwing():
    class Keuzes:
        data = {"verordening": {"inwerkingtreding": "2022-01-01"}}
        path = None

        def mark(self, _):
            return None

    assert tijdpad.controleer(Keuzes()) == []
    assert len(tijdpad.bereken(Keuzes.data).fasen) == 7       # defaults from the schema


def test_datum_tekst():
    assert tijdpad.datum_tekst(D(2021, 7, 8)) == "8 juli 2021"


@pytest.mark.parametrize("wijziging", [
    ("versie", 1), ("planning", "x"), ("planning", {"fasen_weken": [1, 2]}), ("planning", {"raad": 5}),
    ("planning", {"raad": ["geen datum"]}), ("planning", {"fasen_weken": [True] * 7}),
    ("verordening", {"inwerkingtreding": "0001-01-02"}), ("verordening", None),
])
def test_onzin_geeft_geen_crash(voorbeeld, wijziging):
    import copy

    class Keuzes:
        path = VOORBEELD

        def __init__(self, data):
            self.data = data

        def mark(self, _):
            return None

    data = copy.deepcopy(voorbeeld.data)
    sleutel, waarde = wijziging
    data[sleutel] = waarde
    assert isinstance(tijdpad.controleer(Keuzes(data)), list)


# ----------------------------------------------------------------- review2 M1, M2, K1


_OUDE_PLANNING = """planning:
  fasen_weken: [8, 14, 6, 2, 3, 2, 0]
  advies_weken: 1
  raad: [2021-03-25, 2021-05-27, 2021-07-08, 2021-09-30, 2021-11-11, 2021-12-16]
  college: [2021-03-02, 2021-05-04, 2021-06-15, 2021-08-31, 2021-10-12, 2021-11-23]
  adviesraad: [2021-04-12, 2021-06-21, 2021-08-16, 2021-09-27, 2021-10-04, 2021-11-15]
  commissie: [2021-03-16, 2021-05-18, 2021-06-29, 2021-09-21, 2021-11-02, 2021-12-07]
"""


@pytest.mark.parametrize("besluit, sleutel, stukjes", [
    # M2: 8 days between the adviesraad and the college (the review's Heuvelrode verordening)
    ("verordening: {adviesraad: 2021-10-14, college: 2021-10-19}", "advies_te_kort",
     ["14 oktober 2021", "19 oktober 2021", "1 week", "planning.advies_weken"]),
    # M2: 14 days between the college and the commissie
    ("verordening: {college: 2021-10-19, commissie: 2021-11-02}", "aanlevering_te_kort",
     ["19 oktober 2021", "2 november 2021", "3 weken", "planning.aanlevertermijn_weken"]),
    # review2 M1: advice on the draft beleidsregels before the draft is written (phase 2 begins 26 June)
    ("beleidsregels: {adviesraad: 2021-06-21}", "advies_voor_ontwerp",
     ["21 juni 2021", "26 juni 2021", "ontwerp"]),
])
def test_termijnen_en_ontwerp_worden_geweigerd(tmp_path, besluit, sleutel, stukjes):
    from kit.findings import FOUT
    pad = _schrijf(tmp_path, _OUDE_PLANNING + "  besluiten:\n    " + besluit + "\n")
    bevindingen = tijdpad.controleer(load_choices(pad))
    assert len(bevindingen) == 1, [f.bericht for f in bevindingen]
    f = bevindingen[0]
    assert f.niveau == FOUT and f.sleutel.startswith("planning.besluiten.")
    for stuk in stukjes:
        assert stuk in f.bericht


def test_afgeleide_data_houden_de_termijnen(tmp_path):
    # the old example dates: no college meeting is early enough for the griffie -> warning, and
    # the advice is never picked 8 days before the college
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [8, 14, 6, 2, 3, 2, 0]
  raad: [2021-09-30, 2021-11-11]
  college: [2021-06-15, 2021-09-07, 2021-10-19, 2021-11-23]
  adviesraad: [2021-08-30, 2021-10-11]
  commissie: [2021-09-21, 2021-11-02]
""")
    bevindingen = tijdpad.controleer(load_choices(pad))
    assert [f.sleutel for f in bevindingen] == ["planning.college", "planning.college"]
    assert "aanlevertermijn" in bevindingen[0].bericht
    # with shorter lead times the old dates are accepted again (the keys are honoured)
    pad = _schrijf(tmp_path, """planning:
  fasen_weken: [8, 14, 6, 2, 3, 2, 0]
  advies_weken: 1
  aanlevertermijn_weken: 2
  toezending_dagen: 7
  raad: [2021-09-30, 2021-11-11]
  college: [2021-06-15, 2021-09-07, 2021-10-19, 2021-11-23]
  adviesraad: [2021-08-30, 2021-10-11]
  commissie: [2021-09-21, 2021-11-02]
""")
    tp = tijdpad.bereken(load_choices(pad).data)
    assert (tp.fase(3).besluit.adviesraad, tp.fase(3).besluit.college) == (D(2021, 10, 11), D(2021, 10, 19))


def test_fase_1_begint_na_de_versiedatum(tmp_path):
    # K1: the startnotitie dated 1 June, its phase beginning on 5 June
    pad = _schrijf(tmp_path, "planning:\n  fasen_weken: [7, 10, 6, 2, 3, 2, 0]\n  college: [2021-06-15]\n")
    bevindingen = [f for f in tijdpad.controleer(load_choices(pad)) if f.sleutel == "planning.fasen_weken"]
    assert len(bevindingen) == 1
    assert "5 juni 2021" in bevindingen[0].bericht and "1 juni 2021" in bevindingen[0].bericht
    # without meeting dates nothing is planned yet (a fresh `kit init`): no warning
    pad = _schrijf(tmp_path, "planning:\n  fasen_weken: [7, 10, 6, 2, 3, 2, 0]\n")
    assert tijdpad.controleer(load_choices(pad)) == []


@pytest.mark.parametrize("bestand", ["voorbeeld.yaml", "hbel/huizen.yaml", "lansingerland.yaml"])
def test_voorbeeldplanningen_haalbaar(bestand):
    choices = load_choices(ROOT / "choices" / bestand)
    assert tijdpad.controleer(choices) == []
    tp = tijdpad.bereken(choices.data)
    versie = tijdpad.als_datum(choices.data["versie"]["datum"])
    assert tp.fase(1).begin < versie < tp.fase(1).besluit.datum
    for nummer in (2, 3):
        b = tp.fase(nummer).besluit
        assert b.college - b.adviesraad >= dt.timedelta(weeks=tp.advies_weken) > dt.timedelta(0)
        assert b.commissie - b.college >= dt.timedelta(weeks=3)
    # review5 M02: the adviesraad has the draft at least toezending_dagen before it meets, and it never
    # meets within that many days after the raad decision its draft depends on (was one working day)
    minimum = dt.timedelta(days=tp.toezending_dagen)
    assert tp.toezending_dagen >= 14
    for nummer in (2, 3, 4):
        b = tp.fase(nummer).besluit
        assert b.toezending is not None and b.adviesraad - b.toezending >= minimum
        assert b.kader is None or b.adviesraad < b.kader or b.adviesraad - b.kader >= minimum
    # the verordening and the beleidsregels still reach the inwerkingtreding in the right order
    assert tp.fase(3).besluit.datum < tp.fase(4).besluit.datum < tp.inwerkingtreding


def test_termijn_te_kort_via_de_cli(tmp_path):
    """M2 through the CLI: a Dutch error with file, line and key path, exit code 1, no traceback."""
    import os
    import subprocess
    import sys

    pad = _schrijf(tmp_path, _OUDE_PLANNING + "  besluiten:\n    verordening: {adviesraad: 2021-10-14, college: 2021-10-19}\n")
    r = subprocess.run([sys.executable, "-m", "kit", "validate", str(pad)], capture_output=True, text=True,
                       env=dict(os.environ, KIT_DEBUG="1"), cwd=ROOT)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    regel = _regel(pad, "    verordening: {adviesraad")
    assert f"{pad}:{regel}: fout: planning.besluiten.verordening.adviesraad: Fase 3 (Verordening): de adviesraad " \
           "adviseert op 14 oktober 2021 en het college besluit al op 19 oktober 2021." in r.stdout
