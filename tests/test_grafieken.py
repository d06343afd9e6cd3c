"""Charts: valid, deterministic PNG; lazy mapping; region stacked; fast enough."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from kit import begroting, grafieken, prognose, tijdpad
from kit.loader import load_choices
from kit.minima import wettabel

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def bronnen():
    data = load_choices(ROOT / "choices" / "voorbeeld.yaml").data
    wet = wettabel().op(dt.date(2022, 1, 1))
    p = prognose.bereken(data["financien"])
    return p, begroting.bereken(data["financien"], p, wet), tijdpad.bereken(data)


def test_geldige_png(bronnen):
    from PIL import Image

    uit = grafieken.maak(*bronnen)
    assert list(uit) == ["prognose", "begroting", "tijdpad"]
    for naam, png in uit.items():
        assert png.startswith(PNG), naam
        beeld = Image.open(io.BytesIO(png))
        beeld.verify()
        beeld = Image.open(io.BytesIO(png))
        assert beeld.format == "PNG" and beeld.size[0] == round(grafieken.BREEDTE * grafieken.DPI)
        assert round(beeld.info["dpi"][0]) == grafieken.DPI
        assert b"Software" not in png and b"tIME" not in png


def test_deterministisch(bronnen):
    een = grafieken.maak(*bronnen)
    twee = grafieken.maak(*bronnen)
    assert een == twee


def test_deterministisch_over_processen(bronnen):
    code = (
        "import datetime as dt, hashlib\n"
        "from kit import begroting, grafieken, prognose, tijdpad\n"
        "from kit.loader import load_choices\nfrom kit.minima import wettabel\n"
        f"d = load_choices({str(ROOT / 'choices' / 'voorbeeld.yaml')!r}).data\n"
        "p = prognose.bereken(d['financien'])\n"
        "b = begroting.bereken(d['financien'], p, wettabel().op(dt.date(2022, 1, 1)))\n"
        "for n, png in grafieken.maak(p, b, tijdpad.bereken(d)).items(): print(n, hashlib.sha256(png).hexdigest())\n"
    )
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    hier = {n: hashlib.sha256(png).hexdigest() for n, png in grafieken.maak(*bronnen).items()}
    assert dict(regel.split() for regel in uit.splitlines()) == hier


def test_regio_gestapeld():
    delen = [prognose.bereken({"jaar": 2022, "prognose": {"statushouders_per_jaar": s, "volwassenen": v}}, n)
             for n, s, v in [("Huizen", 29, 20), ("Blaricum", 9, 6), ("Eemnes", 7, 4), ("Laren", 9, 6)]]
    regio = prognose.regio_totaal(delen, "HBEL")
    png = grafieken.teken("prognose", regio)
    assert png.startswith(PNG)
    assert png != grafieken.teken("prognose", delen[0])
    assert png == grafieken.teken("prognose", regio)


def test_lege_waarden():
    p = prognose.bereken({})
    assert grafieken.teken("prognose", p).startswith(PNG)


def test_lui_zonder_matplotlib():
    code = (
        "import sys\nfrom kit import grafieken, prognose\n"
        "g = grafieken.Grafieken(prognose=lambda: prognose.bereken({'prognose': {'statushouders_per_jaar': 9}}))\n"
        "assert 'matplotlib' not in sys.modules, 'te vroeg'\n"
        "assert list(g) == ['prognose'] and 'tijdpad' not in g and len(g) == 1\n"
        "assert 'matplotlib' not in sys.modules, 'te vroeg'\n"
        "png = g['prognose']\nassert png is g['prognose']\n"
        "assert 'matplotlib' in sys.modules\nprint('ok')\n"
    )
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert uit.stdout.strip() == "ok", uit.stderr


def test_lui_mapping(bronnen):
    p, b, t = bronnen
    g = grafieken.Grafieken(p, b, t)
    assert set(g) == {"prognose", "begroting", "tijdpad"}
    assert g["tijdpad"] == grafieken.teken("tijdpad", t)
    with pytest.raises(KeyError):
        g["onbekend"]
