"""Budget: SPUK per voorziening from the law table's norm amounts, estimates, saldo, risks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kit import begroting
from kit.begroting import VOORZIENINGEN, bereken
from kit.minima import wettabel
from kit.prognose import bereken as prognose_bereken

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wet():
    return wettabel().op(dt.date(2022, 1, 1))


def _norm(wet, naam):
    return wet[naam].waarde


def _prognose(volwassenen=20, gezin=8):
    return prognose_bereken({"jaar": 2022, "prognose": {"statushouders_per_jaar": 30, "volwassenen": volwassenen,
                                                         "gezinsmigranten_per_jaar": gezin}})


def test_spuk_per_voorziening_uit_de_wettabel(wet):
    b = bereken({"jaar": 2022}, _prognose(), wet)
    posten = b.per_voorziening
    assert list(posten) == list(VOORZIENINGEN)
    leer = posten["leerroutes"]
    n = _norm(wet, "spuk_leerroutes_asiel_max")
    assert leer.spuk == 20 * n
    assert leer.spuk_regels[0].formule == f"20 × €\u00a0{n:,} = €\u00a0{20 * n:,}".replace(",", ".")
    assert leer.spuk_regels[0].norm == "spuk_leerroutes_asiel_max"
    assert leer.spuk_regels[0].bron == wet["spuk_leerroutes_asiel_max"].bron_kort
    assert len(leer.spuk_regels) == 1                       # no norm for gezinsmigranten' leerroute
    assert posten["map"].spuk == 20 * _norm(wet, "spuk_map_asiel") + 8 * _norm(wet, "spuk_map_gezin")
    assert posten["maatschappelijke_begeleiding"].spuk == 20 * _norm(wet, "spuk_mb_asiel")
    assert posten["pvt"].spuk == 20 * _norm(wet, "spuk_pvt_asiel") + 8 * _norm(wet, "spuk_pvt_gezin")
    assert posten["tolk"].spuk == 20 * _norm(wet, "spuk_tolk_asiel") + 8 * _norm(wet, "spuk_tolk_gezin")
    assert b.spuk_totaal == sum(p.spuk for p in b.posten)
    assert b.norm_per_asiel == sum(_norm(wet, b_) for b_ in begroting.NORM_ASIEL.values())
    assert b.norm_per_gezin == sum(_norm(wet, g) for g in begroting.NORM_GEZIN.values() if g)
    # without an own estimate there is none: no raming, no saldo, one risk that says so (issue 11)
    assert b.raming_totaal is None and b.saldo is None and all(p.raming is None and p.saldo is None for p in b.posten)
    assert [r.sleutel for r in b.risicos] == [begroting.GEEN_RAMING]


def _vol(wet, fin=None, **asiel):
    """A complete own estimate: the norm amounts, with ``asiel`` overriding per voorziening."""
    fin = dict(fin or {})
    kosten = {v: _norm(wet, n) for v, n in begroting.NORM_ASIEL.items()}
    kosten.update(asiel)
    fin["kosten_per_inburgeraar"] = kosten
    fin.setdefault("kosten_per_gezinsmigrant", {v: _norm(wet, n) for v, n in begroting.NORM_GEZIN.items() if n})
    return fin


def test_seed_normbedragen(wet):
    """Seed 001 §6.1: total € 13.154 per asielmigrant and € 681 per gezinsmigrant."""
    b = bereken({}, _prognose(1, 1), wet)
    assert b.norm_per_asiel == 13154
    assert b.norm_per_gezin == 681
    assert b.spuk_totaal == 13154 + 681


def test_uitvoeringskosten(wet):
    fin = {"jaar": 2022, "uitvoeringskosten_rijk": [{"jaar": 2021, "bedrag": 61612},
                                                     {"jaar": 2022, "bedrag": 136934},
                                                     {"jaar": 2020, "bedrag": 82166, "incidenteel": True}],
           "uitvoeringskosten_raming": 140000}
    b = bereken(fin, _prognose(), wet)
    ua, ug = _norm(wet, "uitvoeringskosten_asiel"), _norm(wet, "uitvoeringskosten_gezin")
    assert b.uitvoeringskosten == 20 * ua + 8 * ug
    assert [r.formule for r in b.uitvoeringskosten_regels][0] == f"20 × €\u00a0{ua:,} = €\u00a0{20 * ua:,}".replace(",", ".")
    assert [u.jaar for u in b.uitvoeringskosten_rijk] == [2020, 2021, 2022]
    assert b.uitvoeringskosten_rijk[0].incidenteel
    assert b.uitvoeringskosten_rijk_jaar == 136934 == b.uitvoeringskosten_beschikbaar
    assert b.saldo_uitvoering == 136934 - 140000
    risico = next(r for r in b.risicos if r.sleutel == begroting.TEKORT_UITVOERING)
    assert (risico.bedrag, risico.grens, risico.raming) == (3066, 136934, 140000)


def test_tekort_bij_kosten_boven_norm(wet):
    tolk = _norm(wet, "spuk_tolk_asiel")
    fin = _vol(wet, tolk=tolk + 96, leerroutes=9500)
    b = bereken(fin, _prognose(), wet)
    post = b.per_voorziening["tolk"]
    assert post.raming == 20 * (tolk + 96) + 8 * _norm(wet, "spuk_tolk_gezin")
    assert post.saldo == -1920 and post.tekort == 1920
    tekorten = [r for r in b.risicos if r.sleutel == begroting.TEKORT_VOORZIENING]
    assert [(r.voorziening, r.bedrag, r.grens, r.raming) for r in tekorten] == [("tolk", 1920, post.spuk, post.raming)]
    # the leerroutes saving covers it: no total shortfall
    assert b.saldo == 20 * 500 - 1920
    assert not any(r.sleutel == begroting.TEKORT_TOTAAL for r in b.risicos)


def test_leerroute_boven_maximum_en_totaal_tekort(wet):
    maximum = _norm(wet, "spuk_leerroutes_asiel_max")
    b = bereken(_vol(wet, {"eigen_middelen": 10000}, leerroutes=maximum + 1500), _prognose(), wet)
    sleutels = [r.sleutel for r in b.risicos]
    assert sleutels == [begroting.LEERROUTE_BOVEN_NORM, begroting.TEKORT_VOORZIENING, begroting.TEKORT_TOTAAL]
    boven = b.risicos[0]
    assert (boven.bedrag, boven.grens, boven.raming, boven.per_inburgeraar) == (1500, maximum, maximum + 1500, True)
    assert b.risicos[1].bedrag == 30000
    assert b.risicos[2].bedrag == 30000 - 10000
    assert b.saldo == -20000 and b.heeft_tekort


def test_maatschappelijke_begeleiding_gezinsmigranten_zonder_norm(wet):
    fin = _vol(wet)
    fin["kosten_per_gezinsmigrant"]["maatschappelijke_begeleiding"] = 1000
    b = bereken(fin, _prognose(), wet)
    post = b.per_voorziening["maatschappelijke_begeleiding"]
    assert [r.groep for r in post.raming_regels] == ["asiel", "gezin"]
    assert post.raming_regels[1].formule == "8 × €\u00a01.000 = €\u00a08.000"
    assert post.tekort == 8000
    assert any(r.sleutel == begroting.TEKORT_VOORZIENING and r.voorziening == "maatschappelijke_begeleiding"
               for r in b.risicos)


def test_overschot_zonder_meeneemvoorziening(wet):
    b = bereken(_vol(wet, {"voorziening_meeneemregeling": False}, leerroutes=9000), _prognose(), wet)
    assert b.risicos[-1].sleutel == begroting.OVERSCHOT_ZONDER_VOORZIENING
    assert b.risicos[-1].bedrag == 20000
    met = bereken(_vol(wet, leerroutes=9000), _prognose(), wet)
    assert met.risicos == () and met.meeneemregeling
    assert met.meeneem_max == met.spuk_totaal * _norm(wet, "meeneemregeling_procent") // 100


def test_neppe_wettabel_met_getallen():
    wet = {n: 1 for n in list(begroting.NORM_ASIEL.values()) + [g for g in begroting.NORM_GEZIN.values() if g]
           + list(begroting.UITVOERING.values())}
    b = bereken({}, _prognose(2, 3), wet)
    assert b.spuk_totaal == 2 * 5 + 3 * 3
    assert b.meeneem_max is None


def test_voorbeeld(wet):
    from kit.loader import load_choices

    fin = load_choices(ROOT / "choices" / "voorbeeld.yaml").data["financien"]
    p = prognose_bereken(fin)
    b = bereken(fin, p, wet)
    assert b.jaar == 2022 and b.aantal_asiel == 20 and b.aantal_gezin == 8
    assert [r.sleutel for r in b.risicos] == [begroting.TEKORT_VOORZIENING]
    assert b.risicos[0].voorziening == "tolk"
    assert b.uitvoeringskosten_rijk_jaar == 98500 and b.saldo_uitvoering == 3500
