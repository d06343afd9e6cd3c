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
        (D(2021, 6, 5), D(2021, 7, 23)),
        (D(2021, 7, 24), D(2021, 10, 1)),
        (D(2021, 10, 2), D(2021, 11, 12)),
        (D(2021, 11, 13), D(2021, 11, 26)),
        (D(2021, 11, 27), D(2021, 12, 17)),
        (D(2021, 12, 18), D(2021, 12, 31)),
        (D(2022, 1, 1), D(2022, 1, 1)),
    ]
    assert [f.weken * 7 for f in tp.fasen[:6]] == [f.dagen for f in tp.fasen[:6]]
    assert tp.begin == D(2021, 6, 5)
    assert tp.fase(1).naam and tp.fase(7).onderdelen


def test_besluiten_voorbeeld(voorbeeld):
    tp = tijdpad.bereken(voorbeeld.data)
    s, b, v, r = (tp.fase(n).besluit for n in (1, 2, 3, 4))
    assert (s.document, s.orgaan, s.datum, s.rib, s.rib_raad) == ("startnotitie", "college", D(2021, 6, 15), True,
                                                                  D(2021, 7, 8))
    assert (b.document, b.orgaan, b.datum, b.college) == ("beleidskader", "raad", D(2021, 9, 30), D(2021, 9, 7))
    assert (v.document, v.orgaan, v.datum, v.college, v.adviesraad) == (
        "verordening", "raad", D(2021, 11, 11), D(2021, 10, 19), D(2021, 10, 11))
    # the procedure in order: adviesraad, college, commissie, raad
    assert v.adviesraad < v.college < v.commissie < v.datum and v.adviesraad_verplicht
    assert (b.adviesraad, b.commissie) == (D(2021, 8, 30), D(2021, 9, 21))
    assert (r.document, r.orgaan, r.datum) == ("beleidsregels", "college", D(2021, 11, 23))
    # review S3/B9: the adviesraad advises on the draft beleidsregels, with the verordening
    assert r.adviesraad == D(2021, 10, 11) < r.datum
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
  adviesraad: [2021-10-11]
""")
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
""")
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
  adviesraad: [2021-09-13, 2021-10-11]
""")
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
