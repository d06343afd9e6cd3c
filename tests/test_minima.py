"""The dated law table (kit/data/minima.yaml) and `kit minima`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit.berichten import heeft_bericht
from kit.errors import InputError
from kit.minima import (
    EENHEDEN,
    SOORTEN,
    Figuur,
    WettabelFout,
    laad_wettabel,
    met_eenheid,
    toon_minima,
    wettabel,
)

FIXTURES = Path(__file__).parent / "fixtures" / "minima"
ROOT = Path(__file__).resolve().parents[1]

# The names fixed in docs/ARCHITECTURE.md ("The law table"): validate and templates use them.
VASTE_NAMEN = [
    "pip_termijn_weken_max", "pip_verlenging_weken_na_informatie", "inburgeringstermijn_jaren",
    "pvt_uren_min", "map_uren_praktijk_min", "ontzorgen_maanden_min", "zroute_uren_cursus_min",
    "zroute_uren_participatie_min", "afschalen_uren_min", "leerroute_wissel_maanden_max",
    "onderwijsroute_leeftijd", "examens_vergoed", "boete_brede_intake", "boete_pip_max",
    "boete_duo_examen_max", "boete_duo_pvt_max", "boete_duo_map_max", "spuk_leerroutes_asiel_max",
    "spuk_map_asiel", "spuk_map_gezin", "spuk_mb_asiel", "spuk_pvt_asiel", "spuk_pvt_gezin",
    "spuk_tolk_asiel", "spuk_tolk_gezin", "uitvoeringskosten_asiel", "uitvoeringskosten_gezin",
    "meeneemregeling_procent",
]

# (name, value on 2022-01-01, unit, kind, confidence) as in shared/domain/minima.md
VERWACHT = [
    ("pip_termijn_weken_max", 10, "week", "maximum", "A"),
    ("pip_verlenging_weken_na_informatie", 2, "week", "maximum", "A"),
    ("inburgeringstermijn_jaren", 3, "jaar", "vast", "A"),
    ("pvt_uren_min", 12, "uur", "minimum", "A"),
    ("map_uren_praktijk_min", 40, "uur", "minimum", "B"),
    ("ontzorgen_maanden_min", 6, "maand", "minimum", "A"),
    ("zroute_uren_cursus_min", 800, "uur", "minimum", "A"),
    ("zroute_uren_participatie_min", 800, "uur", "minimum", "A"),
    ("afschalen_uren_min", 600, "uur", "minimum", "A"),
    ("leerroute_wissel_maanden_max", 18, "maand", "maximum", "B"),
    ("onderwijsroute_leeftijd", 28, "leeftijd", "vast", "B"),
    ("examens_vergoed", 2, "aantal", "vast", "B"),
    ("boete_brede_intake", 250, "euro", "vast", "A"),
    ("boete_pip_max", 800, "euro", "maximum", "A"),
    ("boete_duo_examen_max", 1000, "euro", "maximum", "B"),
    ("boete_duo_pvt_max", 340, "euro", "maximum", "B"),
    ("boete_duo_map_max", 340, "euro", "maximum", "B"),
    ("spuk_leerroutes_asiel_max", 10000, "euro", "norm", "B"),
    ("spuk_map_asiel", 150, "euro", "norm", "B"),
    ("spuk_map_gezin", 215, "euro", "norm", "B"),
    ("spuk_mb_asiel", 2250, "euro", "norm", "B"),
    ("spuk_pvt_asiel", 250, "euro", "norm", "B"),
    ("spuk_pvt_gezin", 250, "euro", "norm", "B"),
    ("spuk_tolk_asiel", 504, "euro", "norm", "B"),
    ("spuk_tolk_gezin", 216, "euro", "norm", "B"),
    ("uitvoeringskosten_asiel", 4200, "euro", "norm", "B"),
    ("uitvoeringskosten_gezin", 2700, "euro", "norm", "B"),
    ("meeneemregeling_procent", 100, "procent", "maximum", "B"),
]


def kit(*args: str) -> subprocess.CompletedProcess:
    # KIT_DEBUG=1: an internal error shows as a traceback (and fails), not as a tidy exit 2
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**__import__("os").environ, "KIT_DEBUG": "1"})


def test_alle_vaste_namen_bestaan():
    assert set(VASTE_NAMEN) <= set(wettabel().namen)


@pytest.mark.parametrize("naam,waarde,eenheid,soort,zekerheid", VERWACHT)
def test_figuren_zoals_domein(naam, waarde, eenheid, soort, zekerheid):
    f = wettabel().op(dt.date(2022, 1, 1))[naam]
    assert (f.waarde, f.eenheid, f.soort, f.zekerheid) == (waarde, eenheid, soort, zekerheid)
    assert f.sinds == dt.date(2022, 1, 1)


def test_elke_figuur_heeft_eerlijke_bron():
    for naam in wettabel().namen:
        for f in wettabel().geschiedenis(naam):
            assert f.wet and f.bron and f.omschrijving
            assert f.eenheid in EENHEDEN and f.soort in SOORTEN
            if f.zekerheid == "B":
                assert "te verifiëren" in f.bron, naam
            if f.artikel is None:
                # without a known article the short source says so
                assert "te verifiëren" in f.bron_kort, naam


def test_bron_kort():
    wet = wettabel().op("2022-01-01")
    assert str(wet["pvt_uren_min"].bron_kort) == "art. 3.1 Besluit inburgering 2021"
    assert wet["ontzorgen_maanden_min"].bron_kort == "art. 56a Participatiewet"
    assert wet["boete_pip_max"].bron_kort.endswith("Wet inburgering 2021")


def test_voor_de_wet_geen_figuren():
    assert wettabel().op(dt.date(2021, 12, 31)) == {}
    assert wettabel().eerste_datum == dt.date(2022, 1, 1)


def test_wettabel_is_gecachet():
    assert wettabel() is wettabel()


def test_op_kiest_waarde_per_datum():
    tabel = laad_wettabel(FIXTURES / "geldig.yaml")
    assert tabel.op("2018-05-31") == {}
    oud = tabel.op(dt.date(2018, 6, 1))
    assert set(oud) == {"proef_uren_min"} and oud["proef_uren_min"].waarde == 4
    assert oud["proef_uren_min"].zekerheid == "B"
    nieuw = tabel.op(dt.date(2022, 1, 1))
    assert nieuw["proef_uren_min"].waarde == 12 and nieuw["proef_uren_min"].sinds == dt.date(2022, 1, 1)
    assert "proef_bedrag" not in nieuw
    assert tabel.op(dt.datetime(2030, 1, 1))["proef_bedrag"].waarde == 10000
    assert tabel.nieuwste()["proef_uren_min"].waarde == 12
    assert [f.waarde for f in tabel.geschiedenis("proef_uren_min")] == [4, 12]


@pytest.mark.parametrize(
    "bestand,fragment",
    [
        ("onbekende_sleutel.yaml", "onbekende sleutel 'eenheid'"),
        ("slechte_datum.yaml", "2022-13-01"),
        ("datum_tekst.yaml", "ongeldige datum '1 januari 2022'"),
        ("geen_referentie.yaml", "bronvermelding (reference) ontbreekt"),
        ("referentie_zonder_wet.yaml", "mist 'wet'"),
        ("onbekende_eenheid.yaml", "onbekende eenheid 'dagen'"),
        ("onbekende_soort.yaml", "onbekende soort 'ondergrens'"),
        ("zekerheid_c.yaml", "zekerheid moet A of B zijn"),
        ("zekerheid_b_zonder_voorbehoud.yaml", "te verifiëren"),
        ("waarde_tekst.yaml", "waarde (value) ontbreekt of is geen getal"),
        ("dubbele_figuur.yaml", "sleutel 'proef' twee keer"),
        ("geen_omschrijving.yaml", "mist de sleutel 'description'"),
        ("kapot.yaml", "is niet te lezen"),
    ],
)
def test_kapotte_tabel_geeft_duidelijke_fout(bestand, fragment):
    with pytest.raises(WettabelFout) as e:
        laad_wettabel(FIXTURES / bestand)
    assert isinstance(e.value, InputError)
    assert fragment in str(e.value)
    assert bestand in str(e.value)


def test_ontbrekend_tabelbestand():
    with pytest.raises(WettabelFout):
        laad_wettabel(FIXTURES / "bestaat_niet.yaml")


def test_eenheden_hebben_een_tekst():
    for eenheid in EENHEDEN:
        assert heeft_bericht(f"minima.eenheid_{eenheid}")
    assert met_eenheid(10000, "euro") == "€\u00a010.000"  # no-break space: document text
    assert met_eenheid(1, "maand") == "1 maand"
    assert met_eenheid(6, "maand") == "6 maanden"
    assert met_eenheid(2.5, "uur") == "2,50 uur"
    assert met_eenheid(2023, "jaartal") == "2023"   # review3 M6: a peiljaar, no thousands separator


def test_toon_minima_tekst():
    tekst = toon_minima(dt.date(2022, 1, 1), "text")
    assert "2022-01-01" in tekst
    assert "pvt_uren_min" in tekst and "12 uur" in tekst and "art. 3.1 Besluit inburgering 2021" in tekst
    assert "Participatieverklaringstraject".lower() in tekst.lower()
    assert "€\u00a0800" in tekst


def test_toon_minima_zonder_datum_is_nieuwste():
    zonder = json.loads(toon_minima(None, "json"))
    assert zonder["datum"] is None
    assert zonder["figuren"]["pvt_uren_min"]["waarde"] == 12
    assert "nieuwste" in toon_minima(None, "text")


def test_toon_minima_voor_de_wet():
    tekst = toon_minima(dt.date(2020, 1, 1), "text")
    assert "nog geen figuren" in tekst
    assert json.loads(toon_minima(dt.date(2020, 1, 1), "json"))["figuren"] == {}


def test_cli_minima_json():
    r = kit("minima", "--datum", "2022-01-01", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    pvt = data["figuren"]["pvt_uren_min"]
    assert pvt["waarde"] == 12
    assert pvt["eenheid"] == "uur"
    assert pvt["artikel"] == "art. 3.1"
    assert pvt["wet"] == "Besluit inburgering 2021"
    assert pvt["bron"] and pvt["zekerheid"] == "A"
    assert pvt["bron_kort"] == "art. 3.1 Besluit inburgering 2021"


def test_cli_minima_tekst_en_zonder_datum():
    r = kit("minima")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "pvt_uren_min" in r.stdout
    r = kit("minima", "--datum", "2019-01-01")
    assert r.returncode == 0 and "nog geen figuren" in r.stdout


def test_cli_minima_slechte_datum_is_gebruiksfout():
    r = kit("minima", "--datum", "gisteren")
    assert r.returncode == 2 and "Traceback" not in r.stderr + r.stdout
    assert "'gisteren' is geen geldige datum" in r.stderr and "JJJJ-MM-DD" in r.stderr, r.stderr


def test_figuur_als_dict():
    f: Figuur = wettabel().op("2022-01-01")["boete_pip_max"]
    d = f.als_dict()
    assert d["waarde"] == 800 and d["sinds"] == "2022-01-01" and d["waarde_tekst"] == "€\u00a0800"
