"""PDF through LibreOffice: one ``soffice --headless`` call for all documents of a render.

Each call gets its own user profile (``-env:UserInstallation``) in a fresh temp folder, so
parallel renders (``kit batch --jobs``) cannot clash; the profile is removed afterwards.
LibreOffice updates the PAGE/NUMPAGES fields when it exports. The PDFs are written to a
temp folder inside the output folder and then moved into place (atomic, never half a PDF).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

from kit.berichten import bericht
from kit.errors import KitError

TIJDSLIMIET = 300  # seconds for one conversion call


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
    programma = soffice()
    if programma is None:
        raise PdfFout(bericht("render.pdf_vereist"))
    uitvoermap.mkdir(parents=True, exist_ok=True)
    profiel = Path(tempfile.mkdtemp(prefix="kit-lo-profiel-"))
    doel = Path(tempfile.mkdtemp(dir=uitvoermap, prefix=".kit-pdf-"))
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
    try:
        proces = subprocess.Popen(
            opdracht, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=omgeving, start_new_session=True
        )
        try:
            _, fout = proces.communicate(timeout=tijdslimiet)
        except subprocess.TimeoutExpired:
            os.killpg(proces.pid, signal.SIGKILL)
            proces.communicate()
            raise PdfFout(bericht("render.pdf_mislukt", reden=bericht("render.pdf_tijd", seconden=tijdslimiet)))
        uit = [doel / (Path(p).stem + ".pdf") for p in paden]
        ontbrekend = [p.name for p in uit if not p.is_file()]
        if proces.returncode != 0 or ontbrekend:
            reden = (fout.decode("utf-8", "replace").strip().splitlines() or [f"exit {proces.returncode}"])[-1]
            raise PdfFout(bericht("render.pdf_mislukt", reden=reden))
        return uit
    except BaseException:
        shutil.rmtree(doel, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(profiel, ignore_errors=True)


def ruim_op(pdfs: Sequence[Path]) -> None:
    """Remove the temp folder of :func:`naar_pdf` output."""
    mappen = {p.parent for p in pdfs}
    for m in mappen:
        shutil.rmtree(m, ignore_errors=True)
