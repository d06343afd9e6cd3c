"""kit diff against hostile or odd input (issue 14) and its options (issue 12, points 5-7, 10).

Every case runs the real CLI with KIT_DEBUG=1 (a traceback cannot pass as a message) and
asserts what is on disk afterwards."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
ENGELS = re.compile(r"\b(fatal|error|not a|does not|exist|invalid|object name|pathspec|unknown revision|"
                    r"File is not|Bad CRC|Traceback|Errno)\b", re.I)


def kit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "KIT_DEBUG": "1", "PYTHONPATH": str(ROOT)}, timeout=300)


def _git(map_: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=map_, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git ontbreekt")
    r = tmp_path / "repo"
    (r / "keuzes").mkdir(parents=True)
    shutil.copy(VOORBEELD, r / "keuzes" / "v.yaml")
    _git(r, "init", "-q")
    _git(r, "add", ".")
    _git(r, "commit", "-qm", "v1")
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24")
    (r / "keuzes" / "v.yaml").write_text(tekst, encoding="utf-8")
    _git(r, "commit", "-qam", "v2")
    return r


def _nederlands(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "Interne fout" not in r.stderr, r.stderr
    assert not ENGELS.search(r.stderr), r.stderr
    assert "kit-diff-" not in r.stderr, r.stderr   # no temp path


def test_opschonen_verwijdert_niets_buiten_de_map(tmp_path):
    """A manifest.json that lists ../../x or an absolute path: those files stay."""
    uit = tmp_path / "a" / "b" / "pak"
    slachtoffer = tmp_path / "x"
    slachtoffer.write_text("niet van de kit", encoding="utf-8")
    absoluut = tmp_path / "abs.txt"
    absoluut.write_text("ook niet", encoding="utf-8")
    binnen = tmp_path / "a" / "b" / "pak" / "notities.txt"
    uit.mkdir(parents=True)
    binnen.write_text("griffie", encoding="utf-8")
    import hashlib

    def h(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    (uit / "manifest.json").write_text(json.dumps({"outputs": [
        {"name": "../../../x", "sha256": h(slachtoffer)},
        {"name": str(absoluut), "sha256": h(absoluut)},
        {"name": "notities.txt", "sha256": h(binnen)},
    ]}), encoding="utf-8")
    nieuw = tmp_path / "n.yaml"
    nieuw.write_text(VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24"), encoding="utf-8")
    r = kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit))
    assert r.returncode == 0, r.stderr
    assert slachtoffer.read_text(encoding="utf-8") == "niet van de kit"
    assert absoluut.read_text(encoding="utf-8") == "ook niet"
    assert binnen.read_text(encoding="utf-8") == "griffie"
    namen = [o["name"] for o in json.loads((uit / "manifest.json").read_text(encoding="utf-8"))["outputs"]]
    assert all("/" not in n for n in namen) and "notities.txt" not in namen


def test_opschonen_verwijdert_oud_pakketbestand(tmp_path):
    nieuw = tmp_path / "n.yaml"
    nieuw.write_text(VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24"), encoding="utf-8")
    uit = tmp_path / "pak"
    assert kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit)).returncode == 0
    assert (uit / "redline-verordening.docx").exists()
    r = kit("diff", str(VOORBEELD), str(VOORBEELD), "-o", str(uit))   # no changes: no redline
    assert r.returncode == 0, r.stderr
    assert not (uit / "redline-verordening.docx").exists()


def test_force(tmp_path):
    nieuw = tmp_path / "n.yaml"
    nieuw.write_text(VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24"), encoding="utf-8")
    uit = tmp_path / "pak"
    assert kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit)).returncode == 0
    (uit / "wijzigingen.md").write_text("aantekening", encoding="utf-8")
    r = kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit))
    assert r.returncode == 3 and "--force" in r.stderr + r.stdout
    assert (uit / "wijzigingen.md").read_text(encoding="utf-8") == "aantekening"
    r = kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit), "--force")
    assert r.returncode == 0, r.stderr
    assert "aantekening" not in (uit / "wijzigingen.md").read_text(encoding="utf-8")


@pytest.mark.libreoffice
def test_pdf_voor_het_hele_pakket(tmp_path):
    nieuw = tmp_path / "n.yaml"
    nieuw.write_text(VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24"), encoding="utf-8")
    uit = tmp_path / "pak"
    r = kit("diff", str(VOORBEELD), str(nieuw), "-o", str(uit), "--pdf")
    assert r.returncode == 0, r.stderr
    docx = sorted(p.stem for p in uit.glob("*.docx"))
    assert docx and sorted(p.stem for p in uit.glob("*.pdf")) == docx
    assert all(p.read_bytes().startswith(b"%PDF") for p in uit.glob("*.pdf"))
    assert not [p for p in uit.iterdir() if p.name.startswith(".kit-")]
    namen = {o["name"] for o in json.loads((uit / "manifest.json").read_text(encoding="utf-8"))["outputs"]}
    assert {f"{d}.pdf" for d in docx} <= namen


def test_manifest_noemt_revisies_en_hashes(repo, tmp_path):
    import hashlib

    uit = tmp_path / "pak"
    r = kit("diff", "HEAD~1:keuzes/v.yaml", "HEAD:keuzes/v.yaml", "-o", str(uit), cwd=repo)
    assert r.returncode == 0, r.stderr
    m = json.loads((uit / "manifest.json").read_text(encoding="utf-8"))
    revs = {x["revision"]: x for x in m["revisions"]}
    assert set(revs) == {"HEAD~1", "HEAD"}
    for rev, x in revs.items():
        commit = subprocess.run(["git", "rev-parse", rev], cwd=repo, capture_output=True, text=True).stdout.strip()
        assert x["commit"] == commit and x["source"] == f"{rev}:keuzes/v.yaml"
        inhoud = subprocess.run(["git", "show", f"{rev}:keuzes/v.yaml"], cwd=repo, capture_output=True).stdout
        assert x["files"] == [{"path": "keuzes/v.yaml", "sha256": hashlib.sha256(inhoud).hexdigest()}]


@pytest.mark.parametrize("bron, woorden", [
    ("HEAD:../buiten.yaml", ["buiten de git-repository"]),
    ("HEAD:keuzes", ["een map", "HEAD:keuzes"]),
    ("HEAD:keuzes/weg.yaml", ["bestaat niet in revisie"]),
    ("bestaatniet:keuzes/v.yaml", ["bestaat niet in deze git-repository"]),
    ("H" * 100000 + ":keuzes/v.yaml", ["geen geldige revisienaam"]),
    ("HEAD;rm -rf x:keuzes/v.yaml", ["geen geldige revisienaam"]),
])
def test_revisie_fouten_in_het_nederlands(repo, tmp_path, bron, woorden):
    uit = tmp_path / "pak"
    r = kit("diff", bron, "keuzes/v.yaml", "-o", str(uit), cwd=repo)
    assert r.returncode == 2, r.stderr
    for w in woorden:
        assert w in r.stderr, r.stderr
    _nederlands(r)
    assert len(r.stderr) < 2000
    assert not uit.exists() and not (repo / "x").exists()


def test_absoluut_pad_binnen_de_repository(repo, tmp_path):
    r = kit("diff", f"HEAD~1:{repo / 'keuzes' / 'v.yaml'}", "keuzes/v.yaml", "-o", str(tmp_path / "pak"), cwd=repo)
    assert r.returncode == 0, r.stderr


def test_buiten_de_repository_geen_git(tmp_path):
    r = kit("diff", "HEAD:v.yaml", str(VOORBEELD), "-o", str(tmp_path / "pak"), cwd=tmp_path)
    assert r.returncode == 2 and "geen git-repository" in r.stderr
    _nederlands(r)


def test_extends_in_revisie_blijft_in_de_revisie(repo, tmp_path):
    """``extends: ../../..`` inside a revision is refused; the host file is never read."""
    geheim = tmp_path / "geheim.yaml"
    geheim.write_text("gemeente:\n  naam: GEHEIM-UIT-HOST\n", encoding="utf-8")
    for waarde in ("../../geheim.yaml", str(geheim), "../../../../../../../../" + str(geheim).lstrip("/")):
        tekst = f"extends: {waarde}\n" + VOORBEELD.read_text(encoding="utf-8")
        (repo / "keuzes" / "e.yaml").write_text(tekst, encoding="utf-8")
        _git(repo, "add", ".")
        _git(repo, "commit", "-qm", "extends")
        r = kit("diff", "HEAD:keuzes/e.yaml", "keuzes/v.yaml", "-o", str(tmp_path / "pak"), cwd=repo)
        assert r.returncode == 2, r.stderr
        assert "buiten de git-repository" in r.stderr and "HEAD:keuzes/e.yaml" in r.stderr
        assert "GEHEIM-UIT-HOST" not in r.stderr + r.stdout
        _nederlands(r)
        assert not (tmp_path / "pak").exists()


def test_diep_geneste_yaml_in_revisie(repo, tmp_path):
    (repo / "keuzes" / "diep.yaml").write_text("a: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "diep")
    r = kit("diff", "HEAD:keuzes/diep.yaml", "keuzes/v.yaml", "-o", str(tmp_path / "pak"), cwd=repo)
    assert r.returncode in (1, 2), r.stderr
    assert "HEAD:keuzes/diep.yaml" in r.stderr
    assert "Traceback" not in r.stderr and "Interne fout" not in r.stderr and "kit-diff-" not in r.stderr
    assert not (tmp_path / "pak").exists()


def test_teksten_met_niet_ascii_namen(repo, tmp_path):
    """git ls-tree quotes non-ASCII names without -z; the kit reads them as they are."""
    teksten = repo / "keuzes" / "teksten"
    (teksten / "verordening").mkdir(parents=True)
    (teksten / "verordening" / "notitie-één.md").write_text("geen sjabloon", encoding="utf-8")
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("gemeente:\n", "gemeente:\n  teksten: teksten\n", 1)
    (repo / "keuzes" / "t.yaml").write_text(tekst, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "teksten")
    r = kit("diff", "HEAD:keuzes/t.yaml", "keuzes/t.yaml", "-o", str(tmp_path / "pak"), cwd=repo)
    assert r.returncode == 0, r.stderr
    _nederlands(r)


def test_melding_noemt_revisie_niet_tijdelijke_map(repo, tmp_path):
    tekst = VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: achttien")
    (repo / "keuzes" / "fout.yaml").write_text(tekst, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "fout")
    r = kit("diff", "HEAD:keuzes/fout.yaml", "keuzes/v.yaml", "-o", str(tmp_path / "pak"), cwd=repo)
    assert r.returncode == 1, r.stderr
    assert "HEAD:keuzes/fout.yaml" in r.stderr and "kit-diff-" not in r.stderr
    assert not (tmp_path / "pak").exists()


def test_uitvoer_is_een_bestand(tmp_path):
    doel = tmp_path / "bestand"
    doel.write_text("x", encoding="utf-8")
    nieuw = tmp_path / "n.yaml"
    nieuw.write_text(VOORBEELD.read_text(encoding="utf-8").replace("duur_maanden: 18", "duur_maanden: 24"), encoding="utf-8")
    r = kit("diff", str(VOORBEELD), str(nieuw), "-o", str(doel))
    assert r.returncode == 2 and "geen map" in r.stderr
    assert doel.read_text(encoding="utf-8") == "x"
    _nederlands(r)


def test_tweede_diff_in_dezelfde_map_wacht_en_weigert(tmp_path):
    """kit diff holds the output folder like kit render: a second run into the same folder waits
    (KIT_WACHTTIJD) and then refuses with exit 3, writing nothing."""
    from kit.manifest import map_slot

    uit = tmp_path / "pak"
    voorbeeld = str(ROOT / "choices" / "voorbeeld.yaml")
    with map_slot(uit):
        r = subprocess.run([sys.executable, "-m", "kit", "diff", voorbeeld, voorbeeld, "-o", str(uit)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300,
                           env={**os.environ, "KIT_DEBUG": "1", "KIT_WACHTTIJD": "0.5"})
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.strip()
    assert "na 0,5 seconden" in r.stderr  # Dutch decimal comma
    assert list(uit.iterdir()) == []


def test_wachttijd_nan_wacht_niet_eeuwig(tmp_path, monkeypatch):
    """KIT_WACHTTIJD=nan (or inf, or negative) is not a wait time: the default is used (NaN
    compared false and waited forever)."""
    from kit import manifest

    monkeypatch.setattr(manifest, "WACHTTIJD", 0.2)
    uit = tmp_path / "map"
    gezien = []
    for waarde in ("nan", "inf", "-1"):
        monkeypatch.setenv("KIT_WACHTTIJD", waarde)
        with manifest.map_slot(uit):
            with pytest.raises(manifest.MapBezet) as e:
                with manifest.map_slot(uit, meld=lambda _: None):
                    pass
        gezien.append(str(e.value))
    assert len(gezien) == 3 and all("na 0,2 seconden" in g for g in gezien), gezien
