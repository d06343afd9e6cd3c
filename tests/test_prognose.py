"""Prognosis per leerroute: seed 001, bijlage 2 (HBEL), rounding rule, b1_eerst, regio."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import prognose
from kit.prognose import Prognose, bereken, regio_totaal

ROOT = Path(__file__).resolve().parents[1]

# Seed 001, bijlage 2, tabel 1: gemeente -> (totaal 2020, volwassenen, onderwijsroute, B1, Z)
HBEL_TABEL_1 = {
    "Huizen": (29, 20, 8, 8, 4),
    "Blaricum": (9, 6, 3, 2, 1),
    "Eemnes": (7, 4, 2, 1, 1),
    "Laren": (9, 6, 3, 2, 1),
}
HBEL_TOTAAL = (54, 36, 16, 13, 7)


def _hbel(naam: str, volgorde: str = "onderwijsroute_eerst") -> Prognose:
    totaal, volwassenen, *_ = HBEL_TABEL_1[naam]
    return bereken(
        {"jaar": 2022, "prognose": {"statushouders_per_jaar": totaal, "volwassenen": volwassenen,
                                    "aandeel_onderwijsroute_procent": 40, "aandeel_b1_procent": 65,
                                    "volgorde": volgorde}},
        gemeente=naam,
    )


def _rij(p: Prognose) -> tuple[int, ...]:
    return (p.statushouders, p.volwassenen, p.onderwijsroute, p.b1, p.z)


@pytest.mark.parametrize("naam", HBEL_TABEL_1)
def test_hbel_tabel_1_per_gemeente(naam):
    p = _hbel(naam)
    assert _rij(p) == HBEL_TABEL_1[naam]
    assert p.volwassenen_gegeven
    assert p.onderwijsroute + p.b1 + p.z == p.volwassenen


def test_hbel_tabel_1_totaal():
    regio = regio_totaal([_hbel(n) for n in HBEL_TABEL_1], naam="HBEL")
    assert _rij(regio) == HBEL_TOTAAL
    assert regio.is_regio and [d.gemeente for d in regio.delen] == list(HBEL_TABEL_1)
    assert regio.stap("volwassenen").formule == "20 + 6 + 4 + 6 = 36"
    assert regio.stap("onderwijsroute").formule == "8 + 3 + 2 + 3 = 16"
    assert regio.volgorde == "onderwijsroute_eerst" and regio.jaar == 2022


def test_rekenstappen_zichtbaar():
    p = _hbel("Huizen")
    assert [s.sleutel for s in p.stappen] == [
        "statushouders", "volwassenen", "kinderen", "onderwijsroute", "rest", "b1", "z", "gezinsmigranten"]
    assert p.stap("onderwijsroute").formule == "20 × 40\u00a0% = 8,0 → 8"
    assert p.stap("rest").formule == "20 − 8 = 12"
    assert p.stap("b1").formule == "12 × 65\u00a0% = 7,8 → 8"
    assert p.stap("z").formule == "12 − 8 = 4"
    assert p.stap("kinderen").uitkomst == 9 == p.kinderen
    assert p.stap("onderwijsroute").afronding == "omhoog"
    assert p.stap("b1").afronding == "half_omhoog"
    assert p.stap("z").afronding == "rest"


def test_afronding_onderwijsroute_omhoog_b1_half_omhoog():
    blaricum = _hbel("Blaricum")
    assert blaricum.stap("onderwijsroute").formule == "6 × 40\u00a0% = 2,4 → 3"   # omhoog, niet 2
    assert blaricum.stap("b1").formule == "3 × 65\u00a0% = 1,95 → 2"
    eemnes = _hbel("Eemnes")
    assert eemnes.stap("b1").formule == "2 × 65\u00a0% = 1,3 → 1"
    # half up, exactly (Fraction): 5 × 70 % = 3,5 → 4
    p = bereken({"prognose": {"statushouders_per_jaar": 10, "volwassenen": 10, "aandeel_onderwijsroute_procent": 50,
                              "aandeel_b1_procent": 70}})
    assert p.stap("b1").formule == "5 × 70\u00a0% = 3,5 → 4"


def test_b1_eerst():
    # seed tabel 2 (unrounded there): Huizen 20 → B1 13, onderwijsroute 7 × 40 % = 2,8, Z 4,2
    p = _hbel("Huizen", "b1_eerst")
    assert (p.b1, p.onderwijsroute, p.z) == (13, 3, 4)
    assert [s.sleutel for s in p.stappen][3:7] == ["b1", "rest", "onderwijsroute", "z"]
    assert p.stap("b1").formule == "20 × 65\u00a0% = 13,0 → 13"
    assert p.stap("onderwijsroute").formule == "7 × 40\u00a0% = 2,8 → 3"
    eemnes = _hbel("Eemnes", "b1_eerst")
    assert (eemnes.b1, eemnes.onderwijsroute, eemnes.z) == (3, 1, 0)
    regio = regio_totaal([_hbel(n, "b1_eerst") for n in HBEL_TABEL_1])
    assert regio.b1 == 24                                       # seed: 23,6 = 24
    assert regio.onderwijsroute + regio.b1 + regio.z == 36


def test_volwassenen_berekend_en_standaarden():
    p = bereken({"prognose": {"statushouders_per_jaar": 30, "gezinsmigranten_per_jaar": 8}})
    assert not p.volwassenen_gegeven
    assert p.stap("volwassenen").formule == "30 × 67\u00a0% = 20,1 → 20"
    assert (p.volwassenen, p.onderwijsroute, p.b1, p.z) == (20, 8, 8, 4)
    assert p.gezinsmigranten == 8 and p.inburgeraars == 28
    assert p.volgorde == "onderwijsroute_eerst"
    # 7 × 2/3 does not give the seed's 4 adults: that is why the seed's counts are given
    q = bereken({"prognose": {"statushouders_per_jaar": 7, "aandeel_volwassenen_procent": 66.67}})
    assert q.volwassenen == 5
    assert q.stap("volwassenen").formule.startswith("7 × 66,67\u00a0% ≈ 4,67 → 5")


def test_nul_en_leeg():
    p = bereken({})
    assert (p.statushouders, p.volwassenen, p.onderwijsroute, p.b1, p.z) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("fout", [
    {"statushouders_per_jaar": 5, "volwassenen": 6},
    {"statushouders_per_jaar": -1},
    {"statushouders_per_jaar": 5, "aandeel_b1_procent": 120},
    {"statushouders_per_jaar": 5, "volgorde": "z_eerst"},
])
def test_ongeldige_invoer(fout):
    with pytest.raises(ValueError):
        bereken({"prognose": fout})


def test_getalnotatie():
    assert prognose.getal(1234567) == "1.234.567"
    assert prognose.getal(2.4) == "2,4"
    assert prognose.euro(200000) == "€\u00a0200.000"  # no-break space
    assert prognose.euro(-1920) == "−€\u00a01.920"
    assert prognose.procent(65) == "65\u00a0%"


def test_voorbeeld():
    from kit.loader import load_choices

    p = bereken(load_choices(ROOT / "choices" / "voorbeeld.yaml").data["financien"])
    assert (p.statushouders, p.volwassenen, p.onderwijsroute, p.b1, p.z, p.gezinsmigranten) == (30, 20, 8, 8, 4, 8)


HBEL_BESTANDEN = {"Huizen": "huizen", "Blaricum": "blaricum", "Eemnes": "eemnes", "Laren": "laren"}


@pytest.mark.skipif(not (ROOT / "choices" / "hbel" / "huizen.yaml").exists(), reason="HBEL-bestanden ontbreken")
def test_hbel_keuzebestanden():
    from kit.loader import load_choices

    delen = []
    for naam, bestand in HBEL_BESTANDEN.items():
        choices = load_choices(ROOT / "choices" / "hbel" / f"{bestand}.yaml")
        p = bereken(choices.data["financien"], gemeente=choices.data["gemeente"]["naam"])
        assert p.gemeente == naam
        assert _rij(p) == HBEL_TABEL_1[naam]
        delen.append(p)
    assert _rij(regio_totaal(delen)) == HBEL_TOTAAL


@pytest.mark.skipif(not (ROOT / "choices" / "hbel" / "huizen.yaml").exists(), reason="HBEL-bestanden ontbreken")
def test_regio_van_hbel():
    from kit.loader import load_choices

    for bestand in HBEL_BESTANDEN.values():
        regio = prognose.regio_van(load_choices(ROOT / "choices" / "hbel" / f"{bestand}.yaml"))
        assert regio is not None and regio.is_regio and regio.gemeente == "HBEL"
        assert [d.gemeente for d in regio.delen] == list(HBEL_TABEL_1)        # order of organisatie.regio.gemeenten
        assert _rij(regio) == HBEL_TOTAAL
        assert [_rij(d) for d in regio.delen] == list(HBEL_TABEL_1.values())
    assert prognose.regio_van(load_choices(ROOT / "choices" / "voorbeeld.yaml")) is None


def test_regio_van_eigen_gegevens_en_broers(tmp_path):
    """The own gemeente counts with the data being rendered; a broken sibling, a file that does
    not extend the regio and the regio file itself are left out; one member alone is no regio."""
    from kit.loader import load_choices

    voorbeeld = (ROOT / "choices" / "voorbeeld.yaml").read_text(encoding="utf-8")
    (tmp_path / "regio.yaml").write_text(
        "organisatie:\n  samenwerking: regionaal\n  regio:\n    naam: Testregio\n    gemeenten: [Bee, Aa]\n",
        encoding="utf-8")

    def lid(bestand: str, naam: str, statushouders: int) -> None:
        import yaml

        data = yaml.safe_load(voorbeeld)
        data["gemeente"]["naam"] = naam
        data["organisatie"].pop("regio", None)
        data["financien"]["prognose"] = {"statushouders_per_jaar": statushouders, "volwassenen": statushouders}
        tekst = "extends: regio.yaml\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (tmp_path / bestand).write_text(tekst, encoding="utf-8")

    lid("aa.yaml", "Aa", 10)
    (tmp_path / "kapot.yaml").write_text("extends: regio.yaml\ngemeente: [\n", encoding="utf-8")
    (tmp_path / "los.yaml").write_text(voorbeeld, encoding="utf-8")          # does not extend the regio
    alleen = load_choices(tmp_path / "aa.yaml")
    assert alleen.herkomst("organisatie.regio") is not None
    assert prognose.regio_van(alleen) is None                                  # one member: no regio table
    lid("bee.yaml", "Bee", 5)
    regio = prognose.regio_van(load_choices(tmp_path / "aa.yaml"))
    assert [d.gemeente for d in regio.delen] == ["Bee", "Aa"] and regio.volwassenen == 15
    # the own file counts with the data in memory (an edited, not yet saved choice)
    aa = load_choices(tmp_path / "aa.yaml")
    aa.data["financien"]["prognose"]["statushouders_per_jaar"] = 20
    aa.data["financien"]["prognose"]["volwassenen"] = 20
    assert prognose.regio_van(aa).volwassenen == 25
    # a changed sibling is read again
    lid("bee.yaml", "Bee", 17)
    assert prognose.regio_van(load_choices(tmp_path / "aa.yaml")).volwassenen == 27


def test_regio_van_zonder_bestand():
    class Keuzes:
        data = {"gemeente": {"naam": "X"}}
        path = None

    assert prognose.regio_van(Keuzes()) is None
    assert prognose.regio_van(object()) is None
