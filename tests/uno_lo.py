"""LibreOffice as the griffie's real client, through UNO (run with /usr/bin/python3, which has
Debian's ``uno`` module; the tests call it as a subprocess, see tests/lo_uno.py).

Usage: ``/usr/bin/python3 tests/uno_lo.py opdrachten.json uitvoer.json``. Each job:

* ``{"op": "tekst", "pad": P, "modus": "plain"|"accept"|"reject"}`` → the paragraph texts of the
  body (tables cell by cell, in order) after nothing / Accept All / Reject All, plus the
  number of tracked changes LibreOffice sees in the file (``redlines``, by type);
* ``{"op": "compare", "oud": P1, "nieuw": P2}`` → LibreOffice's own Compare (Edit > Track
  Changes > Compare Document: the new document open, the old one compared) and the number
  of tracked changes it makes, by type.

soffice runs headless with its own profile on a private pipe; it is killed at the end, also
on error or timeout (``KIT_UNO_TIJD`` seconds for the whole run, default 240).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uno  # noqa: E402  (Debian's python3-uno)
from com.sun.star.beans import PropertyValue  # noqa: E402


def _prop(naam, waarde):
    p = PropertyValue()
    p.Name, p.Value = naam, waarde
    return p


def _url(pad: str) -> str:
    return uno.systemPathToFileUrl(str(Path(pad).resolve()))


class LibreOffice:
    def __init__(self) -> None:
        self.profiel = Path(tempfile.mkdtemp(prefix="kit-uno-profiel-"))
        self.pijp = f"kit_uno_{uuid.uuid4().hex[:12]}"
        programma = shutil.which("soffice") or shutil.which("libreoffice")
        if programma is None:
            raise SystemExit("soffice niet gevonden")
        self.proces = subprocess.Popen(
            [programma, f"-env:UserInstallation={self.profiel.as_uri()}", "--headless", "--invisible",
             "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"--accept=pipe,name={self.pijp};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env=dict(os.environ, HOME=str(self.profiel)),
        )
        lokaal = uno.getComponentContext()
        resolver = lokaal.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", lokaal)
        fout = None
        for _ in range(240):
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={self.pijp};urp;StarOffice.ComponentContext")
                break
            except Exception as e:  # NoConnectException while soffice starts
                fout = e
                if self.proces.poll() is not None:
                    raise SystemExit(f"soffice stopte: {fout}")
                time.sleep(0.25)
        else:
            raise SystemExit(f"geen verbinding met soffice: {fout}")
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)

    def open(self, pad: str):
        return self.desktop.loadComponentFromURL(_url(pad), "_blank", 0, (_prop("Hidden", True),))

    def opdracht(self, doc, naam: str, *args) -> None:
        frame = doc.getCurrentController().getFrame()
        self.dispatcher.executeDispatch(frame, naam, "", 0, tuple(args))

    def stop(self) -> None:
        try:
            self.desktop.terminate()
        except Exception:
            pass
        try:
            os.killpg(self.proces.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proces.wait()
        shutil.rmtree(self.profiel, ignore_errors=True)


def redlines(doc, details: list | None = None) -> dict:
    uit: dict[str, int] = {}
    r = doc.getRedlines()
    en = r.createEnumeration()
    while en.hasMoreElements():
        rl = en.nextElement()
        soort = rl.getPropertyValue("RedlineType")
        uit[soort] = uit.get(soort, 0) + 1
        if details is not None:
            try:
                begin = rl.getPropertyValue("RedlineStart")
                c = begin.getText().createTextCursorByRange(begin)
                c.gotoRange(rl.getPropertyValue("RedlineEnd"), True)
                details.append([soort, c.getString()[:200]])
            except Exception as e:  # a redline in a table row has no text range of its own
                details.append([soort, f"? {type(e).__name__}"])
    return uit


def alineas(doc) -> list[str]:
    uit: list[str] = []

    def loop(tekst) -> None:
        en = tekst.createEnumeration()
        while en.hasMoreElements():
            el = en.nextElement()
            if el.supportsService("com.sun.star.text.TextTable"):
                for naam in el.getCellNames():
                    loop(el.getCellByName(naam).getText())
            else:
                uit.append(el.getString())

    loop(doc.getText())
    return uit


def main() -> int:
    opdrachten = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    tijd = int(os.environ.get("KIT_UNO_TIJD", "240"))
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("UNO-tijdslimiet")))
    signal.alarm(tijd)
    lo = LibreOffice()
    resultaten = []
    try:
        for o in opdrachten:
            if o["op"] == "tekst":
                doc = lo.open(o["pad"])
                details: list = []
                telling = redlines(doc, details)
                if o.get("modus") == "accept":
                    lo.opdracht(doc, ".uno:AcceptAllTrackedChanges")
                elif o.get("modus") == "reject":
                    lo.opdracht(doc, ".uno:RejectAllTrackedChanges")
                resultaten.append({"redlines": telling, "details": details, "alineas": alineas(doc), "over": redlines(doc)})
                doc.close(True)
            elif o["op"] == "compare":
                doc = lo.open(o["nieuw"])
                lo.opdracht(doc, ".uno:CompareDocuments", _prop("URL", _url(o["oud"])), _prop("NoAcceptDialog", True))
                details = []
                resultaten.append({"redlines": redlines(doc, details), "details": details})
                doc.close(True)
            else:
                raise SystemExit(f"onbekende opdracht {o['op']}")
    finally:
        lo.stop()
        signal.alarm(0)
    Path(sys.argv[2]).write_text(json.dumps(resultaten, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
