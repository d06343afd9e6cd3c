"""kit batch: finding gemeenten (regio files skipped), bytes identical to kit render, --jobs 1
and 2 identical, one invalid file does not stop the others, doubled slugs, overwrite refusals,
plain progress lines without a terminal, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CHOICES = ROOT / "choices"
VOORBEELD = CHOICES / "voorbeeld.yaml"
GEMEENTEN = {"heuvelrode", "lansingerland", "huizen", "blaricum", "eemnes", "laren"}
BRONNEN = [VOORBEELD, CHOICES / "lansingerland.yaml"] + [
    CHOICES / "hbel" / f"{n}.yaml" for n in ("huizen", "blaricum", "eemnes", "laren")
]


def kit(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def inhoud(map_: Path) -> dict[str, bytes]:
    """Every file under ``map_`` (relative path → bytes)."""
    return {p.relative_to(map_).as_posix(): p.read_bytes() for p in sorted(map_.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def referentie(tmp_path_factory) -> Path:
    """``kit render`` of each file on its own."""
    doel = tmp_path_factory.mktemp("render")
    for bron in BRONNEN:
        r = kit("render", str(bron), "-o", str(doel), "--no-pdf")
        assert r.exit_code == 0, r.output
    return doel


@pytest.fixture(scope="module")
def batch1(tmp_path_factory):
    doel = tmp_path_factory.mktemp("batch1")
    r = kit("batch", str(CHOICES), "-o", str(doel), "--jobs", "1")
    return doel, r


@pytest.fixture(scope="module")
def batch2(tmp_path_factory):
    """In a new process, stderr not a terminal, two worker processes."""
    doel = tmp_path_factory.mktemp("batch2")
    p = subprocess.run(
        [sys.executable, "-m", "kit", "batch", str(CHOICES), "-o", str(doel), "--jobs", "2"],
        capture_output=True, text=True, cwd=os.getcwd(),
    )
    return doel, p


def test_alle_gemeenten_en_niet_het_regiobestand(batch1):
    doel, r = batch1
    assert r.exit_code == 0, r.output
    assert {p.name for p in doel.iterdir()} == GEMEENTEN
    assert "regio.yaml" in r.output  # said that it was skipped
    assert "6 gemeenten" in r.output


def test_bytes_gelijk_aan_kit_render(batch1, referentie):
    doel, _ = batch1
    verwacht = inhoud(referentie)
    assert len([n for n in verwacht if n.endswith(".docx")]) == 42
    assert inhoud(doel) == verwacht  # .docx and manifest.json


def test_jobs_1_en_2_geven_dezelfde_bytes(batch1, batch2):
    (doel1, _), (doel2, p) = batch1, batch2
    assert p.returncode == 0, p.stderr
    assert inhoud(doel1) == inhoud(doel2)


def test_voortgang_als_regels_zonder_terminal(batch2):
    _, p = batch2
    regels = [r for r in p.stderr.splitlines() if r.startswith("[")]
    assert len(regels) == 6
    assert {re.match(r"\[(\d)/6\]", r).group(1) for r in regels} == set("123456")
    assert "\x1b[" not in p.stderr  # no terminal codes
    assert "Traceback" not in p.stderr + p.stdout


def _kopie(doel: Path, naam: str, vervang: tuple[str, str] | None = None) -> Path:
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("Heuvelrode", naam)
    if vervang:
        assert vervang[0] in tekst
        tekst = tekst.replace(*vervang)
    pad = doel / f"{naam.lower()}.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


def test_ongeldig_bestand_stopt_de_anderen_niet(tmp_path):
    invoer = tmp_path / "in"
    invoer.mkdir()
    _kopie(invoer, "Aadorp")
    slecht = _kopie(invoer, "Bedorp", ("termijn_weken: 10", "termijn_weken: 99"))
    _kopie(invoer, "Cedorp")
    r = kit("batch", str(invoer), "-o", str(tmp_path / "uit"), "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert {p.name for p in (tmp_path / "uit").iterdir()} == {"aadorp", "cedorp"}
    assert "2 gemeenten gerenderd" in r.output and "1 mislukt" in r.output
    samenvatting = r.output[r.output.index("2 gemeenten gerenderd"):]
    assert str(slecht) in samenvatting
    assert re.search(rf"{re.escape(str(slecht))}:\d+: fout: pip\.termijn_weken", samenvatting)
    assert "Traceback" not in r.output


def test_twee_bestanden_zelfde_gemeente(tmp_path):
    invoer = tmp_path / "in"
    invoer.mkdir()
    eerste = _kopie(invoer, "Aadorp")
    tweede = invoer / "zz-aadorp.yaml"
    tweede.write_text(eerste.read_text(encoding="utf-8").replace("versie", "versie", 1), encoding="utf-8")
    r = kit("batch", str(invoer), "-o", str(tmp_path / "uit"), "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert str(tweede) in r.output and "aadorp" in r.output
    assert inhoud(tmp_path / "uit")  # the first was rendered


def test_gewijzigd_bestand_exit_3_de_ergste_code_wint(tmp_path):
    invoer = tmp_path / "in"
    invoer.mkdir()
    _kopie(invoer, "Aadorp")
    _kopie(invoer, "Bedorp", ("termijn_weken: 10", "termijn_weken: 99"))
    uit = tmp_path / "uit"
    assert kit("batch", str(invoer), "-o", str(uit), "--jobs", "1").exit_code == 1
    gewijzigd = uit / "aadorp" / "verordening.docx"
    gewijzigd.write_bytes(b"met opmerkingen van de adviesraad")
    r = kit("batch", str(invoer), "-o", str(uit), "--jobs", "1")
    assert r.exit_code == 3, r.output
    assert gewijzigd.read_bytes() == b"met opmerkingen van de adviesraad"
    assert kit("batch", str(invoer), "-o", str(uit), "--jobs", "1", "--force").exit_code == 1
    assert gewijzigd.read_bytes() != b"met opmerkingen van de adviesraad"


def test_onbestaande_bron_en_lege_map(tmp_path):
    r = kit("batch", str(tmp_path / "bestaat-niet"))
    assert r.exit_code == 2
    r = kit("batch", str(tmp_path), "-o", str(tmp_path / "uit"))
    assert r.exit_code == 2
    assert "Traceback" not in r.output


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_in_groepen_twee_gemeenten_in_een_libreoffice_aanroep(tmp_path):
    import json

    invoer = tmp_path / "in"
    invoer.mkdir()
    _kopie(invoer, "Aadorp")
    _kopie(invoer, "Bedorp")
    uit = tmp_path / "uit"
    r = kit("batch", str(invoer), "-o", str(uit), "--jobs", "1", "--pdf")
    assert r.exit_code == 0, r.output
    for slug in ("aadorp", "bedorp"):
        map_ = uit / slug
        pdfs = sorted(p.name for p in map_.glob("*.pdf"))
        assert pdfs == sorted(f"{d}.pdf" for d in ("startnotitie", "beleidskader", "verordening", "beleidsregels", "raadsinformatiebrief",
                                                      "raadsvoorstel-beleidskader", "raadsvoorstel-verordening"))
        assert all((map_ / p).read_bytes().startswith(b"%PDF") for p in pdfs)
        m = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
        assert {o["name"] for o in m["outputs"]} >= set(pdfs)
        assert m["inputs"]
    assert sorted(p.name for p in uit.iterdir()) == ["aadorp", "bedorp"]  # no temp folders left
