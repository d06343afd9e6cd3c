"""kit render end to end: outputs, reproducibility, manifest and overwrite protection, --only,
validation errors, --pdf without LibreOffice, the default choice file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kit.cli import cli
from kit.manifest import schrijf_atomisch, sha256_bestand
from kit.render import DOCUMENTEN, Renderer

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
ALLE = [f"{d}.docx" for d in DOCUMENTEN]


def kit(*args: str):
    return CliRunner().invoke(cli, ["render", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def uitvoer(tmp_path_factory) -> Path:
    doel = tmp_path_factory.mktemp("render")
    r = kit(str(VOORBEELD), "-o", str(doel), "--no-pdf")
    assert r.exit_code == 0, r.output
    return doel / "heuvelrode"


def bestanden(map_: Path) -> set[str]:
    return {p.name for p in map_.iterdir()}


def test_vijf_documenten_en_manifest(uitvoer):
    assert bestanden(uitvoer) == set(ALLE) | {"manifest.json"}
    m = json.loads((uitvoer / "manifest.json").read_text(encoding="utf-8"))
    assert m["kit_version"]
    paden = [i["path"] for i in m["inputs"]]
    assert any(p.endswith("choices/voorbeeld.yaml") for p in paden)
    assert any(p.endswith("templates/huisstijl.docx") for p in paden)
    assert any(p.endswith("verordening.md.j2") for p in paden)
    assert all(len(i["sha256"]) == 64 for i in m["inputs"])
    uit = {o["name"]: o for o in m["outputs"]}
    assert set(uit) == set(ALLE)
    for naam, o in uit.items():
        assert o["sha256"] == sha256_bestand(uitvoer / naam)
        assert o["size"] == (uitvoer / naam).stat().st_size


def test_zelfde_bytes_ook_in_een_koud_proces(uitvoer, tmp_path):
    env = dict(os.environ, KIT_CACHE_DIR="")  # no cache at all: the slow path gives the same bytes
    subprocess.run([sys.executable, "-m", "kit", "render", str(VOORBEELD), "-o", str(tmp_path), "--no-pdf"],
                   check=True, env=env, capture_output=True, cwd=tmp_path)
    for naam in ALLE:
        assert (tmp_path / "heuvelrode" / naam).read_bytes() == (uitvoer / naam).read_bytes(), naam


def test_opnieuw_renderen_zonder_wijziging_mag(uitvoer):
    r = kit(str(VOORBEELD), "-o", str(uitvoer.parent), "--no-pdf")
    assert r.exit_code == 0, r.output


def test_gewijzigd_bestand_wordt_niet_overschreven(tmp_path):
    assert kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf").exit_code == 0
    map_ = tmp_path / "heuvelrode"
    gewijzigd = map_ / "verordening.docx"
    gewijzigd.write_bytes(gewijzigd.read_bytes() + b"opmerkingen van de adviesraad")
    inhoud = gewijzigd.read_bytes()
    (map_ / "startnotitie.docx").unlink()  # would be written again, if anything were written
    manifest = (map_ / "manifest.json").read_bytes()

    r = kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf")
    assert r.exit_code == 3
    assert "verordening.docx" in r.output
    assert gewijzigd.read_bytes() == inhoud
    assert not (map_ / "startnotitie.docx").exists()  # nothing written at all
    assert (map_ / "manifest.json").read_bytes() == manifest
    assert not [p for p in map_.iterdir() if p.name.startswith(".")]  # no temp files

    r = kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf", "--force")
    assert r.exit_code == 0, r.output
    assert gewijzigd.read_bytes() != inhoud
    assert (map_ / "startnotitie.docx").exists()
    assert kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf").exit_code == 0


def test_onbekend_bestand_wordt_niet_overschreven(tmp_path):
    map_ = tmp_path / "heuvelrode"
    map_.mkdir()
    (map_ / "beleidskader.docx").write_bytes(b"eigen werk")
    r = kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf")
    assert r.exit_code == 3 and "beleidskader.docx" in r.output
    assert bestanden(map_) == {"beleidskader.docx"}


def test_only(tmp_path):
    r = kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf", "--only", "verordening,beleidsregels")
    assert r.exit_code == 0, r.output
    assert bestanden(tmp_path / "heuvelrode") == {"verordening.docx", "beleidsregels.docx", "manifest.json"}
    # a later full render keeps the manifest entries right
    assert kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf").exit_code == 0


def test_only_onbekend_is_exit_2(tmp_path):
    r = kit(str(VOORBEELD), "-o", str(tmp_path), "--no-pdf", "--only", "verordening,notulen")
    assert r.exit_code == 2
    assert "notulen" in r.output and "raadsinformatiebrief" in r.output
    assert not any(tmp_path.iterdir())


def test_ongeldige_keuzes_exit_1_en_niets_geschreven(tmp_path):
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("  uren: 12 ", "  uren: 2 ")
    assert "uren: 2 " in tekst
    bestand = tmp_path / "ongeldig.yaml"
    bestand.write_text(tekst, encoding="utf-8")
    r = kit(str(bestand), "-o", str(tmp_path / "uit"), "--no-pdf")
    assert r.exit_code == 1
    assert "pvt.uren" in r.output and "fout" in r.output
    assert not (tmp_path / "uit").exists()


def test_pdf_zonder_libreoffice_is_exit_2(tmp_path, monkeypatch):
    leeg = tmp_path / "bin"
    leeg.mkdir()
    monkeypatch.setenv("PATH", str(leeg))
    r = kit(str(VOORBEELD), "-o", str(tmp_path / "uit"), "--pdf")
    assert r.exit_code == 2
    assert "libreoffice" in r.output.lower()
    assert not (tmp_path / "uit").exists()
    # without --pdf: the .docx files and one line on how to get PDFs
    r = kit(str(VOORBEELD), "-o", str(tmp_path / "uit"))
    assert r.exit_code == 0
    assert "apt-get install libreoffice-writer-nogui" in r.output
    assert bestanden(tmp_path / "uit" / "heuvelrode") == set(ALLE) | {"manifest.json"}


def test_zonder_bestand_het_voorbeeld(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    r = kit("-o", str(tmp_path), "--no-pdf", "--only", "raadsinformatiebrief")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "heuvelrode" / "raadsinformatiebrief.docx").is_file()


def test_onbestaand_keuzebestand_is_exit_2(tmp_path):
    r = kit(str(tmp_path / "bestaat-niet.yaml"), "-o", str(tmp_path), "--no-pdf")
    assert r.exit_code == 2


def test_renderer_hergebruik_geeft_dezelfde_bytes(uitvoer, tmp_path):
    r = Renderer()
    lansingerland = ROOT / "choices" / "lansingerland.yaml"
    r.render(lansingerland, tmp_path / "a", pdf=False)
    r.render(VOORBEELD, tmp_path / "a", pdf=False)
    for naam in ALLE:
        assert (tmp_path / "a" / "heuvelrode" / naam).read_bytes() == (uitvoer / naam).read_bytes()


def test_atomisch_schrijven_laat_geen_tijdelijk_bestand_achter(tmp_path, monkeypatch):
    doel = tmp_path / "x.docx"
    doel.write_bytes(b"oud")

    def kapot(*_a, **_k):
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", kapot)
    with pytest.raises(OSError):
        schrijf_atomisch(doel, b"nieuw")
    assert doel.read_bytes() == b"oud"
    assert [p.name for p in tmp_path.iterdir()] == ["x.docx"]


def test_fout_tijdens_schrijven_laat_geen_tijdelijke_bestanden(tmp_path, monkeypatch):
    import kit.manifest

    echte = os.replace
    teller = {"n": 0}

    def derde_faalt(a, b):
        if Path(b).is_relative_to(tmp_path):  # the output folder (not the cache's own writes)
            teller["n"] += 1
            if teller["n"] == 3:
                raise OSError("schijf vol")
        return echte(a, b)

    monkeypatch.setattr(kit.manifest.os, "replace", derde_faalt)
    with pytest.raises(kit.manifest.SchrijfFout) as e:  # a Dutch message, exit 2, no OS text
        Renderer().render(VOORBEELD, tmp_path, pdf=False)
    assert e.value.exit_code == 2 and "schijf vol" not in str(e.value)
    map_ = tmp_path / "heuvelrode"
    assert not [p for p in map_.iterdir() if p.name.startswith(".")]
    # the two files written before the error are the kit's own: a new render may replace them
    monkeypatch.setattr(kit.manifest.os, "replace", echte)
    Renderer().render(VOORBEELD, tmp_path, pdf=False)


def _eigen_gemeente(tmp_path: Path, extra: str) -> Path:
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("  naam: Heuvelrode\n", "  naam: Heuvelrode\n" + extra, 1)
    bestand = tmp_path / "heuvelrode.yaml"
    bestand.write_text(tekst, encoding="utf-8")
    return bestand


def _tekst(pad: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(pad).paragraphs)


def test_eigen_teksten_als_map(tmp_path):
    eigen = tmp_path / "teksten" / "rib"
    eigen.mkdir(parents=True)
    (eigen / "rib.md.j2").write_text("@hoofdstuk eigen | Eigen brief\nBeste raad van {{ gemeente.naam }}.\n", encoding="utf-8")
    bestand = _eigen_gemeente(tmp_path, "  teksten: teksten\n")
    r = kit(str(bestand), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "raadsinformatiebrief,verordening")
    assert r.exit_code == 0, r.output
    map_ = tmp_path / "uit" / "heuvelrode"
    assert "Beste raad van Heuvelrode." in _tekst(map_ / "raadsinformatiebrief.docx")
    assert "Artikel 1" in _tekst(map_ / "verordening.docx")  # the kit's own text where not overridden
    assert "rib/rib.md.j2" in (map_ / "manifest.json").read_text(encoding="utf-8")


def test_eigen_teksten_als_yaml_en_fout_met_regel(tmp_path):
    (tmp_path / "teksten.yaml").write_text(
        "rib/rib.md.j2: |\n  @hoofdstuk eigen | Eigen\n  Regel 2\n  {{ gemeente.bestaat_niet }}\n", encoding="utf-8")
    bestand = _eigen_gemeente(tmp_path, "  teksten: teksten.yaml\n")
    r = kit(str(bestand), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "raadsinformatiebrief")
    assert r.exit_code == 2
    assert "bestaat_niet" in r.output
    assert not (tmp_path / "uit").exists()


def test_eigen_huisstijl(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Huisstijl van {{ meta.gemeente }}")
    d.add_paragraph("{{p inhoud }}")
    d.save(tmp_path / "stijl.docx")
    bestand = _eigen_gemeente(tmp_path, "  huisstijl: stijl.docx\n")
    r = kit(str(bestand), "-o", str(tmp_path / "uit"), "--no-pdf", "--only", "beleidsregels")
    assert r.exit_code == 0, r.output
    tekst = _tekst(tmp_path / "uit" / "heuvelrode" / "beleidsregels.docx")
    assert tekst.startswith("Huisstijl van Heuvelrode\n")
