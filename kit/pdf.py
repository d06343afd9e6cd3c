"""PDF through LibreOffice: one ``soffice --headless`` call for all documents of a render.

Each call gets its own user profile (``-env:UserInstallation``) in a fresh temp folder, so
parallel renders (``kit batch --jobs``) cannot clash; the profile is removed afterwards.
LibreOffice updates the PAGE/NUMPAGES fields when it exports. The PDFs are written to a
temp folder inside the output folder and then moved into place (atomic, never half a PDF).

LibreOffice never outlives the kit: it runs in its own process group, which the kit kills on
a timeout, on Ctrl-C or any other error; and a tiny watchdog process kills that group when the
kit itself dies without cleaning up (SIGKILL, the OOM killer). A profile left behind by such a
run is removed by the next one (it is locked while in use, see kit.manifest.tijdelijke_map).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from kit.berichten import bericht
from kit.errors import KitError

TIJDSLIMIET = 300  # seconds for one conversion call
PROFIEL_PREFIX = "kit-lo-profiel-"

#: the watchdog, started before LibreOffice: reads LibreOffice's process group from its stdin,
#: then waits until the kit says "done" (b"k") or dies (EOF), and then kills that group
_WACHTER = (
    "import os,signal,sys\n"
    "r=sys.stdin.buffer\n"
    "g=r.readline().strip()\n"
    "if g and r.read(1)!=b'k':\n"
    "    try: os.killpg(int(g),signal.SIGKILL)\n"
    "    except (OSError,ValueError): pass\n"
)


class PdfFout(KitError):
    exit_code = 2


def soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    for naam in ("soffice", "libreoffice"):
        pad = shutil.which(naam)
        if pad:
            return pad
    return None


def naar_pdf(paden: Sequence[Path], uitvoermap: Path, tijdslimiet: int = TIJDSLIMIET) -> list[Path]:
    """Convert ``paden`` (.docx) to PDF in ``uitvoermap``; returns the temp PDF paths.

    The PDFs are left in a temp folder inside ``uitvoermap`` (returned paths); the caller
    moves them into place after its overwrite check (see kit.render).
    """
    from kit.manifest import ruim_oude_mappen_op, tijdelijke_map

    programma = soffice()
    if programma is None:
        raise PdfFout(bericht("render.pdf_vereist"))
    uitvoermap.mkdir(parents=True, exist_ok=True)
    ruim_oude_mappen_op(tempfile.gettempdir(), PROFIEL_PREFIX)  # profiles of killed runs
    doel = Path(tempfile.mkdtemp(dir=uitvoermap, prefix=".kit-pdf-"))
    try:
        with tijdelijke_map(PROFIEL_PREFIX) as profiel:
            return _converteer(programma, profiel, doel, paden, tijdslimiet)
    except BaseException:
        shutil.rmtree(doel, ignore_errors=True)
        raise


def _converteer(programma: str, profiel: Path, doel: Path, paden: Sequence[Path], tijdslimiet: int) -> list[Path]:
    opdracht = [
        programma,
        f"-env:UserInstallation={profiel.as_uri()}",
        "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        "--convert-to", "pdf:writer_pdf_Export",
        "--outdir", str(doel),
        *[str(p) for p in paden],
    ]
    # Dutch locale: LibreOffice formats chart numbers (#,##0) with it, as Word does on a Dutch machine
    omgeving = dict(os.environ, HOME=str(profiel), LANG="nl_NL.UTF-8", LC_ALL="nl_NL.UTF-8")
    wachter = _wachter()  # first the watchdog, so that no moment exists with LibreOffice unwatched
    try:
        proces = subprocess.Popen(
            opdracht, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=omgeving,
            start_new_session=True,
        )
    except BaseException:
        _wachter_klaar(wachter)
        raise
    _wachter_groep(wachter, proces.pid)
    try:
        try:
            _, fout = proces.communicate(timeout=tijdslimiet)
        except subprocess.TimeoutExpired:
            _stop(proces)
            raise PdfFout(bericht("render.pdf_mislukt", reden=bericht("render.pdf_tijd", seconden=tijdslimiet))) from None
        except BaseException:  # Ctrl-C, an error: LibreOffice goes with us
            _stop(proces)
            raise
    finally:
        _wachter_klaar(wachter)
    uit = [doel / (Path(p).stem + ".pdf") for p in paden]
    ontbrekend = [p.name for p in uit if not p.is_file()]
    if proces.returncode != 0 or ontbrekend:
        reden = (fout.decode("utf-8", "replace").strip().splitlines() or [f"exit {proces.returncode}"])[-1]
        raise PdfFout(bericht("render.pdf_mislukt", reden=reden))
    return uit


def _stop(proces: subprocess.Popen) -> None:
    """Kill LibreOffice's whole process group (soffice starts soffice.bin) and reap it."""
    try:
        os.killpg(proces.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proces.communicate(timeout=30)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def _wachter() -> subprocess.Popen | None:
    """Start the watchdog (None if it cannot be started)."""
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _WACHTER],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
    except OSError:
        return None


def _wachter_groep(wachter: subprocess.Popen | None, pgid: int) -> None:
    """Tell the watchdog which process group to guard (one write, right after the start)."""
    if wachter is None:
        return
    try:
        wachter.stdin.write(f"{pgid}\n".encode())
        wachter.stdin.flush()
    except (OSError, ValueError):
        pass


def _wachter_klaar(wachter: subprocess.Popen | None) -> None:
    """LibreOffice has ended (or was killed by us): the watchdog may go without killing."""
    if wachter is None:
        return
    try:
        wachter.stdin.write(b"k")
        wachter.stdin.close()
    except (OSError, ValueError):
        pass
    try:
        wachter.wait(timeout=10)
    except subprocess.TimeoutExpired:
        wachter.kill()


def ruim_op(pdfs: Sequence[Path]) -> None:
    """Remove the temp folder of :func:`naar_pdf` output."""
    mappen = {p.parent for p in pdfs}
    for m in mappen:
        shutil.rmtree(m, ignore_errors=True)
