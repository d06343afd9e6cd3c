"""Issue 14: never a lost file, never a file the kit distrusts — what is on disk afterwards.

* item 4: a PDF edited while LibreOffice converts is not overwritten (kept aside, exit 3);
* item 6: one run per output folder (a second waits, then refuses: exit 3); a document open in
  an editor (LibreOffice ``.~lock.<name>#``, Word ``~$``) is not replaced (exit 3);
* item 7: a run killed (SIGKILL) anywhere leaves a folder the next run accepts (the manifest is
  never behind the disk); leftovers are cleaned; Ctrl-C stops LibreOffice with a Dutch message;
  a killed kit does not leave LibreOffice running;
* output paths: ``-o`` a file / a dangling symlink / read-only, the gemeente folder a file,
  ``manifest.json`` a folder, a full disk: a Dutch message, exit 2, nothing written.

The CLI runs with ``KIT_DEBUG=1`` so a traceback cannot pass as a message.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kit.cli import cli
from kit.manifest import sha256_bestand
from processen import soffice_voor
from kit.render import DOCUMENTEN

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "choices" / "voorbeeld.yaml"
ALLE = [f"{d}.docx" for d in DOCUMENTEN]
ENGELS = ("Traceback", "Error", "No such file", "Permission denied", "No space", "Errno")


def env(**extra: str) -> dict:
    return dict(os.environ, KIT_DEBUG="1", **extra)


def kit(*args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True, env=env(**extra), cwd=cwd)


def kit_met(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in a subprocess after ``code`` (monkeypatches) ran."""
    script = textwrap.dedent(code) + "\nimport sys\nfrom kit.cli import main\nsys.argv = ['kit', *sys.argv[1:]]\nmain()\n"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env(), cwd=cwd)


def momentopname(map_: Path) -> dict[str, bytes | str]:
    """Every path under ``map_`` with its bytes (files) or kind."""
    uit: dict[str, bytes | str] = {}
    if not os.path.lexists(map_):
        return uit
    for p in sorted(map_.rglob("*")):
        rel = p.relative_to(map_).as_posix()
        uit[rel] = p.read_bytes() if p.is_file() and not p.is_symlink() else ("link" if p.is_symlink() else "map")
    return uit


def manifest_klopt(map_: Path) -> None:
    """Every document on disk is in the manifest with its hash (the kit trusts its own files)."""
    m = json.loads((map_ / "manifest.json").read_text(encoding="utf-8"))
    uit = {o["name"]: o["sha256"] for o in m["outputs"]}
    for p in map_.iterdir():
        if p.suffix in (".docx", ".pdf"):
            assert uit.get(p.name) == sha256_bestand(p), p.name
    assert "bezig" not in m


def geen_resten(map_: Path) -> None:
    assert not [p.name for p in map_.iterdir() if p.name.startswith(".")], list(map_.iterdir())


def variant(tmp_path: Path, nummer: str) -> Path:
    tekst = VOORBEELD.read_text(encoding="utf-8").replace('nummer: "0.3"', f'nummer: "{nummer}"')
    assert f'nummer: "{nummer}"' in tekst
    pad = tmp_path / f"v{nummer}.yaml"
    pad.write_text(tekst, encoding="utf-8")
    return pad


# ------------------------------------------------------------------------------- item 7: kill -9

@pytest.mark.parametrize("moment", ["tijdelijk", "na_twee", "na_alle"])
def test_sigkill_tijdens_schrijven_laat_een_vertrouwde_map(tmp_path, moment):
    uit = tmp_path / "uit"
    assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    nieuw = variant(tmp_path, "0.4")
    code = f"""
        import os, signal
        import kit.manifest as m
        moment = {moment!r}
        teller = {{"n": 0}}
        echt_tmp, echt_plaats = m._schrijf_tijdelijk, m.Manifest.plaats
        def tmp(*a, **k):
            r = echt_tmp(*a, **k)
            teller["n"] += 1
            if moment == "tijdelijk" and teller["n"] == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return r
        def plaats(self, *a, **k):
            r = echt_plaats(self, *a, **k)
            teller["p"] = teller.get("p", 0) + 1
            if (moment == "na_twee" and teller["p"] == 2) or (moment == "na_alle" and teller["p"] == {len(DOCUMENTEN)}):
                os.kill(os.getpid(), signal.SIGKILL)
            return r
        m._schrijf_tijdelijk, m.Manifest.plaats = tmp, plaats
    """
    r = kit_met(code, "render", str(nieuw), "-o", str(uit), "--no-pdf", cwd=tmp_path)
    assert r.returncode == -signal.SIGKILL
    map_ = uit / "heuvelrode"
    # the rerun trusts every file (no exit 3, no --force needed) and cleans the leftovers
    r = kit("render", str(nieuw), "-o", str(uit), "--no-pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    manifest_klopt(map_)
    geen_resten(map_)


def test_sigkill_op_willekeurige_momenten(tmp_path):
    """kill -9 at several moments of real runs (two versions alternating): every rerun accepts."""
    uit = tmp_path / "uit"
    versies = [variant(tmp_path, "0.4"), variant(tmp_path, "0.5")]
    assert kit("render", str(versies[0]), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    for i, wacht in enumerate((0.9, 1.3, 1.6, 2.0, 2.4)):
        p = subprocess.Popen([sys.executable, "-m", "kit", "render", str(versies[(i + 1) % 2]), "-o", str(uit), "--no-pdf"],
                             env=env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(wacht)
        p.send_signal(signal.SIGKILL)
        p.wait()
        r = kit("render", str(versies[i % 2]), "-o", str(uit), "--no-pdf", cwd=tmp_path)
        assert r.returncode == 0, (wacht, r.stderr)
        manifest_klopt(uit / "heuvelrode")
        geen_resten(uit / "heuvelrode")


def test_interne_fout_na_schrijven_zegt_niet_niets_geschreven(tmp_path):
    code = """
        import kit.render as r
        echt = r.Renderer._pdf
        def kapot(self, *a, **k):
            raise RuntimeError("kapot")
        r.Renderer._pdf = kapot
        r.pdf_keuze = lambda pdf: True
    """
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code) + "\nimport sys\nfrom kit.cli import main\nsys.argv=['kit',*sys.argv[1:]]\nmain()",
         "render", str(VOORBEELD), "-o", str(tmp_path / "uit"), "--pdf"],
        capture_output=True, text=True, cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "KIT_DEBUG"},
    )
    assert r.returncode == 2
    assert "Interne fout" in r.stderr and "niets geschreven" not in r.stderr
    assert "verordening.docx" in r.stderr
    manifest_klopt(tmp_path / "uit" / "heuvelrode")


# ------------------------------------------------------------------------------- item 4: PDF edited

@pytest.fixture
def nep_libreoffice(monkeypatch, tmp_path):
    """A LibreOffice stand-in: writes a small fake PDF per document (no soffice needed)."""
    import kit.pdf
    import kit.render

    teller = {"n": 0, "tijdens": None}

    def naar_pdf(paden, uitvoermap, tijdslimiet=0):
        import tempfile

        doel = Path(tempfile.mkdtemp(dir=uitvoermap, prefix=".kit-pdf-"))
        teller["n"] += 1
        uit = []
        for p in paden:
            q = doel / (Path(p).stem + ".pdf")
            q.write_bytes(b"%PDF-1.4 nep " + str(teller["n"]).encode() + b" " + Path(p).read_bytes()[:64])
            uit.append(q)
        if teller["tijdens"]:
            teller["tijdens"]()
        return uit

    monkeypatch.setattr(kit.pdf, "naar_pdf", naar_pdf)
    monkeypatch.setattr(kit.pdf, "soffice", lambda: "/bin/true")
    monkeypatch.setenv("KIT_DEBUG", "1")
    return teller


def cli_render(*args: str):
    return CliRunner().invoke(cli, ["render", *args], catch_exceptions=False)


def test_pdf_gewijzigd_tijdens_conversie_blijft_en_nieuwe_staat_ernaast(tmp_path, nep_libreoffice):
    uit = tmp_path / "uit"
    assert cli_render(str(VOORBEELD), "-o", str(uit), "--pdf").exit_code == 0
    map_ = uit / "heuvelrode"
    pdf = map_ / "verordening.pdf"
    bewerkt = pdf.read_bytes() + b" aantekeningen van de griffie"
    nep_libreoffice["tijdens"] = lambda: pdf.write_bytes(bewerkt)  # edited while LibreOffice runs

    r = cli_render(str(VOORBEELD), "-o", str(uit), "--pdf")
    assert r.exit_code == 3, r.output
    assert pdf.read_bytes() == bewerkt  # the edit is kept
    nieuw = map_ / "verordening.nieuw.pdf"
    assert nieuw.read_bytes().startswith(b"%PDF-1.4 nep 2")  # the new PDF is kept aside
    assert "verordening.nieuw.pdf" in r.output and "Traceback" not in r.output
    # the other PDFs were replaced and are recorded; the edited one is not the kit's
    m = {o["name"]: o["sha256"] for o in json.loads((map_ / "manifest.json").read_text())["outputs"]}
    assert m["startnotitie.pdf"] == sha256_bestand(map_ / "startnotitie.pdf")
    assert m["verordening.pdf"] != sha256_bestand(pdf)
    geen_resten(map_)
    # and the next run still refuses the edited PDF (nothing lost by a rerun)
    nep_libreoffice["tijdens"] = None
    assert cli_render(str(VOORBEELD), "-o", str(uit), "--pdf").exit_code == 3
    assert pdf.read_bytes() == bewerkt


# ------------------------------------------------------------------------------- item 6: concurrency

def test_tweede_run_wacht_en_weigert_dan(tmp_path):
    uit = tmp_path / "uit"
    assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    map_ = uit / "heuvelrode"
    voor = momentopname(map_)
    fd = os.open(map_, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another run holds the folder
        r = kit("render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", cwd=tmp_path, KIT_WACHTTIJD="1")
    finally:
        os.close(fd)
    assert r.returncode == 3
    assert "andere kit-run" in r.stderr and "niets geschreven" in r.stderr
    assert momentopname(map_) == voor


def test_tweede_run_wacht_tot_de_eerste_klaar_is(tmp_path):
    uit = tmp_path / "uit"
    assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    map_ = uit / "heuvelrode"
    fd = os.open(map_, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    p = subprocess.Popen([sys.executable, "-m", "kit", "render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf"],
                         env=env(KIT_WACHTTIJD="60"), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    assert p.poll() is None  # waiting
    os.close(fd)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert "even wachten" in err
    manifest_klopt(map_)


def test_gelijktijdige_runs_mengen_geen_versies(tmp_path):
    uit = tmp_path / "uit"
    versies = [variant(tmp_path, "0.4"), variant(tmp_path, "0.5")]
    for _ronde in range(2):
        ps = [subprocess.Popen([sys.executable, "-m", "kit", "render", str(v), "-o", str(uit), "--no-pdf", "--force"],
                               env=env(), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
              for v in versies]
        for p in ps:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        map_ = uit / "heuvelrode"
        manifest_klopt(map_)
        import docx

        nummers = {docx.Document(str(map_ / n)).core_properties.version for n in ALLE}
        assert len(nummers) == 1, nummers  # all documents of one version
        geen_resten(map_)


@pytest.mark.parametrize("slot", [".~lock.verordening.docx#", "~$rordening.docx"])
def test_document_open_in_tekstverwerker_wordt_niet_vervangen(tmp_path, slot):
    uit = tmp_path / "uit"
    assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    map_ = uit / "heuvelrode"
    (map_ / slot).write_text(",Jan,pc,30.11.2026 10:00,file:///...;\n", encoding="utf-8")
    voor = momentopname(map_)
    for extra in ([], ["--force"]):
        r = kit("render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", *extra, cwd=tmp_path)
        assert r.returncode == 3, r.stderr
        assert "tekstverwerker" in r.stderr and slot in r.stderr
        assert momentopname(map_) == voor  # nothing replaced, nothing written
    (map_ / slot).unlink()
    assert kit("render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0


# ------------------------------------------------------------------------------- output paths

def _geweigerd(r: subprocess.CompletedProcess, *woorden: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert not any(w in r.stderr for w in ENGELS), r.stderr
    for w in woorden:
        assert w in r.stderr, r.stderr


def test_o_is_een_bestand(tmp_path):
    (tmp_path / "uit").write_text("geen map")
    voor = momentopname(tmp_path)
    _geweigerd(kit("render", str(VOORBEELD), "-o", str(tmp_path / "uit"), "--no-pdf", cwd=tmp_path), "geen map")
    assert momentopname(tmp_path) == voor


def test_o_is_een_dode_symlink(tmp_path):
    (tmp_path / "uit").symlink_to(tmp_path / "bestaat-niet")
    voor = momentopname(tmp_path)
    _geweigerd(kit("render", str(VOORBEELD), "-o", str(tmp_path / "uit"), "--no-pdf", cwd=tmp_path), "bestaat-niet")
    assert momentopname(tmp_path) == voor and not (tmp_path / "bestaat-niet").exists()


def test_gemeentemap_is_een_bestand(tmp_path):
    (tmp_path / "uit").mkdir()
    (tmp_path / "uit" / "heuvelrode").write_text("x")
    voor = momentopname(tmp_path)
    _geweigerd(kit("render", str(VOORBEELD), "-o", str(tmp_path / "uit"), "--no-pdf", cwd=tmp_path), "bestand")
    assert momentopname(tmp_path) == voor


def test_manifest_is_een_map(tmp_path):
    (tmp_path / "uit" / "heuvelrode" / "manifest.json").mkdir(parents=True)
    voor = momentopname(tmp_path)
    _geweigerd(kit("render", str(VOORBEELD), "-o", str(tmp_path / "uit"), "--no-pdf", cwd=tmp_path), "manifest.json")
    assert momentopname(tmp_path) == voor


def _mount(doel: Path, opties: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    doel.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opties, "tmpfs", str(doel)], capture_output=True).returncode == 0


def _umount(doel: Path) -> None:
    subprocess.run(["umount", "-l", str(doel)], capture_output=True)


def test_alleen_lezen_map(tmp_path):
    doel = tmp_path / "ro"
    if _mount(doel, "ro,size=1m"):
        try:
            _geweigerd(kit("render", str(VOORBEELD), "-o", str(doel / "uit"), "--no-pdf", cwd=tmp_path), "alleen-lezen")
            assert momentopname(doel) == {}
        finally:
            _umount(doel)
    elif os.geteuid() != 0:
        doel.mkdir()
        os.chmod(doel, 0o555)
        try:
            _geweigerd(kit("render", str(VOORBEELD), "-o", str(doel / "uit"), "--no-pdf", cwd=tmp_path), "alleen-lezen")
            assert momentopname(doel) == {}
        finally:
            os.chmod(doel, 0o755)
    else:  # pragma: no cover
        pytest.skip("root without mount: a read-only folder cannot be made")


def test_volle_schijf_echte_tmpfs(tmp_path):
    doel = tmp_path / "klein"
    if not _mount(doel, "size=3m"):
        pytest.skip("no tmpfs (needs root and mount)")
    try:
        uit = doel / "uit"
        assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
        map_ = uit / "heuvelrode"
        voor = momentopname(doel)
        vrij = os.statvfs(doel).f_bavail * os.statvfs(doel).f_frsize
        (doel / "vulling").write_bytes(b"\0" * max(0, vrij - 60_000))  # ~60 KB left
        voor["vulling"] = (doel / "vulling").read_bytes()
        r = kit("render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", cwd=tmp_path)
        _geweigerd(r, "schijf is vol")
        assert momentopname(doel) == voor  # old documents and manifest untouched, no temp files
        (doel / "vulling").unlink()
        assert kit("render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
        manifest_klopt(map_)
    finally:
        _umount(doel)


def test_volle_schijf_gesimuleerd(tmp_path):
    """Without a tmpfs: every write after the first 100 KB fails with ENOSPC."""
    code = """
        import errno, os
        import kit.manifest as m
        echt = os.fdopen
        geschreven = {"n": 0}
        class Vol:
            def __init__(self, f): self.f = f
            def write(self, data):
                geschreven["n"] += len(data)
                if geschreven["n"] > 100_000:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return self.f.write(data)
            def __getattr__(self, k): return getattr(self.f, k)
            def __enter__(self): return self
            def __exit__(self, *a): return self.f.__exit__(*a)
        m.os.fdopen = lambda *a, **k: Vol(echt(*a, **k))
    """
    uit = tmp_path / "uit"
    assert kit("render", str(VOORBEELD), "-o", str(uit), "--no-pdf", cwd=tmp_path).returncode == 0
    voor = momentopname(tmp_path / "uit")
    r = kit_met(code, "render", str(variant(tmp_path, "0.9")), "-o", str(uit), "--no-pdf", cwd=tmp_path)
    _geweigerd(r, "schijf is vol")
    assert momentopname(tmp_path / "uit") == voor
    # a fresh folder on a full disk: not even the folder stays
    r = kit_met(code, "render", str(VOORBEELD), "-o", str(tmp_path / "nieuw"), "--no-pdf", cwd=tmp_path)
    _geweigerd(r, "schijf is vol")
    assert not (tmp_path / "nieuw").exists()


# ------------------------------------------------------------------------------- item 7: LibreOffice

def _profielen(map_: Path) -> set[Path]:
    """The LibreOffice profile folders of the processes writing into ``map_``."""
    uit = set()
    for pid in soffice_voor(map_):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        for arg in cmd:
            if arg.startswith(b"-env:UserInstallation=file://"):
                uit.add(Path(arg.split(b"file://", 1)[1].decode()))
    return uit


def _start_pdf_en_wacht(tmp_path: Path, uit: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-m", "kit", "render", str(VOORBEELD), "-o", str(uit), "--pdf"],
                         env=env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    map_ = uit / "heuvelrode"
    eind = time.monotonic() + 400  # a busy machine: the documents come first
    while time.monotonic() < eind and not soffice_voor(map_):
        if p.poll() is not None:
            pytest.fail(f"render ended before LibreOffice started: {p.communicate()}")
        time.sleep(0.05)
    assert soffice_voor(map_), ("LibreOffice did not start", list(map_.iterdir()) if map_.exists() else None)
    time.sleep(0.3)
    return p


def _weg(map_: Path, seconden: float = 15) -> bool:
    eind = time.monotonic() + seconden
    while time.monotonic() < eind:
        if not soffice_voor(map_):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.libreoffice
def test_ctrl_c_stopt_libreoffice_met_een_nederlandse_melding(tmp_path):
    uit = tmp_path / "uit"
    p = _start_pdf_en_wacht(tmp_path, uit)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    map_ = uit / "heuvelrode"
    assert p.returncode == 130, err
    assert "Onderbroken" in err and "verordening.docx" in err and "Traceback" not in err
    assert _weg(map_, 5), "LibreOffice outlived the kit"
    manifest_klopt(map_)
    geen_resten(map_)


@pytest.mark.libreoffice
def test_kill_9_van_de_kit_stopt_libreoffice_en_de_volgende_run_ruimt_op(tmp_path):
    uit = tmp_path / "uit"
    p = _start_pdf_en_wacht(tmp_path, uit)
    map_ = uit / "heuvelrode"
    profielen = _profielen(map_)
    assert profielen
    p.send_signal(signal.SIGKILL)
    p.communicate()
    assert _weg(map_, 2), "LibreOffice outlived the kit"
    assert all(q.exists() for q in profielen)  # left behind by the killed run
    assert [q for q in map_.iterdir() if q.name.startswith(".kit-pdf-")]  # the leftover is there ...
    r = kit("render", str(VOORBEELD), "-o", str(uit), "--pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    geen_resten(map_)  # ... and gone after the next run
    assert not any(q.exists() for q in profielen)
    manifest_klopt(map_)
    assert len(list(map_.glob("*.pdf"))) == len(DOCUMENTEN)


def test_schrijf_alles_weigert_een_bestand_dat_tussendoor_wijzigt(tmp_path, monkeypatch):
    """Any caller of schrijf_alles (also kit diff) gets exit 3 when a file changes between the
    check and the rename: the change stays, the new file is kept aside."""
    import kit.manifest as m
    from kit.errors import WouldOverwrite

    manifest = m.Manifest(tmp_path)
    m.schrijf_alles(tmp_path, {"a.docx": b"een", "b.docx": b"een"}, manifest)
    manifest.schrijf([])
    manifest = m.Manifest(tmp_path)
    manifest.controleer(["a.docx", "b.docx"])
    echt = m._schrijf_tijdelijk

    def tussendoor(pad, data):
        if pad.name == "b.docx":
            (tmp_path / "a.docx").write_bytes(b"bewerkt")  # edited after the check
        return echt(pad, data)

    monkeypatch.setattr(m, "_schrijf_tijdelijk", tussendoor)
    with pytest.raises(WouldOverwrite) as e:
        m.schrijf_alles(tmp_path, {"a.docx": b"twee", "b.docx": b"twee"}, manifest)
    assert e.value.exit_code == 3 and "a.nieuw.docx" in str(e.value)
    assert (tmp_path / "a.docx").read_bytes() == b"bewerkt"
    assert (tmp_path / "a.nieuw.docx").read_bytes() == b"twee"
    assert (tmp_path / "b.docx").read_bytes() == b"twee"
